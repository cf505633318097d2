"""The one place that decides who may do what on a case; buttons and services both ask it.

Three questions, always in this order, answered by pure functions of plain facts (:class:`Person`,
:class:`CaseRecord`) so the permission matrix is tested without a database:

1. *For which office may the person act?* Only through the roles (groups) they hold: the local office
   on its own institution's cases, the DGCP, the CJA. Being a superuser grants no workflow action.
2. *Does the person hold the action's one permission?* Each action names the single permission that
   grants it in ``actions.ACTIONS``; a permission grants one kind of decision and nothing else.
3. *Separation of duties*: one person never acts for both the CJA and the DGCP on the same case — who
   issued a dictamen does not approve it, who approved it does not register the agreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.utils.translation import gettext as _

from portal.core.exceptions import ApplicationError, Conflict, NotFound, PermissionDenied
from portal.institutions.choices import Role

from .actions import ACTIONS, HUMAN_ACTIONS
from .choices import ReviewerMove, Status
from .guards import CaseFacts
from .models import Agreement
from .visibility import case_visible
from .workflow import Action, Actor

# The office each role acts for in the procedure; other roles (analyst, administrator) act for none.
ROLE_OFFICES = {Role.LOCAL: Actor.LOCAL, Role.DGCP: Actor.DGCP, Role.CJA: Actor.CJA}
REVIEW_OFFICES = frozenset({Actor.DGCP, Actor.CJA})


@dataclass(frozen=True)
class Person:
    """What the rules need to know about a user: only what their groups grant."""

    pk: int | None
    institution_id: int | None = None
    offices: frozenset[Actor] = frozenset()
    perms: frozenset[str] = frozenset()  # "app.codename", through groups only


@dataclass(frozen=True)
class Act:
    """One decision recorded on the case's timeline: who, for which office, which action."""

    user_id: int
    office: str
    action: str


@dataclass(frozen=True)
class CaseRecord:
    """What the rules need to know about a case: its row facts and who acted for the SRE on it."""

    facts: CaseFacts
    institution_id: int | None
    acts: tuple[Act, ...] = ()

    def offices_of(self, user_id) -> frozenset[str]:
        return frozenset(act.office for act in self.acts if act.user_id == user_id)

    def last(self, action: Action) -> Act | None:
        found = [act for act in self.acts if act.action == action]
        return found[-1] if found else None


# --- the pure rules ------------------------------------------------------------


def acting_offices(person: Person, action: Action, case: CaseRecord) -> frozenset[Actor]:
    """The offices ``person`` could act for in ``action`` on ``case`` (questions 1 and 2)."""
    spec = ACTIONS[action]
    if not spec.permission or spec.permission not in person.perms:
        return frozenset()
    offices = spec.actors & person.offices
    if Actor.LOCAL in offices and (person.institution_id is None or person.institution_id != case.institution_id):
        offices -= {Actor.LOCAL}
    return frozenset(offices)


def duty_conflict(person: Person, office: Actor, action: Action, case: CaseRecord) -> str:
    """Why acting for ``office`` would break the separation of duties on ``case`` ("" when it does not)."""
    if office not in REVIEW_OFFICES:
        return ""
    other = Actor.CJA if office == Actor.DGCP else Actor.DGCP
    if other not in case.offices_of(person.pk):
        return ""
    issued, approved = case.last(Action.ISSUE_DICTAMEN), case.last(Action.APPROVE_DICTAMEN)
    deciding = action in (Action.APPROVE_DICTAMEN, Action.RETURN_DICTAMEN)
    if office == Actor.DGCP and deciding and issued and issued.user_id == person.pk:
        return _("Usted emitió este dictamen; otra persona de la DGCP debe aprobarlo.")
    registering = action in (Action.REGISTER, Action.RETURN_SIGNED_COPY)
    if office == Actor.CJA and registering and approved and approved.user_id == person.pk:
        return _("Usted aprobó la entrega del dictamen de este expediente; otra persona de la CJA debe inscribirlo.")
    if office == Actor.DGCP:
        return _(
            "Usted ya actuó en este expediente por la Consultoría Jurídica; otra persona de la DGCP debe hacerlo. "
            "Una misma persona no actúa por la CJA y por la DGCP en un expediente."
        )
    return _(
        "Usted ya actuó en este expediente por la DGCP; otra persona de la Consultoría Jurídica debe hacerlo. "
        "Una misma persona no actúa por la CJA y por la DGCP en un expediente."
    )


def verdict(person: Person, action: Action, case: CaseRecord) -> Actor | ApplicationError:
    """The office ``person`` acts for in ``action`` now, or the error to answer (403 role, 409 state, 403 duty)."""
    spec = ACTIONS[action]
    offices = acting_offices(person, action, case)
    if not offices:
        return PermissionDenied()
    if case.facts.status not in spec.sources or not spec.when(case.facts):
        return Conflict(code="transition_not_allowed")
    reasons = []
    for office in sorted(offices):
        reason = duty_conflict(person, office, action, case)
        if not reason:
            return office
        reasons.append(reason)
    return PermissionDenied(reasons[0], code="separation_of_duties")


