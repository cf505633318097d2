"""Checks an uploaded file by its content, never by its name or declared type.

PDFs must parse with pypdf; Word files must be real, macro-free Office Open XML
documents that python-docx opens, checked for zip bombs before anything is inflated.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .exceptions import ValidationFailed

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MACRO_MARKERS = ("macroEnabled", "vbaProject", "vbaData")
MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_TEXT_PAGES = 200


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str
    size: int
    text: str


def _fail(message, field="file"):
    raise ValidationFailed(message, field_errors={field: [message]})


def check_upload(uploaded, *, allowed: tuple[str, ...], field: str = "file") -> CheckedFile:
    """Validate ``uploaded`` (a Django UploadedFile) as one of the ``allowed`` content types."""
    if uploaded is None:
        _fail(_("Adjunte un archivo."), field)
    limit = settings.PORTAL_MAX_UPLOAD_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        _fail(_("El archivo pesa más del máximo permitido (%(mb)s MB).") % {"mb": limit // (1024 * 1024)}, field)
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        _fail(_("El archivo pesa más del máximo permitido (%(mb)s MB).") % {"mb": limit // (1024 * 1024)}, field)
    if not content:
        _fail(_("El archivo está vacío (0 bytes)."), field)

    if content.startswith(b"%PDF-"):
        detected = PDF
    elif content.startswith(b"PK\x03\x04"):
        detected = DOCX
    else:
        detected = None

    expected = " o ".join(_("PDF") if t == PDF else _("Word (.docx)") for t in allowed)
    if detected not in allowed:
        _fail(_("El contenido del archivo no es un documento %(expected)s válido.") % {"expected": expected}, field)

    text = _pdf_text(content, field) if detected == PDF else _docx_text(content, field)
    return CheckedFile(
        content=content,
        content_type=detected,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        text=text,
    )


def _pdf_text(content: bytes, field: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    tail = content[-2048:]
    if b"%%EOF" not in tail:
        _fail(_("El PDF está incompleto o dañado (no termina correctamente). Vuelva a generarlo."), field)
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        if reader.is_encrypted:
            _fail(_("El PDF está protegido con contraseña; cargue una versión sin cifrar."), field)
        pages = reader.pages
        if len(pages) == 0:
            _fail(_("El PDF no tiene páginas."), field)
        chunks = [(page.extract_text() or "") for page in list(pages)[:MAX_TEXT_PAGES]]
    except ValidationFailed:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        _fail(_("El PDF está dañado y no se puede leer. Vuelva a generarlo."), field)
    return "\n".join(chunks).strip()


def _docx_text(content: bytes, field: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        _fail(_("El archivo Word está dañado y no se puede abrir."), field)
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        _fail(_("El archivo Word tiene una estructura anómala y fue rechazado."), field)
    total = sum(i.file_size for i in infos)
    compressed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or total / compressed > MAX_COMPRESSION_RATIO:
        _fail(_("El archivo Word se expande a un tamaño excesivo (posible bomba zip) y fue rechazado."), field)
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        _fail(_("El archivo no es un documento Word (.docx) válido."), field)
    content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    if any(marker in content_types for marker in MACRO_MARKERS) or any("vbaProject" in n for n in names):
        _fail(_("No se aceptan documentos con macros (.docm). Guarde el texto como .docx sin macros."), field)
    try:
        import docx

        document = docx.Document(io.BytesIO(content))
    except Exception:  # noqa: BLE001 - python-docx raises many types for broken packages
        _fail(_("El archivo Word está dañado y no se puede abrir."), field)
    return "\n".join(p.text for p in document.paragraphs).strip()
