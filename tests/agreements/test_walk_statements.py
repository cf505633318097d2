"""The statements of each automatic task kind, pinned: steps 5-6 (one walk), 10 and 12 (issue #14).

Each step's records are what the domain asks for (the case's row locked, the timeline, the notices, the registry
entry); a new statement in a walk is a new cost on every case, so it should be a deliberate change of these
numbers. On SQLite the walk's transaction is a savepoint inside the test's: the same count as BEGIN/COMMIT.

Who holds the CJA's and the DGCP's roles is cached (``permission_holder_ids``): the counts are a worker's, whose
cache a previous task filled; a cold cache reads the holders once more.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services, tasks
from agreements.choices import Status
from agreements.models import Document, TimelineEvent
from agreements.services.transitions import _RECIPIENT_PERMISSIONS
from portal.institutions.choices import Role
from portal.institutions.roles import group_for
from portal.institutions.selectors import permission_holder_ids
from portal.notifications.models import Notification
from tests import documents
from tests.cases import SIGNED_TEXT
from tests.factories import local_official

pytestmark = pytest.mark.django_db

# On PostgreSQL a walk that moves the case first tells its transaction not to wait for the disk at COMMIT.
NO_DISK_WAIT = "SET LOCAL synchronous_commit = off"


def _no_disk_wait() -> int:
    return int(connection.vendor == "postgresql")


def _walk(case_id: int, step: int, *, warm: bool = True) -> list[str]:
    if warm:
        permission_holder_ids(_RECIPIENT_PERMISSIONS.values())
    with CaptureQueriesContext(connection) as context:
        assert tasks.workflow_advance_task.apply(args=[case_id, step]).get() is True
    return [q["sql"] for q in context.captured_queries]


def _kinds(statements: list[str]) -> list[str]:
    return [sql.split()[0] for sql in statements]


def _case_at(step: int, cases, local, cja, *, registry_number: str = "RAII-2026-0098"):
    """A case whose filer (step 5, step 10) or CJA (step 12) has just acted: the worker's step ``step`` is next."""
    if step == 5:
        case = cases.with_documents()
        services.agreement_submit(user=local, agreement_id=case.pk)
    elif step == 10:
        case = cases.awaiting_signature()
        services.signed_copy_submit(
            user=local,
            agreement_id=case.pk,
            upload=documents.pdf_upload("firmado.pdf", SIGNED_TEXT),
            signed_on=services.today(),
            signed_place="Kraków, Polonia",
        )
    else:
        case = cases.registration_requested()
        services.agreement_register(
            user=cja,
            agreement_id=case.pk,
            registry_number=registry_number,
            registered_on=services.today(),
            recommendations_incorporated=True,
        )
    return case


def test_steps_5_and_6_in_seven_statements(cases, local):
    case = cases.with_documents()
    services.agreement_submit(user=local, agreement_id=case.pk)  # on-commit work not run: waits on step 5
    statements = _walk(case.pk, 5)
    # lock; the two documents; the CJA's notices; the case's row; both steps' timeline records
    assert len(statements) == 7 + _no_disk_wait(), statements
    assert _kinds(statements).count("INSERT") == 2
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert list(case.timeline.order_by("id").values_list("action", flat=True))[-2:] == [
        "check_completeness",
        "compute_deadline",
    ]


def test_step_10_in_six_statements(cases, local, cja):
    case = _case_at(10, cases, local, cja)
    statements = _walk(case.pk, 10)
    # lock; the CJA's notices; the case's row; its timeline record
    assert len(statements) == 6 + _no_disk_wait(), statements
    case.refresh_from_db()
    assert case.status == Status.REGISTRATION_REQUESTED
    assert TimelineEvent.objects.filter(agreement=case, action="request_registration").count() == 1


def test_step_12_in_ten_statements_with_both_notices_in_one_insert(cases, local, cja):
    case = _case_at(12, cases, local, cja, registry_number="RAII-2026-0099")
    before = Notification.objects.count()
    statements = _walk(case.pk, 12)
    # lock; timeline; entry looked up, inserted, its themes; the case's themes; notices; the case's row
    assert len(statements) == 10 + _no_disk_wait(), statements
    assert sum(sql.startswith('INSERT INTO "notifications_notification"') for sql in statements) == 1
    assert not any(sql.startswith("DELETE") for sql in statements)  # a new entry has no themes to replace
    events = set(Notification.objects.order_by("id")[before:].values_list("event", flat=True))
    assert events == {"closed", "closed_informed"}
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_a_cold_cache_reads_the_holders_once(cases, local):
    first, second = cases.with_documents(), cases.with_documents()
    for case in (first, second):
        services.agreement_submit(user=local, agreement_id=case.pk)
    cold, warm = _walk(first.pk, 5, warm=False), _walk(second.pk, 5, warm=False)
    assert len(cold) == 8 + _no_disk_wait()  # the CJA's holders read, then cached
    assert len(warm) == 7 + _no_disk_wait()


def test_a_reviewer_given_the_role_after_the_cache_was_filled_is_told(cases, local):
    first, second = cases.with_documents(), cases.with_documents()
    for case in (first, second):
        services.agreement_submit(user=local, agreement_id=case.pk)
    _walk(first.pk, 5)
    newcomer = local_official()
    newcomer.groups.set([group_for(Role.CJA)])
    _walk(second.pk, 5)
    assert Notification.objects.filter(agreement=second, recipient=newcomer, event="in_review").exists()
    assert not Notification.objects.filter(agreement=first, recipient=newcomer).exists()


