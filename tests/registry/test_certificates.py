"""The constancia de inscripción (issue 13, item 3): issued at step 12, public, verifiable by its SHA-256."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerUnavailable
from pypdf import PdfReader

from agreements.models import Document
from agreements.registry import selectors, services, tasks
from agreements.registry.certificates import certificate_pdf
from agreements.registry.models import RegistryCertificate, RegistryEntry
from agreements.registry.services import certificates
from portal.celery import app
from portal.notifications.models import Notification
from tests import documents, signing
from tests.cases import SIGNED_TEXT
from tests.factories import RegistryEntryFactory

pytestmark = pytest.mark.django_db

NUMBER = "RAII-2026-0042"


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _pdf(client, number=NUMBER) -> bytes:
    response = client.get(reverse("agreements:registry_certificate", args=[number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


@pytest.fixture
def closed(cases):
    return cases.closed(NUMBER)


def test_closing_the_case_issues_the_certificate_with_its_facts(client, closed, settings):
    certificate = RegistryCertificate.objects.get(entry__registry_number=NUMBER)
    signed = Document.objects.get(agreement=closed, kind="signed_copy")
    content = _pdf(client)  # public: no login
    assert hashlib.sha256(content).hexdigest() == certificate.sha256
    text = " ".join(_text(content).split())
    assert NUMBER in text
    assert signed.sha256 == certificate.signed_copy_sha256
    assert signed.sha256 in text.replace(" ", "")
    assert "Ciudad de Kraków" in text and "Hermanamiento" in text
    assert "Sin firma digital" in text  # the signed copy carried none
    assert f"/registro/acuerdo/{NUMBER}/" in text.replace(" ", "")
    # the QR code: one image, square
    images = [image for page in PdfReader(io.BytesIO(content)).pages for image in page.images]
    assert len(images) == 1 and images[0].image.width == images[0].image.height


def test_the_certificate_states_the_signature_check(client, cases):
    ca = signing.make_ca()
    signed_pdf = signing.sign_pdf(documents.pdf_bytes(SIGNED_TEXT), signing.make_signer(ca), ca)
    cases.closed(NUMBER, upload=documents.upload("firmado.pdf", signed_pdf, "application/pdf"))
    text = " ".join(_text(_pdf(client)).split())
    assert "firmante no verificado contra una raíz de confianza configurada" in text
    assert "LORM800101AB1" in text and "María Fernanda López Ruiz" in text


def test_issuing_twice_returns_the_same_certificate(closed):
    first = RegistryCertificate.objects.get(entry__registry_number=NUMBER)
    again = services.registry_certificate_issue(entry_id=first.entry_id)
    assert again.pk == first.pk and RegistryCertificate.objects.count() == 1


def test_an_entry_without_certificate_answers_404(client, corpus_entry):
    response = client.get(reverse("agreements:registry_certificate", args=[corpus_entry.registry_number]))
    assert response.status_code == 404
    detail = client.get(f"/api/v1/registry/{corpus_entry.registry_number}/").json()
    assert detail["certificate_url"] is None and detail["certificate_sha256"] is None


@pytest.fixture
def corpus_entry():
    from tests.registry.test_registry import csv_bytes

    assert services.registry_import(content=csv_bytes()).ok
    return RegistryEntry.objects.get(registry_number="R-002")  # imported: no certificate


def test_the_api_detail_exposes_the_certificate(client, closed):
    certificate = RegistryCertificate.objects.get()
    body = client.get(f"/api/v1/registry/{NUMBER}/").json()
    assert body["certificate_sha256"] == certificate.sha256
    assert body["certificate_url"] == reverse("agreements:registry_certificate", args=[NUMBER])
    listed = client.get("/api/v1/registry/").json()["results"][0]
    assert "certificate_url" not in listed  # the list stays one query


def test_the_entry_page_links_the_certificate_and_says_verified_only_for_its_hash(client, closed):
    certificate = RegistryCertificate.objects.get()
    url = reverse("agreements:registry_detail", args=[NUMBER])
    page = client.get(url).content.decode()
    assert reverse("agreements:registry_certificate", args=[NUMBER]) in page and certificate.sha256 in page
    assert 'id="certificate-verified"' not in page
    assert 'id="certificate-verified"' in client.get(url, {"constancia": certificate.sha256.upper()}).content.decode()
    assert 'id="certificate-verified"' not in client.get(url, {"constancia": "0" * 64}).content.decode()
    english = client.get(url, {"constancia": certificate.sha256}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Certificate of registration" in english and ">verified<" in english


VERIFY = "/verificar-constancia/"


def test_verifying_the_uploaded_pdf_matches(client, closed):
    content = _pdf(client)
    response = client.post(VERIFY, {"file": SimpleUploadedFile("constancia.pdf", content, "application/pdf")})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="certificate-verified"' in page and NUMBER in page
    assert f"?constancia={hashlib.sha256(content).hexdigest()}" in page


def test_a_changed_pdf_or_a_wrong_hash_does_not_verify(client, closed):
    content = bytearray(_pdf(client))
    content[-10] ^= 1
    response = client.post(VERIFY, {"file": SimpleUploadedFile("c.pdf", bytes(content), "application/pdf")})
    assert response.status_code == 404 and 'id="certificate-not-verified"' in response.content.decode()
    response = client.post(VERIFY, {"sha256": "ab" * 32}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "does not match any certificate issued by the portal" in response.content.decode()


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_pasted_hash_verifies_in_both_languages(client, closed, language):
    certificate = RegistryCertificate.objects.get()
    spaced = " ".join(certificate.sha256.upper()[i : i + 8] for i in range(0, 64, 8))
    response = client.get(VERIFY, {"sha256": spaced}, HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="certificate-verified"' in page
    assert ("Constancia verificada" if language == "es" else "Certificate verified") in page


@pytest.mark.parametrize(
    "data", [{"sha256": "no es un hash"}, {"sha256": "g" * 64}, {"sha256": "\x00" * 10}, {}, {"sha256": "a" * 500}]
)
def test_garbage_is_a_clear_400_not_a_500(client, data):
    response = client.post(VERIFY, data)
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()


def test_verification_is_throttled(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "lookup": "2/min"},
    }
    codes = [client.get(VERIFY, {"sha256": "a" * 64}).status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_the_form_page_renders(client):
    assert client.get(VERIFY).status_code == 200


def test_the_command_issues_missing_certificates_once(closed):
    from django.core.management import call_command

    RegistryCertificate.objects.all().delete()  # as if the case had closed before certificates existed
    out = io.StringIO()
    call_command("issue_registry_certificates", stdout=out)
    assert "Constancias emitidas: 1" in out.getvalue()
    assert RegistryCertificate.objects.filter(entry__registry_number=NUMBER).count() == 1
    call_command("issue_registry_certificates", stdout=out)
    assert "Constancias emitidas: 0" in out.getvalue() and RegistryCertificate.objects.count() == 1


def test_the_close_commits_before_the_certificate_and_the_catch_up_issues_a_lost_one(cases, monkeypatch):
    """Step 12 closes the case, publishes the entry and tells the filer and the DGCP without rendering the PDF;
    with the broker down the certificate's task is lost, and the beat's catch-up issues it."""

    def broker_down(*args, **kwargs):
        raise BrokerUnavailable("connection refused")

    monkeypatch.setattr(certificates.registry_certificate_issue_task, "delay", broker_down)
    case = cases.closed(NUMBER)
    entry = RegistryEntry.objects.get(registry_number=NUMBER)
    assert entry.agreement_id == case.pk and not RegistryCertificate.objects.exists()
    told = set(
        Notification.objects.filter(agreement=case, event__in=["closed", "closed_informed"]).values_list(
            "event", flat=True
        )
    )
    assert told == {"closed", "closed_informed"}
    schedule = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "agreements.registry.tasks.registry_certificates_catch_up_task" in schedule
    assert tasks.registry_certificates_catch_up_task() == 0  # too recent: its own task may still be on its way
    assert services.registry_certificates_catch_up(older_than=dt.timedelta(0)) == 1
    assert RegistryCertificate.objects.filter(entry=entry).count() == 1
    assert services.registry_certificates_catch_up(older_than=dt.timedelta(0)) == 0


def test_every_entry_inscribed_by_the_workflow_has_its_certificate(cases):
    for number in ("RAII-2026-0042", "RAII-2026-0043"):
        cases.closed(number)
    workflow_entries = RegistryEntry.objects.exclude(agreement=None)
    assert workflow_entries.count() == 2
    assert not workflow_entries.filter(certificate=None).exists()
    assert list(selectors.entries_missing_certificate()) == []


def test_two_certificates_in_a_row_are_each_valid_and_carry_their_own_number():
    """The fonts are parsed once per process and shared (issue 14): nothing of one certificate leaks into the next."""
    first, second = (
        RegistryEntryFactory.build(registry_number=number, counterpart_name=name)
        for number, name in (("RAII-2026-0101", "Ciudad de Kraków"), ("RAII-2026-0102", "Municipalidad de Łódź"))
    )
    pdfs = [
        certificate_pdf(
            entry=entry,
            signed_copy_sha256=hashlib.sha256(entry.registry_number.encode()).hexdigest(),
            signature_status="",
            signer="",
            rfc="",
            verify_url=f"https://portal.example/registro/acuerdo/{entry.registry_number}/",
        )
        for entry in (first, second)
    ]
    assert pdfs[0].sha256 != pdfs[1].sha256
    for pdf, own, other in zip(pdfs, (first, second), (second, first), strict=True):
        assert hashlib.sha256(pdf.content).hexdigest() == pdf.sha256
        reader = PdfReader(io.BytesIO(pdf.content))
        text = " ".join(_text(pdf.content).split())
        assert own.registry_number in text and own.counterpart_name in text
        assert other.registry_number not in text and other.counterpart_name not in text
        assert len([image for page in reader.pages for image in page.images]) == 1
        fonts = {
            font["/BaseFont"].split("+")[1] for page in reader.pages for font in page["/Resources"]["/Font"].values()
        }
        assert fonts == {"DejaVuSansBook", "DejaVuSansBold"}
