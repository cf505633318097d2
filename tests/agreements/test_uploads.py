"""Upload attacks: every file is checked by its content, not its name."""

import re

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


# Active content and appended data: each file is built here (pypdf / zipfile) and each must be refused.
HOSTILE = [
    ("request_letter", lambda: documents.pdf_open_action(S="/JavaScript", JS="app.alert(1)"), "JavaScript"),
    ("request_letter", documents.pdf_document_javascript, "JavaScript"),
    ("request_letter", documents.pdf_orphan_javascript, "JavaScript"),
    ("request_letter", lambda: documents.pdf_open_action(S="/Launch", F="calc.exe"), "Launch"),
    ("request_letter", lambda: documents.pdf_open_action(S="/URI", URI="https://ejemplo.invalid/"), "OpenAction/AA"),
    ("request_letter", documents.pdf_page_additional_action, "OpenAction/AA"),
    ("request_letter", documents.pdf_embedded_file, "archivos incrustados"),
    ("request_letter", documents.pdf_xfa_form, "formularios o multimedia activos"),
    ("request_letter", lambda: documents.pdf_with_trailing(documents.docx_bytes()), "después de su final (%%EOF)"),
    ("request_letter", lambda: documents.pdf_with_trailing(b"<script>alert(1)</script>"), "después de su final"),
    ("annex", documents.pdf_document_javascript, "JavaScript"),
    ("signed_copy", lambda: documents.pdf_open_action(S="/Launch", F="calc.exe"), "Launch"),
    ("final_text", documents.docx_remote_template, "plantilla externa"),
    ("final_text", lambda: documents.docx_external("image", "https://ejemplo.invalid/a.png"), "contenido externo"),
    ("final_text", lambda: documents.docx_external("oleObject", "file://servidor/c/x.xlsx"), "contenido externo"),
    ("final_text", lambda: documents.docx_external("image", "https://x.invalid/a.png", "&#69;xternal"), "externo"),
    ("final_text", documents.docx_embedded_ole, "OLE"),
    ("final_text", documents.docx_alt_chunk, "OLE"),
    ("final_text", documents.docx_with_dtd, "DTD"),
    ("final_text", lambda: documents.docx_with_trailing(documents.pdf_bytes()), "datos añadidos después de su final"),
    ("annex", documents.docx_remote_template, "plantilla externa"),
]


@pytest.mark.parametrize(("kind", "build", "fragment"), HOSTILE)
def test_active_content_and_appended_data_are_refused(kind, build, fragment):
    from portal.core.uploads import check_upload

    allowed = {"request_letter": ("application/pdf",), "signed_copy": ("application/pdf",)}.get(
        kind, ("application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    )
    if kind == "final_text":
        allowed = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)
    with pytest.raises(ValidationFailed) as error:
        check_upload(documents.upload("archivo", build()), allowed=allowed)
    assert fragment in str(error.value.message)
    assert error.value.field_errors == {"file": [error.value.message]}


@pytest.mark.parametrize(
    ("kind", "build", "fragment"), [h for h in HOSTILE if h[0] in ("request_letter", "final_text")]
)
def test_hostile_files_are_not_stored(cases, local, kind, build, fragment):
    case = cases.draft()
    name = "oficio.pdf" if kind == "request_letter" else "texto.docx"
    with pytest.raises(ValidationFailed, match=re.escape(fragment)):
        services.document_upload(user=local, agreement_id=case.pk, kind=kind, upload=documents.upload(name, build()))
    assert not Document.objects.filter(agreement=case).exists()


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("request_letter", documents.pdf_goto_open_action()),  # an opening view, not an action
        ("request_letter", documents.pdf_bytes() + b"\r\n"),  # an end-of-line after %%EOF is not trailing data
        ("final_text", documents.docx_hyperlink()),  # a link is followed only when clicked
    ],
)
def test_ordinary_files_are_still_accepted(cases, local, kind, content):
    case = cases.draft()
    document = services.document_upload(
        user=local, agreement_id=case.pk, kind=kind, upload=documents.upload("archivo", content)
    )
    assert document.pk


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("factura\u202efdp.exe", documents.pdf_bytes(), "facturafdp.pdf"),
        ("oficio.pdf.exe", documents.pdf_bytes(), "oficio.pdf.pdf"),
        ("../../etc/Oficio\x00 de\tsolicitud.PDF", documents.pdf_bytes(), "Oficio de solicitud.pdf"),
        ("Informe\u0301 \u2066final\u2069.docx", documents.docx_bytes(), "Informé final.docx"),
        ("texto.pdf", documents.docx_bytes(), "texto.docx"),
        ("\u202e\u200b", documents.pdf_bytes(), "documento.pdf"),
    ],
)
def test_names_are_normalised_and_take_the_real_extension(cases, local, name, content, expected):
    import unicodedata

    case = cases.draft()
    kind = "request_letter" if content.startswith(b"%PDF") else "final_text"
    document = services.document_upload(
        user=local, agreement_id=case.pk, kind=kind, upload=documents.upload(name, content)
    )
    assert document.original_name == expected
    assert unicodedata.is_normalized("NFC", document.original_name)


def test_the_name_cleaner_is_idempotent_and_leaves_nothing_invisible():
    import unicodedata

    from portal.core.uploads import clean_name, safe_filename

    for raw in ["a\u202eb\u200fc\u0007d\u2028e.exe", "  ..x\u0000y..  ", "e\u0301\u0301", "x" * 1000 + ".pdf"]:
        once = safe_filename(raw, content_type="application/pdf")
        assert safe_filename(once, content_type="application/pdf") == once
        assert clean_name(clean_name(raw)) == clean_name(raw)
        assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in once)
        assert once.endswith(".pdf") and len(once) <= 160


def test_a_name_stored_before_normalisation_is_served_clean(cases, client, local):
    case = cases.with_documents()
    document = case.documents.get(kind="request_letter")
    Document.objects.filter(pk=document.pk).update(original_name="factura\u202efdp.exe")
    client.force_login(local)
    response = client.get(f"/expedientes/{case.pk}/documentos/{document.pk}/descargar/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="facturafdp.pdf"'
