"""How a case moves, shared by every service of the workflow: lock the row, check the action against the
table (``actions.py``), apply it, append the timeline record and write the notices the table declares.

Nothing here queues work: a person's action hands over to the automatic steps through ``walk``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.core.exceptions import NotFound, ValidationFailed
from portal.core.statements import KeyedGet
from portal.institutions.selectors import permission_holder_ids, permission_holders
from portal.notifications.services import notification_send_many

from .. import actions, workflow
from ..actions import ACTIONS, Recipient
from ..choices import DocumentKind, Status
from ..guards import CaseFacts
from ..models import Agreement, NonWorkingDay, TimelineEvent
from ..notices import ATTACHING_EVENTS
from ..workflow import Action, Actor

__all__ = [
    "NON_WORKING_DAYS_CACHE_KEY",
    "non_working_days",
    "today",
]


NON_WORKING_DAYS_CACHE_KEY = "agreements:non_working_days"


def non_working_days() -> frozenset[dt.date]:
    """The SRE's published non-working days, cached until an administrator changes them."""
    days = cache.get(NON_WORKING_DAYS_CACHE_KEY)
    if days is None:
        days = frozenset(NonWorkingDay.objects.values_list("date", flat=True))
        cache.set(NON_WORKING_DAYS_CACHE_KEY, days, 24 * 3600)
    return days


def today() -> dt.date:
    return timezone.localdate()


# The locks' statements by the rows and columns they load, each built once (``KeyedGet``): its SQL costs more to
# build than to run on every step task.
_LOCKS: dict[tuple, KeyedGet] = {}


def lock_case(
    agreement_id: int,
    *,
    related: tuple[str, ...] = ("institution", "created_by"),
    only: tuple[str, ...] | None = None,
) -> Agreement | None:
    """The case row (with its institution and filer, or the ``related`` rows given), locked until the transaction
    ends; ``only``: the columns to load (``QuerySet.only``, related ones named through their relation), all of them
    without it.

    Only the case row is locked (``of=("self",)``): two cases of one institution never wait on each other.
    SQLite has no row locks and serialises writers instead. At most one row: no ``ORDER BY`` (the model's own
    ordering cleared) nor ``LIMIT``; the statement is built once per process (``KeyedGet``).
    """
    lock = _LOCKS.get((related, only))
    if lock is None:
        rows = Agreement.objects.select_for_update(of=("self",)).order_by()
        if related:  # (``select_related()`` without names would join every foreign key)
            rows = rows.select_related(*related)
        if only is not None:
            rows = rows.only(*only)
        lock = _LOCKS[(related, only)] = KeyedGet(rows)
    return lock(agreement_id)


@contextmanager
def locked_case(agreement_id: int):
    """``lock_case`` inside a transaction; a missing case is a 404."""
    with transaction.atomic():
        agreement = lock_case(agreement_id)
        if agreement is None:
            raise NotFound()
        yield agreement


def documents_present(agreement: Agreement) -> tuple[bool, bool]:
    kinds = set(agreement.documents.values_list("kind", flat=True))
    return DocumentKind.REQUEST_LETTER in kinds, DocumentKind.FINAL_TEXT in kinds


def record_event(agreement, **facts) -> TimelineEvent:
    """Append the timeline record of a move (``timeline_event``'s facts)."""
    event = timeline_event(agreement, **facts)
    event.save(force_insert=True)
    return event


def timeline_event(
    agreement,
    *,
    action,
    actor_user,
    actor_kind,
    from_status,
    from_step,
    completed_step=None,
    decision="",
    comment="",
    params=None,
) -> TimelineEvent:
    """The timeline record of a move, not yet written (the automatic walk writes its steps' records together)."""
    return TimelineEvent(
        agreement=agreement,
        actor=actor_user,
        actor_role=str(actor_kind),
        action=str(action),
        completed_step=completed_step,
        from_step=from_step,
        to_step=agreement.current_step,
        from_status=str(from_status),
        to_status=str(agreement.status),
        decision=decision,
        comment=comment,
        params=params or {},
    )


