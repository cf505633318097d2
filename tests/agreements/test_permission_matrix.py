"""Role x action x own/other institution x status, on the pure rules of ``permissions.py`` (no database).

The persons are built from the real role table (``portal.institutions.roles.ROLE_PERMISSIONS``); what each
role may do is written out here by hand, so a permission granted too widely (``register_agreement`` letting
a user issue dictámenes) or a role's action that no permission grants fails this test.
"""

import pytest

from agreements.actions import ACTIONS, HUMAN_ACTIONS, CaseFacts
from agreements.choices import DictamenOutcome, Status
from agreements.permissions import ROLE_OFFICES, Act, CaseRecord, Person, allowed, verdict
from agreements.workflow import Action, Actor
from portal.core.exceptions import Conflict, PermissionDenied
from portal.institutions.choices import Role
from portal.institutions.roles import ROLE_PERMISSIONS

A = Action
OWN, OTHER = 10, 20

LOCAL_ACTIONS = {
    A.UPLOAD_DOCUMENT,
    A.REPLACE_DOCUMENT,
    A.REMOVE_DOCUMENT,
    A.SUBMIT,
    A.ANSWER_OBSERVATION,
    A.SUBMIT_REVISION,
    A.UPLOAD_SIGNED_COPY,
    A.WITHDRAW,
}
EXPECTED = {
    "local": LOCAL_ACTIONS,
    "dgcp": {A.APPROVE_DICTAMEN, A.RETURN_DICTAMEN, A.RETURN_FOR_CORRECTIONS, A.MARK_NOT_ADMISSIBLE},
    "cja": {A.ISSUE_DICTAMEN, A.REGISTER, A.RETURN_SIGNED_COPY, A.RETURN_FOR_CORRECTIONS, A.MARK_NOT_ADMISSIBLE},
    "analyst": set(),
    "admin": set(),
    "superuser": set(),  # a superuser in no group: superuser status grants no workflow action
}
ROLE_OF = {"local": Role.LOCAL, "dgcp": Role.DGCP, "cja": Role.CJA, "analyst": Role.ANALYST, "admin": Role.ADMIN}


def person(*roles, pk=1, institution=OWN, perms=None):
    roles = [ROLE_OF[r] for r in roles]
    return Person(
        pk=pk,
        institution_id=institution,
        offices=frozenset(ROLE_OFFICES[r] for r in roles if r in ROLE_OFFICES),
        perms=frozenset(perms if perms is not None else (p for r in roles for p in ROLE_PERMISSIONS[r])),
    )


def case(status, *acts, outcome=DictamenOutcome.VIABLE_WITH_OBSERVATIONS):
    return CaseRecord(facts=CaseFacts(status=status, dictamen_outcome=outcome), institution_id=OWN, acts=acts)


@pytest.mark.parametrize("action", [spec.action for spec in HUMAN_ACTIONS])
@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_action_institution_status_matrix(role, where, action):
    who = Person(pk=1) if role == "superuser" else person(role, institution=OWN if where == "own" else OTHER)
    may = action in EXPECTED[role] and not (role == "local" and where == "other")
    for status in Status:
        result = verdict(who, action, case(status))
        if not may:
            assert isinstance(result, PermissionDenied), (status, result)
        elif status not in ACTIONS[action].sources:
            assert isinstance(result, Conflict), (status, result)
        else:
            assert result == ROLE_OFFICES[ROLE_OF[role]], (status, result)


EVERY_OFFICE = ("local", "dgcp", "cja")


@pytest.mark.parametrize(
    ("permission", "grants"),
    [
        ("agreements.file_agreement", LOCAL_ACTIONS),
        ("agreements.issue_dictamen", {A.ISSUE_DICTAMEN}),
        ("agreements.approve_dictamen", {A.APPROVE_DICTAMEN, A.RETURN_DICTAMEN}),
        ("agreements.register_agreement", {A.REGISTER, A.RETURN_SIGNED_COPY}),
        ("agreements.return_agreement", {A.RETURN_FOR_CORRECTIONS, A.MARK_NOT_ADMISSIBLE}),
        ("agreements.view_all_agreements", set()),
        ("agreements.view_agreement", set()),
    ],
)
def test_each_permission_grants_exactly_one_kind_of_decision(permission, grants):
    """Someone in every office holding only ``permission`` may do exactly what it grants, in any status."""
    who = person(*EVERY_OFFICE, perms={permission})
    granted = set().union(*(allowed(who, case(status)) for status in Status))
    assert granted == grants


