"""The survey kit's printable survey as a PDF (fpdf2, A4, bundled DejaVu Sans).

fpdf2's core fonts are Latin-1 only, so the report's embedded TrueType font is used:
"Bezpieczeństwo", "Zaufanie" and "ł" print as they should.
"""

from __future__ import annotations

from importlib import resources

from fpdf import FPDF

from loyalty.i18n import t
from loyalty.surveykit import Column, kit, printable_sections

FONT = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_TEAL = (15, 118, 110)
_GREY = (91, 107, 120)
_BOX = 8.0  # answer box width in mm


def _new_pdf(lang: str) -> FPDF:
    pdf = FPDF(format="A4")
    for style, name in _FONT_FILES.items():
        pdf.add_font(FONT, style, str(resources.files("loyalty") / "data" / "fonts" / name))
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(18, 15, 18)
    pdf.set_title(t("surveykit.print.title", lang))
    pdf.set_lang(lang)
    pdf.add_page()
    return pdf


def _text(pdf: FPDF, text: str, size: float = 10, style: str = "", color=(30, 42, 50)) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


def _boxes(pdf: FPDF, kind: str, lang: str, legend: bool) -> None:
    """A row of numbered answer boxes, with the scale's legend under it when asked."""
    low, high = kit()["nps_scale" if kind == "nps" else "rating_scale"]
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(30, 42, 50)
    for value in range(int(low), int(high) + 1):
        pdf.cell(_BOX, 6.5, str(value), border=1, align="C")
        pdf.cell(2.5, 6.5, "")
    pdf.ln(7.5)
    if legend:
        _text(pdf, t(f"surveykit.print.legend.{kind}", lang), size=8, color=_GREY)


def _question(pdf: FPDF, col: Column, lang: str) -> None:
    if pdf.get_y() > pdf.h - 45:  # keep a statement and its boxes on one page
        pdf.add_page()
    pdf.ln(1.5)
    _text(pdf, f"{col.text}  [{col.header}]")
    if col.type in ("rating", "nps"):
        _boxes(pdf, col.type, lang, legend=col.item is None)  # statements share one legend
        return
    lines = 3 if col.type == "text" else 1
    for _ in range(lines):
        pdf.ln(6)
        y = pdf.get_y()
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(2)


def survey_pdf(lang: str) -> bytes:
    """Return the printable survey in ``lang`` as PDF bytes (nothing is written to disk)."""
    pdf = _new_pdf(lang)
    _text(pdf, t("surveykit.print.title", lang), size=18, style="B", color=_TEAL)
    pdf.ln(1)
    _text(pdf, t("surveykit.print.intro", lang))
    for title, cols in printable_sections(lang):
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        pdf.ln(3)
        _text(pdf, title, size=13, style="B", color=_TEAL)
        if cols and cols[0].item is not None:
            _text(pdf, t("surveykit.print.legend.rating", lang), size=9, color=_GREY)
        for col in cols:
            _question(pdf, col, lang)
    pdf.ln(4)
    _text(pdf, t("surveykit.print.thanks", lang), style="B")
    return bytes(pdf.output())
