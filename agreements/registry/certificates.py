"""The constancia de inscripción (step 12) as a PDF: the registry entry, the SHA-256 of the registered signed copy,
the result of its digital signature and a verification address with its QR code, in the fonts of static/fonts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import qrcode

from agreements import countries
from agreements.choices import Kind
from agreements.letters import letterhead_pdf, spanish_date
from portal.core.pdf import FONT
from portal.core.signatures import SignatureStatus


@dataclass(frozen=True)
class CertificatePdf:
    content: bytes
    sha256: str


def _qr_image(url: str):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=8)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image()


def certificate_pdf(*, entry, signed_copy_sha256: str, signature_status: str, signer: str, rfc: str, verify_url: str):
    """The PDF of ``entry``'s certificate (its text in Spanish, the registry's language)."""
    parties = entry.signing_office
    counterpart = entry.counterpart_name
    if entry.counterpart_country:
        counterpart += f" ({countries.country_name(entry.counterpart_country, 'es')})"
    validity = (f"hasta el {spanish_date(entry.expires_on)}" if entry.expires_on else "indefinida") + (
        ", con renovación automática" if entry.automatic_renewal else ""
    )
    signature = str(SignatureStatus(signature_status).label) if signature_status else "no revisada"
    if signer:
        signature += f" — {signer}" + (f", RFC {rfc}" if rfc else "")
    rows = [
        ("Número de registro", entry.registry_number),
        ("Fecha de inscripción", spanish_date(entry.registered_on)),
        ("Instrumento", entry.title),
        ("Tipo", str(Kind(entry.kind).label)),
        ("Partes", f"{parties}; {counterpart}"),
        ("Firma", spanish_date(entry.signed_on) + (f", {entry.signed_place}" if entry.signed_place else "")),
        ("Vigencia", validity),
        ("SHA-256 de la copia firmada inscrita", signed_copy_sha256),
        ("Firma digital de la copia firmada", signature),
        ("Verificación", verify_url),
    ]
    title = f"Constancia de inscripción {entry.registry_number}"
    pdf = letterhead_pdf(title=title, author="Secretaría de Relaciones Exteriores", text=" ".join(v for _, v in rows))
    pdf.ln(6)
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, "CONSTANCIA DE INSCRIPCIÓN EN EL REGISTRO DE ACUERDOS INTERINSTITUCIONALES")
    pdf.ln(4)
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(
        0,
        6,
        "Se hace constar que el acuerdo interinstitucional que se describe quedó inscrito en el registro público "
        "que lleva esta Secretaría conforme a la Ley sobre la Celebración de Tratados.",
    )
    pdf.ln(4)
    for label, value in rows:  # label on the left, value wrapping on the right
        top = pdf.get_y()
        pdf.set_font(FONT, "B", 9)
        label_bottom = top + 5 * len(pdf.multi_cell(55, 5, label, dry_run=True, output="LINES"))
        pdf.multi_cell(55, 5, label, new_x="RIGHT", new_y="TOP")
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), label_bottom) + 1.5)
    pdf.ln(3)
    top = pdf.get_y()
    if top > pdf.h - 70:
        pdf.add_page()
        top = pdf.get_y()
    pdf.image(_qr_image(verify_url), x=pdf.l_margin, y=top, w=40, h=40)
    pdf.set_xy(pdf.l_margin + 45, top)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(
        0,
        5,
        "Verifique esta constancia en la dirección del código QR, o cárguela en /verificar-constancia/ del "
        "portal: su huella SHA-256 debe coincidir con la de una constancia emitida.",
    )
    content = bytes(pdf.output())
    return CertificatePdf(content=content, sha256=hashlib.sha256(content).hexdigest())
