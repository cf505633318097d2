"""PDF documents with the fonts shipped in static/fonts: DejaVu Sans for Latin, Greek and Cyrillic, and a
reduced WenQuanYi Micro Hei for Chinese, Japanese and Korean, so any name prints as written."""

from __future__ import annotations

import functools
from copy import copy
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

if TYPE_CHECKING:  # fpdf2 and fontTools load in a process that writes a PDF, not in every web worker (~10 MB)
    from fpdf import FPDF
    from fpdf.fonts import TTFFont


FONT_DIR = settings.BASE_DIR / "static" / "fonts"
FONT = "DejaVuSans"
CJK_FONT = "WenQuanYiMicroHei"


def needs_cjk(text: str) -> bool:
    """Whether ``text`` has Chinese, Japanese or Korean characters (from CJK radicals, U+2E80, on)."""
    return any(ord(ch) >= 0x2E80 for ch in text)


@dataclass(frozen=True)
class _ParsedFont:
    template: TTFFont  # never written to a document: each one gets a copy (``add_parsed_font``)
    glyph_order: tuple[str, ...]


@functools.cache
def parsed_font(path: Path, style: str) -> _ParsedFont:
    """The font file at ``path`` as fpdf2 parses it in ``add_font`` (character map, widths, glyph ids, metrics),
    once per process instead of once per document. Only those are kept: the parsed font program is closed, so
    the cache holds no open file and no glyph outlines."""
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

    template = TTFFont(FPDF(), path, fontkey="", style=style)
    if template.color_font is not None or template.is_cff:
        raise ValueError(f"{path.name}: only plain TrueType fonts can be shared between documents")
    glyph_order = tuple(template.ttfont.getGlyphOrder())
    template.close()
    template.ttfont = None
    return _ParsedFont(template=template, glyph_order=glyph_order)


def add_parsed_font(pdf: FPDF, family: str, style: str, path: Path) -> None:
    """``pdf.add_font(family, style, path)`` from the process's parsed copy of the font (``parsed_font``).

    The document gets its own copy of everything fpdf2 changes while writing it: the subset of glyphs it uses,
    the font descriptor it numbers and the font program, read again from the file (cheap: fontTools reads
    it lazily, and we hand it the glyph order) because writing the PDF subsets that program in place. What it
    shares is read-only: the character map and glyph ids. Only for the plain TrueType fonts of static/fonts
    (not variable, colour or CFF fonts, which ``FPDF.add_font`` handles differently)."""
    from fontTools.ttLib import TTFont
    from fpdf.fonts import SubsetMap

    parsed = parsed_font(path, style)
    font = copy(parsed.template)
    font.i = len(pdf.fonts) + 1
    font.fontkey = f"{family.lower()}{style}"
    font.ttfont = TTFont(BytesIO(path.read_bytes()), recalcTimestamp=False, lazy=True)
    font.ttfont.setGlyphOrder(list(parsed.glyph_order))  # the subsetter replaces it
    font.desc = copy(parsed.template.desc)
    font.cw = copy(parsed.template.cw)  # a defaultdict: reading a missing character adds it
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font


def portal_pdf(*, title: str, author: str, text: str = "") -> FPDF:
    """A Letter-size document whose text font is DejaVu Sans (regular and bold), falling back glyph by glyph
    to the CJK font when ``text`` (everything the document will print) needs it — parsing that font costs
    about half a second, once per process like the others (``add_parsed_font``); ``set_font(FONT, …)`` before
    writing."""
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    add_parsed_font(pdf, FONT, "", FONT_DIR / "DejaVuSans.ttf")
    add_parsed_font(pdf, FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    if needs_cjk(title + text):
        add_parsed_font(pdf, CJK_FONT, "", FONT_DIR / "WenQuanYiMicroHei-CJK.ttf")
        pdf.set_fallback_fonts([CJK_FONT], exact_match=False)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_font(FONT, "", 11)
    return pdf


def demo_pdf(text: str, *, name: str = "documento-demo.pdf") -> SimpleUploadedFile:
    """A one-page PDF of ``text`` (Latin-1; anything else prints as "?") as an uploaded file: the stand-in
    documents of the demo data."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text.encode("latin-1", "replace").decode("latin-1"))
    return SimpleUploadedFile(name, bytes(pdf.output()), content_type="application/pdf")
