"""The workshop deck (python-pptx): title, data, KPIs, drivers, strategies, plan timeline, next steps.

Slides are 16:9 and use the default template's "Title" and "Title Only" layouts, so a
client can restyle the deck with their own theme. Charts are the same PNGs as the PDF.
"""

from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from loyalty.charts.theme import PALETTE
from loyalty.i18n import format_date
from loyalty.report.content import ReportContent
from loyalty.report.render import content_pngs
from loyalty.report.tables import data_rows, impact_display

_WIDTH, _HEIGHT = Inches(13.333), Inches(7.5)
_MARGIN = Inches(0.5)
_TOP = Inches(1.5)
_TEAL = RGBColor.from_string(PALETTE[0].lstrip("#"))
_TITLE, _TITLE_ONLY = 0, 5
#: Plan lines listed on a slide; the rest are counted ("... and 4 more").
MAX_PLAN_ROWS = 12


def _slide(prs: Presentation, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_ONLY])
    slide.shapes.title.text = title
    for paragraph in slide.shapes.title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.color.rgb = Pt(30), _TEAL
    return slide


def _table(
    slide, frame: pd.DataFrame, top: Emu, height: Emu, widths: tuple[float, ...], size: int = 14
) -> None:
    """Add ``frame`` as a native table (editable in PowerPoint) with relative column ``widths``."""
    rows, cols = len(frame) + 1, len(frame.columns)
    width = _WIDTH - 2 * _MARGIN
    shape = slide.shapes.add_table(rows, cols, _MARGIN, top, width, height)
    table = shape.table
    total = sum(widths)
    for i, w in enumerate(widths):
        table.columns[i].width = Emu(int(width * w / total))
    cells = [list(map(str, frame.columns))] + [
        ["" if v is None else str(v) for v in r] for r in frame.itertuples(index=False)
    ]
    for r, values in enumerate(cells):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0


def _picture(slide, png: bytes | None, left: Emu, top: Emu, max_w: Emu, max_h: Emu) -> None:
    """Add a chart scaled to fit the box, keeping its aspect ratio."""
    if not png:
        return
    from PIL import Image

    w, h = Image.open(io.BytesIO(png)).size
    scale = min(max_w / w, max_h / h)
    slide.shapes.add_picture(io.BytesIO(png), left, top, Emu(int(w * scale)), Emu(int(h * scale)))


def _bullets(slide, lines: list[str], top: Emu, size: int = 20) -> None:
    box = slide.shapes.add_textbox(_MARGIN, top, _WIDTH - 2 * _MARGIN, _HEIGHT - top - _MARGIN)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = f"• {line}"
        paragraph.space_after = Pt(10)
        for run in paragraph.runs:
            run.font.size = Pt(size)


def _title_slide(prs: Presentation, content: ReportContent) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE])
    slide.shapes.title.text = content.tr("report.title")
    slide.placeholders[1].text = content.tr(
        "report.subtitle", date=format_date(content.created, content.lang)
    )


def _kpi_slides(prs: Presentation, content: ReportContent, images: dict[str, bytes]) -> None:
    tr = content.tr
    slide = _slide(prs, tr("report.section.kpis"))
    kpis = content.kpis[["label", "text", "note"]].rename(
        columns={"label": tr("report.col.kpi"), "text": tr("report.col.value"), "note": tr("report.col.note")}
    )
    _table(slide, kpis, _TOP, Inches(4), (3, 1.6, 6), size=18)
    charts = [images.get(n) for n in ("nps", "retention") if images.get(n)]
    if charts:
        slide = _slide(prs, tr("report.deck.kpi_chart"))
        box_w = (_WIDTH - 2 * _MARGIN) / len(charts)
        for i, png in enumerate(charts):
            _picture(
                slide, png, _MARGIN + Emu(int(box_w * i)), _TOP, Emu(int(box_w)), _HEIGHT - _TOP - _MARGIN
            )


