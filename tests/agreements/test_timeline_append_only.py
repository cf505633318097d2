"""The case timeline is append-only: in Python on every database, and in PostgreSQL itself (a trigger)."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from agreements.models import TimelineEvent
from portal.audit.append_only import AppendOnlyError

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cases):
    case = cases.in_review()
    assert TimelineEvent.objects.filter(agreement=case).count() >= 2
    return case


def _snapshot(case):
    return list(TimelineEvent.objects.filter(agreement=case).order_by("id").values_list("id", "action", "comment"))


def test_python_refuses_every_orm_way_of_changing_an_event(case):
    before = _snapshot(case)
    event = TimelineEvent.objects.filter(agreement=case).first()
    event.comment = "reescrito"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    events = TimelineEvent.objects.filter(agreement=case)
    with pytest.raises(AppendOnlyError):
        events.update(comment="reescrito")
    with pytest.raises(AppendOnlyError):
        events.delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        TimelineEvent.objects.bulk_update([event], ["comment"])
    assert _snapshot(case) == before


def test_the_legacy_audit_shares_the_same_guard():
    from portal.audit.models import AuditEvent

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda case: TimelineEvent._base_manager.filter(agreement=case).update(comment="reescrito"),
        lambda case: TimelineEvent._base_manager.filter(agreement=case)._raw_delete(connection.alias),
        lambda case: connection.cursor().execute(
            "UPDATE agreements_timelineevent SET comment = 'reescrito' WHERE agreement_id = %s", [case.pk]
        ),
        lambda case: connection.cursor().execute(
            "DELETE FROM agreements_timelineevent WHERE agreement_id = %s", [case.pk]
        ),
        lambda case: case.delete(),  # the cascade from the case cannot erase its timeline either
    ],
    ids=["bulk-update-other-manager", "raw-delete", "sql-update", "sql-delete", "cascade"],
)
@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_updates_and_deletes_that_bypass_python(case, attempt):
    before = _snapshot(case)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        attempt(case)
    assert _snapshot(case) == before


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the trigger exists on PostgreSQL only")
def test_the_triggers_are_installed_by_the_migrations():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%%_append_only'")
        tables = {row[0] for row in cursor.fetchall()}
    assert tables >= {
        "agreements_timelineevent",
        "audit_auditevent",
        "migrants_historicalmigrantoffice",
        "cooperation_historicalfocalpoint",
        "cooperation_historicalpartnership",
    }
