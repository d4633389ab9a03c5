"""The workshop deck read back with python-pptx: the slides of the brief, charts as pictures, the KPIs."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from loyalty.i18n import t
from loyalty.report import build_report


def _texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.shape_type == MSO_SHAPE_TYPE.TABLE:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def test_deck_has_the_workshop_slides_in_order(content_en):
    deck = Presentation(io.BytesIO(build_report(content_en, "deck.pptx")))
    titles = [s.shapes.title.text for s in deck.slides]
    keys = ["title", "section.data", "section.kpis", "deck.kpi_chart", "section.drivers"]
    keys += ["section.strategies", "section.plan", "deck.impact", "section.next_steps"]
    assert titles == [t(f"report.{k}", "en") for k in keys]
    slides = list(deck.slides)
    kpi_text = _texts(slides[2])
    for text in content_en.kpis["text"]:
        assert text in kpi_text
    pictures = [sum(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for sh in s.shapes) for s in slides]
    assert pictures[3] == 2 and pictures[4] == 2 and pictures[6] == 1  # KPI charts, drivers, timeline
    assert content_en.strategies["name"].iloc[0] in _texts(slides[5])
    impact = _texts(slides[7])
    for row in content_en.impact.itertuples(index=False):
        assert row.label in impact and row.text in impact
    assert t("report.next.5", "en") in _texts(slides[8])


def test_deck_in_dutch_has_no_raw_keys(content_en, results):
    from loyalty.report import content_from_results

    content = content_from_results({"transactions": results["transactions"]}, lang="nl", bootstrap=0)
    deck = Presentation(io.BytesIO(build_report(content, "pptx")))
    text = "\n".join(_texts(s) for s in deck.slides)
    assert "report." not in text and t("report.section.next_steps", "nl") in text
    assert t("report.diagnosis.none", "nl") in text  # no survey: the driver slide says why
