"""The acuse de recibo of step 4 (issue 13, item 1) and the reply letter on the filer's e-mail (step 8)."""

import hashlib
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agreements import services
from agreements.choices import DocumentKind
from portal.core.exceptions import Conflict
from tests.factories import local_official

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _stored(document) -> bytes:
    with document.file.open("rb") as f:
        return f.read()


def test_the_receipt_states_folio_office_time_documents_hashes_and_the_cja_date(cases, local):
    case = cases.in_review()
    receipt = case.documents.get(kind=DocumentKind.RECEIPT)
    content = _stored(receipt)
    assert receipt.sha256 == hashlib.sha256(content).hexdigest() and receipt.size == len(content)
    assert receipt.content_type == "application/pdf" and receipt.original_name == f"acuse-{case.folio}.pdf"
    text = _text(content)
    assert "ACUSE DE RECIBO" in text and f"Folio: {case.folio}" in text
    assert f"Dependencia: {case.institution.name}" in text
    sent = timezone.localtime(case.submitted_at)
    assert f"Fecha y hora de envío: {sent:%d/%m/%Y %H:%M}" in text
    assert f"Fecha en que la solicitud debe llegar a la CJA: {case.cja_deadline:%d/%m/%Y}" in text
    filed = case.documents.filter(kind__in=[DocumentKind.REQUEST_LETTER, DocumentKind.FINAL_TEXT])
    assert filed.count() == 2
    for document in filed:
        assert document.original_name in text
        assert f"SHA-256: {document.sha256}" in text
    assert "Oficio de solicitud (PDF)" in text and "Texto final acordado (Word)" in text


def test_the_receipt_goes_to_the_filer_s_e_mail_only(cases, local, dgcp, cja):
    case = cases.in_review()
    receipt = case.documents.get(kind=DocumentKind.RECEIPT)
    (filer_mail,) = [m for m in mail.outbox if m.to == [local.email]]
    ((name, content, mimetype),) = filer_mail.attachments
    assert (name, mimetype) == (f"acuse-{case.folio}.pdf", "application/pdf")
    assert hashlib.sha256(content).hexdigest() == receipt.sha256
    assert receipt.sha256 in filer_mail.body
    for document in case.documents.exclude(kind=DocumentKind.RECEIPT):
        assert document.sha256 in filer_mail.body
    others = [m for m in mail.outbox if m.to != [local.email]]
    assert {m.to[0] for m in others} == {dgcp.email, cja.email}
    assert all(m.attachments == [] for m in others)
    notice = local.notifications.get(event="receipt")
    assert notice.params["attachments"] == [receipt.pk]
    assert "attachments" not in dgcp.notifications.get(event="submitted").params


def test_whoever_may_see_the_case_downloads_the_receipt_and_nobody_else(cases, client, local, dgcp, cja):
    case = cases.in_review()
    receipt = case.documents.get(kind=DocumentKind.RECEIPT)
    url = reverse("agreements:document_download", args=[case.pk, receipt.pk])
    for person in (local, local_official(institution=local.institution), dgcp, cja):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, person
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == receipt.sha256
    client.force_login(local_official())
    assert client.get(url).status_code == 404
    client.force_login(local)
    page = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert url in page and receipt.sha256 in page


def test_the_receipt_cannot_be_removed(cases, run_on_commit, local, dgcp):
    case = cases.in_review()
    run_on_commit(services.agreement_return, user=dgcp, agreement_id=case.pk, reason="Falta la firma.")
    receipt = case.documents.get(kind=DocumentKind.RECEIPT)
    with pytest.raises(Conflict):
        services.document_remove(user=local, agreement_id=case.pk, document_id=receipt.pk)


def test_a_second_submission_gets_its_own_receipt(cases, run_on_commit, local, dgcp):
    case = cases.in_review()
    run_on_commit(services.agreement_return, user=dgcp, agreement_id=case.pk, reason="Falta la firma.")
    run_on_commit(services.agreement_submit, user=local, agreement_id=case.pk)
    assert case.documents.filter(kind=DocumentKind.RECEIPT).count() == 2
    assert local.notifications.filter(event="receipt").count() == 2


def test_the_reply_letter_is_attached_to_the_filer_s_e_mail_only(cases, local, dgcp, cja):
    case = cases.dictamen_issued()
    mail.outbox.clear()
    cases.run(services.dictamen_approve, user=dgcp, agreement_id=case.pk, cover_note="")
    letter = case.documents.get(kind=DocumentKind.REPLY_LETTER)
    (delivered,) = [m for m in mail.outbox if m.to == [local.email]]
    ((name, content, mimetype),) = delivered.attachments
    assert (name, mimetype) == (f"respuesta-{case.folio}.pdf", "application/pdf")
    assert hashlib.sha256(content).hexdigest() == letter.sha256
    assert case.folio in _text(content)
    assert all(m.attachments == [] for m in mail.outbox if m.to != [local.email])
