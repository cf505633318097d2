"""The reply letter prints every name as written (embedded Unicode fonts) and reads as clean Spanish."""

import io
import re
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from agreements.letters import clause_label, reply_letter_pdf, with_article

pytestmark = pytest.mark.unit


def _letter(*, counterpart, observations=(), summary="el instrumento es procedente.", title="Hermanamiento con Łódź"):
    agreement = SimpleNamespace(
        folio="AII-2026-000123",
        title=title,
        counterpart_name=counterpart,
        institution=SimpleNamespace(name="Coordinación de Asuntos Internacionales de Jalisco"),
    )
    dictamen = SimpleNamespace(
        summary=summary,
        outcome="viable_with_observations",
        cover_note="",
        get_outcome_display=lambda: "Procedente con observaciones",
        observations=SimpleNamespace(all=lambda: list(observations)),
    )
    signer = SimpleNamespace(get_full_name=lambda: "María Pérez Núñez", email="dgcp@sre.gob.mx")
    return reply_letter_pdf(agreement=agreement, dictamen=dictamen, signer=signer)


def _pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def test_non_latin_names_print_as_written_in_the_pdf():
    pdf = _letter(counterpart="Ciudad de Łódź – 南宁市 – 서울특별시 – Київ")
    text = _pdf_text(pdf.content)
    assert "Łódź – 南宁市" in text
    assert "서울특별시" in text and "Київ" in text
    assert "?" not in text
    assert "SECRETARÍA DE RELACIONES EXTERIORES" in text


def test_the_fonts_are_embedded_subsets():
    content = _letter(counterpart="Municipalidad de 南宁市").content
    assert b"/FontFile2" in content
    assert b"DejaVuSans" in content and b"WenQuanYiMicroHei" in content
    assert len(content) < 200_000  # subsets, not the 2–3 MB font files


def test_observations_start_with_a_capital_and_name_the_clause_once():
    observations = [
        SimpleNamespace(number=1, text="precisar el objeto del acuerdo.", clause="Cláusula CUARTA"),
        SimpleNamespace(number=2, text="incluir una cláusula de terminación.", clause="SEXTA"),
        SimpleNamespace(number=3, text="revisar la vigencia.", clause=""),
    ]
    text = _pdf_text(_letter(counterpart="UNICEF", observations=observations).content)
    assert "1. Precisar el objeto del acuerdo. (cláusula CUARTA)" in text
    assert "2. Incluir una cláusula de terminación. (cláusula SEXTA)" in text
    assert "3. Revisar la vigencia." in text
    assert "cláusula Cláusula" not in text
    assert "Resumen del dictamen: El instrumento es procedente." in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Municipalidad de Quetzaltenango", "la Municipalidad de Quetzaltenango"),
        ("Gobierno del Estado de Baviera", "el Gobierno del Estado de Baviera"),
        ("la Junta de Castilla y León", "la Junta de Castilla y León"),
        ("UNICEF", "UNICEF"),
        ("Łódź", "Łódź"),
    ],
)
def test_the_counterpart_takes_its_article(name, expected):
    assert with_article(name) == expected


def test_the_letter_says_suscribir_con_la_municipalidad():
    text = _pdf_text(_letter(counterpart="Municipalidad de San Marcos").content)
    assert "suscribir con la Municipalidad de San Marcos" in text


def test_clause_label_accepts_both_forms_the_form_suggests():
    assert clause_label("Cláusula CUARTA") == clause_label("CUARTA") == "cláusula CUARTA"
    assert clause_label("clausula quinta") == "cláusula quinta"


def test_a_latin_only_letter_does_not_carry_the_cjk_font():
    content = _letter(counterpart="Municipalidad de Quetzaltenango").content
    assert b"WenQuanYiMicroHei" not in content
    assert "Łódź" in _pdf_text(content)  # the title still prints its Polish letters with DejaVu Sans
