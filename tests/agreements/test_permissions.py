"""Role x action x own/other institution, through the API: 404 for what a user may not see."""

import pytest
from rest_framework.test import APIClient

from tests import documents
from tests.factories import analyst, future_date

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


ACTIONS = {
    "submit": ("submit/", {}),
    "dictamen": ("dictamen/", {"outcome": "viable", "summary": "Procedente."}),
    "approve": ("dictamen/approve/", {}),
    "return_dictamen": ("dictamen/return/", {"comment": "Revisar."}),
    "register": (
        "registration/",
        {"registry_number": "R-9", "registered_on": "2020-01-01", "recommendations_incorporated": True},
    ),
    "return": ("return/", {"reason": "Corregir."}),
    "withdraw": ("withdraw/", {}),
}


@pytest.mark.parametrize(
    ("state", "actor", "action", "expected"),
    [
        ("with_documents", "local", "submit", 200),
        ("with_documents", "other_local", "submit", 404),
        ("with_documents", "dgcp", "submit", 404),  # a draft is invisible to reviewers
        ("with_documents", "analyst", "submit", 404),
        ("with_documents", "anonymous", "submit", 401),
        ("in_review", "cja", "dictamen", 201),
        ("in_review", "dgcp", "dictamen", 403),
        ("in_review", "local", "dictamen", 403),
        ("in_review", "other_local", "dictamen", 404),
        ("in_review", "cja", "approve", 403),
        ("dictamen_issued", "dgcp", "approve", 200),
        ("dictamen_issued", "cja", "approve", 403),
        ("dictamen_issued", "local", "approve", 403),
        ("dictamen_issued", "dgcp", "return_dictamen", 200),
        ("dictamen_issued", "cja", "dictamen", 409),
        ("in_review", "dgcp", "return", 200),
        ("in_review", "cja", "return", 200),
        ("in_review", "local", "return", 403),
        ("in_review", "dgcp", "approve", 409),
        ("in_review", "local", "withdraw", 200),
        ("in_review", "other_local", "withdraw", 404),
        ("in_review", "dgcp", "withdraw", 403),
        ("registration_requested", "local", "register", 403),
        ("registration_requested", "dgcp", "register", 403),
    ],
)
def test_permission_matrix(cases, local, dgcp, cja, other_local, state, actor, action, expected):
    case = getattr(cases, state)()
    users = {
        "local": local,
        "dgcp": dgcp,
        "cja": cja,
        "other_local": other_local,
        "analyst": analyst(),
        "anonymous": None,
    }
    path, payload = ACTIONS[action]
    response = api(users[actor]).post(f"/api/v1/agreements/{case.pk}/{path}", payload, format="json")
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("state", ["draft", "in_review"])
@pytest.mark.parametrize("who", ["local", "dgcp", "cja", "other_local", "analyst"])
def test_visibility_of_cases(cases, local, dgcp, cja, other_local, who, state):
    case = getattr(cases, state)()
    user = {"local": local, "dgcp": dgcp, "cja": cja, "other_local": other_local, "analyst": analyst()}[who]
    # Reviewers see every case that was sent, never an unsent draft.
    sees = who == "local" or (who in {"dgcp", "cja"} and state != "draft")
    detail = api(user).get(f"/api/v1/agreements/{case.pk}/")
    assert detail.status_code == (200 if sees else 404)
    listed = [row["id"] for row in api(user).get("/api/v1/agreements/").json()["results"]]
    assert (case.pk in listed) is sees


def test_html_case_page_of_another_institution_is_404(cases, client, other_local):
    case = cases.draft()
    client.force_login(other_local)
    assert client.get(f"/expedientes/{case.pk}/").status_code == 404
    response = client.post(f"/expedientes/{case.pk}/enviar/")
    assert response.status_code == 404


def test_documents_of_another_institution_cannot_be_uploaded(cases, other_local):
    case = cases.draft()
    response = api(other_local).post(
        f"/api/v1/agreements/{case.pk}/documents/",
        {"kind": "request_letter", "file": documents.pdf_upload()},
        format="multipart",
    )
    assert response.status_code == 404


def test_bad_api_input_is_400_with_field_messages(local):
    response = api(local).post(
        "/api/v1/agreements/",
        {
            "title": "X",
            "kind": "twinning",
            "counterpart_name": "Y",
            "counterpart_type": "government",
            "counterpart_country": "QQ",
            "themes": ["culture"],
            "intended_signing_date": future_date().isoformat(),
            "intended_signing_place": "Z",
            "entry_into_force": "on_signature",
            "term": "indefinite",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "counterpart_country" in response.json()["errors"]
    response = api(local).post("/api/v1/agreements/", {"kind": "nope"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["errors"]


def test_token_authentication_for_scripted_clients(local):
    from knox.models import AuthToken

    _token, secret = AuthToken.objects.create(user=local)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get("/api/v1/agreements/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token invalid")
    assert client.get("/api/v1/agreements/").status_code == 401


@pytest.mark.parametrize("role", ["cja", "dgcp"])
def test_a_reviewer_without_totp_cannot_act_with_a_token(cases, role, dgcp, cja):
    """The audit's finding: a non-demo reviewer without TOTP issued and approved a dictamen over the API."""
    from allauth.mfa.models import Authenticator
    from knox.models import AuthToken

    from agreements.models import Dictamen

    case = cases.in_review() if role == "cja" else cases.dictamen_issued()
    reviewer = {"cja": cja, "dgcp": dgcp}[role]
    reviewer.is_demo = False
    reviewer.save(update_fields=["is_demo"])
    path, data = {"cja": ACTIONS["dictamen"], "dgcp": ACTIONS["approve"]}[role]
    _token, secret = AuthToken.objects.create(user=reviewer)  # e.g. issued before TOTP was removed
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    before = (case.status, case.current_step, Dictamen.objects.count())

    response = client.post(f"/api/v1/agreements/{case.pk}/{path}", data, format="json")
    assert response.status_code == 401 and response.json()["code"] == "mfa_required"
    assert client.get("/api/v1/agreements/").status_code == 401
    case.refresh_from_db()
    assert (case.status, case.current_step, Dictamen.objects.count()) == before

    # With TOTP the same token works.
    Authenticator.objects.create(user=reviewer, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    assert client.get("/api/v1/agreements/").status_code == 200
