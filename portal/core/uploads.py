"""Checks an uploaded file by its content, never by its name or declared type.

PDFs must parse with pypdf, end at their last ``%%EOF`` and carry no active content (JavaScript, automatic
actions, launch actions, embedded files, forms that submit or import). Word files must be real, macro-free
Office Open XML documents that python-docx opens, checked for zip bombs before anything is inflated, ending at
the archive's end, with no DTDs, no embedded OLE objects or foreign chunks and no external relationship other
than a hyperlink (a remote template, linked object or image is fetched when the file is opened).
The name shown and served is normalised: Unicode NFC, no control or bidirectional characters, and the extension
of the type the content really has.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
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
MAX_PDF_OBJECTS = 200_000  # objects inspected for active content; a file with more is refused as anomalous
EXTENSIONS = {PDF: "pdf", DOCX: "docx"}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str
    size: int
    text: str
    name: str  # the display name, normalised, with the extension of ``content_type``


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
        name=safe_filename(getattr(uploaded, "name", "") or "", content_type=detected),
    )


# --- names -------------------------------------------------------------------------------------------------------

# Characters that change how a name reads without being seen: format (bidi overrides such as U+202E, zero-width
# characters), control, line/paragraph separators, surrogates and unassigned code points.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
MAX_NAME_CHARS = 150


def clean_name(name: str) -> str:
    """``name`` in NFC without invisible characters, path parts or surrounding dots and spaces (idempotent)."""
    name = unicodedata.normalize("NFC", str(name))
    name = "".join(" " if ch.isspace() else ch for ch in name)  # tabs and line breaks separate words
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    name = re.split(r"[/\\]", name)[-1]
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    return name.strip(" .")


def safe_filename(name: str, *, content_type: str) -> str:
    """The name a document is shown and served under: clean, with the extension its content really has.

    ``factura\u202efdp.exe`` (shown by a bidi-aware screen as "facturaexe.pdf") becomes ``facturafdp.pdf``.
    """
    stem = _EXTENSION.sub("", clean_name(name))[:MAX_NAME_CHARS].strip(" .") or "documento"
    extension = EXTENSIONS.get(content_type)
    return f"{stem}.{extension}" if extension else stem


def _pdf_text(content: bytes, field: str) -> str:
    # pypdf, lxml and python-docx are loaded where a file is checked, not with the module: each adds 6-25 MB of
    # RSS to every web and worker process (the bench's export worker is held to 150 MB).
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if b"%%EOF" not in content:
        _fail(_("El PDF está incompleto o dañado (no termina correctamente). Vuelva a generarlo."), field)
    if content[content.rindex(b"%%EOF") + 5 :].strip(b" \t\r\n\f\x00"):
        _fail(
            _(
                "El PDF tiene datos añadidos después de su final (%%EOF), como otro archivo pegado al documento. "
                "Vuelva a generarlo desde el original."
            ),
            field,
        )
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        if reader.is_encrypted:
            _fail(_("El PDF está protegido con contraseña; cargue una versión sin cifrar."), field)
        _pdf_refuse_active_content(reader, field)
        pages = reader.pages
        if len(pages) == 0:
            _fail(_("El PDF no tiene páginas."), field)
        chunks = [(page.extract_text() or "") for page in list(pages)[:MAX_TEXT_PAGES]]
    except ValidationFailed:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        _fail(_("El PDF está dañado y no se puede leer. Vuelva a generarlo."), field)
    return "\n".join(chunks).strip()


# What a PDF reader runs or opens by itself. Names are compared after pypdf decodes them (``/J#61vaScript`` too).
_PDF_JAVASCRIPT = {"/JS", "/JavaScript"}
_PDF_EMBEDDED = {"/EmbeddedFiles", "/EmbeddedFile", "/EF", "/FileAttachment"}
_PDF_ACTIVE = {"/XFA", "/RichMedia", "/RichMediaExecute", "/SubmitForm", "/ImportData", "/GoToE", "/Sound", "/Movie"}


def _pdf_refuse_active_content(reader, field: str) -> None:
    """Refuse a PDF any of whose objects (reachable or not, in object streams too) holds active content."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    stack = [reader.trailer]
    for generation, ids in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in ids)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen, visited = set(), 0
    while stack:
        value = stack.pop()
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            value = value.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            _fail(_("El PDF tiene una estructura anómala (demasiados objetos) y fue rechazado."), field)
        if isinstance(value, DictionaryObject | StreamObject):
            _pdf_check_dictionary(value, field)
            stack.extend(value.values())
        elif isinstance(value, ArrayObject):
            stack.extend(value)


