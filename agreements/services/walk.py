"""The automatic steps (5, 6, 10, 12) and how a person's action hands over to them.

A person's action that leaves the case on an automatic step queues ``workflow_advance_task`` on commit; the task
walks the consecutive automatic steps in one transaction. The task lives here, beside the walk it runs
(``tasks`` re-exports it for Celery), so the services queue it without an import cycle.
"""

from __future__ import annotations

from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from agreements.registry.services import registry_publish
from portal.core import commitcache
from portal.core.queueing import RETRY_SAFE_TASK, enqueue_on_commit
from portal.core.statements import InsertRows, KeyedRows, UpdateColumns

from .. import validity, workflow
from ..actions import ACTIONS, DOCUMENT_RULES
from ..choices import DocumentKind
from ..guards import CaseFacts, is_late
from ..models import Agreement, Document, TimelineEvent
from ..workflow import Action, Actor
from .transitions import MOVE_FIELDS, apply_action, lock_case, non_working_days, notify

__all__ = [
    "AUTOMATIC_HANDLERS",
    "agreement_walk_automatic",
    "apply_automatic_step",
    "apply_person_action",
    "workflow_advance_task",
]


@shared_task(
    name="agreements.tasks.workflow_advance_task",  # its name since it was declared in tasks.py
    **RETRY_SAFE_TASK,
)
def workflow_advance_task(agreement_id: int, expected_step: int) -> bool:
    """Walk the automatic steps of one case from ``expected_step``; a stale step is a no-op."""
    return agreement_walk_automatic(agreement_id=agreement_id, expected_step=expected_step) > 0


def apply_person_action(agreement: Agreement, *, action: Action, **kwargs) -> TimelineEvent:
    """A person's action (``transitions.apply_action``); when it leaves the case on an automatic step, the walk
    is queued once the transaction commits."""
    event = apply_action(agreement, action=action, **kwargs)
    if agreement.status in workflow.AUTOMATIC_NEXT:
        enqueue_on_commit(workflow_advance_task, agreement.pk, agreement.current_step, catch_up="the workflow sweep")
    return event


# The columns the automatic steps set besides the move's own (``transitions.MOVE_FIELDS``): step 6's deadline.
AUTOMATIC_FIELDS = ("cja_deadline", "is_late")


def apply_automatic_step(agreement: Agreement, action: Action, **kwargs) -> TimelineEvent:
    """An automatic step: done by "sistema"; the walking task, not the commit, moves on to the next one. The
    case's row and the steps' timeline records (returned unsaved) are written once by the walk, after its last
    step (``agreement_walk_automatic``)."""
    return apply_action(agreement, action=action, actor_user=None, actor_kind=Actor.SYSTEM, save=False, **kwargs)


# What a walk loads with the lock: each column costs building (the SELECT, the row's values) on every task, and a
# column read but not loaded costs a query of its own where it is read (the walk's statement-count tests catch it).
# Every walk moves the case and writes its move's columns and step 6's (``_WALK_WRITES``) and tells someone, and
# every notice names the case and its office (``notifications/events``' templates: folio, title, the office's
# name); steps 5 and 6 read what the deadline is computed from; step 12 publishes the case (the published fields,
# the office's level and place) and tells the filer. Step 5's return of an incomplete request to its filer (rare)
# loads the filer then.
_WALK_WRITES = (*MOVE_FIELDS, *AUTOMATIC_FIELDS)
_WALK_NOTICES = ("folio", "title", "institution", "institution__name", "created_by")
WALK_RELATED = {12: ("institution", "created_by")}
WALK_RELATED_OTHERWISE = ("institution",)
WALK_COLUMNS = {
    5: (*_WALK_WRITES, *_WALK_NOTICES, "submitted_at", "intended_signing_date", "urgency_reason"),
    10: (*_WALK_WRITES, *_WALK_NOTICES),
    12: (
        *_WALK_WRITES,
        *_WALK_NOTICES,
        "registry_number",
        "kind",
        "counterpart_name",
        "counterpart_type",
        "counterpart_country",
        "counterpart_subdivision",
        "signed_on",
        "signed_place",
        "registered_on",
        "entry_into_force_on",
        "term",
        "term_years",
        "term_months",
        "automatic_renewal",
        "case_kind",
        "amends",
        "is_demo",
        "institution__level",
        "institution__state",
        "institution__municipality",
        "created_by__is_active",
        "created_by__institution",
    ),
}


