"""KPI chart builders: the right encodings, translated labels, small pre-aggregated data."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pytest

from loyalty.charts.nps import nps_distribution_chart, nps_segment_chart, nps_trend_chart
from loyalty.charts.repeat import gap_bins, purchase_gap_histogram, repeat_rate_chart
from loyalty.charts.retention import cohort_heatmap, retention_trend_chart
from loyalty.charts.theme import BAD, GOOD, NEUTRAL, SEQUENTIAL
from loyalty.charts.value import clv_distribution_chart, log_bins, rfm_segment_chart
from loyalty.i18n import t
from loyalty.kpi.nps import nps, nps_by_segment, nps_trend
from loyalty.kpi.repeat import purchase_gaps, repeat_rate_by_cohort, repeat_rate_by_segment
from loyalty.kpi.retention import cohort_table, retention_rates
from loyalty.kpi.rfm import SEGMENTS, rfm_segments, rfm_table
from loyalty.kpi.value import historical_clv
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE, RECOMMEND, SEGMENT


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    """Two years of purchases by 300 customers in two segments (known, seeded)."""
    rng = np.random.default_rng(5)
    n = 3000
    customers = rng.integers(0, 300, n)
    return pd.DataFrame(
        {
            CUSTOMER_ID: [f"c{c:03d}" for c in customers],
            DATE: pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730, n), unit="D"),
            AMOUNT: np.round(rng.gamma(2.0, 20.0, n), 2) * np.where(rng.random(n) < 0.03, -1, 1),
            SEGMENT: np.where(customers % 2 == 0, "web", "store"),
        }
    )


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(6)
    n = 400
    return pd.DataFrame(
        {
            RECOMMEND: rng.integers(0, 11, n).astype(float),
            DATE: pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
            SEGMENT: rng.choice(["a", "b", "c"], n, p=[0.5, 0.45, 0.05]),
        }
    )


def _text(lines: str | list[str]) -> str:
    """A wrapped title (list of lines) read as one string."""
    return lines if isinstance(lines, str) else " ".join(lines)


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _mark(layer: dict) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def _rows(spec: dict, layer: dict) -> list[dict]:
    name = layer.get("data", spec.get("data", {})).get("name")
    return spec["datasets"][name]


def test_nps_distribution_colours_each_score_by_group_in_the_language(survey):
    chart = nps_distribution_chart(nps(survey[RECOMMEND]), "pl")
    assert isinstance(chart, alt.Chart)
    spec = chart.to_dict()
    enc = spec["encoding"]
    assert enc["x"]["field"] == "score" and enc["y"]["field"] == "respondents"
    labels = [t(f"kpi.nps.group.{g}", "pl") for g in ("detractors", "passives", "promoters")]
    assert enc["color"]["scale"] == {"domain": labels, "range": [BAD, NEUTRAL, GOOD]}
    rows = _rows(spec, spec)
    assert [r["score"] for r in rows] == list(range(11))
    assert sum(r["respondents"] for r in rows) == len(survey)
    assert {r["group"] for r in rows if r["score"] >= 9} == {labels[2]}


def test_nps_trend_draws_the_interval_band_and_the_line(survey):
    trend = nps_trend(survey, period="quarter")
    spec = nps_trend_chart(trend, "nl").to_dict()
    layers = _layers(spec)
    band = next(layer for layer in layers if _mark(layer) == "area")
    assert band["encoding"]["y"]["field"] == "lo" and band["encoding"]["y2"]["field"] == "hi"
    line = next(layer for layer in layers if _mark(layer) == "line")
    assert line["encoding"]["y"]["field"] == "value"
    assert line["encoding"]["x"]["sort"] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert _text(spec["title"]["text"]) == t("kpi.chart.nps_trend.title", "nl")


def test_nps_segment_chart_greys_out_small_segments(survey):
    table = nps_by_segment(survey, SEGMENT, min_n=30)
    spec = nps_segment_chart(table, "en", min_n=30).to_dict()
    points = next(layer for layer in _layers(spec) if _mark(layer) == "point")
    assert points["encoding"]["y"]["field"] == "segment"
    rows = _rows(spec, spec)
    small = t("kpi.chart.too_small", "en", min_n=30)
    assert [r["status"] == small for r in rows] == list(table["too_small"])
    assert points["encoding"]["color"]["scale"]["range"][1] == NEUTRAL


def test_cohort_heatmap_encodes_period_and_cohort_with_percent_labels(transactions):
    table = cohort_table(transactions, period="quarter")
    chart = cohort_heatmap(table, "en", max_periods=6)
    assert isinstance(chart, alt.LayerChart)
    spec = chart.to_dict()
    rect = next(layer for layer in _layers(spec) if _mark(layer) == "rect")
    text = next(layer for layer in _layers(spec) if _mark(layer) == "text")
    assert rect["encoding"]["x"]["field"] == "periods_since"
    assert rect["encoding"]["y"]["field"] == "cohort"
    assert rect["encoding"]["color"]["field"] == "share"
    assert rect["encoding"]["color"]["scale"]["range"] == SEQUENTIAL
    assert text["encoding"]["text"]["field"] == "label"
    rows = _rows(spec, spec)
    assert {r["periods_since"] for r in rows} <= set(range(1, 7))  # column 0 (100%) left out
    first = next(r for r in rows if r["cohort"] == "2023Q1" and r["periods_since"] == 1)
    assert first["label"] == f"{round(100 * table.shares.loc['2023Q1', 1])}%"
    assert rect["encoding"]["x"]["title"] == t("kpi.chart.cohort.x.quarter", "en")


def test_retention_trend_shows_both_definitions_by_name(transactions):
    rates = retention_rates(transactions, period="quarter")
    spec = retention_trend_chart(rates, "pl").to_dict()
    names = [t("kpi.retention.rate_both", "pl"), t("kpi.retention.rate_common", "pl")]
    assert spec["encoding"]["color"]["field"] == "definition"
    assert spec["encoding"]["color"]["scale"]["domain"] == names
    rows = _rows(spec, spec)
    assert {r["definition"] for r in rows} == set(names)
    assert len(rows) == 2 * rates["rate_both"].notna().sum()


def test_repeat_rate_chart_by_cohort_and_by_segment(transactions):
    by_cohort = repeat_rate_chart(repeat_rate_by_cohort(transactions, period="quarter"), "en", by="cohort")
    spec = by_cohort.to_dict()
    bars = next(layer for layer in _layers(spec) if _mark(layer) == "bar")
    rules = next(layer for layer in _layers(spec) if _mark(layer) == "rule")
    assert bars["encoding"]["x"]["field"] == "cohort" and bars["encoding"]["y"]["field"] == "value"
    assert rules["encoding"]["y"]["field"] == "lo" and rules["encoding"]["y2"]["field"] == "hi"
    by_segment = repeat_rate_chart(
        repeat_rate_by_segment(transactions, SEGMENT), "nl", by="segment"
    ).to_dict()
    bars = next(layer for layer in _layers(by_segment) if _mark(layer) == "bar")
    assert bars["encoding"]["y"]["field"] == "segment" and bars["encoding"]["x"]["field"] == "value"
    assert _text(by_segment["title"]["text"]) == t("kpi.chart.repeat_segment.title", "nl")


def test_gap_histogram_is_pre_binned_and_marks_the_threshold(transactions):
    gaps = purchase_gaps(transactions)
    bins, cap = gap_bins(gaps)
    assert bins["count"].sum() == len(gaps)  # long gaps folded into the last bar, none lost
    assert bins["end"].iloc[-1] == cap
    spec = purchase_gap_histogram(gaps, "en", threshold_days=60).to_dict()
    layers = _layers(spec)
    assert layers[0]["encoding"]["x"]["field"] == "start" and layers[0]["encoding"]["x2"]["field"] == "end"
    rule = next(layer for layer in layers if _mark(layer) == "rule")
    assert _rows(spec, rule)[0]["days"] == 60
    assert len(_rows(spec, layers[0])) <= 30


def test_clv_distribution_uses_a_log_axis_and_reports_what_it_leaves_out(transactions):
    clv = historical_clv(transactions)
    bins, left_out = log_bins(clv["value"])
    assert bins["customers"].sum() + left_out == len(clv)
    assert np.allclose(bins["end"].to_numpy()[:-1], bins["start"].to_numpy()[1:])
    spec = clv_distribution_chart(clv, "en").to_dict()
    assert spec["encoding"]["x"]["scale"]["type"] == "log"
    assert spec["encoding"]["y"]["field"] == "customers"
    with_loss = pd.DataFrame({"value": [-5.0, 0.0, 10.0, 100.0]})
    chart = clv_distribution_chart(with_loss, "pl").to_dict()
    assert _text(chart["title"]["subtitle"]) == t("kpi.chart.clv.nonpositive", "pl", n="2")


def test_rfm_chart_lists_translated_segments_best_first(transactions):
    segments = rfm_segments(rfm_table(transactions))
    spec = rfm_segment_chart(segments, "nl", measure="revenue").to_dict()
    bars = next(layer for layer in _layers(spec) if _mark(layer) == "bar")
    assert bars["encoding"]["y"]["sort"] == [t(f"kpi.rfm.segment.{key}", "nl") for key in SEGMENTS]
    assert bars["encoding"]["x"]["field"] == "revenue"
    assert len(_rows(spec, spec)) == len(SEGMENTS)
