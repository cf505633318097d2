"""A full walk of the 12 steps through the REST API, as the three roles."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from rest_framework.test import APIClient

from agreements.models import Agreement
from agreements.registry.models import RegistryEntry
from agreements.registry.selectors import registered_agreements
from tests import documents
from tests.factories import future_date

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_full_walk_of_the_twelve_steps(local, dgcp, cja, django_capture_on_commit_callbacks):
    filer, dgcp_api, cja_api = api(local), api(dgcp), api(cja)

    with django_capture_on_commit_callbacks(execute=True):
        response = filer.post(
            "/api/v1/agreements/",
            {
                "title": "Memorándum de entendimiento con la OIM",
                "kind": "memorandum_of_understanding",
                "counterpart_name": "Organización Internacional para las Migraciones",
                "counterpart_type": "international_organization",
                "counterpart_country": "",
                "themes": ["migration", "training"],
                "intended_signing_date": future_date(45).isoformat(),
                "intended_signing_place": "Tapachula, Chiapas",
                "entry_into_force": "on_last_notification",
                "term": "fixed",
                "term_years": 2,
                "term_months": 6,
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    case = response.json()
    pk = case["id"]
    assert case["folio"].startswith("AII-") and case["status"] == "draft" and case["current_step"] == 1
    assert len(case["steps"]) == 12

    with django_capture_on_commit_callbacks(execute=True):
        r1 = filer.post(
            f"/api/v1/agreements/{pk}/documents/",
            {"kind": "request_letter", "file": documents.pdf_upload()},
            format="multipart",
        )
        r2 = filer.post(
            f"/api/v1/agreements/{pk}/documents/",
            {"kind": "final_text", "file": documents.docx_upload()},
            format="multipart",
        )
        r3 = filer.post(
            f"/api/v1/agreements/{pk}/documents/",
            {"kind": "annex", "annex_type": "budget_viability", "file": documents.pdf_upload("presupuesto.pdf")},
            format="multipart",
        )
    assert (r1.status_code, r2.status_code, r3.status_code) == (201, 201, 201)
    assert r3.json()["current_step"] == 4
    assert all(len(d["sha256"]) == 64 for d in r3.json()["documents"])

    with django_capture_on_commit_callbacks(execute=True):
        response = filer.post(f"/api/v1/agreements/{pk}/submit/")
    assert response.status_code == 200
    detail = filer.get(f"/api/v1/agreements/{pk}/").json()
    assert detail["status"] == "in_review" and detail["current_step"] == 7
    states = {s["number"]: s for s in detail["steps"]}
    assert [states[n]["state"] for n in range(1, 8)] == ["done"] * 6 + ["current"]
    assert states[5]["actor"] == "sistema" and states[6]["actor"] == "sistema"
    assert detail["cja_deadline"]

    with django_capture_on_commit_callbacks(execute=True):
        response = cja_api.post(
            f"/api/v1/agreements/{pk}/dictamen/",
            {
                "outcome": "viable_with_observations",
                "summary": "Procedente con recomendaciones.",
                "observations": [
                    {"text": "Precisar la vigencia.", "clause": "Cláusula 2"},
                    "Agregar cláusula de terminación.",
                ],
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    assert response.json()["current_step"] == 8

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = dgcp_api.post(
            f"/api/v1/agreements/{pk}/dictamen/approve/", {"cover_note": "Sin comentarios."}, format="json"
        )
    assert response.status_code == 200
    body = response.json()
    assert body["current_step"] == 9 and body["dictamen_outcome"] == "viable_with_observations"
    assert any(d["kind"] == "reply_letter" for d in body["documents"])
    filer_mail = [m for m in mail.outbox if local.email in m.to]
    assert filer_mail and "Procedente con observaciones" in filer_mail[0].body
    assert "Precisar la vigencia." in filer_mail[0].body

    for number in (1, 2):
        response = filer.post(
            f"/api/v1/agreements/{pk}/observations/{number}/answer/",
            {"answer": "addressed", "reply": "Se incorporó."},
            format="json",
        )
        assert response.status_code == 200
    answers = [o["answer"] for o in response.json()["dictamenes"][0]["observations"]]
    assert answers == ["addressed", "addressed"]

    signature = {
        "file": documents.pdf_upload("firmado.pdf", "Acuerdo de hermanamiento. Cláusula 1. Objeto."),
        "signed_on": future_date(0).isoformat(),
        "signed_place": "Tapachula, Chiapas",
    }
    # In force on the last notification between the parties: the filer states that date with the signed copy.
    response = filer.post(f"/api/v1/agreements/{pk}/signature/", signature, format="multipart")
    assert response.status_code == 400 and "entry_into_force_on" in response.json()["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        response = filer.post(
            f"/api/v1/agreements/{pk}/signature/",
            {
                **signature,
                "file": documents.pdf_upload("firmado.pdf", "Acuerdo de hermanamiento. Cláusula 1. Objeto."),
                "entry_into_force_on": future_date(0).isoformat(),
            },
            format="multipart",
        )
    assert response.status_code == 200, response.json()
    assert response.json()["entry_into_force_on"] == future_date(0).isoformat()
    assert filer.get(f"/api/v1/agreements/{pk}/").json()["current_step"] == 11  # step 10 walked by the task

    with django_capture_on_commit_callbacks(execute=True):
        response = cja_api.post(
            f"/api/v1/agreements/{pk}/registration/",
            {
                "registry_number": "AII-2026-0042",
                "registered_on": future_date(0).isoformat(),
                "recommendations_incorporated": True,
            },
            format="json",
        )
    assert response.status_code == 200, response.json()
    final = filer.get(f"/api/v1/agreements/{pk}/").json()
    assert final["status"] == "closed" and final["current_step"] is None
    assert [s["state"] for s in final["steps"]] == ["done"] * 12
    assert final["steps"][11]["actor"] == "sistema"

    entry = registered_agreements().get(registry_number="AII-2026-0042")
    assert entry.agreement_id == pk and entry.level == "state" and entry.state_id == "14"
    assert entry.region == "global"
    # Two years and six months from the last notification (today): the registry shows the last day in force.
    ends = future_date(0) + relativedelta(years=2, months=6) - dt.timedelta(days=1)
    assert entry.expires_on == ends and final["validity_ends_on"] == ends.isoformat()
    assert sorted(entry.themes.values_list("key", flat=True)) == ["migration", "training"]
    assert RegistryEntry.objects.count() == 1
    timeline = Agreement.objects.get(pk=pk).timeline.values_list("action", flat=True)
    for action in (
        "submit",
        "check_completeness",
        "compute_deadline",
        "issue_dictamen",
        "approve_dictamen",
        "upload_signed_copy",
        "request_registration",
        "register",
        "close",
    ):
        assert action in timeline


def test_calendar_deadline_endpoint(client):
    response = client.get("/api/v1/calendar/deadline/?signing_date=2025-09-29")
    assert response.status_code == 200
    assert response.json() == {
        "signing_date": "2025-09-29",
        "must_reach_cja_by": "2025-09-12",
        "business_days": 10,
        "is_past": True,
    }
    assert client.get("/api/v1/calendar/deadline/?signing_date=2025-02-30").status_code == 400
    assert client.get("/api/v1/calendar/deadline/").status_code == 400


def test_schema_and_docs_are_served(client):
    assert client.get("/api/v1/schema/").status_code == 200
    html = client.get("/api/v1/docs/").content.decode()
    assert "cdn." not in html and "jsdelivr" not in html