# The walk's writes, each statement built once (``portal.core.statements``): the case's row (``save(update_fields=...)``
# with its signals) and the steps' timeline records (``bulk_create``).
_WALK_UPDATE = UpdateColumns(Agreement, _WALK_WRITES)
_TIMELINE_INSERT = InsertRows(TimelineEvent)


def agreement_walk_automatic(
    *, agreement_id: int, expected_step: int, limit: int = len(workflow.AUTOMATIC_NEXT)
) -> int:
    """Walk the consecutive automatic steps from ``expected_step`` (5 then 6; 10; 12) in one transaction.

    Returns how many steps were walked: 0, changing nothing, when the case has moved on, so duplicate
    deliveries and retries are harmless. The steps commit together; a worker killed mid-walk commits
    none of them and the redelivered task (or the periodic sweep) walks them again.
    """
    events: list[TimelineEvent] = []
    # The walk's cache writes on commit (the versions its writes bump, the markers of the outbox's flush and the
    # statistics' count) go to Redis in one round trip.
    with transaction.atomic(), commitcache.batched():
        agreement = lock_case(
            agreement_id,
            related=WALK_RELATED.get(expected_step, WALK_RELATED_OTHERWISE),
            only=WALK_COLUMNS.get(expected_step),
        )
        if agreement is None or agreement.current_step != expected_step:
            return 0
        while len(events) < limit and (action := workflow.AUTOMATIC_NEXT.get(agreement.status)):
            events.append(AUTOMATIC_HANDLERS[action](agreement))
        if events:  # one UPDATE for the steps walked (5 and 6 move the same row twice), one INSERT of their records
            _commit_without_waiting_for_the_disk()
            _WALK_UPDATE(agreement)
            _TIMELINE_INSERT(events)
    return len(events)


def _commit_without_waiting_for_the_disk() -> None:
    """The walk's COMMIT returns once PostgreSQL holds its WAL, without waiting for the disk to have it
    (``synchronous_commit`` off for this transaction alone; a person's actions keep the server's setting).

    Waiting for the flush was about 1 ms of every task's 5–6, a sixth of a worker process's time (issue #14). The
    cost: if the PostgreSQL server itself crashes, the walks it committed in its last fraction of a second (at most
    three ``wal_writer_delay``) are lost, never half-kept; each of those cases is back on its automatic step, where
    ``workflow_sweep_task`` finds it and walks it again. A notice such a walk wrote may already have gone out (the
    outbox sends committed rows), so its recipient may read it twice after such a crash."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


# What steps 5 and 12 read besides the case, each statement built once (``KeyedRows``), read as sets (the models'
# orderings would only cost compiling): the documents step 5 checks, the case's themes step 12 publishes.
_CHECKED_DOCUMENTS = KeyedRows(
    Document.objects.filter(kind__in=[DocumentKind.REQUEST_LETTER, DocumentKind.FINAL_TEXT])
    .order_by()
    .values_list("kind", "size", "sha256", "content_type"),
    key_field="agreement_id",
)
_CASE_THEMES = KeyedRows(Agreement.themes.through.objects.order_by().values_list("theme_id"), key_field="agreement_id")


def _check_completeness(agreement: Agreement) -> TimelineEvent:
    """Step 5: the request letter and final text are present and valid; forward to the CJA, or back to the
    filer as the table's fallback says."""
    ok = {
        kind
        for kind, size, sha256, content_type in _CHECKED_DOCUMENTS(agreement.pk)
        if size > 0 and sha256 and content_type in DOCUMENT_RULES[kind].content_types
    }
    facts = CaseFacts(
        status=agreement.status,
        valid_request_letter=DocumentKind.REQUEST_LETTER in ok,
        valid_final_text=DocumentKind.FINAL_TEXT in ok,
    )
    spec = ACTIONS[Action.CHECK_COMPLETENESS]
    refusals = spec.refusals(facts)
    if refusals:
        event = apply_automatic_step(
            agreement,
            Action.CHECK_COMPLETENESS,
            target=spec.fallback.target,
            completes=False,
            decision=spec.fallback.decision,
        )
        notify(agreement, Action.CHECK_COMPLETENESS, notices=spec.fallback.notices)
        return event
    return apply_automatic_step(agreement, Action.CHECK_COMPLETENESS)