def apply_action(
    agreement: Agreement,
    *,
    action: Action,
    actor_user,
    actor_kind: Actor,
    target: Status | None = None,
    decision: str = "",
    comment: str = "",
    params: dict | None = None,
    completes: bool = True,
    changed: Iterable[str] | None = None,
    save: bool = True,
) -> TimelineEvent:
    """Apply ``action`` to a locked ``agreement`` and append its timeline record.

    ``changed`` names the fields the caller set besides the move's own (status, step, times); when
    given, only those columns are written. ``None`` writes the whole row. ``save=False`` leaves the row and the
    returned timeline record (unsaved) to the caller, who writes them once after several moves in the same
    transaction (the automatic walk).
    """
    spec = actions.ensure_allowed(action, agreement.status)
    from_status, from_step = agreement.status, agreement.current_step
    new_status = target or spec.target
    if new_status is not None and new_status != agreement.status:
        has_letter, has_text = documents_present(agreement) if new_status == Status.DRAFT else (True, True)
        agreement.status = new_status
        agreement.current_step = workflow.step_for_status(
            new_status, has_request_letter=has_letter, has_final_text=has_text
        )
        agreement.step_entered_at = timezone.now()
        if new_status in workflow.TERMINAL_STATUSES:
            agreement.closed_at = timezone.now()
    if save and changed is None:
        agreement.save()
    elif save:
        agreement.save(update_fields=[*MOVE_FIELDS, *changed])
    event = (record_event if save else timeline_event)(
        agreement,
        action=action,
        actor_user=actor_user,
        actor_kind=actor_kind,
        from_status=from_status,
        from_step=from_step,
        completed_step=spec.completes_step if completes else None,
        decision=decision,
        comment=comment,
        params=params,
    )
    return event


MOVE_FIELDS = ("status", "current_step", "step_entered_at", "closed_at", "updated_at")


_RECIPIENT_PERMISSIONS = {
    Recipient.DGCP: "agreements.approve_dictamen",
    Recipient.CJA: "agreements.issue_dictamen",
}


def _recipients(agreement: Agreement, roles: Iterable[Recipient]) -> list:
    """The filer (loaded with the locked case) and the active holders of the reviewing roles named in ``roles``
    (their ids, cached: ``permission_holder_ids``).

    A filer who can no longer act for the office (account deactivated, moved to another office) is replaced by
    the office's active members who may file, so a decision that concerns the office still reaches it.
    """
    permissions = [_RECIPIENT_PERMISSIONS[role] for role in roles if role in _RECIPIENT_PERMISSIONS]
    found: list = sorted(permission_holder_ids(permissions)) if permissions else []
    if Recipient.FILER in roles:
        filer = agreement.created_by
        if filer.is_active and filer.institution_id == agreement.institution_id:
            found.insert(0, filer)
        else:
            found[:0] = permission_holders("agreements.file_agreement", institution_id=agreement.institution_id)
    return found


def notify(agreement: Agreement, action: Action, *, notices=None, params=None, from_status=None) -> None:
    """Write the in-app notices the action's table entry declares (recipient -> event), every event's in one
    INSERT; e-mails go on commit.

    Each notice is its event's code with ``params`` (plain JSON), rendered in its reader's language. Called
    inside the service's transaction: a move that rolls back leaves no notice behind.
    """
    if notices is None:
        spec = ACTIONS[action]
        notices = spec.notices if from_status is None else spec.notices_from(from_status)
    by_event: dict[str, list[Recipient]] = {}
    for role, event in notices.items():
        by_event.setdefault(event, []).append(role)
    params = params or {}
    notification_send_many(
        notices=[
            (
                _recipients(agreement, roles),
                event,
                params if event in ATTACHING_EVENTS else {k: v for k, v in params.items() if k != "attachments"},
            )
            for event, roles in by_event.items()
        ],
        agreement=agreement,
        url=reverse("agreements:agreement_detail", args=[agreement.pk]),
    )


def refuse(action: Action, facts: CaseFacts, data=None) -> None:
    """Raise the table's first refusal of ``action`` (400, with every refused field)."""
    refusals = ACTIONS[action].refusals(facts, data)
    if refusals:
        field_errors: dict[str, list[str]] = {}
        for refusal in refusals:
            if refusal.field:
                field_errors.setdefault(refusal.field, []).append(refusal.message)
        raise ValidationFailed(refusals[0].message, field_errors=field_errors)
