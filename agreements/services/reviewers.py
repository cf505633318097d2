"""Named reviewers inside the CJA and the DGCP: take, release and (re)assign a case; absences with a delegate.

Each move locks the case, asks ``permissions`` (the same function that draws the buttons), writes the
office's reviewer column and appends a timeline record naming who acted (and, in the comment, for whom).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.exceptions import NotFound, PermissionDenied, ValidationFailed, full_clean_or_fail
from portal.institutions.selectors import permission_holders
from portal.notifications.choices import NoticeEvent
from portal.notifications.services import notification_send

from ..actions import ACTIONS
from ..choices import ReviewerMove
from ..models import Agreement, ReviewerAbsence
from ..permissions import (
    REVIEWER_FIELDS,
    REVIEWING_OFFICE,
    authorize_reviewer_move,
    case_record,
    person_of,
    reviewer_conflict,
    user_can_record_absence,
)
from ..workflow import Action, Actor
from .transitions import locked_case, record_event

__all__ = ["office_members", "reviewer_absence_record", "reviewer_assign", "reviewer_release", "reviewer_take"]


def _name(user) -> str:
    return user.get_full_name() or user.email


def _set_reviewer(agreement: Agreement, *, office: Actor, reviewer, actor, move: ReviewerMove, about=None) -> None:
    setattr(agreement, REVIEWER_FIELDS[office], reviewer)
    agreement.save(update_fields=[REVIEWER_FIELDS[office], "updated_at"])
    record_event(
        agreement,
        action=move,
        actor_user=actor,
        actor_kind=office,
        from_status=agreement.status,
        from_step=agreement.current_step,
        comment=_name(about) if about is not None else "",
    )


def reviewer_take(*, user, agreement_id: int) -> Agreement:
    """``user`` becomes the case's reviewer in the office whose inbox holds it (a head may take it from another)."""
    with locked_case(agreement_id) as agreement:
        office = authorize_reviewer_move(user, ReviewerMove.TAKE, agreement)
        _set_reviewer(agreement, office=office, reviewer=user, actor=user, move=ReviewerMove.TAKE)
    return agreement


def reviewer_release(*, user, agreement_id: int) -> Agreement:
    """The case goes back to «Sin asignar» (by its reviewer or by the office's head)."""
    with locked_case(agreement_id) as agreement:
        office = authorize_reviewer_move(user, ReviewerMove.RELEASE, agreement)
        previous = getattr(agreement, REVIEWER_FIELDS[office])
        _set_reviewer(agreement, office=office, reviewer=None, actor=user, move=ReviewerMove.RELEASE, about=previous)
    return agreement


def office_members(office: Actor):
    """Active people who act for ``office`` (the assignable reviewers)."""
    permission = {Actor.CJA: ACTIONS[Action.ISSUE_DICTAMEN], Actor.DGCP: ACTIONS[Action.APPROVE_DICTAMEN]}[office]
    return permission_holders(permission.permission).order_by("first_name", "last_name", "email")


def reviewer_assign(*, user, agreement_id: int, reviewer_id: int) -> Agreement:
    """The office's head names the case's reviewer; the person named is told «Expediente asignado a usted»."""
    with locked_case(agreement_id) as agreement:
        office = authorize_reviewer_move(user, ReviewerMove.ASSIGN, agreement)
        reviewer = office_members(office).filter(pk=reviewer_id).first()
        if reviewer is None:
            message = _("La persona elegida no es revisora de esta oficina.")
            raise ValidationFailed(message, field_errors={"reviewer": [message]})
        if reviewer_conflict(person_of(reviewer), agreement.status, case_record(agreement)):
            message = _(
                "Esa persona ya actuó en este expediente por la otra oficina y no puede tomar esta decisión "
                "(separación de funciones)."
            )
            raise ValidationFailed(message, field_errors={"reviewer": [message]})
        if getattr(agreement, f"{REVIEWER_FIELDS[office]}_id") == reviewer.pk:
            message = _("El expediente ya está asignado a esa persona.")
            raise ValidationFailed(message, field_errors={"reviewer": [message]})
        _set_reviewer(agreement, office=office, reviewer=reviewer, actor=user, move=ReviewerMove.ASSIGN, about=reviewer)
        if reviewer.pk != user.pk:
            notification_send(
                recipients=[reviewer],
                event=NoticeEvent.REVIEWER_ASSIGNED,
                params={"by": user.get_full_name() or user.email},
                agreement=agreement,
                url=reverse("agreements:agreement_detail", args=[agreement.pk]),
            )
    return agreement


def reviewer_absence_record(
    *, user, reviewer_id: int, delegate_id: int, starts_on: dt.date, ends_on: dt.date
) -> ReviewerAbsence:
    """Record that a reviewer is away; their cases show in the delegate's «Míos» from ``starts_on`` to ``ends_on``.

    A reviewer records their own absence; the office's head records anyone's in the office. The delegate is
    another member of the same office. The cases the reviewer holds get a timeline record of the absence.
    """
    User = get_user_model()
    reviewer = User.objects.filter(pk=reviewer_id, is_active=True).first()
    if reviewer is None:
        raise NotFound()
    office = user_can_record_absence(user, reviewer)
    if office is None:
        raise PermissionDenied(_("Solo la persona revisora o la persona titular de su oficina registra su ausencia."))
    # Someone outside the office is no delegate: the model's clean() refuses a missing one in its words.
    delegate = office_members(office).filter(pk=delegate_id).first()
    absence = ReviewerAbsence(
        reviewer=reviewer, delegate=delegate, starts_on=starts_on, ends_on=ends_on, created_by=user
    )
    full_clean_or_fail(absence, only=(), validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        absence.save()
        field = REVIEWER_FIELDS[office]
        statuses = [status for status, holder in REVIEWING_OFFICE.items() if holder == office]
        # Names and dates only (no words): the timeline's label gives the reader's language.
        note = f"{_name(reviewer)} → {_name(delegate)} · {starts_on:%d/%m/%Y}–{ends_on:%d/%m/%Y}"
        for agreement in Agreement.objects.filter(**{field: reviewer, "status__in": statuses}).order_by("id"):
            record_event(
                agreement,
                action=ReviewerMove.ABSENCE,
                actor_user=user,
                actor_kind=office,
                from_status=agreement.status,
                from_step=agreement.current_step,
                comment=note,
            )
    return absence