def _compute_deadline(agreement: Agreement) -> TimelineEvent:
    """Step 6: record the date the request had to reach the CJA and flag late, unjustified ones."""
    deadline = workflow.cja_deadline(agreement.intended_signing_date, non_working_days())
    received = timezone.localdate(agreement.submitted_at or timezone.now())
    late = is_late(CaseFacts(status=agreement.status, cja_deadline=deadline, today=received))
    agreement.cja_deadline = deadline
    agreement.is_late = late and not agreement.urgency_reason
    event = apply_automatic_step(
        agreement,
        Action.COMPUTE_DEADLINE,
        decision="late" if late else "on_time",
        params={"deadline": deadline.isoformat(), "urgent": bool(late and agreement.urgency_reason)},
    )
    notify(
        agreement,
        Action.COMPUTE_DEADLINE,
        params={
            "cja_deadline": deadline.isoformat(),
            "late": agreement.is_late,
            "urgent": bool(late and agreement.urgency_reason),
        },
    )
    return event


def _request_registration(agreement: Agreement) -> TimelineEvent:
    event = apply_automatic_step(agreement, Action.REQUEST_REGISTRATION)
    notify(agreement, Action.REQUEST_REGISTRATION)
    return event


def _close(agreement: Agreement) -> TimelineEvent:
    """Step 12: close the file and publish the agreement in the registry (a modification or extension is
    inscribed against the original entry, whose validity follows it)."""
    event = apply_automatic_step(agreement, Action.CLOSE)
    registry_publish(
        agreement_id=agreement.pk,
        case_kind=agreement.case_kind,
        amends_entry_id=agreement.amends_id,
        registry_number=agreement.registry_number,
        title=agreement.title,
        kind=agreement.kind,
        institution=agreement.institution,
        counterpart_name=agreement.counterpart_name,
        counterpart_type=agreement.counterpart_type,
        counterpart_country=agreement.counterpart_country,
        counterpart_subdivision=agreement.counterpart_subdivision,
        signed_on=agreement.signed_on,
        signed_place=agreement.signed_place,
        registered_on=agreement.registered_on,
        expires_on=validity.end_date(
            starts_on=agreement.entry_into_force_on,
            term=agreement.term,
            years=agreement.term_years,
            months=agreement.term_months,
        ),
        automatic_renewal=agreement.automatic_renewal,
        themes=[key for (key,) in _CASE_THEMES(agreement.pk)],  # a set: the entry sorts them
        is_demo=agreement.is_demo,
    )
    notify(
        agreement,
        Action.CLOSE,
        params={"number": agreement.registry_number, "registered_on": agreement.registered_on.isoformat()},
    )
    return event


AUTOMATIC_HANDLERS = {
    Action.CHECK_COMPLETENESS: _check_completeness,
    Action.COMPUTE_DEADLINE: _compute_deadline,
    Action.REQUEST_REGISTRATION: _request_registration,
    Action.CLOSE: _close,
}
