"""The one place that decides who may do what on a case; buttons and services both ask it."""

from portal.core.exceptions import Conflict, NotFound, PermissionDenied

from . import workflow
from .models import Agreement
from .workflow import Action, Actor


def actor_kinds(user, agreement: Agreement) -> frozenset[Actor]:
    """The workflow actors ``user`` can act as on ``agreement``."""
    if not user.is_authenticated:
        return frozenset()
    kinds = set()
    if user.has_perm("agreements.file_agreement") and user.institution_id == agreement.institution_id:
        kinds.add(Actor.LOCAL)
    if user.has_perm("agreements.approve_dictamen"):
        kinds.add(Actor.DGCP)
    if user.has_perm("agreements.issue_dictamen") or user.has_perm("agreements.register_agreement"):
        kinds.add(Actor.CJA)
    return frozenset(kinds)


def user_can_see(user, agreement: Agreement) -> bool:
    return Agreement.objects.visible_to(user).filter(pk=agreement.pk).exists()


def _condition_holds(action: Action, agreement: Agreement) -> bool:
    if action == Action.SUBMIT_REVISION:
        return workflow.allows_revision(agreement.dictamen_outcome)
    if action == Action.ANSWER_OBSERVATION:
        return workflow.allows_revision(agreement.dictamen_outcome)
    return True


def available_actions(user, agreement: Agreement) -> frozenset[Action]:
    """Actions ``user`` may take on ``agreement`` now (never automatic ones)."""
    kinds = actor_kinds(user, agreement)
    return frozenset(
        move.action
        for move in workflow.MOVES.values()
        if not move.automatic
        and agreement.status in move.sources
        and move.actors & kinds
        and _condition_holds(move.action, agreement)
    )


def user_can(user, action: Action, agreement: Agreement) -> bool:
    return action in available_actions(user, agreement)


def authorize(user, action: Action, agreement: Agreement) -> Actor:
    """Raise the error a client should see, or return the actor ``user`` acts as.

    Order matters: a case the user may not see is 404; a move outside the user's role
    is 403; a move the case's current state does not allow (someone else acted first)
    is 409.
    """
    kinds = actor_kinds(user, agreement)
    if Actor.LOCAL not in kinds and not user.has_perm("agreements.view_all_agreements"):
        raise NotFound()
    move = workflow.MOVES[action]
    acting_as = move.actors & kinds
    if not acting_as:
        raise PermissionDenied()
    if agreement.status not in move.sources or not _condition_holds(action, agreement):
        raise Conflict(
            message=Conflict.default_message if agreement.status not in move.sources else None,
            code="transition_not_allowed",
        )
    return sorted(acting_as)[0]
