"""CLV charts: they build, carry translated titles, and show the right numbers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from loyalty.charts import clv as charts
from loyalty.charts.theme import wrap
from loyalty.clv import fit_clv
from loyalty.i18n import LANGS, t

from .conftest import CALIBRATION_END


@pytest.fixture(scope="module")
def result(cdnow):
    return fit_clv(cdnow, calibration_end=CALIBRATION_END)


@pytest.mark.parametrize("lang", LANGS)
def test_all_charts_build_with_translated_titles(result, lang):
    specs = {
        "clv.chart.holdout.title": charts.holdout_frequency_chart(result.holdout, lang),
        "clv.chart.cumulative.title": charts.cumulative_chart(result.holdout, lang),
        "clv.chart.p_alive.title": charts.p_alive_heatmap(result.bgnbd, result.summary, lang),
        "clv.chart.clv_hist.x": charts.clv_histogram(result.predictions, lang, horizon=52, time_unit="week"),
    }
    for key, chart in specs.items():
        text = json.dumps(chart.to_dict(), ensure_ascii=False)
        # Titles are wrapped into lines (never cut at 1280 px), so look for each line.
        assert all(line in text for line in wrap(t(key, lang)))


def test_cumulative_chart_marks_the_calibration_end(result):
    spec = json.dumps(charts.cumulative_chart(result.holdout, "nl").to_dict(), ensure_ascii=False)
    assert "1997-09-30" in spec and t("clv.chart.cumulative.calibration_end", "nl") in spec


def test_p_alive_grid_matches_the_model(result):
    T = float(result.summary["T"].max())
    grid = charts.p_alive_grid(result.bgnbd, T, max_frequency=10, bins=20)
    assert len(grid) == 10 * 20
    assert grid["p_alive"].between(0, 1).all()
    row = grid.iloc[0]
    assert row["p_alive"] == pytest.approx(float(result.bgnbd.p_alive(row["frequency"], row["recency"], T)))


def test_histogram_counts_every_customer(result):
    bins, cap = charts.clv_histogram_bins(result.predictions["clv"])
    assert bins["customers"].sum() == len(result.predictions)
    assert cap == pytest.approx(np.quantile(result.predictions["clv"], 0.99))
