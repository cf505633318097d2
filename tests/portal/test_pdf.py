"""The portal's generated PDFs share one parse of each font per process (issue 14) and still write what fpdf2's own
``add_font`` would: the same bytes, document after document."""

import datetime as dt
import io

from fpdf.fonts import TTFFont
from pypdf import PdfReader

from portal.core import pdf as core_pdf

WHEN = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
TEXTS = [
    "Constancia RAII-2026-0001: Ciudad de Kraków, Región de Valonia.",
    "Acuse de recibo: Łódź, Αθήνα, Москва — ñandú, pingüino.",
    "Hermanamiento con la Ciudad de Kioto (京都市) y Seúl (서울특별시).",
]


def _document(text: str) -> bytes:
    pdf = core_pdf.portal_pdf(title=text[:20], author="Secretaría de Relaciones Exteriores", text=text)
    pdf.set_creation_date(WHEN)
    pdf.add_page()
    pdf.set_font(core_pdf.FONT, "B", 12)
    pdf.multi_cell(0, 6, "SECRETARÍA DE RELACIONES EXTERIORES", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(core_pdf.FONT, "", 11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def _fpdf2_add_font(pdf, family, style, path):
    pdf.add_font(family, style, path)


def test_each_font_is_parsed_once_per_process(monkeypatch):
    parses = []
    parse = TTFFont.__init__

    def counted(self, fpdf, font_file_path, *args, **kwargs):
        parses.append(font_file_path.name)
        parse(self, fpdf, font_file_path, *args, **kwargs)

    core_pdf.parsed_font.cache_clear()
    monkeypatch.setattr(TTFFont, "__init__", counted)
    for text in TEXTS[:2] * 2:
        _document(text)
    assert sorted(parses) == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"]  # not two per document


def test_documents_on_the_shared_fonts_are_byte_for_byte_fpdf2s(monkeypatch):
    shared = [_document(text) for text in TEXTS * 2]  # the second round reuses fonts the first one wrote with
    monkeypatch.setattr(core_pdf, "add_parsed_font", _fpdf2_add_font)
    reference = [_document(text) for text in TEXTS]
    assert shared == reference * 2
    for content, text in zip(shared, TEXTS * 2, strict=True):
        extracted = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        assert text.split(":")[0] in extracted