def test_a_reviewer_without_return_agreement_cannot_return_a_case():
    """``return_agreement`` is checked: the CJA's other permissions do not let it return a case."""
    perms = set(ROLE_PERMISSIONS[Role.CJA]) - {"agreements.return_agreement"}
    who = person("cja", perms=perms)
    assert isinstance(verdict(who, A.RETURN_FOR_CORRECTIONS, case(Status.IN_REVIEW)), PermissionDenied)
    assert isinstance(verdict(who, A.MARK_NOT_ADMISSIBLE, case(Status.IN_REVIEW)), PermissionDenied)
    assert verdict(who, A.ISSUE_DICTAMEN, case(Status.IN_REVIEW)) == Actor.CJA


# --- separation of duties: one person holding both the CJA's and the DGCP's roles ------------------

BOTH = {"pk": 7, "institution": OTHER}


def test_who_issued_the_dictamen_cannot_approve_or_return_it():
    issued = case(Status.DICTAMEN_ISSUED, Act(7, "cja", A.ISSUE_DICTAMEN))
    for action in (A.APPROVE_DICTAMEN, A.RETURN_DICTAMEN):
        refusal = verdict(person("dgcp", "cja", **BOTH), action, issued)
        assert isinstance(refusal, PermissionDenied) and refusal.code == "separation_of_duties"
        assert "Usted emitió este dictamen; otra persona de la DGCP debe aprobarlo." in str(refusal.message)
        assert verdict(person("dgcp", pk=8, institution=OTHER), action, issued) == Actor.DGCP
    assert A.APPROVE_DICTAMEN not in allowed(person("dgcp", "cja", **BOTH), issued)


def test_who_approved_the_dictamen_cannot_register_the_agreement():
    approved = case(Status.REGISTRATION_REQUESTED, Act(3, "cja", A.ISSUE_DICTAMEN), Act(7, "dgcp", A.APPROVE_DICTAMEN))
    for action in (A.REGISTER, A.RETURN_SIGNED_COPY):
        refusal = verdict(person("dgcp", "cja", **BOTH), action, approved)
        assert isinstance(refusal, PermissionDenied), action
        assert "Usted aprobó la entrega del dictamen" in str(refusal.message)
    assert verdict(person("cja", pk=3, institution=OTHER), A.REGISTER, approved) == Actor.CJA


def test_who_acted_for_the_dgcp_cannot_issue_the_dictamen_but_still_acts_for_the_dgcp():
    returned = case(Status.IN_REVIEW, Act(7, "dgcp", A.RETURN_DICTAMEN))
    both = person("dgcp", "cja", **BOTH)
    refusal = verdict(both, A.ISSUE_DICTAMEN, returned)
    assert isinstance(refusal, PermissionDenied)
    assert "Usted ya actuó en este expediente por la DGCP" in str(refusal.message)
    # a move both offices may make is made for the office the person has not crossed
    assert verdict(both, A.RETURN_FOR_CORRECTIONS, returned) == Actor.DGCP
    assert allowed(both, returned) == {A.RETURN_FOR_CORRECTIONS, A.MARK_NOT_ADMISSIBLE}


def test_a_person_in_both_roles_acts_freely_on_a_case_they_have_not_touched():
    both = person("dgcp", "cja", **BOTH)
    assert verdict(both, A.ISSUE_DICTAMEN, case(Status.IN_REVIEW, Act(3, "dgcp", A.RETURN_DICTAMEN))) == Actor.CJA
    assert verdict(both, A.APPROVE_DICTAMEN, case(Status.DICTAMEN_ISSUED, Act(3, "cja", A.ISSUE_DICTAMEN))) == (
        Actor.DGCP
    )
