"""Role x action x own/other institution x status, on the pure rules of ``permissions.py`` (no database), and
every human action posted through its HTML page by every role, on a real case.

The persons are built from the real role table (``portal.institutions.roles.ROLE_PERMISSIONS``); what each
role may do is written out here by hand, so a permission granted too widely (``register_agreement`` letting
a user issue dictámenes) or a role's action that no permission grants fails this test.
"""

from dataclasses import dataclass

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.urls import reverse

from agreements import services
from agreements.actions import ACTIONS, HUMAN_ACTIONS, CaseFacts
from agreements.choices import DictamenOutcome, DocumentKind, Status
from agreements.models import Agreement, Dictamen, Document, Observation, TimelineEvent
from agreements.permissions import ROLE_OFFICES, Act, CaseRecord, Person, allowed, verdict
from agreements.workflow import Action, Actor
from portal.core.exceptions import Conflict, PermissionDenied
from portal.institutions.choices import Role
from portal.institutions.roles import ROLE_PERMISSIONS
from tests import documents
from tests.cases import SIGNED_TEXT
from tests.support import matrix_people, permission_matrix, sign_in

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


# --- the HTML action endpoints: every action posted by every role, on a real case ---------------------------
#
# Who may act comes from the domain README ("who does what", "who sees what"), written out by hand: the
# filing office's own officials file, answer, send the signed copy and withdraw; the DGCP approves or returns
# the dictamen; the CJA issues it, inscribes the agreement or returns the signed copy; both may return a case
# for corrections or declare it not admitted; analysts and visitors act on nothing. A person who may not see
# the case (another office, an analyst; a reviewer before the case is sent) gets 404; one who sees it but may
# not act is refused with the permission message; an anonymous visitor is asked to sign in. Each cell posts
# valid data (the form is validated before authorising), so a refusal is the authorisation's.

HTML_ROLES = ("own", "other", "dgcp", "cja", "analyst", "anonymous")
FILER_ONLY = {"own"}
MAY_ACT = {
    A.UPLOAD_DOCUMENT: FILER_ONLY,
    A.REPLACE_DOCUMENT: FILER_ONLY,
    A.REMOVE_DOCUMENT: FILER_ONLY,
    A.SUBMIT: FILER_ONLY,
    A.ISSUE_DICTAMEN: {"cja"},
    A.APPROVE_DICTAMEN: {"dgcp"},
    A.RETURN_DICTAMEN: {"dgcp"},
    A.ANSWER_OBSERVATION: FILER_ONLY,
    A.SUBMIT_REVISION: FILER_ONLY,
    A.UPLOAD_SIGNED_COPY: FILER_ONLY,
    A.REGISTER: {"cja"},
    A.RETURN_SIGNED_COPY: {"cja"},
    A.RETURN_FOR_CORRECTIONS: {"dgcp", "cja"},
    A.MARK_NOT_ADMISSIBLE: {"dgcp", "cja"},
    A.WITHDRAW: FILER_ONLY,
}
PERMISSION_MESSAGE = "No tiene permiso para realizar esta acción."


@dataclass(frozen=True)
class Attempt:
    """A case ready for one action, where to post it, what to post and the status it must reach (``None``:
    the action records something without moving the case)."""

    case: Agreement
    path: str
    data: dict
    target: Status | None


def _returned(cases):
    case = cases.in_review()
    cases.run(services.agreement_return, user=cases.dgcp, agreement_id=case.pk, reason="Falta la firma del oficio.")
    case.refresh_from_db()
    return case


def _final_text(case) -> Document:
    return case.documents.filter(kind=DocumentKind.FINAL_TEXT).latest("version")


def _with_observations(cases, *, answered=False):
    observations = [{"clause": "Cláusula 2", "text": "Precisar la vigencia."}]
    case = cases.awaiting_signature(DictamenOutcome.VIABLE_WITH_OBSERVATIONS, observations)
    if answered:
        cases.run(services.observation_answer, user=cases.local, agreement_id=case.pk, number=1, answer="addressed")
    return case


def _upload_document(cases):
    return Attempt(cases.draft(), "documentos/", {"kind": "request_letter", "file": documents.pdf_upload()}, None)


def _replace_document(cases):
    case = _returned(cases)
    upload = documents.docx_upload(text="Cláusula 1. Objeto corregido. Cláusula 2. Vigencia de tres años.")
    return Attempt(case, f"documentos/{_final_text(case).pk}/reemplazar/", {"file": upload}, None)


def _remove_document(cases):
    case = _returned(cases)
    annex = cases.run(
        services.document_upload,
        user=cases.local,
        agreement_id=case.pk,
        kind="annex",
        annex_type="background",
        upload=documents.pdf_upload("antecedentes.pdf", "Antecedentes del proyecto."),
    )
    return Attempt(case, f"documentos/{annex.pk}/eliminar/", {}, None)


