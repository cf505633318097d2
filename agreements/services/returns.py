"""Moves that send a case back or end it early: returned for corrections, not admissible, signed copy returned,
withdrawn by the filer."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.core.exceptions import ValidationFailed
from portal.core.limits import NOTE, check_length

from ..choices import DictamenStatus
from ..models import Agreement
from ..permissions import authorize
from ..workflow import Action
from .transitions import locked_case, notify
from .walk import apply_person_action

__all__ = [
    "agreement_mark_not_admissible",
    "agreement_return",
    "agreement_withdraw",
    "signed_copy_return",
]


def _return_with_reason(*, user, agreement_id, reason, action, required=True) -> Agreement:
    reason = (reason or "").strip()
    if required and not reason:
        msg = _("Escriba el motivo; la oficina local lo recibirá por correo.")
        raise ValidationFailed(msg, field_errors={"reason": [msg]})
    check_length("reason", reason, NOTE)
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, action, agreement)
        apply_person_action(agreement, action=action, actor_user=user, actor_kind=actor, comment=reason)
        notify(agreement, action, params={"reason": reason})
    return agreement


def agreement_return(*, user, agreement_id: int, reason: str) -> Agreement:
    return _return_with_reason(
        user=user, agreement_id=agreement_id, reason=reason, action=Action.RETURN_FOR_CORRECTIONS
    )


def agreement_mark_not_admissible(*, user, agreement_id: int, reason: str) -> Agreement:
    return _return_with_reason(user=user, agreement_id=agreement_id, reason=reason, action=Action.MARK_NOT_ADMISSIBLE)


def agreement_withdraw(*, user, agreement_id: int, reason: str = "") -> Agreement:
    """The filer withdraws the request; a dictamen still waiting for the DGCP's approval is voided with it
    (it leaves the DGCP's inbox and is never delivered)."""
    reason = (reason or "").strip()
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.WITHDRAW, agreement)
        agreement.dictamenes.filter(status=DictamenStatus.ISSUED).update(status=DictamenStatus.VOID)
        was = agreement.status
        apply_person_action(agreement, action=Action.WITHDRAW, actor_user=user, actor_kind=actor, comment=reason)
        notify(agreement, Action.WITHDRAW, params={"reason": reason}, from_status=was)
    return agreement


def signed_copy_return(*, user, agreement_id: int, reason: str) -> Agreement:
    return _return_with_reason(
        user=user,
        agreement_id=agreement_id,
        reason=reason,
        action=Action.RETURN_SIGNED_COPY,
    )
