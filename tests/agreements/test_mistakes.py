"""Issue 9, "stop mistakes before they happen": each refusal through the API and the web pages."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agreements import services, workflow
from agreements.choices import Status
from agreements.models import Agreement
from tests import documents
from tests.factories import future_date

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _deadline(case):
    return f"{workflow.cja_deadline(case.intended_signing_date, services.non_working_days()):%d/%m/%Y}"


# --- late submission -----------------------------------------------------------------------


def test_a_late_request_without_urgency_is_refused_over_the_api(cases, local):
    case = cases.with_documents(intended_signing_date=future_date(3))
    response = api(local).post(f"/api/v1/agreements/{case.pk}/submit/")
    assert response.status_code == 400, response.content
    body = response.json()
    assert _deadline(case) in body["detail"] and "urgency_reason" in body["errors"]
    case.refresh_from_db()
    assert case.status == Status.DRAFT


def test_a_late_request_with_urgency_is_sent_and_recorded_late(cases, local, run_on_commit):
    case = cases.with_documents(intended_signing_date=future_date(3), urgency_reason="Visita oficial del alcalde.")
    response = run_on_commit(api(local).post, f"/api/v1/agreements/{case.pk}/submit/")
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW and not case.is_late
    assert case.timeline.get(action="compute_deadline").decision == "late"


def test_a_draft_past_its_deadline_says_so_and_the_form_names_the_date(client, cases, local):
    case = cases.with_documents(intended_signing_date=future_date(3))
    client.force_login(local)
    page = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert 'class="warning-box deadline-warning"' in page and _deadline(case) in page
    response = client.post(reverse("agreements:agreement_submit", args=[case.pk]), follow=True)
    assert _deadline(case) in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    timely = cases.with_documents()
    page = client.get(reverse("agreements:agreement_detail", args=[timely.pk])).content.decode()
    assert "deadline-warning" not in page


def test_the_filing_form_asks_for_urgency_through_a_static_script(client, local):
    client.force_login(local)
    html = client.get(reverse("agreements:agreement_create")).content.decode()
    assert 'id="field-urgency_reason"' in html and 'data-api="/api/v1/calendar/deadline/"' in html
    assert "js/agreement_form.js" in html and "<script>" not in html


# --- revision and observation answers -------------------------------------------------------


OBSERVATIONS = [{"text": "Precisar la vigencia", "clause": "2"}, {"text": "Nombrar el comité", "clause": "5"}]


def test_a_revision_waits_until_every_observation_has_an_answer(cases, local, run_on_commit):
    case = cases.awaiting_signature("viable_with_observations", OBSERVATIONS)
    revised = {"file": documents.docx_upload(text="Cláusula 2. Vigencia de tres años.")}
    response = api(local).post(f"/api/v1/agreements/{case.pk}/revision/", revised, format="multipart")
    assert response.status_code == 400, response.content  # was 200 (and answering afterwards a 409)
    assert "faltan 2" in response.json()["detail"]
    # the old route (a final text uploaded while awaiting signature) obeys the same rule
    response = api(local).post(
        f"/api/v1/agreements/{case.pk}/documents/",
        {"kind": "final_text", "file": documents.docx_upload(text="Cláusula 2. Vigencia de tres años.")},
        format="multipart",
    )
    assert response.status_code == 400 and "faltan 2" in response.json()["detail"]
    assert case.documents.filter(kind="final_text").count() == 1
    for number in (1, 2):
        answer = {"answer": "addressed", "reply": "Hecho."}
        assert api(local).post(f"/api/v1/agreements/{case.pk}/observations/{number}/answer/", answer).status_code == 200
    revised = {"file": documents.docx_upload(text="Cláusula 2. Vigencia de tres años.")}
    response = run_on_commit(api(local).post, f"/api/v1/agreements/{case.pk}/revision/", revised, format="multipart")
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.IN_REVIEW, 7)


def test_the_observation_answer_has_no_default(client, cases, local):
    case = cases.awaiting_signature("viable_with_observations", OBSERVATIONS[:1])
    client.force_login(local)
    page = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    select = page[page.index('id="answer-1"') : page.index("</select>", page.index('id="answer-1"'))]
    first_option = select[select.index("<option") : select.index("</option>")]
    assert 'value=""' in first_option  # the user must choose; «Atendida» used to come first and preselected
    response = client.post(
        reverse("agreements:observation_answer", args=[case.pk]), {"number": 1, "reply": "x"}, follow=True
    )
    assert response.status_code == 200
    assert case.dictamenes.get().observations.get().answer == "pending"
    refused = api(local).post(f"/api/v1/agreements/{case.pk}/observations/1/answer/", {"reply": "x"})
    assert refused.status_code == 400 and "answer" in refused.json()["errors"]


# --- signed copy -------------------------------------------------------------------------------

REVIEWED_WORDS = "Cláusula 1. Objeto. Cláusula 2. Vigencia de cinco años."


def _signature(**overrides):
    return {
        "file": documents.pdf_upload("firmado.pdf", REVIEWED_WORDS),
        "signed_on": services.today().isoformat(),
        "signed_place": "Kraków, Polonia",
        **overrides,
    }


def test_the_signing_date_cannot_precede_the_delivery_of_the_dictamen(cases, local):
    case = cases.awaiting_signature()
    before = (services.today() - dt.timedelta(days=1)).isoformat()
    response = api(local).post(
        f"/api/v1/agreements/{case.pk}/signature/", _signature(signed_on=before), format="multipart"
    )
    assert response.status_code == 400 and "signed_on" in response.json()["errors"]
    assert "entrega del dictamen" in response.json()["detail"]
    assert not case.documents.filter(kind="signed_copy").exists()


def test_a_low_text_match_must_be_confirmed_and_is_flagged_to_the_cja(client, cases, local, cja, run_on_commit):
    case = cases.awaiting_signature()
    unrelated = documents.pdf_upload("otro.pdf", "Factura de papelería del mes de marzo.")
    response = api(local).post(
        f"/api/v1/agreements/{case.pk}/signature/", _signature(file=unrelated), format="multipart"
    )
    assert response.status_code == 400, response.content  # was accepted with «Copia firmada recibida»
    assert "low_match_reason" in response.json()["errors"]
    case.refresh_from_db()
    assert case.status == Status.AWAITING_SIGNATURE and not case.documents.filter(kind="signed_copy").exists()

    confirmed = _signature(
        file=documents.pdf_upload("otro.pdf", "Factura de papelería del mes de marzo."),
        low_match_reason="Se firmó la versión en inglés.",
    )
    response = run_on_commit(api(local).post, f"/api/v1/agreements/{case.pk}/signature/", confirmed, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["signed_text_match"] < workflow.SIGNED_TEXT_MATCH_THRESHOLD
    case.refresh_from_db()
    assert case.status == Status.REGISTRATION_REQUESTED
    assert case.signed_text_match < workflow.SIGNED_TEXT_MATCH_THRESHOLD and case.low_text_match
    assert case.signed_text_note == "Se firmó la versión en inglés."

    client.force_login(cja)
    inbox = client.get(reverse("agreements:inbox_cja")).content.decode()
    assert f'id="low-match-{case.pk}"' in inbox
    page = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert page.index('id="low-match-warning"') < page.index('id="registration-form"')
    assert "Se firmó la versión en inglés." in page


def test_a_matching_signed_copy_needs_no_reason(cases):
    case = cases.registration_requested()
    assert case.signed_text_match >= workflow.SIGNED_TEXT_MATCH_THRESHOLD and not case.low_text_match
    assert case.signed_text_note == ""


# --- documents uploaded by mistake ---------------------------------------------------------------


def test_a_document_uploaded_by_mistake_is_removed_while_the_case_is_editable(client, cases, local):
    case = cases.with_documents()
    letter = case.documents.get(kind="request_letter")
    stored = letter.file.name
    client.force_login(local)
    with_remove = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert f'id="remove-{letter.pk}"' in with_remove
    response = client.post(reverse("agreements:document_remove", args=[case.pk, letter.pk]), follow=True)
    assert response.status_code == 200 and "Documento eliminado" in response.content.decode()
    case.refresh_from_db()
    assert not case.documents.filter(kind="request_letter").exists()
    assert case.current_step == 1  # a draft's step follows its documents
    event = case.timeline.get(action="remove_document")
    assert (event.decision, event.comment, event.actor) == ("request_letter", "oficio.pdf", local)
    assert stored


def test_a_document_is_replaced_keeping_its_kind_and_version(cases, local, run_on_commit):
    case = cases.with_documents()
    text = case.documents.get(kind="final_text")
    response = run_on_commit(
        api(local).post,
        f"/api/v1/agreements/{case.pk}/documents/{text.pk}/replace/",
        {"file": documents.docx_upload("corregido.docx", "Cláusula 1. Objeto corregido.")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    current = case.documents.get(kind="final_text")
    assert current.pk != text.pk and (current.version, current.original_name) == (1, "corregido.docx")
    assert case.timeline.filter(action="replace_document").count() == 1
    # a replacement of the wrong type is refused and changes nothing
    response = api(local).post(
        f"/api/v1/agreements/{case.pk}/documents/{current.pk}/replace/",
        {"file": documents.pdf_upload()},
        format="multipart",
    )
    assert response.status_code == 400
    assert case.documents.get(kind="final_text").pk == current.pk


def test_documents_cannot_be_removed_once_the_case_was_sent(cases, local, client):
    case = cases.in_review()
    letter = case.documents.get(kind="request_letter")
    response = api(local).post(f"/api/v1/agreements/{case.pk}/documents/{letter.pk}/remove/")
    assert response.status_code == 409
    assert case.documents.filter(pk=letter.pk).exists()
    client.force_login(local)
    page = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert f'id="remove-{letter.pk}"' not in page


def test_another_institutions_document_is_404(cases):
    from tests.factories import InstitutionFactory, local_official

    case = cases.with_documents()
    letter = case.documents.get(kind="request_letter")
    intruder = local_official(InstitutionFactory())
    response = api(intruder).post(f"/api/v1/agreements/{case.pk}/documents/{letter.pk}/remove/")
    assert response.status_code == 404
    assert Agreement.objects.get(pk=case.pk).documents.filter(pk=letter.pk).exists()


def test_the_refusals_read_in_english_in_the_english_interface(client, cases, local):
    case = cases.with_documents(intended_signing_date=future_date(3))
    client.force_login(local)
    page = client.get(reverse("agreements:agreement_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    html = page.decode()
    assert "The request had to reach the Legal Office (CJA) by" in html and _deadline(case) in html
    assert "Send the request (step 4)" in html and "La solicitud debía llegar" not in html
