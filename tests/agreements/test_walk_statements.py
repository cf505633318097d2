"""The statements of each automatic task kind, pinned: steps 5-6 (one walk), 10 and 12 (issue #14).

Each step's records are what the domain asks for (the case's row locked, the timeline, the notices, the registry
entry); a new statement in a walk is a new cost on every case, so it should be a deliberate change of these
numbers. On SQLite the walk's transaction is a savepoint inside the test's: the same count as BEGIN/COMMIT.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services, tasks
from agreements.choices import Status
from agreements.models import TimelineEvent
from portal.notifications.models import Notification
from tests import documents
from tests.cases import SIGNED_TEXT

pytestmark = pytest.mark.django_db


def _walk(case_id: int, step: int) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert tasks.workflow_advance_task.apply(args=[case_id, step]).get() is True
    return [q["sql"] for q in context.captured_queries]


def _kinds(statements: list[str]) -> list[str]:
    return [sql.split()[0] for sql in statements]


def test_steps_5_and_6_in_eight_statements(cases, local):
    case = cases.with_documents()
    services.agreement_submit(user=local, agreement_id=case.pk)  # on-commit work not run: waits on step 5
    statements = _walk(case.pk, 5)
    # lock; the two documents; the CJA's reviewers; their notices; the case's row; both steps' timeline records
    assert len(statements) == 8, statements
    assert _kinds(statements).count("INSERT") == 2
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert list(case.timeline.order_by("id").values_list("action", flat=True))[-2:] == [
        "check_completeness",
        "compute_deadline",
    ]


def test_step_10_in_seven_statements(cases, local):
    case = cases.awaiting_signature()
    services.signed_copy_submit(
        user=local,
        agreement_id=case.pk,
        upload=documents.pdf_upload("firmado.pdf", SIGNED_TEXT),
        signed_on=services.today(),
        signed_place="Kraków, Polonia",
    )
    statements = _walk(case.pk, 10)
    assert len(statements) == 7, statements  # lock; reviewers; notices; the case's row; its timeline record
    case.refresh_from_db()
    assert case.status == Status.REGISTRATION_REQUESTED
    assert TimelineEvent.objects.filter(agreement=case, action="request_registration").count() == 1


def test_step_12_in_eleven_statements_with_both_notices_in_one_insert(cases, cja):
    case = cases.registration_requested()
    services.agreement_register(
        user=cja,
        agreement_id=case.pk,
        registry_number="RAII-2026-0099",
        registered_on=services.today(),
        recommendations_incorporated=True,
    )
    before = Notification.objects.count()
    statements = _walk(case.pk, 12)
    # lock; timeline; entry looked up, inserted, its themes; the case's themes; DGCP; notices; the case's row
    assert len(statements) == 11, statements
    assert sum(sql.startswith('INSERT INTO "notifications_notification"') for sql in statements) == 1
    assert not any(sql.startswith("DELETE") for sql in statements)  # a new entry has no themes to replace
    events = set(Notification.objects.order_by("id")[before:].values_list("event", flat=True))
    assert events == {"closed", "closed_informed"}
    case.refresh_from_db()
    assert case.status == Status.CLOSED
