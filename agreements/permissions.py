"""The one place that decides who may do what on a case; buttons and services both ask it."""

from portal.core.exceptions import Conflict, NotFound, PermissionDenied

from .actions import ACTIONS, HUMAN_ACTIONS, CaseFacts
from .models import Agreement
from .visibility import case_visible
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


def row_facts(agreement: Agreement) -> CaseFacts:
    """The facts of the case row alone: enough for every action's ``when`` condition."""
    return CaseFacts(status=agreement.status, dictamen_outcome=agreement.dictamen_outcome)


def available_actions(user, agreement: Agreement) -> frozenset[Action]:
    """Actions ``user`` may take on ``agreement`` now (never automatic ones)."""
    kinds = actor_kinds(user, agreement)
    facts = row_facts(agreement)
    return frozenset(
        spec.action
        for spec in HUMAN_ACTIONS
        if agreement.status in spec.sources and spec.actors & kinds and spec.when(facts)
    )


def user_can(user, action: Action, agreement: Agreement) -> bool:
    return action in available_actions(user, agreement)


def authorize(user, action: Action, agreement: Agreement) -> Actor:
    """Raise the error a client should see, or return the actor ``user`` acts as.

    Order matters: a case the user may not see is 404; a move outside the user's role
    is 403; a move the case's current state does not allow (someone else acted first)
    is 409.
    """
    if not case_visible(user, agreement):  # another office's case, or a draft for a reviewer
        raise NotFound()
    kinds = actor_kinds(user, agreement)
    spec = ACTIONS[action]
    acting_as = spec.actors & kinds
    if not acting_as:
        raise PermissionDenied()
    if agreement.status not in spec.sources or not spec.when(row_facts(agreement)):
        raise Conflict(code="transition_not_allowed")
    return sorted(acting_as)[0]
