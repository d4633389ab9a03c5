"""compare() and kpi_trend() on hand-made assessments with hand-computed answers."""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime

import pytest
from scipy.stats import norm

from loyalty.store.compare import compare, kpi_trend
from tests.store.conftest import make_assessment


def _new():
    """REFERENCE §3's second quarter (P = 210, D = 80, n = 460) and moved drivers."""
    old = make_assessment()
    return make_assessment(
        title="Q2 workshop",
        created=datetime(2025, 6, 20),
        kpis={
            "nps": {"value": 100 * 130 / 460, "n": 460, "promoters": 210, "passives": 170, "detractors": 80},
            "retention_rate": {"value": 1.12, "value_both_periods": 0.45},
            "repeat_purchase_rate": {"value": 0.2},
            "clv": {"historical_mean": 150.0},
            "feedback": None,
        },
        diagnosis={
            "importance": {
                "service": {"share": 0.4, "ci95": [0.3, 0.5], "p_top": 0.6},
                "reputation": {"share": 0.35, "ci95": [0.2, 0.5], "p_top": 0.4},
                "data_security": {"share": 0.25, "ci95": [0.1, 0.4], "p_top": 0.0},
            },
            "performance": {"service": 60.0, "reputation": 72.0, "data_security": 50.0},
        },
        actions=[dataclasses.replace(a, status="done") for a in old.actions],
    )


def _adjusted(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    """Adjusted NPS (points) and variance, written out from REFERENCE §3."""
    p, d = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
    return 100 * (p - d), (p + d - (p - d) ** 2) / (n + 3)


def test_kpi_deltas():
    kpis = compare(make_assessment(), _new())["kpis"]
    assert kpis["nps"]["old"] == 20.0
    assert kpis["nps"]["delta"] == pytest.approx(28.26086956521739 - 20.0)
    assert kpis["retention_rate"] == pytest.approx({"old": 0.4, "new": 0.45, "delta": 0.05})
    assert kpis["repeat_purchase_rate"] == pytest.approx({"old": 0.25, "new": 0.2, "delta": -0.05})
    assert kpis["clv"] == {"old": 120.0, "new": 150.0, "delta": 30.0}
    assert kpis["feedback"] == {"old": 60.0, "new": None, "delta": None}


def test_nps_change_matches_the_reference_worked_example():
    test = compare(make_assessment(), _new())["nps_test"]
    (nps1, var1), (nps2, var2) = _adjusted(180, 90, 450), _adjusted(210, 80, 460)
    z = (nps2 - nps1) / (100 * math.sqrt(var1 + var2))
    assert test["z"] == pytest.approx(z, rel=1e-12)
    assert test["p"] == pytest.approx(2 * norm.sf(z), rel=1e-12)
    # REFERENCE.md §3: "+8.2 points, with z ≈ 1.67, p ≈ 0.095: not significant".
    assert round(test["delta"], 1) == 8.2
    assert round(test["z"], 2) == 1.67
    assert round(test["p"], 3) == 0.095
    assert test["significant"] is False


def test_nps_test_is_none_without_answers_in_both():
    without = make_assessment(kpis={"nps": None})
    assert compare(make_assessment(), without)["nps_test"] is None
    assert compare(without, without)["kpis"]["nps"] == {"old": None, "new": None, "delta": None}


def test_a_large_change_is_significant():
    big = make_assessment(kpis={"nps": {"value": 50.0, "promoters": 300, "passives": 100, "detractors": 50}})
    assert compare(make_assessment(), big)["nps_test"]["significant"] is True


def test_drivers_side_by_side():
    rows = compare(make_assessment(), _new())["drivers"]
    assert rows == [
        {"driver": "service", "importance_old": 0.5, "importance_new": 0.4,
         "performance_old": 55.0, "performance_new": 60.0},
        {"driver": "reputation", "importance_old": 0.3, "importance_new": 0.35,
         "performance_old": 70.0, "performance_new": 72.0},
        {"driver": "data_security", "importance_old": None, "importance_new": 0.25,
         "performance_old": None, "performance_new": 50.0},
        {"driver": "communication", "importance_old": 0.2, "importance_new": None,
         "performance_old": 40.0, "performance_new": None},
    ]  # fmt: skip


def test_progress_counts_every_status():
    progress = compare(make_assessment(), _new())["progress"]
    assert progress == {"old": {"todo": 1, "doing": 1, "done": 1}, "new": {"todo": 0, "doing": 0, "done": 3}}


def test_kpi_trend_is_long_and_oldest_first():
    later = make_assessment(title="later", created=datetime(2025, 9, 1), kpis={"nps": {"value": 35.0}})
    frame = kpi_trend([later, _new(), make_assessment()])
    assert list(frame.columns[:4]) == ["created", "title", "kpi", "value"]
    nps = frame[frame["kpi"] == "nps"]
    assert nps["title"].tolist() == ["Q1 workshop", "Q2 workshop", "later"]
    assert nps["value"].tolist() == pytest.approx([20.0, 28.26086956521739, 35.0])
    assert frame[frame["kpi"] == "clv"]["value"].tolist() == [120.0, 150.0]
    assert frame[frame["kpi"] == "feedback"]["value"].tolist() == [60.0]
    assert len(frame) == 5 + 4 + 1
    assert kpi_trend([]).empty and list(kpi_trend([]).columns[:4]) == ["created", "title", "kpi", "value"]
