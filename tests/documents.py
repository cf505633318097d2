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
