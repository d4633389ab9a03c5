"""The PDF read back with pypdf (Polish diacritics extract as text) and rendered to PNG with pypdfium2."""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from loyalty.i18n import t
from loyalty.report import build_report


@pytest.fixture(scope="module")
def pdf_pl(content_pl) -> bytes:
    """The Polish PDF, built once for the module (chart rendering is the slow part)."""
    return build_report(content_pl, "raport.pdf")


def test_pdf_text_keeps_polish_diacritics_and_the_sections(content_pl, pdf_pl):
    reader = PdfReader(io.BytesIO(pdf_pl))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for letter in "ąęłńóśźż":
        assert letter in text, letter
    for section in ("data", "kpis", "drivers", "strategies", "plan", "impact", "methods"):
        assert t(f"report.section.{section}", "pl") in text
    # The impact figures, not only the assumptions (a line break may fall inside a long label).
    flat = " ".join(text.split())
    for key in ("nps_now", "retention_value"):
        row = content_pl.impact.set_index("key").loc[key]
        value = " ".join(row["text"].split(" (")[0].split())  # pdf text has no no-break spaces
        assert value in flat and row["label"].split(" (")[0][:20] in flat
    assert content_pl.strategies["name"].iloc[0] in text
    fonts = {str(f) for page in reader.pages for f in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts  # an embedded TrueType font, not a Latin-1 core font


def test_pdf_pages_render_with_charts(pdf_pl):
    pdf = pdfium.PdfDocument(pdf_pl)
    assert len(pdf) >= 3
    page = np.asarray(pdf[1].render(scale=0.5).to_pil().convert("L"))
    # A chart page has both ink and paper: not blank, not a black box.
    assert page.min() < 100 and page.max() > 240 and (page < 200).mean() > 0.01
    pdf.close()
