"""Real PDF and DOCX files made on the fly for upload tests."""

import io
import zipfile

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF


def pdf_bytes(text: str = "Oficio de solicitud dirigido a la DGCP.") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def docx_bytes(text: str = "Acuerdo de hermanamiento. Cláusula 1. Objeto.") -> bytes:
    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name="oficio.pdf", text="Oficio de solicitud dirigido a la DGCP."):
    return upload(name, pdf_bytes(text), "application/pdf")


def docx_upload(name="texto-final.docx", text="Acuerdo de hermanamiento. Cláusula 1. Objeto."):
    return upload(name, docx_bytes(text), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def zip_bomb_docx() -> bytes:
    """A .docx-shaped zip whose document.xml inflates to ~200 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                member.write(chunk)
    return buffer.getvalue()


def macro_docm() -> bytes:
    source = io.BytesIO(docx_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as target:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            target.writestr(item, data)
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0fake-vba")
    return out.getvalue()


# --- hostile files (the upload check must refuse each) ------------------------------------------------------------

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _pdf_writer():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes())))
    return writer


def _written(writer) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _action(**entries):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return DictionaryObject(
        {NameObject(f"/{k}"): (NameObject(v) if v.startswith("/") else TextStringObject(v)) for k, v in entries.items()}
    )


def pdf_open_action(**action) -> bytes:
    """A PDF whose catalogue runs ``action`` when it is opened."""
    from pypdf.generic import NameObject

    writer = _pdf_writer()
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(_action(**action))
    return _written(writer)


def pdf_document_javascript() -> bytes:
    """Document-level JavaScript in the catalogue's /Names tree (run on open by Acrobat)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = _pdf_writer()
    script = writer._add_object(_action(S="/JavaScript", JS="app.alert('hola');"))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("saludo"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    return _written(writer)


def pdf_page_additional_action() -> bytes:
    """A page whose /AA opens a URL when the page is shown."""
    from pypdf.generic import DictionaryObject, NameObject

    writer = _pdf_writer()
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _action(S="/URI", URI="https://ejemplo.invalid/")})
    return _written(writer)


def pdf_orphan_javascript() -> bytes:
    """A JavaScript action object that nothing references (still in the file; a reader may reach it)."""
    writer = _pdf_writer()
    writer._add_object(_action(S="/JavaScript", JS="app.alert(1)"))
    return _written(writer)


def pdf_embedded_file() -> bytes:
    writer = _pdf_writer()
    writer.add_attachment("factura.exe", b"MZ\x90\x00" + b"\x00" * 64)
    return _written(writer)


def pdf_xfa_form() -> bytes:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    writer = _pdf_writer()
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(
        DictionaryObject({NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): _action(x="<xdp/>")})
    )
    return _written(writer)


def pdf_with_trailing(extra: bytes) -> bytes:
    """A valid PDF with ``extra`` glued after its %%EOF (a PDF/ZIP polyglot when ``extra`` is a zip)."""
    return pdf_bytes() + extra


def pdf_goto_open_action() -> bytes:
    """Harmless: an /OpenAction that only shows the first page (what fpdf2 and most producers write)."""
    return pdf_open_action(S="/GoTo", D="1")


def docx_rewritten(extra_relationships: dict[str, str] | None = None, extra_parts: dict[str, bytes] | None = None):
    """A python-docx file with raw ``<Relationship>`` elements added to rels parts and extra parts written."""
    source = io.BytesIO(docx_bytes())
    out = io.BytesIO()
    extra_relationships = dict(extra_relationships or {})
    extra_parts = dict(extra_parts or {})
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename in extra_relationships:
                data = data.replace(
                    b"</Relationships>", extra_relationships.pop(item.filename).encode() + b"</Relationships>"
                )
            target.writestr(item, extra_parts.pop(item.filename, data))
        for name, relationship in extra_relationships.items():
            target.writestr(
                name,
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relationship}'
                "</Relationships>",
            )
        for name, data in extra_parts.items():
            target.writestr(name, data)
    return out.getvalue()


def docx_remote_template() -> bytes:
    """Template injection: settings.xml points Word to a remote macro template (.dotm) fetched on open."""
    return docx_rewritten(
        {
            "word/_rels/settings.xml.rels": f'<Relationship Id="rId1" Type="{REL}/attachedTemplate" '
            'Target="https://ejemplo.invalid/plantilla.dotm" TargetMode="External"/>'
        }
    )


def docx_external(kind: str, target: str, target_mode: str = "External") -> bytes:
    return docx_rewritten(
        {
            "word/_rels/document.xml.rels": f'<Relationship Id="rId99" Type="{REL}/{kind}" Target="{target}" '
            f'TargetMode="{target_mode}"/>'
        }
    )


def docx_embedded_ole() -> bytes:
    return docx_rewritten(
        {
            "word/_rels/document.xml.rels": f'<Relationship Id="rId99" Type="{REL}/oleObject" Target="embeddings/o.bin"/>'
        },
        {"word/embeddings/o.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100},
    )


def docx_alt_chunk() -> bytes:
    return docx_rewritten(
        {"word/_rels/document.xml.rels": f'<Relationship Id="rId99" Type="{REL}/aFChunk" Target="chunk.html"/>'},
        {"word/chunk.html": b"<html><body>texto ajeno</body></html>"},
    )


def docx_with_dtd() -> bytes:
    """Billion laughs in the main part."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    document = source.read("word/document.xml")
    laughs = b'<!DOCTYPE w [<!ENTITY a "jaja"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    document = document.replace(b"?>", b"?>" + laughs, 1)
    return docx_rewritten(extra_parts={"word/document.xml": document})


def docx_with_trailing(extra: bytes) -> bytes:
    return docx_bytes() + extra


def docx_hyperlink() -> bytes:
    """Harmless: an external hyperlink is only followed when the reader clicks it."""
    return docx_external("hyperlink", "https://www.gob.mx/sre")
