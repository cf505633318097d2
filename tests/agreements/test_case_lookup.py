"""Public status by folio: /consulta/ and GET /api/v1/lookup/{folio}/ tell anyone only where a sent case stands."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agreements import services
from agreements.choices import Status
from agreements.workflow import TERMINAL_STATUSES, situation
from tests.factories import admin_user, analyst, cja_reviewer, dgcp_reviewer, local_official

pytestmark = pytest.mark.django_db

FIELDS = {"folio", "step", "step_name", "reached_on", "situation", "situation_label"}
ROLES = ["anonymous", "filer", "other_office", "dgcp", "cja", "analyst", "admin"]
_addresses = (f"203.0.113.{n}" for n in itertools.count(1))


def _client(role, filer):
    client = APIClient(REMOTE_ADDR=next(_addresses))
    user = {
        "anonymous": None,
        "filer": filer,
        "other_office": local_official(),
        "dgcp": dgcp_reviewer(),
        "cja": cja_reviewer(),
        "analyst": analyst(),
        "admin": admin_user(),
    }[role]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_exactly_the_public_fields_to_every_role(role, cases, local):
    case = cases.in_review(title="Acuerdo secreto con la Ciudad de Kraków", counterpart_name="Ciudad de Kraków")
    response = _client(role, local).get(f"/api/v1/lookup/{case.folio}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == FIELDS
    assert body == {
        "folio": case.folio,
        "step": 7,
        "step_name": "Dictamen de procedencia",
        "reached_on": timezone.localdate(case.step_entered_at).isoformat(),
        "situation": "open",
        "situation_label": "En trámite",
    }
    assert "Kraków" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_answers_like_an_unknown_folio(role, cases, local):
    draft = cases.with_documents()
    client = _client(role, local)
    for folio in (draft.folio, "AII-2020-999999"):
        response = client.get(f"/api/v1/lookup/{folio}/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert set(response.json()) == {"detail", "code"}


@pytest.mark.parametrize("path", ["/api/v1/lookup/abc/", "/api/v1/lookup/AII-2026-%00/", "/consulta/x/"])
def test_a_malformed_folio_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_the_step_name_is_in_the_readers_language(cases):
    case = cases.in_review()
    body = APIClient().get(f"/api/v1/lookup/{case.folio.lower()}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["folio"] == case.folio
    assert body["step_name"] == "Legal opinion (dictamen de procedencia)"
    assert body["situation_label"] == "In progress"


def test_ended_cases_say_how_they_ended_and_where(cases, local, dgcp, run_on_commit):
    withdrawn = cases.in_review()
    run_on_commit(services.agreement_withdraw, user=local, agreement_id=withdrawn.pk, reason="Ya no se firmará.")
    refused = cases.in_review()
    run_on_commit(services.agreement_mark_not_admissible, user=dgcp, agreement_id=refused.pk, reason="Fuera de ámbito.")
    answers = {c.pk: APIClient().get(f"/api/v1/lookup/{c.folio}/").json() for c in (withdrawn, refused)}
    assert (answers[withdrawn.pk]["situation"], answers[withdrawn.pk]["step"]) == ("withdrawn", 7)
    assert answers[withdrawn.pk]["situation_label"] == "Retirado"
    assert answers[refused.pk]["situation"] == "not_admitted"


def test_a_closed_case_is_at_the_last_step(cases, cja, run_on_commit):
    case = cases.registration_requested()
    run_on_commit(
        services.agreement_register,
        user=cja,
        agreement_id=case.pk,
        registry_number="RAII-2026-0042",
        registered_on=services.today(),
        recommendations_incorporated=True,
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    body = APIClient().get(f"/api/v1/lookup/{case.folio}/").json()
    assert (body["step"], body["step_name"], body["situation"]) == (12, "Conclusión del expediente", "closed")
    assert set(body) == FIELDS  # the registry number is public elsewhere, but not part of this answer


def test_every_ended_status_has_a_situation():
    assert {situation(s) for s in TERMINAL_STATUSES} == {"closed", "withdrawn", "not_admitted"}
    assert situation(Status.NOT_VIABLE) == "closed"
    assert situation(Status.RETURNED) == "open"


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_the_page_shows_the_status_and_nothing_else(client, cases, language):
    case = cases.in_review(title="Acuerdo secreto con la Ciudad de Kraków")
    client.cookies["django_language"] = language
    response = client.get(reverse("agreements:case_lookup"), {"folio": case.folio}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert case.folio in html and "Kraków" not in html
    if language == "en":
        assert "Step 7 of 12: Legal opinion (dictamen de procedencia)" in html and "In progress" in html
    else:
        assert "Paso 7 de 12: Dictamen de procedencia" in html and "En trámite" in html


def test_the_page_refuses_drafts_unknown_and_malformed_folios(client, cases):
    draft = cases.draft()
    url = reverse("agreements:case_lookup")
    assert client.get(url).status_code == 200
    for folio in (draft.folio, "AII-2020-999999"):
        response = client.get(url, {"folio": folio})
        assert response.status_code == 404
        assert "No hay una solicitud enviada con el folio" in response.content.decode()
    response = client.get(url, {"folio": "<script>"})
    assert response.status_code == 400
    assert "AII-2026-000123" in response.content.decode()


@pytest.fixture
def lookup_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "lookup": "3/min"},
    }


def test_the_page_and_the_api_share_one_throttled_allowance(lookup_rate, cases):
    case = cases.in_review()
    client = APIClient(REMOTE_ADDR=next(_addresses))
    codes = [
        client.get(f"/api/v1/lookup/{case.folio}/").status_code,
        client.get(reverse("agreements:case_lookup"), {"folio": case.folio}).status_code,
        client.get(f"/api/v1/lookup/{case.folio}/").status_code,
    ]
    assert codes == [200, 200, 200]
    api = client.get(f"/api/v1/lookup/{case.folio}/")
    page = client.get(reverse("agreements:case_lookup"), {"folio": case.folio})
    assert api.status_code == page.status_code == 429
    assert 0 < int(api["Retry-After"]) <= 60 and 0 < int(page["Retry-After"]) <= 60
    assert "Demasiadas consultas" in page.content.decode()
    # Another address has its own allowance; the empty form is never counted.
    other = APIClient(REMOTE_ADDR=next(_addresses))
    assert other.get(f"/api/v1/lookup/{case.folio}/").status_code == 200
    assert client.get(reverse("agreements:case_lookup")).status_code == 200


def test_the_page_limit_keeps_counting_without_redis(lookup_rate, settings, cases):
    from tests.portal.test_without_redis import _closed_port

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.core.cache.FallbackRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    case = cases.in_review()
    client = APIClient(REMOTE_ADDR=next(_addresses))
    codes = [client.get(reverse("agreements:case_lookup"), {"folio": case.folio}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_lookup_is_in_the_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/lookup/{folio}/"]["get"]
    assert set(operation["responses"]) >= {"200", "404", "429"}
    component = schema["components"]["schemas"]["CaseLookup"]
    assert set(component["properties"]) == FIELDS


def test_the_public_pages_link_to_the_lookup(client):
    for url in (reverse("core:home"), reverse("agreements:registry_list")):
        assert f'href="{reverse("agreements:case_lookup")}"' in client.get(url).content.decode()
