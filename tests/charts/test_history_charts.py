"""History charts: drivers then and now, and each KPI's line across saved assessments."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from loyalty.charts.history import (
    driver_comparison_chart,
    driver_frame,
    kpi_label,
    kpi_trend_charts,
    point_labels,
)
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


def test_driver_legend_sits_on_top_one_title_per_line_never_cut(pair):
    """Two long titles side by side under a half-width chart were clipped ("■ Workshop March ■ Work…")."""
    names = ("Workshop March 2026 with the whole sales team", "Workshop September 2026, after the CRM")
    for measure in ("importance", "performance"):
        legend = driver_comparison_chart(compare(*pair)["drivers"], measure, names, "en").to_dict()
        legend = legend["encoding"]["color"]["legend"]
        assert legend["orient"] == "top" and legend["direction"] == "vertical" and legend["columns"] == 1
        assert legend["labelLimit"] == 0 and legend["symbolLimit"] == 0  # 0: no truncation


def test_trend_y_axis_is_nice_padded_and_not_forced_to_zero(pair):
    y = kpi_trend_charts(kpi_trend(list(pair)), "en")["nps"].to_dict()["layer"][0]["encoding"]["y"]
    assert y["scale"]["zero"] is False and y["scale"]["nice"] is True and y["scale"]["padding"] > 0


def test_two_saves_on_one_day_get_distinct_x_labels():
    morning = _assessment("2026-03-01T09:15:00", 10.0, None, {}, {})
    afternoon = _assessment("2026-03-01T16:40:00", 12.0, None, {}, {})
    later = _assessment("2026-06-01T10:00:00", 15.0, None, {}, {})
    chart = kpi_trend_charts(kpi_trend([later, afternoon, morning]), "nl")["nps"]
    x = chart.to_dict()["layer"][0]["encoding"]["x"]
    assert x["field"] == "point" and x["type"] == "ordinal"
    labels = ["01-03-2026 09:15", "01-03-2026 16:40", "01-06-2026 10:00"]  # Dutch dates, with the time
    assert x["sort"] == labels and list(_data(chart)["point"]) == labels
    assert list(_data(chart)["value"]) == [10.0, 12.0, 15.0]


def test_point_labels_fall_back_to_titles_then_numbers():
    same = pd.Timestamp("2026-03-01 09:15")
    rows = pd.DataFrame({"created": [same, same], "title": ["Before", "After"]})
    assert point_labels(rows, "%Y-%m-%d") == ["Before (2026-03-01)", "After (2026-03-01)"]
    twins = pd.DataFrame({"created": [same, same], "title": ["Copy", "Copy"]})
    assert point_labels(twins, "%Y-%m-%d") == ["1. Copy (2026-03-01 09:15)", "2. Copy (2026-03-01 09:15)"]