def allowed(person: Person, case: CaseRecord, specs: Iterable = HUMAN_ACTIONS) -> frozenset[Action]:
    return frozenset(spec.action for spec in specs if isinstance(verdict(person, spec.action, case), Actor))


# --- named reviewers: who takes, releases and (re)assigns a case inside an office --------------

# The office whose inbox holds a case in each status (CJA: dictamen and registration; DGCP: approval).
REVIEWING_OFFICE = {
    Status.IN_REVIEW: Actor.CJA,
    Status.REGISTRATION_REQUESTED: Actor.CJA,
    Status.DICTAMEN_ISSUED: Actor.DGCP,
}
# The permission that makes a member the office's head (the «Titular» groups).
HEAD_PERMISSIONS = {Actor.CJA: "agreements.assign_cja_reviewer", Actor.DGCP: "agreements.assign_dgcp_reviewer"}
REVIEWER_FIELDS = {Actor.CJA: "cja_reviewer", Actor.DGCP: "dgcp_reviewer"}
REVIEWER_MOVES = (ReviewerMove.TAKE, ReviewerMove.RELEASE, ReviewerMove.ASSIGN)
# The decision the named reviewer is there to take: whoever could not take it (separation of duties) is not
# given the case.
DECIDING = {
    Status.IN_REVIEW: Action.ISSUE_DICTAMEN,
    Status.REGISTRATION_REQUESTED: Action.REGISTER,
    Status.DICTAMEN_ISSUED: Action.APPROVE_DICTAMEN,
}


def is_head(person: Person, office: Actor) -> bool:
    return office in person.offices and HEAD_PERMISSIONS[office] in person.perms


def reviewer_conflict(person: Person, status: str, case: CaseRecord | None) -> str:
    """Why ``person`` may not review the case now (they could not take its decision), "" when they may."""
    office = REVIEWING_OFFICE.get(status)
    if office is None or case is None:
        return ""
    return duty_conflict(person, office, DECIDING[status], case)


def reviewer_verdict(
    person: Person, move: ReviewerMove, status: str, reviewer_id: int | None, case: CaseRecord | None = None
) -> Actor | ApplicationError:
    """The office in which ``person`` may ``move`` a case in ``status`` whose reviewer there is ``reviewer_id``.

    403 for someone outside the office (a CJA member never takes a DGCP case), a non-head who would
    reassign or release another's case, or someone who may not take the case's decision (separation of
    duties, read from ``case``); 409 when the case is in no office's inbox or the move changes nothing.
    """
    office = REVIEWING_OFFICE.get(status)
    if office is None:
        if not person.offices & REVIEW_OFFICES:
            return PermissionDenied()
        return Conflict(_("El expediente no está en la bandeja de la CJA ni de la DGCP."), code="not_assignable")
    if office not in person.offices:
        return PermissionDenied()
    head = is_head(person, office)
    if move == ReviewerMove.ASSIGN:
        return office if head else PermissionDenied(_("Solo la persona titular de la oficina reasigna expedientes."))
    if move == ReviewerMove.TAKE:
        if reviewer_id == person.pk:
            return Conflict(_("El expediente ya está asignado a usted."), code="already_yours")
        if reviewer_id is not None and not head:
            return Conflict(_("Otra persona ya tomó este expediente."), code="already_taken")
        reason = reviewer_conflict(person, status, case)
        return PermissionDenied(reason, code="separation_of_duties") if reason else office
    if reviewer_id is None:
        return Conflict(_("El expediente no está asignado a nadie."), code="not_assigned")
    if reviewer_id != person.pk and not head:
        return PermissionDenied(_("Solo quien tiene el expediente o la persona titular puede liberarlo."))
    return office


def case_reviewer_id(agreement: Agreement) -> int | None:
    """The named reviewer of the office that holds ``agreement`` now (None when unassigned or in no inbox)."""
    office = REVIEWING_OFFICE.get(agreement.status)
    return getattr(agreement, f"{REVIEWER_FIELDS[office]}_id") if office else None


def available_reviewer_moves(user, agreement: Agreement) -> frozenset[ReviewerMove]:
    """The take / release / assign buttons drawn for ``user`` on ``agreement``."""
    person = person_of(user)
    if not person.offices & REVIEW_OFFICES:
        return frozenset()
    reviewer_id, case = case_reviewer_id(agreement), case_record(agreement)
    return frozenset(
        move
        for move in REVIEWER_MOVES
        if isinstance(reviewer_verdict(person, move, agreement.status, reviewer_id, case), Actor)
    )


