"""History charts: drivers then and now, and each KPI's line across saved assessments."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from loyalty.charts.history import driver_comparison_chart, driver_frame, kpi_label, kpi_trend_charts
from loyalty.i18n import t
from loyalty.store import Assessment
from loyalty.store.compare import compare, kpi_trend

NAMES = ("March", "September")


def _assessment(created: str, nps: float, retention: float | None, importance: dict, performance: dict):
    kpis = {"nps": {"value": nps, "promoters": 40, "passives": 30, "detractors": 30}}
    if retention is not None:
        kpis["retention_rate"] = {"value_both_periods": retention}
    return Assessment(
        client="Acme",
        title=created,
        created=datetime.fromisoformat(created),
        kpis=kpis,
        diagnosis={
            "importance": {d: {"share": s} for d, s in importance.items()},
            "performance": performance,
        },
    )


@pytest.fixture()
def pair():
    old = _assessment(
        "2026-03-01", 10.0, 0.40, {"service": 0.5, "reputation": 0.3}, {"service": 60.0, "reputation": 70.0}
    )
    new = _assessment("2026-09-01", 18.5, 0.45, {"service": 0.4, "consistency": 0.2}, {"service": 66.0})
    return old, new


def _data(chart) -> pd.DataFrame:
    spec = chart.to_dict()
    return pd.DataFrame(spec["datasets"][spec["data"]["name"]])


def test_driver_frame_keeps_each_side_that_has_a_value(pair):
    drivers = compare(*pair)["drivers"]
    frame = driver_frame(drivers, "importance", NAMES, "en")
    got = {(r.driver, r.assessment): r.value for r in frame.itertuples()}
    service, reputation, consistency = [
        t(f"field.{d}", "en") for d in ("service", "reputation", "consistency")
    ]
    assert got == {
        (service, "March"): 0.5,
        (service, "September"): 0.4,
        (reputation, "March"): 0.3,  # dropped from the later diagnosis: only its old bar
        (consistency, "September"): 0.2,  # new in the later one: only its new bar
    }


def test_driver_chart_groups_old_and_new_bars_per_driver(pair):
    drivers = compare(*pair)["drivers"]
    chart = driver_comparison_chart(drivers, "performance", NAMES, "nl")
    spec = chart.to_dict()
    enc = spec["encoding"]
    assert spec["mark"]["type"] == "bar"
    assert enc["y"]["field"] == "driver" and enc["yOffset"]["field"] == "assessment"
    assert enc["color"]["scale"]["domain"] == list(NAMES)
    assert enc["x"]["title"] == t("history.chart.performance", "nl")
    data = _data(chart)
    assert set(data["driver"]) == {t("field.service", "nl"), t("field.reputation", "nl")}
    assert sorted(data["value"]) == [60.0, 66.0, 70.0]
    # Importance reads as a share (percent axis); performance as a 0-100 score.
    importance = driver_comparison_chart(drivers, "importance", NAMES, "en").to_dict()
    assert importance["encoding"]["x"]["axis"]["format"] == ".0%"
    assert enc["x"]["axis"]["format"] == ".0f"


def test_driver_chart_is_none_without_any_diagnosis():
    empty = Assessment(client="Acme", title="x", created=datetime(2026, 1, 1))
    assert driver_comparison_chart(compare(empty, empty)["drivers"], "importance", NAMES) is None
    with pytest.raises(ValueError):
        driver_comparison_chart([], "speed", NAMES)


def test_one_trend_chart_per_kpi_with_its_values_in_date_order(pair):
    old, new = pair
    third = _assessment("2026-06-01", 14.0, None, {}, {})
    trend = kpi_trend([new, old, third])
    charts = kpi_trend_charts(trend, "pl")
    assert list(charts) == ["nps", "retention_rate"]
    nps = charts["nps"].to_dict()
    assert [layer["mark"]["type"] for layer in nps["layer"]] == ["line", "point"]
    assert nps["title"]["text"] == [kpi_label("nps", "pl")]
    points = _data(charts["nps"])
    assert list(points["value"]) == [10.0, 14.0, 18.5]  # oldest first, whatever order they came in
    x = nps["layer"][0]["encoding"]["x"]["axis"]
    assert x["format"] == "%d.%m.%Y"  # Polish dates, one tick per assessment
    ticks = [(v["year"], v["month"], v["date"]) for v in x["values"]]
    assert ticks == [(2026, 3, 1), (2026, 6, 1), (2026, 9, 1)]
    retention = charts["retention_rate"].to_dict()
    assert retention["layer"][0]["encoding"]["y"]["axis"]["format"] == ".0%"
    assert list(_data(charts["retention_rate"])["value"]) == [0.40, 0.45]  # the June one has none


def test_no_trend_charts_without_values():
    assert kpi_trend_charts(kpi_trend([]), "en") == {}
    assert kpi_label("unknown_kpi", "en") == "unknown_kpi"
