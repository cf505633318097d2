"""Digital signatures on the signed copy (issue 13, item 8): checked with pyHanko on certificates made here."""

import asyncio

import pytest
from django.urls import reverse

from agreements.choices import SignatureStatus
from agreements.models import Document
from portal.core import signatures
from tests import documents, signing
from tests.cases import SIGNED_TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki():
    ca = signing.make_ca()
    return ca, signing.make_signer(ca)


@pytest.fixture(scope="module")
def signed_pdf(pki):
    ca, signer = pki
    return signing.sign_pdf(documents.pdf_bytes(SIGNED_TEXT), signer, ca)


@pytest.fixture
def trust(settings, tmp_path):
    def configure(*cas):
        paths = []
        for number, ca in enumerate(cas):
            path = tmp_path / f"root{number}.pem"
            path.write_bytes(ca.pem)
            paths.append(str(path))
        settings.PORTAL_SIGNATURE_TRUST_ROOTS = paths

    return configure


def test_a_valid_signature_is_intact_with_signer_name_rfc_and_time(signed_pdf, settings):
    settings.PORTAL_SIGNATURE_TRUST_ROOTS = []
    check = signatures.pdf_signature_check(signed_pdf)
    assert check.status == SignatureStatus.UNVERIFIED
    assert check.signer == "María Fernanda López Ruiz"
    assert check.rfc == "LORM800101AB1"
    assert check.signed_at is not None and check.count == 1
    assert check.label == "Firma íntegra; firmante no verificado contra una raíz de confianza configurada"


def test_a_tampered_signed_pdf_is_flagged(signed_pdf):
    assert signatures.pdf_signature_check(signing.tamper(signed_pdf)).status == SignatureStatus.INVALID


def test_an_unsigned_pdf_has_no_signature():
    check = signatures.pdf_signature_check(documents.pdf_bytes(SIGNED_TEXT))
    assert check.status == SignatureStatus.NONE and not check.signer


def test_garbage_with_a_byte_range_is_no_signature_not_a_crash():
    assert signatures.pdf_signature_check(b"%PDF-1.4\n/ByteRange [0 1 2 3] nonsense").status == SignatureStatus.NONE


def test_a_configured_root_makes_the_signer_trusted_and_another_root_does_not(signed_pdf, pki, trust):
    ca, _signer = pki
    trust(ca)
    assert signatures.pdf_signature_check(signed_pdf).status == SignatureStatus.TRUSTED
    trust(signing.make_ca("Otra autoridad"))
    assert signatures.pdf_signature_check(signed_pdf).status == SignatureStatus.UNTRUSTED


def test_the_check_works_where_an_asyncio_loop_is_running(signed_pdf):
    # As under Playwright or an ASGI server: pyHanko's own asyncio.run must not meet the running loop.
    async def inside_a_loop():
        return signatures.pdf_signature_check(signed_pdf)

    assert asyncio.run(inside_a_loop()).status == SignatureStatus.UNVERIFIED


def test_rfc_read_from_serial_number_when_there_is_no_unique_identifier(pki):
    ca, _signer = pki
    other = signing.make_signer(ca, name="Ente Público", rfc="", curp="GOB850101AB2")
    from asn1crypto import x509
    from cryptography.hazmat.primitives import serialization

    cert = x509.Certificate.load(other.cert.public_bytes(serialization.Encoding.DER))
    assert signatures.subject_fields(cert) == ("Ente Público", "GOB850101AB2")


def _signed_case(cases, content):
    case = cases.registration_requested(upload=documents.upload("firmado.pdf", content, "application/pdf"))
    return case, Document.objects.get(agreement=case, kind="signed_copy")


def test_the_upload_stores_the_result_and_the_cja_sees_it_beside_the_comparison(
    client, cases, cja, signed_pdf, settings
):
    settings.PORTAL_SIGNATURE_TRUST_ROOTS = []
    case, document = _signed_case(cases, signed_pdf)
    assert document.signature_status == SignatureStatus.UNVERIFIED
    assert (document.signature_signer, document.signature_rfc) == ("María Fernanda López Ruiz", "LORM800101AB1")
    assert document.signature_signed_at is not None
    assert "firma digital" in case.timeline.get(action="upload_signed_copy").detail
    client.force_login(cja)
    url = reverse("agreements:agreement_detail", args=[case.pk])
    page = client.get(url).content.decode()
    comparison = page[page.index('id="comparison"') :]
    assert 'data-status="unverified"' in comparison
    assert "Firma íntegra; firmante no verificado contra una raíz de confianza configurada" in comparison
    assert "LORM800101AB1" in comparison and "María Fernanda López Ruiz" in comparison
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Signature intact; signer not verified against a configured trust root" in english


def test_a_tampered_upload_is_flagged_to_the_cja_and_in_the_api(client, cases, cja, signed_pdf):
    case, document = _signed_case(cases, signing.tamper(signed_pdf))
    assert document.signature_status == SignatureStatus.INVALID
    client.force_login(cja)
    page = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert 'data-status="invalid"' in page and "Firma inválida" in page
    body = client.get(f"/api/v1/agreements/{case.pk}/").json()
    signed = next(d for d in body["documents"] if d["kind"] == "signed_copy")
    assert signed["signature_status"] == "invalid"


def test_an_unsigned_upload_says_so(client, cases, cja):
    case = cases.registration_requested()
    assert Document.objects.get(agreement=case, kind="signed_copy").signature_status == SignatureStatus.NONE
    client.force_login(cja)
    page = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert 'data-status="none"' in page and "Sin firma digital" in page