def _pdf_check_dictionary(dictionary, field: str) -> None:
    from pypdf.generic import DictionaryObject

    names = {str(k) for k in dictionary}
    kinds = {str(dictionary.get(k, "")) for k in ("/S", "/Type", "/Subtype")}
    if names & _PDF_JAVASCRIPT or "/JavaScript" in kinds:
        _fail(_("El PDF contiene código JavaScript. No se aceptan documentos con contenido activo."), field)
    if "/Launch" in names or "/Launch" in kinds:
        _fail(
            _("El PDF intenta abrir programas o archivos externos (acción Launch). No se aceptan documentos así."),
            field,
        )
    if names & _PDF_EMBEDDED or kinds & _PDF_EMBEDDED:
        _fail(_("El PDF lleva archivos incrustados. Cargue solo el documento, sin archivos adjuntos."), field)
    if names & _PDF_ACTIVE or kinds & _PDF_ACTIVE:
        _fail(
            _("El PDF contiene formularios o multimedia activos (XFA, envío de datos). Cárguelo como PDF plano."),
            field,
        )
    open_action = dictionary.get("/OpenAction")
    if open_action is not None:
        open_action = open_action.get_object()
    # An /OpenAction that only says which page to show (a destination, or a GoTo) is what most producers write.
    automatic = "/AA" in names or (
        isinstance(open_action, DictionaryObject) and str(open_action.get("/S", "")) != "/GoTo"
    )
    if automatic:
        _fail(
            _(
                "El PDF ejecuta acciones automáticas al abrirse o al recorrerlo (OpenAction/AA). "
                "No se aceptan documentos con contenido activo."
            ),
            field,
        )


# Relationship types that pull foreign content into a Word file even when it is stored inside.
_DOCX_FOREIGN_RELATIONSHIPS = ("/oleObject", "/aFChunk", "/attachedTemplate", "/subDocument")


def _zip_end(content: bytes) -> int | None:
    """Where the archive's end-of-central-directory record (with its comment) ends, or None."""
    position = content.rfind(b"PK\x05\x06", max(0, len(content) - 22 - 65535))
    if position < 0 or position + 22 > len(content):
        return None
    (comment_length,) = struct.unpack("<H", content[position + 20 : position + 22])
    return position + 22 + comment_length


def _relationships(data: bytes, field: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        _fail(_("El archivo Word está dañado y no se puede abrir."), field)
    return [element for element in root.iter() if etree.QName(element).localname == "Relationship"]


def _docx_refuse_foreign_content(archive, infos, field: str) -> None:
    for info in infos:
        name = info.filename
        if not name.endswith((".xml", ".rels")):
            continue
        data = archive.read(name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            _fail(_("El archivo Word contiene declaraciones XML no permitidas (DTD) y fue rechazado."), field)
        if not name.endswith(".rels"):
            continue
        for element in _relationships(data, field):
            attributes = element.attrib
            kind = attributes.get("Type", "")
            external = attributes.get("TargetMode", "").lower() == "external"
            if external and kind.endswith("/attachedTemplate"):
                _fail(
                    _(
                        "El archivo Word depende de una plantilla externa que se descargaría al abrirlo. Copie el "
                        "texto en un documento nuevo en blanco y guárdelo como .docx."
                    ),
                    field,
                )
            if external and not kind.endswith("/hyperlink"):
                _fail(
                    _(
                        "El archivo Word enlaza contenido externo (una plantilla, un objeto o una imagen remotos) "
                        "que se descargaría al abrirlo. Guárdelo de nuevo con todo su contenido incluido."
                    ),
                    field,
                )
            if kind.endswith(_DOCX_FOREIGN_RELATIONSHIPS):
                _fail(
                    _(
                        "El archivo Word contiene objetos incrustados de otros programas (OLE) o documentos "
                        "ajenos. Guárdelo como .docx con solo texto, tablas e imágenes."
                    ),
                    field,
                )


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
    if _zip_end(content) != len(content):
        _fail(
            _(
                "El archivo Word tiene datos añadidos después de su final, como otro archivo pegado al documento. "
                "Guárdelo de nuevo desde Word."
            ),
            field,
        )
    content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    if any(marker in content_types for marker in MACRO_MARKERS) or any("vbaProject" in n for n in names):
        _fail(_("No se aceptan documentos con macros (.docm). Guarde el texto como .docx sin macros."), field)
    _docx_refuse_foreign_content(archive, infos, field)
    try:
        import docx

        document = docx.Document(io.BytesIO(content))
    except Exception:  # noqa: BLE001 - python-docx raises many types for broken packages
        _fail(_("El archivo Word está dañado y no se puede abrir."), field)
    return "\n".join(p.text for p in document.paragraphs).strip()
