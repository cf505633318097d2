"""The notification outbox: notices are written with the change that causes them and e-mailed in batches."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction

from portal.celery import app
from portal.notifications import outbox, services, tasks
from portal.notifications.models import Notification
from tests.factories import cja_reviewer, dgcp_reviewer, local_official

pytestmark = pytest.mark.django_db

EVENT = "expiry_reminder"
PARAMS = {
    "days": 30,
    "entry": {
        "title": "Hermanamiento",
        "counterpart_name": "Ciudad de Kraków",
        "registry_number": "R-001",
        "expires_on": "2027-06-01",
        "automatic_renewal": False,
    },
}


@pytest.fixture(autouse=True)
def _no_flush_queued():
    cache.delete(outbox.OUTBOX_FLUSH_QUEUED_KEY)


def _pending(n):
    users = [local_official() for _ in range(n)]
    return services.notification_send(recipients=users, event=EVENT, params=PARAMS, url="/expedientes/1/")


def test_a_notice_is_e_mailed_on_commit_in_spanish(run_on_commit):
    user = dgcp_reviewer()
    run_on_commit(services.notification_send, recipients=[user, user, None], event=EVENT, params=PARAMS)
    notice = Notification.objects.get()
    assert notice.recipient == user and notice.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert mail.outbox[0].subject == "[Portal AII] El acuerdo R-001 concluye su vigencia el 01/06/2027"
    assert "Este es un mensaje automático" in mail.outbox[0].body


def test_a_rolled_back_change_leaves_no_notice_and_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _pending(1)
        raise RuntimeError
    assert callbacks == [] and Notification.objects.count() == 0 and mail.outbox == []


def test_the_flush_sends_every_pending_notice_in_batches_once():
    _pending(5)
    with mock.patch.object(outbox, "get_connection", wraps=outbox.get_connection) as connections:
        assert outbox.notification_outbox_flush(batch_size=2) == 5
    assert connections.call_count == 3  # one connection per batch of 2, 2 and 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Notification.objects.values_list("recipient__email", flat=True)
    )
    assert not Notification.objects.filter(emailed_at=None).exists()
    assert outbox.notification_outbox_flush(batch_size=2) == 0
    assert len(mail.outbox) == 5


class _FailsOnThird(EmailBackend):
    """Accepts two messages, then raises ``error``."""

    sent = 0
    error: Exception = OSError()

    def send_messages(self, messages):
        if _FailsOnThird.sent == 2:
            raise _FailsOnThird.error
        _FailsOnThird.sent += 1
        return super().send_messages(messages)


@pytest.mark.parametrize(
    "error",
    [smtplib.SMTPServerDisconnected("connection lost"), ValueError("a bug, or the task's time limit")],
    ids=["mail server", "anything else"],
)
def test_an_error_midway_keeps_only_the_unsent_notices_pending(settings, error):
    _pending(4)
    settings.EMAIL_BACKEND = f"{__name__}._FailsOnThird"
    _FailsOnThird.sent, _FailsOnThird.error = 0, error
    with pytest.raises(type(error)):
        outbox.notification_outbox_flush()
    assert Notification.objects.filter(emailed_at=None).count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.notification_outbox_flush() == 2
    assert len(mail.outbox) == 4  # no notice e-mailed twice
    assert len({m.to[0] for m in mail.outbox}) == 4


class _RefusesFirst(EmailBackend):
    def send_messages(self, messages):
        if messages[0].to[0].startswith("refused"):
            raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"no such user")})
        return super().send_messages(messages)


def test_a_refused_address_is_logged_and_does_not_block_the_others(settings, caplog):
    refused = cja_reviewer(email="refused@sre.gob.mx")
    services.notification_send(recipients=[refused, local_official()], event=EVENT, params=PARAMS)
    settings.EMAIL_BACKEND = f"{__name__}._RefusesFirst"
    assert outbox.notification_outbox_flush() == 2
    assert len(mail.outbox) == 1 and "refused" not in mail.outbox[0].to[0]
    assert "refused it for good" in caplog.text
    assert not Notification.objects.filter(emailed_at=None).exists()


def test_one_flush_is_queued_until_it_starts():
    with mock.patch.object(tasks.notification_outbox_flush_task, "delay") as delay:
        assert services.notification_outbox_request_flush() is True
        assert services.notification_outbox_request_flush() is False  # absorbed by the queued flush
        assert delay.call_count == 1
        outbox.notification_outbox_flush()  # starts: later notices need a new flush
        assert services.notification_outbox_request_flush() is True
        assert delay.call_count == 2


def test_a_lost_flush_is_made_up_by_the_beat_schedule():
    schedule = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "portal.notifications.tasks.notification_outbox_flush_task" in schedule
    _pending(2)  # committed, but the on-commit flush never ran
    assert tasks.notification_outbox_flush_task.apply().get() == 2
    assert len(mail.outbox) == 2


class _RejectsOneMessage(EmailBackend):
    def send_messages(self, messages):
        if messages[0].to[0].startswith("rejected"):
            raise smtplib.SMTPDataError(554, b"message rejected")
        return super().send_messages(messages)


def test_a_message_the_server_rejects_for_good_does_not_block_the_outbox(settings):
    rejected = cja_reviewer(email="rejected@sre.gob.mx")
    services.notification_send(recipients=[rejected, local_official(), local_official()], event=EVENT, params=PARAMS)
    settings.EMAIL_BACKEND = f"{__name__}._RejectsOneMessage"
    assert outbox.notification_outbox_flush() == 3
    assert len(mail.outbox) == 2 and not Notification.objects.filter(emailed_at=None).exists()


class _ServerBusy(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPDataError(451, b"try again later")


def test_a_temporary_refusal_leaves_the_notice_for_the_next_flush(settings):
    _pending(1)
    settings.EMAIL_BACKEND = f"{__name__}._ServerBusy"
    with pytest.raises(smtplib.SMTPDataError):
        outbox.notification_outbox_flush()
    assert Notification.objects.filter(emailed_at=None).count() == 1


def test_an_unreachable_broker_does_not_fail_a_change_that_is_already_saved(run_on_commit):
    from kombu.exceptions import OperationalError

    with mock.patch.object(tasks.notification_outbox_flush_task, "delay", side_effect=OperationalError("down")):
        run_on_commit(services.notification_send, recipients=[local_official()], event=EVENT, params=PARAMS)
    assert Notification.objects.filter(emailed_at=None).count() == 1  # kept for the beat flush
    assert cache.get(outbox.OUTBOX_FLUSH_QUEUED_KEY) is None  # the next notice asks again