ATTEMPTS = {
    A.UPLOAD_DOCUMENT: _upload_document,
    A.REPLACE_DOCUMENT: _replace_document,
    A.REMOVE_DOCUMENT: _remove_document,
    A.SUBMIT: lambda cases: Attempt(cases.with_documents(), "enviar/", {}, Status.SUBMITTED),
    A.ISSUE_DICTAMEN: lambda cases: Attempt(
        cases.in_review(),
        "dictamen/",
        {"outcome": "viable", "summary": "El instrumento es procedente.", "observations": ""},
        Status.DICTAMEN_ISSUED,
    ),
    A.APPROVE_DICTAMEN: lambda cases: Attempt(
        cases.dictamen_issued(), "dictamen/aprobar/", {"cover_note": ""}, Status.AWAITING_SIGNATURE
    ),
    A.RETURN_DICTAMEN: lambda cases: Attempt(
        cases.dictamen_issued(), "dictamen/devolver/", {"comment": "Revise la cláusula 2."}, Status.IN_REVIEW
    ),
    A.ANSWER_OBSERVATION: lambda cases: Attempt(
        _with_observations(cases),
        "observaciones/responder/",
        {"number": 1, "answer": "addressed", "reply": "Se precisó la vigencia."},
        None,
    ),
    A.SUBMIT_REVISION: lambda cases: Attempt(
        _with_observations(cases, answered=True),
        "revision/",
        {"file": documents.docx_upload(text="Cláusula 1. Objeto. Cláusula 2. Vigencia de tres años.")},
        Status.IN_REVIEW,
    ),
    A.UPLOAD_SIGNED_COPY: lambda cases: Attempt(
        cases.awaiting_signature(),
        "firma/",
        {
            "file": documents.pdf_upload("firmado.pdf", SIGNED_TEXT),
            "signed_on": services.today().isoformat(),
            "signed_place": "Kraków, Polonia",
        },
        Status.SIGNED,
    ),
    A.REGISTER: lambda cases: Attempt(
        cases.registration_requested(),
        "registro/",
        {
            "registry_number": "RAII-2026-0777",
            "registered_on": services.today().isoformat(),
            "recommendations_incorporated": "on",
        },
        Status.INSCRIBED,
    ),
    A.RETURN_SIGNED_COPY: lambda cases: Attempt(
        cases.registration_requested(),
        "registro/devolver/",
        {"reason": "La copia firmada es ilegible."},
        Status.AWAITING_SIGNATURE,
    ),
    A.RETURN_FOR_CORRECTIONS: lambda cases: Attempt(
        cases.in_review(), "devolver/", {"reason": "Falta la firma del oficio."}, Status.RETURNED
    ),
    A.MARK_NOT_ADMISSIBLE: lambda cases: Attempt(
        cases.in_review(), "no-admitido/", {"reason": "No es un acuerdo interinstitucional."}, Status.NOT_ADMISSIBLE
    ),
    A.WITHDRAW: lambda cases: Attempt(cases.in_review(), "retirar/", {"reason": ""}, Status.WITHDRAWN),
}


def _state(case_pk: int) -> tuple:
    """Everything an action may change: the case's status and step, its documents, dictámenes, answers, timeline."""
    case = Agreement.objects.get(pk=case_pk)
    return (
        case.status,
        case.current_step,
        sorted(Document.objects.filter(agreement_id=case_pk).values_list("id", "kind", "version")),
        sorted(Dictamen.objects.filter(agreement_id=case_pk).values_list("id", "status")),
        sorted(Observation.objects.filter(dictamen__agreement_id=case_pk).values_list("id", "answer")),
        TimelineEvent.objects.filter(agreement_id=case_pk).count(),
    )


def test_the_html_matrix_covers_every_human_action():
    assert set(MAY_ACT) == set(ATTEMPTS) == {spec.action for spec in HUMAN_ACTIONS}


@pytest.mark.django_db
@permission_matrix({str(action): roles for action, roles in MAY_ACT.items()}, roles=HTML_ROLES)
def test_every_role_posting_every_action_through_its_page(client, cases, local, dgcp, cja, subject, role, may):
    attempt = ATTEMPTS[Action(subject)](cases)
    person = matrix_people(roles=HTML_ROLES, own=local, dgcp=dgcp, cja=cja)[role]
    before = _state(attempt.case.pk)
    sees = role == "own" or (role in {"dgcp", "cja"} and attempt.case.status != Status.DRAFT)

    sign_in(client, person)
    response = client.post(f"/expedientes/{attempt.case.pk}/{attempt.path}", attempt.data)

    after = _state(attempt.case.pk)
    said = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
    case_page = f"/expedientes/{attempt.case.pk}/"
    if may:
        assert (response.status_code, response.get("Location")) == (302, case_page)
        assert [level for level, _text in said] == [messages.SUCCESS], said
        assert after != before
        assert after[0] == (attempt.target or before[0])
        return
    assert after == before, "a refused action changed the case"
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    elif not sees:
        assert response.status_code == 404
    else:
        # The page answers a refusal by going back to the case with the reason (the API answers 403).
        assert (response.status_code, response.get("Location")) == (302, case_page)
        assert said == [(messages.ERROR, PERMISSION_MESSAGE)], said