def test_an_incomplete_request_goes_back_to_its_filer_loaded_only_then(cases, local):
    case = cases.with_documents()
    services.agreement_submit(user=local, agreement_id=case.pk)
    Document.objects.filter(agreement=case, kind="final_text").update(size=0)
    statements = _walk(case.pk, 5)
    # lock (without the filer: most requests are complete); the documents; the filer; the notice; the row; timeline
    assert len(statements) == 8 + _no_disk_wait(), "\n".join(q[:90] for q in statements)
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    assert list(
        Notification.objects.filter(agreement=case, event="incomplete").values_list("recipient", flat=True)
    ) == [local.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
@pytest.mark.parametrize("step", [5, 10, 12])
def test_a_walk_commits_without_waiting_for_the_disk_and_a_stale_delivery_sets_nothing(cases, local, cja, step):
    """The walk's transaction alone commits asynchronously (its loss in a server crash is walked again by the
    sweep): set inside it (after the lock), once, when the walk moves the case; a stale delivery does not set it."""
    case = _case_at(step, cases, local, cja)
    statements = _walk(case.pk, step)
    at = statements.index(NO_DISK_WAIT)
    assert statements.count(NO_DISK_WAIT) == 1
    assert at > 0 and statements[at + 1].startswith('UPDATE "agreements_agreement"')
    with CaptureQueriesContext(connection) as stale:
        assert tasks.workflow_advance_task.apply(args=[case.pk, step]).get() is False
    assert NO_DISK_WAIT not in [q["sql"] for q in stale.captured_queries]


def _lock(statements: list[str]) -> str:
    return next(sql for sql in statements if sql.startswith("SELECT") and 'FROM "agreements_agreement"' in sql)


@pytest.mark.parametrize("step", [5, 10, 12])
def test_the_lock_loads_only_the_columns_the_walk_reads(cases, local, cja, step):
    """Every column loaded costs building on every task: the case's long texts, its reviewers and search text, the
    office's contact and the filer's account are never read by a walk (a column read but not loaded would cost a
    statement of its own, which the counts above would show)."""
    case = _case_at(step, cases, local, cja)
    lock = _lock(_walk(case.pk, step))
    for unread in ("search_text", "signed_text_note", "dgcp_reviewer_id", "password", "acronym", '."email"'):
        assert unread not in lock, unread
    assert '"created_by_id"' in lock
    assert ('"is_active"' in lock) is (step == 12)  # only step 12 tells the filer


def test_a_warm_worker_builds_none_of_the_walks_selects(cases, local, cja, monkeypatch):
    """The lock, step 5's documents, step 12's themes and registry number are each built once per process
    (``portal.core.statements``): building their SQL cost more than running it on every task."""
    from django.db.models.sql.compiler import SQLCompiler

    built = []
    original = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        if type(self) is SQLCompiler:  # SELECTs only: the INSERTs and the UPDATE have compilers of their own
            built.append(self.query.model.__name__)
        return original(self, *args, **kwargs)

    submitted = [cases.with_documents() for _ in range(2)]
    for case in submitted:
        services.agreement_submit(user=local, agreement_id=case.pk)
    inscribed = [cases.registration_requested() for _ in range(2)]
    for number, case in enumerate(inscribed):
        services.agreement_register(
            user=cja,
            agreement_id=case.pk,
            registry_number=f"RAII-2026-009{number}",
            registered_on=services.today(),
            recommendations_incorporated=True,
        )
    _walk(submitted[0].pk, 5)
    _walk(inscribed[0].pk, 12)
    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    _walk(submitted[1].pk, 5)
    _walk(inscribed[1].pk, 12)
    assert built == []


def test_a_close_bumps_the_registrys_and_the_profiles_versions_once_each(
    cases, local, cja, django_capture_on_commit_callbacks
):
    """The new entry (a model the profiles show) and the registry's change bump the profiles' version: once, with the
    registry's, in one round trip on commit (``pagecache.bump_versions_on_commit``)."""
    from django.core.cache import cache

    from agreements.registry.selectors.stats import REGISTRY_VERSION_KEY
    from portal.geography.profiles import PROFILES_VERSION_KEY

    case = _case_at(12, cases, local, cja)
    cache.set(REGISTRY_VERSION_KEY, 10, None)
    cache.set(PROFILES_VERSION_KEY, 20, None)
    with django_capture_on_commit_callbacks(execute=True):
        _walk(case.pk, 12)
    assert (cache.get(REGISTRY_VERSION_KEY), cache.get(PROFILES_VERSION_KEY)) == (11, 21)


def test_a_closes_cache_writes_on_commit_are_one_callback(cases, local, cja, django_capture_on_commit_callbacks):
    """The versions bumped and the markers of the outbox's flush and the statistics' count: one Redis round trip
    (``portal.core.commitcache.batched``), the outbox's flush and the count still queued."""
    from unittest import mock

    from django.core.cache import cache

    from agreements.registry import background
    from agreements.registry.selectors.stats import REGISTRY_STATS_WARM_QUEUED_KEY
    from portal.core import commitcache
    from portal.notifications import tasks as notification_tasks
    from portal.notifications.outbox import OUTBOX_FLUSH_QUEUED_KEY

    case = _case_at(12, cases, local, cja)
    markers = [REGISTRY_STATS_WARM_QUEUED_KEY, OUTBOX_FLUSH_QUEUED_KEY]
    cache.delete_many(markers)
    try:
        with (
            mock.patch.object(background.registry_stats_warm_task, "delay") as count,
            mock.patch.object(notification_tasks.notification_outbox_flush_task, "delay") as flush,
            mock.patch.object(commitcache, "send", wraps=commitcache.send) as sent,
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            _walk(case.pk, 12)
    finally:
        cache.delete_many(markers)  # no task ran to clear them: later tests' flushes and counts must be queued
    assert sum(isinstance(callback, commitcache._Writes) for callback in callbacks) == 1
    assert sent.call_count == 1
    count.assert_called_once()
    flush.assert_called_once()
