"""The DGCP's reply letter (step 8), generated as a PDF with fpdf2's built-in fonts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import timezone
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


@dataclass(frozen=True)
class GeneratedPdf:
    content: bytes
    sha256: str
    text: str


def _latin1(text: str) -> str:
    """The core PDF fonts cover Latin-1 (all Spanish letters); replace the few typographic extras."""
    table = {"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "•": "-"}
    text = "".join(table.get(ch, ch) for ch in text)
    return text.encode("latin-1", "replace").decode("latin-1")


def spanish_date(day) -> str:
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def reply_letter_pdf(*, agreement, dictamen, signer) -> GeneratedPdf:
    today = timezone.localdate()
    paragraphs = [
        f"Ciudad de México, a {spanish_date(today)}",
        f"Folio: {agreement.folio}",
        f"{agreement.institution.name}\nPresente",
        (
            "En atención a su solicitud relativa al instrumento "
            f"«{agreement.title}», que se pretende suscribir con {agreement.counterpart_name}, "
            "y con fundamento en el artículo 7 de la Ley sobre la Celebración de Tratados, le comunico que la "
            "Consultoría Jurídica de esta Secretaría emitió el dictamen de procedencia en el sentido siguiente: "
            f"{dictamen.get_outcome_display().upper()}."
        ),
        f"Resumen del dictamen: {dictamen.summary}",
    ]
    observations = list(dictamen.observations.all())
    if observations:
        lines = ["Observaciones y recomendaciones:"]
        for obs in observations:
            clause = f" (cláusula {obs.clause})" if obs.clause else ""
            lines.append(f"{obs.number}. {obs.text}{clause}")
        paragraphs.append("\n".join(lines))
    if dictamen.cover_note:
        paragraphs.append(dictamen.cover_note)
    if dictamen.outcome != "not_viable":
        paragraphs.append(
            "Una vez firmado el instrumento, le solicitamos remitir por este portal una copia digitalizada "
            "completa y legible en la que consten la fecha y el lugar de firma, para su inscripción en el "
            "Registro de Acuerdos Interinstitucionales."
        )
    paragraphs.append("Atentamente,")
    paragraphs.append(f"{signer.get_full_name() or signer.email}\nDirección General de Coordinación Política")

    pdf = FPDF(format="Letter")
    pdf.set_title(_latin1(f"Respuesta {agreement.folio}"))
    pdf.set_author("Secretaría de Relaciones Exteriores - DGCP")
    pdf.set_creation_date(timezone.now())
    pdf.add_page()
    pdf.set_margins(25, 25, 25)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, _latin1("SECRETARÍA DE RELACIONES EXTERIORES\nDirección General de Coordinación Política"))
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, _latin1(paragraph))
        pdf.ln(4)
    content = bytes(pdf.output())
    return GeneratedPdf(content=content, sha256=hashlib.sha256(content).hexdigest(), text="\n\n".join(paragraphs))