def authorize_reviewer_move(user, move: ReviewerMove, agreement: Agreement) -> Actor:
    """Raise the error to answer (404, 403, 409) or return the office in which ``user`` moves ``agreement``."""
    if not case_visible(user, agreement):
        raise NotFound()
    result = reviewer_verdict(
        person_of(user), move, agreement.status, case_reviewer_id(agreement), case_record(agreement)
    )
    if isinstance(result, ApplicationError):
        raise result
    return result


def may_record_absences(user) -> bool:
    """Reviewers of the CJA or the DGCP record absences (their own, or as head their office's)."""
    return bool(person_of(user).offices & REVIEW_OFFICES)


def user_can_record_absence(user, reviewer) -> Actor | None:
    """The office in which ``user`` may record ``reviewer``'s absence: their own, or as the office's head."""
    person, other = person_of(user), person_of(reviewer)
    for office in sorted(person.offices & other.offices & REVIEW_OFFICES):
        if reviewer.pk == user.pk or is_head(person, office):
            return office
    return None


# --- loading the facts -----------------------------------------------------------


def person_of(user) -> Person:
    """The user's offices and permissions from their groups (read once per request and cached on ``user``)."""
    if not user.is_authenticated:
        return Person(pk=None)
    cached = getattr(user, "_workflow_person", None)
    if cached is None:
        perms = Permission.objects.filter(group__user=user).values_list("content_type__app_label", "codename")
        cached = Person(
            pk=user.pk,
            institution_id=user.institution_id,
            offices=frozenset(ROLE_OFFICES[r] for r in user.roles if r in ROLE_OFFICES),
            perms=frozenset(f"{app}.{codename}" for app, codename in perms),
        )
        user._workflow_person = cached
    return cached


def user_can_file(user) -> bool:
    """May ``user`` open a new case for their institution (the local office's role, not superuser status)?"""
    person = person_of(user)
    return Actor.LOCAL in person.offices and "agreements.file_agreement" in person.perms and bool(user.institution_id)


def row_facts(agreement: Agreement) -> CaseFacts:
    """The facts of the case row alone: enough for every action's ``when`` condition."""
    return CaseFacts(status=agreement.status, dictamen_outcome=agreement.dictamen_outcome)


def case_record(agreement: Agreement) -> CaseRecord:
    """The case's row facts and the SRE's acts on it (from the prefetched timeline when there is one)."""
    reviewers = {str(a) for a in REVIEW_OFFICES}
    if "timeline" in getattr(agreement, "_prefetched_objects_cache", {}):
        rows = [(e.actor_id, e.actor_role, e.action) for e in agreement.timeline.all()]
    else:
        rows = agreement.timeline.filter(actor_role__in=reviewers).order_by("created_at", "id")
        rows = rows.values_list("actor_id", "actor_role", "action")
    # Taking, releasing or assigning a case is not a decision on it: it never counts for the separation of duties.
    moves = set(ReviewerMove.values)
    acts = tuple(
        Act(uid, role, action)
        for uid, role, action in rows
        if uid is not None and role in reviewers and action not in moves
    )
    return CaseRecord(facts=row_facts(agreement), institution_id=agreement.institution_id, acts=acts)


def available_actions(user, agreement: Agreement) -> frozenset[Action]:
    """Actions ``user`` may take on ``agreement`` now (never automatic ones): the buttons drawn."""
    person = person_of(user)
    if not person.offices:
        return frozenset()
    return allowed(person, case_record(agreement))


def authorize(user, action: Action, agreement: Agreement) -> Actor:
    """Raise the error a client should see, or return the office ``user`` acts for.

    Order matters: a case the user may not see is 404; a move outside the user's roles is 403; a
    move the case's current state does not allow (someone else acted first) is 409; a move that
    would make one person act for both the CJA and the DGCP on the case is 403 with the reason.
    """
    if not case_visible(user, agreement):  # another office's case, or a draft for a reviewer
        raise NotFound()
    result = verdict(person_of(user), action, case_record(agreement))
    if isinstance(result, ApplicationError):
        raise result
    return result


# --- the registry after inscription ------------------------------------------


def may_request_termination(user, entry) -> bool:
    """The local office of the institution that signed ``entry`` notifies its termination."""
    person = person_of(user)
    return (
        Actor.LOCAL in person.offices
        and "agreements.request_termination" in person.perms
        and entry.institution_id is not None
        and entry.institution_id == person.institution_id
    )


def may_decide_termination(user) -> bool:
    """The CJA confirms a termination (it is inscribed) or returns it to the office."""
    person = person_of(user)
    return Actor.CJA in person.offices and "agreements.confirm_termination" in person.perms


def may_amend(user, entry) -> bool:
    """The office that signed ``entry`` files its modification or extension, unless it was terminated."""
    return (
        user_can_file(user)
        and entry.institution_id is not None
        and entry.institution_id == user.institution_id
        and entry.terminated_on is None
    )
