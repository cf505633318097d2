"""The DGCP's reply letter (step 8), generated as a PDF with the Unicode fonts shipped in static/fonts."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone, translation

from portal.core.pdf import FONT, portal_pdf

from .choices import DocumentKind

if TYPE_CHECKING:
    from fpdf import FPDF

MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]

# First words of counterpart names that take an article in «suscribir con la Municipalidad de…».
_FEMININE = {
    "agencia",
    "alcaldía",
    "asociación",
    "cámara",
    "ciudad",
    "comisión",
    "comunidad",
    "diputación",
    "fundación",
    "gobernación",
    "intendencia",
    "junta",
    "municipalidad",
    "oficina",
    "organización",
    "prefectura",
    "provincia",
    "región",
    "república",
    "secretaría",
    "sociedad",
    "universidad",
    "alianza",
    "red",
    "federación",
    "unión",
}
_MASCULINE = {
    "ayuntamiento",
    "banco",
    "cantón",
    "centro",
    "comité",
    "condado",
    "consejo",
    "departamento",
    "distrito",
    "estado",
    "fondo",
    "gobierno",
    "instituto",
    "ministerio",
    "municipio",
    "programa",
    "concejo",
    "cabildo",
}
_ARTICLES = ("el ", "la ", "los ", "las ")
_CLAUSE_WORD = re.compile(r"^\s*cl[áa]usula\s+", re.IGNORECASE)


@dataclass(frozen=True)
class GeneratedPdf:
    content: bytes
    sha256: str
    text: str


def spanish_date(day) -> str:
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def with_article(name: str) -> str:
    """«la Municipalidad de Quetzaltenango», «el Gobierno de Baviera»; names without a common noun first
    («UNICEF», «Łódź») and names that already carry their article stay as they are."""
    name = name.strip()
    if name.lower().startswith(_ARTICLES):
        return name
    first = name.split(" ", 1)[0].lower()
    if first in _FEMININE:
        return f"la {name}"
    if first in _MASCULINE:
        return f"el {name}"
    return name


def sentence(text: str) -> str:
    """Text that opens with a capital letter, as a sentence of the letter must."""
    text = text.strip()
    return text[:1].upper() + text[1:]


def clause_label(clause: str) -> str:
    """«CUARTA» and «Cláusula CUARTA» both become «cláusula CUARTA» (the form suggests either)."""
    return f"cláusula {_CLAUSE_WORD.sub('', clause).strip()}"


_NEXT_LINE = {"new_x": "LMARGIN", "new_y": "NEXT"}  # each cell starts a new line at the left margin


def letterhead_pdf(*, title: str, author: str, text: str) -> FPDF:
    """A portal PDF (``portal_pdf``) dated now, on its first page with 25 mm margins, below the letterhead of the
    SRE's DGCP: the letters of the procedure and the registry's certificate start so."""
    pdf = portal_pdf(title=title, author=author, text=text)
    pdf.set_creation_date(timezone.now())
    pdf.add_page()
    pdf.set_margins(25, 25, 25)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(
        0, 6, "SECRETARÍA DE RELACIONES EXTERIORES\nDirección General de Coordinación Política", **_NEXT_LINE
    )
    return pdf


def reply_letter_pdf(*, agreement, dictamen, signer) -> GeneratedPdf:
    today = timezone.localdate()
    paragraphs = [
        f"Ciudad de México, a {spanish_date(today)}",
        f"Folio: {agreement.folio}",
        f"{agreement.institution.name}\nPresente",
        (
            "En atención a su solicitud relativa al instrumento "
            f"«{agreement.title}», que se pretende suscribir con {with_article(agreement.counterpart_name)}, "
            "y con fundamento en el artículo 7 de la Ley sobre la Celebración de Tratados, le comunico que la "
            "Consultoría Jurídica de esta Secretaría emitió el dictamen de procedencia en el sentido siguiente: "
            f"{dictamen.get_outcome_display().upper()}."
        ),
        f"Resumen del dictamen: {sentence(dictamen.summary)}",
    ]
    observations = list(dictamen.observations.all())
    if observations:
        lines = ["Observaciones y recomendaciones:"]
        for obs in observations:
            clause = f" ({clause_label(obs.clause)})" if obs.clause.strip() else ""
            lines.append(f"{obs.number}. {sentence(obs.text)}{clause}")
        paragraphs.append("\n".join(lines))
    if dictamen.cover_note:
        paragraphs.append(sentence(dictamen.cover_note))
    if dictamen.outcome != "not_viable":
        paragraphs.append(
            "Una vez firmado el instrumento, le solicitamos remitir por este portal una copia digitalizada "
            "completa y legible en la que consten la fecha y el lugar de firma, para su inscripción en el "
            "Registro de Acuerdos Interinstitucionales."
        )
    paragraphs.append("Atentamente,")
    paragraphs.append(f"{signer.get_full_name() or signer.email}\nDirección General de Coordinación Política")

    pdf = letterhead_pdf(
        title=f"Respuesta {agreement.folio}",
        author="Secretaría de Relaciones Exteriores – DGCP",
        text="\n".join(paragraphs),
    )
    pdf.ln(6)
    pdf.set_font(FONT, "", 11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    content = bytes(pdf.output())
    return GeneratedPdf(content=content, sha256=hashlib.sha256(content).hexdigest(), text="\n\n".join(paragraphs))


def receipt_pdf(*, agreement, documents, submitted_at) -> GeneratedPdf:
    """The *acuse de recibo* of step 4: folio, office, date and time of submission, each document's name, type
    and SHA-256, and the date by which the request must reach the CJA. In Spanish, like every official letter
    of the procedure; the receipt's own SHA-256 is kept with it (``Document.sha256``) so it can be verified."""
    sent = timezone.localtime(submitted_at)
    with translation.override("es-mx"):
        labels = {value: str(label) for value, label in DocumentKind.choices}
    header = [
        f"Folio: {agreement.folio}",
        f"Dependencia: {agreement.institution.name}",
        f"Instrumento: «{agreement.title}»",
        f"Contraparte: {agreement.counterpart_name}",
        f"Fecha y hora de envío: {sent:%d/%m/%Y %H:%M} (hora de la Ciudad de México)",
    ]
    if agreement.cja_deadline:
        header.append(f"Fecha en que la solicitud debe llegar a la CJA: {agreement.cja_deadline:%d/%m/%Y}")
    items = [
        (f"{i}. {d.original_name} — {labels.get(d.kind, d.kind)}", f"SHA-256: {d.sha256}")
        for i, d in enumerate(documents, start=1)
    ]
    closing = (
        "La Secretaría de Relaciones Exteriores recibió por este portal la solicitud de dictamen de procedencia "
        "con los documentos listados. La huella SHA-256 de cada documento permite comprobar que el archivo "
        "conservado en el expediente es el mismo que se envió."
    )
    text = "\n".join([*header, *(line for item in items for line in item), closing])
    pdf = letterhead_pdf(
        title=f"Acuse de recibo {agreement.folio}", author="Secretaría de Relaciones Exteriores – DGCP", text=text
    )
    pdf.ln(4)
    pdf.multi_cell(0, 6, "ACUSE DE RECIBO", **_NEXT_LINE)
    pdf.ln(4)
    pdf.set_font(FONT, "", 11)
    for line in header:
        pdf.multi_cell(0, 6, line, **_NEXT_LINE)
    pdf.ln(4)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 6, "Documentos recibidos", **_NEXT_LINE)
    for name_line, hash_line in items:
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5, name_line, **_NEXT_LINE)
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(0, 5, hash_line, **_NEXT_LINE)
        pdf.ln(1)
    pdf.ln(4)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, closing, **_NEXT_LINE)
    content = bytes(pdf.output())
    return GeneratedPdf(content=content, sha256=hashlib.sha256(content).hexdigest(), text=text)