def _driver_slide(prs: Presentation, content: ReportContent, images: dict[str, bytes]) -> None:
    tr = content.tr
    slide = _slide(prs, tr("report.section.drivers"))
    if content.drivers is None:
        _bullets(slide, content.diagnosis_text, _TOP)
        return
    half = Emu(int((_WIDTH - 2 * _MARGIN) / 2))
    box = slide.shapes.add_textbox(_MARGIN, Inches(1.2), _WIDTH - 2 * _MARGIN, Inches(0.8))
    box.text_frame.word_wrap = True
    box.text_frame.text = content.diagnosis_text[0] if content.diagnosis_text else ""
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(16)
    top = Inches(2.1)
    _picture(slide, images.get("importance"), _MARGIN, top, half, _HEIGHT - top - _MARGIN)
    _picture(slide, images.get("ipa"), _MARGIN + half, top, half, _HEIGHT - top - _MARGIN)


def _strategy_slide(prs: Presentation, content: ReportContent) -> None:
    tr = content.tr
    slide = _slide(prs, tr("report.section.strategies"))
    s = content.strategies
    frame = pd.DataFrame(
        {
            "#": s["rank"].astype(str),
            tr("report.col.strategy"): s["name"],
            tr("report.col.why"): s["explanation"],
            tr("report.col.time"): s["time"],
        }
    )
    _table(slide, frame, _TOP, Inches(5), (0.4, 2.5, 7, 1.5), size=12)


def _plan_slide(prs: Presentation, content: ReportContent, images: dict[str, bytes]) -> None:
    tr = content.tr
    slide = _slide(prs, tr("report.section.plan"))
    timeline = images.get("timeline")
    if timeline:
        _picture(slide, timeline, _MARGIN, Inches(1.3), _WIDTH - 2 * _MARGIN, _HEIGHT - Inches(1.3) - _MARGIN)
        return
    lines = [str(a) for a in content.plan["action"].head(MAX_PLAN_ROWS)]
    extra = len(content.plan) - len(lines)
    if extra > 0:
        lines.append(tr("report.deck.more_actions", n=extra))
    _bullets(slide, lines, _TOP, size=16)


def _impact_slide(prs: Presentation, content: ReportContent) -> None:
    """What reaching the targets is worth: the calculator's figures as a native table."""
    impact = impact_display(content)
    if impact is None:
        return
    slide = _slide(prs, content.tr("report.deck.impact"))
    rows = len(impact) + 1
    _table(slide, impact, Inches(1.3), Inches(0.4) * rows, (5, 3), size=12 if rows <= 12 else 10)


def build_pptx(content: ReportContent) -> bytes:
    """Return the workshop deck as ``.pptx`` bytes.

    Parameters
    ----------
    content : ReportContent
        From :func:`loyalty.report.content.build_content`.

    Returns
    -------
    bytes
        Slides: title, data at a glance, the five KPIs (and their charts), driver importance
        and the importance × performance matrix, recommended strategies, the action plan
        timeline, what reaching the targets is worth, and next steps.
    """
    tr = content.tr
    images = content_pngs(content)
    prs = Presentation()
    prs.slide_width, prs.slide_height = _WIDTH, _HEIGHT
    _title_slide(prs, content)
    glance = pd.DataFrame(data_rows(content), columns=[tr("report.col.item"), tr("report.col.value")])
    _table(
        _slide(prs, tr("report.section.data")), glance, _TOP, Inches(0.5) * (len(glance) + 1), (3, 3), size=18
    )
    _kpi_slides(prs, content, images)
    _driver_slide(prs, content, images)
    _strategy_slide(prs, content)
    _plan_slide(prs, content, images)
    _impact_slide(prs, content)
    _bullets(
        _slide(prs, tr("report.section.next_steps")), [tr(f"report.next.{i}") for i in range(1, 6)], _TOP
    )
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
