"""Upload attacks: every file is checked by its content, not its name."""

import pytest

from agreements import services
from agreements.models import Document
from portal.core.exceptions import ValidationFailed
from tests import documents

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "name", "content", "fragment"),
    [
        ("request_letter", "oficio.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "no es un documento PDF"),
        ("request_letter", "oficio.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "no es un documento PDF"),
        ("request_letter", "oficio.pdf", documents.docx_bytes(), "no es un documento PDF"),  # a zip posing as PDF
        ("request_letter", "oficio.pdf", b"", "vacío"),
        ("request_letter", "oficio.pdf", documents.pdf_bytes()[:300], "incompleto o dañado"),
        ("request_letter", "oficio.pdf", b"%PDF-1.7\n garbage garbage\n%%EOF", "dañado"),
        ("final_text", "texto.docx", documents.pdf_bytes(), "Word"),
        ("final_text", "texto.docx", documents.zip_bomb_docx(), "bomba zip"),
        ("final_text", "texto.docx", documents.macro_docm(), "macros"),
        ("final_text", "texto.docx", b"PK\x03\x04 not really a zip", "dañado"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(cases, local, kind, name, content, fragment):
    case = cases.draft()
    with pytest.raises(ValidationFailed) as error:
        services.document_upload(user=local, agreement_id=case.pk, kind=kind, upload=documents.upload(name, content))
    assert fragment in str(error.value.message)
    assert not Document.objects.filter(agreement=case).exists()


def test_size_limit_is_configurable(cases, local, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1024
    case = cases.draft()
    with pytest.raises(ValidationFailed, match="máximo permitido"):
        services.document_upload(
            user=local, agreement_id=case.pk, kind="request_letter", upload=documents.pdf_upload(text="x" * 5000)
        )


def test_annex_needs_its_type(cases, local):
    case = cases.draft()
    with pytest.raises(ValidationFailed, match="tipo de anexo"):
        services.document_upload(user=local, agreement_id=case.pk, kind="annex", upload=documents.pdf_upload())


def test_valid_files_are_stored_outside_the_web_root_with_their_hash(cases, local, settings):
    import hashlib

    case = cases.draft()
    content = documents.docx_bytes("Texto final.")
    document = services.document_upload(
        user=local, agreement_id=case.pk, kind="final_text", upload=documents.upload("Texto Final.docx", content)
    )
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.extracted_text == "Texto final."
    assert document.file.path.startswith(settings.MEDIA_ROOT)
    assert "Texto Final" not in document.file.name  # stored under a random name
    assert not document.file.path.startswith(str(settings.STATIC_ROOT))


def test_downloads_are_attachments_for_authorised_users_only(cases, client, local, dgcp):
    from tests.factories import local_official

    case = cases.with_documents()
    document = case.documents.get(kind="request_letter")
    url = f"/expedientes/{case.pk}/documentos/{document.pk}/descargar/"
    client.force_login(local)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(local_official())  # another institution
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
