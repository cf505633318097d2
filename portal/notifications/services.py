"""Notifications: an in-app notice per recipient, e-mailed through an outbox.

``notification_send`` writes the notices in the caller's transaction (a write that rolls back leaves
no notice behind) and, on commit, asks for one flush of the outbox. ``outbox.notification_outbox_flush``
e-mails every pending notice in batches over one SMTP connection and marks each one sent; a flush
already queued absorbs the requests that arrive before it starts, and the beat schedule flushes every
minute whatever a lost message or a crashed worker left behind.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from portal.core.commitcache import add_on_commit
from portal.core.queueing import enqueue
from portal.core.statements import InsertRows

from . import events
from .choices import NoticeEvent
from .models import Notification
from .outbox import OUTBOX_FLUSH_QUEUED_KEY
from .tasks import notification_outbox_flush_task


def notification_send(
    *, recipients, event: str, params: dict | None = None, agreement=None, url: str = ""
) -> list[Notification]:
    """Write one notice of ``event`` (a :class:`NoticeEvent`) per active recipient; they are e-mailed on commit.

    ``params`` are plain JSON: codes, ISO dates, numbers and what people wrote. The Spanish (es-MX) text is
    stored with the notice as its record; readers see it rendered in their own language.
    """
    return notification_send_many(notices=[(recipients, event, params)], agreement=agreement, url=url)


# ``Notification.objects.bulk_create`` with its statement built once (every step of the workflow tells someone).
_INSERT = InsertRows(Notification)


def notification_send_many(*, notices, agreement=None, url: str = "") -> list[Notification]:
    """``notification_send`` of several events about one ``agreement`` at once (``notices``: ``(recipients, event,
    params)`` triples): one INSERT for all of them and one flush of the outbox requested on commit.

    A recipient is an account, or the id of an active one (``institutions.selectors.permission_holder_ids``)."""
    rows = []
    for recipients, event, params in notices:
        if event not in NoticeEvent.values:
            raise ValueError(f"unknown notice event {event!r}")
        unique = {
            u if isinstance(u, int) else u.pk: u
            for u in recipients
            if u is not None and (isinstance(u, int) or u.is_active)
        }
        if not unique:
            continue
        params = params or {}
        subject, body = events.render(event, params, agreement, language=settings.LANGUAGE_CODE)
        rows += [
            Notification(
                **({"recipient_id": u} if isinstance(u, int) else {"recipient": u}),
                event=event,
                params=params,
                agreement=agreement,
                subject=subject,
                body=body,
                url=url,
            )
            for u in unique.values()
        ]
    if not rows:
        return []
    notifications = _INSERT(rows)
    # ``notification_outbox_request_flush`` on commit, its marker sent with the transaction's other cache writes
    add_on_commit(OUTBOX_FLUSH_QUEUED_KEY, timeout=60, then=_outbox_flush_queue)
    return notifications


def notification_outbox_request_flush() -> bool:
    """Queue a flush of the outbox unless one is queued and has not started yet; True if one was queued."""
    if not cache.add(OUTBOX_FLUSH_QUEUED_KEY, True, timeout=60):
        return False
    return _outbox_flush_queue()


def _outbox_flush_queue() -> bool:
    """Queue the flush (its marker just added); a flush that cannot be queued leaves no marker behind."""
    if not enqueue(notification_outbox_flush_task, catch_up="the outbox's beat flush"):
        cache.delete(OUTBOX_FLUSH_QUEUED_KEY)
        return False
    return True


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
