"""The report as a PDF: PNG charts and the bundled DejaVu Sans, so Polish and Dutch text renders.

fpdf2's core fonts are Latin-1 only (no ą, ę, ł, ż) and it cannot draw Vega's SVG,
hence the embedded TrueType font and PNG charts.
"""

from __future__ import annotations

import io
from importlib import resources

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from loyalty.charts.theme import PALETTE
from loyalty.i18n import format_date
from loyalty.report.content import ReportContent
from loyalty.report.render import content_pngs
from loyalty.report.tables import (
    data_rows,
    driver_display,
    impact_display,
    kpi_display,
    label_value_display,
    plan_display,
    strategy_display,
)

FONT = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_TEAL = tuple(int(PALETTE[0][i : i + 2], 16) for i in (1, 3, 5))
_HEAD_FILL = (238, 245, 245)
#: Largest share of the page height one chart may take.
_MAX_CHART_HEIGHT = 0.55


def _font_path(name: str) -> str:
    return str(resources.files("loyalty") / "data" / "fonts" / name)


class _ReportPDF(FPDF):
    """A4 portrait with a page-number footer."""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110, 120, 130)
        self.cell(0, 8, str(self.page_no()), align="C")


def _new_pdf() -> _ReportPDF:
    pdf = _ReportPDF(format="A4")
    for style, name in _FONT_FILES.items():
        pdf.add_font(FONT, style, _font_path(name))
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, text: str, size: int = 15) -> None:
    if pdf.get_y() > pdf.h * 0.8:  # never leave a heading alone at the bottom of a page
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*_TEAL)
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(30, 42, 50)
    pdf.set_font(FONT, "", 10)


def _paragraph(pdf: FPDF, text: str, size: int = 10) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(
    pdf: FPDF, frame: pd.DataFrame | None, widths: tuple[float, ...] | None = None, size: int = 8
) -> None:
    if frame is None or frame.empty:
        return
    pdf.set_font(FONT, "", size)
    heading = FontFace(emphasis="BOLD", fill_color=_HEAD_FILL)
    with pdf.table(col_widths=widths, headings_style=heading, line_height=4.2, text_align="LEFT") as table:
        table.row([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            table.row(["" if v is None else str(v) for v in row])
    pdf.ln(2)


def _image(pdf: FPDF, png: bytes | None) -> None:
    if not png:
        return
    from PIL import Image

    width, height = Image.open(io.BytesIO(png)).size
    w = pdf.epw
    h = w * height / width
    limit = pdf.eph * _MAX_CHART_HEIGHT
    if h > limit:
        w, h = limit * width / height, limit
    if pdf.get_y() + h > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=w, h=h)
    pdf.ln(3)


def _sections(pdf: FPDF, content: ReportContent, images: dict[str, bytes]) -> None:
    tr = content.tr
    _heading(pdf, tr("report.section.data"))
    glance = pd.DataFrame(data_rows(content), columns=[tr("report.col.item"), tr("report.col.value")])
    _table(pdf, glance, size=9)
    _heading(pdf, tr("report.section.kpis"))
    _table(pdf, kpi_display(content), widths=(2, 1.3, 4), size=9)
    for name in ("nps", "retention", "cohort"):
        _image(pdf, images.get(name))
    _heading(pdf, tr("report.section.drivers"))
    for sentence in content.diagnosis_text:
        _paragraph(pdf, sentence)
    _table(pdf, driver_display(content), size=9)
    for name in ("importance", "ipa"):
        _image(pdf, images.get(name))
    _heading(pdf, tr("report.section.strategies"))
    _table(pdf, strategy_display(content), widths=(0.4, 2, 5, 1.2, 1.3, 2.4))
    _heading(pdf, tr("report.section.plan"))
    _table(pdf, plan_display(content), widths=(2, 4, 1.5, 1.3, 1.3, 1.4, 2.5), size=7)
    _image(pdf, images.get("timeline"))
    _heading(pdf, tr("report.section.impact"))
    impact = impact_display(content)
    assumptions = label_value_display(content.assumptions, content)
    if impact is None and assumptions is None:
        _paragraph(pdf, tr("report.impact.none"))
    else:
        _table(pdf, impact, widths=(3, 2), size=9)
        for note in content.impact_notes:
            _paragraph(pdf, note, size=9)
        if assumptions is not None:
            _heading(pdf, tr("report.section.assumptions"), size=12)
            _table(pdf, assumptions, size=9)
        _paragraph(pdf, tr("report.impact.defaults_note"), size=9)
    _heading(pdf, tr("report.section.methods"))
    for title, text in content.methods:
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")
        _paragraph(pdf, text, size=9)
    _paragraph(pdf, tr("kpi.nps.trademark"), size=8)


def build_pdf(content: ReportContent) -> bytes:
    """Return the PDF report.

    Parameters
    ----------
    content : ReportContent
        From :func:`loyalty.report.content.build_content`.

    Returns
    -------
    bytes
        A4 PDF with embedded DejaVu Sans (subset) and PNG charts.
    """
    pdf = _new_pdf()
    pdf.set_title(content.tr("report.title"))
    pdf.set_lang(content.lang)
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(*_TEAL)
    pdf.multi_cell(0, 10, content.tr("report.title"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(30, 42, 50)
    _paragraph(pdf, content.tr("report.subtitle", date=format_date(content.created, content.lang)), size=9)
    _sections(pdf, content, content_pngs(content))
    return bytes(pdf.output())
