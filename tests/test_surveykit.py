"""The survey kit: a filled-in template goes through ingest and Diagnose with zero mapping edits."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from loyalty import diagnose as service
from loyalty import surveykit
from loyalty.ingest import load_file
from loyalty.schema import CUSTOMER_ID, DRIVERS, field_names

LANGS = ("en", "nl", "pl")
#: A known truth per language: the driver that builds trust most (LMG share ~ weight²).
STRONGEST = {"en": "data_security", "nl": "service", "pl": "consistency"}
N = 300


def truth(strongest: str) -> dict[str, float]:
    """Driver -> effect on trust: the strongest 0.6, the others 0.25 down to 0.05."""
    others = iter((0.25, 0.15, 0.1, 0.05))
    return {d: 0.6 if d == strongest else next(others) for d in DRIVERS}


def filled_template(lang: str, n: int = N, seed: int = 7, strongest: str | None = None) -> bytes:
    """The kit's CSV template with ``n`` answers simulated from a known model appended.

    Each driver is a latent variable; its three items are that variable plus noise
    (so the items form a reliable scale); trust is a weighted sum of the latents;
    recommend and repurchase intent follow trust. Written with the template's own
    header row, delimiter and encoding, like a user filling it in a spreadsheet.
    """
    rng = np.random.default_rng(seed)
    weights = truth(strongest or STRONGEST[lang])
    latent = {d: rng.normal(size=n) for d in DRIVERS}
    trust = sum(weights[d] * latent[d] for d in DRIVERS) + rng.normal(scale=0.4, size=n)

    def rating(values: np.ndarray, centre: float = 3.0) -> np.ndarray:
        return np.clip(np.rint(centre + values), 1, 5).astype(int)

    cells: dict[str, object] = {}
    for col in surveykit.columns(lang):
        if col.type == "id":
            cells[col.header] = [f"C{i:05d}" for i in range(n)]
        elif col.type == "date":
            cells[col.header] = pd.date_range("2026-03-01", periods=n, freq="2h").strftime("%Y-%m-%d")
        elif col.field in DRIVERS:
            cells[col.header] = rating(latent[col.field] + rng.normal(scale=0.6, size=n))
        elif col.field == "trust":
            cells[col.header] = rating(1.3 * trust)
        elif col.type == "nps":
            cells[col.header] = np.clip(np.rint(7 + 2.2 * trust + rng.normal(size=n)), 0, 10).astype(int)
        elif col.field == "repurchase_intent":
            cells[col.header] = rating(trust + rng.normal(scale=0.7, size=n), 3.5)
        else:
            cells[col.header] = ["" if i % 3 else "Fast delivery, friendly staff" for i in range(n)]
    template = surveykit.template_csv(lang).decode("utf-8-sig")
    body = pd.DataFrame(cells).to_csv(
        index=False, header=False, sep=surveykit.DELIMITERS[lang], lineterminator="\r\n"
    )
    return ("\ufeff" + template + body).encode("utf-8")


@pytest.fixture(scope="module", params=LANGS)
def loaded(request):
    lang = request.param
    return lang, load_file(filled_template(lang), surveykit.template_file_name(lang))


def test_every_field_maps_by_itself(loaded):
    lang, result = loaded
    cols = surveykit.columns(lang)
    first_items = {c.field: c.header for c in cols if c.item in (None, 1)}
    assert result.kind == "survey"
    # Every canonical survey field is mapped, each to the kit's column for it (item 1 of a scale).
    assert result.mapping == {f: first_items[f] for f in field_names("survey")}
    assert min(result.confidence.values()) >= 0.6  # no "please check this mapping" note
    assert not [key for key, _ in result.warnings if "low_confidence" in key or "unused" in key]
    assert result.dropped_columns == [] and result.rows_used == N
    # Items 2 and 3 are kept under their own headers for the scales.
    assert result.extra_numeric_columns == [c.header for c in cols if c.item and c.item > 1]


def test_items_become_scales_with_cronbach_alpha_and_the_known_top_driver(loaded):
    lang, result = loaded
    survey = result.frame
    availability = service.survey_availability(survey)
    assert availability.mode == "full" and availability.drivers == DRIVERS
    headers = {c.header: c for c in surveykit.columns(lang)}
    scales = service.item_scales(survey)
    assert set(scales) == set(DRIVERS)
    for driver, items in scales.items():
        assert items[0] == driver and [headers[i].field for i in items[1:]] == [driver, driver]

    diagnosis = service.run_diagnosis(survey, service.default_options(availability, 200, seed=3), False)
    for driver in DRIVERS:
        assert len(diagnosis.spec[driver]) == 3
        assert diagnosis.reliability[driver]["alpha"] > 0.7  # three noisy copies of one latent
    shares = dict(zip(diagnosis.importance.drivers, diagnosis.importance.share, strict=True))
    assert max(shares, key=shares.get) == STRONGEST[lang]
    assert diagnosis.importance.p_top[diagnosis.importance.drivers.index(STRONGEST[lang])] > 0.9


def test_scale_beats_its_first_item_alone():
    """Averaging three items recovers the driver better than the mapped column alone (why scales)."""
    survey = load_file(filled_template("en", seed=11), "s.csv").frame
    options = service.default_options(service.survey_availability(survey), 0)
    scaled = service.run_diagnosis(survey, options, robustness=False)
    single = service.run_diagnosis(
        survey[[c for c in survey.columns if not re.search(r" [23]$", c)]], options, False
    )
    assert scaled.driver_model.r2 > single.driver_model.r2 + 0.05


def test_item_field_needs_an_exact_question_name():
    assert service.item_field("Obsługa klienta 2") == "service"
    assert service.item_field("Gegevensbeveiliging 3") == "data_security"
    assert service.item_field("Vertrouwen 2") == "trust"
    assert service.item_field("Week 2") is None
    assert service.item_field("Service") is None  # no item number: a plain column
    frame = pd.DataFrame({"service": [1.0, 2.0], "Week 2": [1.0, 2.0], "Service 2": ["a", "b"]})
    assert service.item_scales(frame) == {}  # text items and unrelated numbers are no scale


def test_survey_without_customer_id_or_date_still_maps():
    lang = "pl"
    data = pd.read_csv(io.BytesIO(filled_template(lang)), sep=";", encoding="utf-8-sig", dtype=str)
    id_header = next(c.header for c in surveykit.columns(lang) if c.field == CUSTOMER_ID)
    data[id_header] = ""
    result = load_file(("\ufeff" + data.to_csv(index=False, sep=";")).encode(), "ankieta.csv")
    assert CUSTOMER_ID not in result.mapping and "recommend" in result.mapping
    assert set(service.item_scales(result.frame)) == set(DRIVERS)


@pytest.mark.parametrize("lang", LANGS)
def test_template_headers_are_translated_formula_safe_and_excel_friendly(lang):
    raw = surveykit.template_csv(lang)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the diacritics
    text = raw.decode("utf-8-sig")
    assert text.endswith("\r\n") and text.count("\r\n") == 1  # one header row, nothing else
    cells = text.rstrip("\r\n").split(surveykit.DELIMITERS[lang])
    assert cells == surveykit.headers(lang) and len(cells) == 2 + 5 * 3 + 4
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    if lang == "pl":
        assert "Bezpieczeństwo danych 1" in cells and "Obsługa klienta 3" in cells


def test_headers_differ_per_language_but_feed_the_same_fields():
    fields = {lang: [c.field for c in surveykit.columns(lang)] for lang in LANGS}
    assert fields["en"] == fields["nl"] == fields["pl"]
    assert len({tuple(surveykit.headers(lang)) for lang in LANGS}) == 3


@pytest.mark.parametrize("lang", LANGS)
def test_printable_html_is_self_contained_and_complete(lang):
    page = surveykit.printable_html(lang)
    assert not re.search(r"https?://|//[a-z]|<script|<link|src=|@import|url\(", page, re.IGNORECASE)
    for col in surveykit.columns(lang):
        assert col.text.replace("'", "&#x27;") in page and f"[{col.header}]" in page
    assert page.count('<span class="box">') == (15 + 2) * 5 + 11  # 15 items, trust, repurchase; 0-10


def test_pdf_prints_polish_diacritics():
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(surveykit.printable_pdf("pl")))
    text = " ".join(page.extract_text() for page in reader.pages)
    for word in ("Bezpieczeństwo", "Obsługa", "zadowoleniu", "Spójność", "ufam", "Dziękujemy"):
        assert word in text
    assert reader.metadata.title == "Ankieta dla klientów"


def test_accuracy_guide_matches_reference():
    rows = surveykit.accuracy_rows("en")
    assert list(rows.iloc[:, 0]) == ["50", "100", "200", "500", "1,000"]
    assert list(rows.iloc[:, 1]) == ["63%", "65%", "83%", "91%", "97%"]
    assert list(rows.iloc[:, 2]) == ["34%", "46%", "74%", "89%", "97%"]
