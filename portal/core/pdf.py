"""PDF documents with the fonts shipped in static/fonts: DejaVu Sans for Latin, Greek and Cyrillic, and a
reduced WenQuanYi Micro Hei for Chinese, Japanese and Korean, so any name prints as written."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

FONT_DIR = settings.BASE_DIR / "static" / "fonts"
FONT = "DejaVuSans"
CJK_FONT = "WenQuanYiMicroHei"


def needs_cjk(text: str) -> bool:
    """Whether ``text`` has Chinese, Japanese or Korean characters (from CJK radicals, U+2E80, on)."""
    return any(ord(ch) >= 0x2E80 for ch in text)


def portal_pdf(*, title: str, author: str, text: str = "") -> FPDF:
    """A Letter-size document whose text font is DejaVu Sans (regular and bold), falling back glyph by glyph
    to the CJK font when ``text`` (everything the document will print) needs it — loading that font costs
    about half a second; ``set_font(FONT, …)`` before writing."""
    pdf = FPDF(format="Letter")
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    if needs_cjk(title + text):
        pdf.add_font(CJK_FONT, "", FONT_DIR / "WenQuanYiMicroHei-CJK.ttf")
        pdf.set_fallback_fonts([CJK_FONT], exact_match=False)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_font(FONT, "", 11)
    return pdf


def demo_pdf(text: str, *, name: str = "documento-demo.pdf") -> SimpleUploadedFile:
    """A one-page PDF of ``text`` (Latin-1; anything else prints as "?") as an uploaded file: the stand-in
    documents of the demo data."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text.encode("latin-1", "replace").decode("latin-1"))
    return SimpleUploadedFile(name, bytes(pdf.output()), content_type="application/pdf")
