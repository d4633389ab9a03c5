"""Evidence is built faithfully from the Diagnose and Measure results."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE, DRIVERS, RECOMMEND, TRUST
from loyalty.strategies import (
    driver_evidence_from_diagnosis,
    driver_evidence_from_ratings,
    driver_evidence_from_report,
    driver_evidence_from_summary,
    evidence_from_data,
    kpi_evidence_from_measure,
    recommend,
)

from .conftest import built_for

#: Trust weights of the simulated survey (DRIVERS order): service dominates.
TRUST_WEIGHTS = np.array([0.10, 0.10, 0.60, 0.05, 0.15])
#: Mean answer per driver on 1-5: service is also the weakest.
MEANS = np.array([3.9, 3.8, 2.6, 4.0, 3.7])


def service_first_survey(n: int = 600, seed: int = 5) -> pd.DataFrame:
    """Return 1-5 driver ratings where service drives trust most and scores lowest."""
    rng = np.random.default_rng(seed)
    ratings = np.clip(np.round(MEANS + rng.normal(0, 0.9, size=(n, len(DRIVERS)))), 1, 5)
    trust = np.clip(np.round(ratings @ TRUST_WEIGHTS / TRUST_WEIGHTS.sum() + rng.normal(0, 0.5, n)), 1, 5)
    recommend_score = np.clip(np.round(2 * trust - 1 + rng.normal(0, 1.5, n)), 0, 10)
    survey = pd.DataFrame(ratings, columns=list(DRIVERS))
    survey[TRUST], survey[RECOMMEND] = trust, recommend_score
    return survey


@pytest.fixture(scope="module")
def diagnosis():
    from loyalty.drivers import diagnose

    return diagnose(service_first_survey(), bootstrap=100, seed=1, robustness=False)


def test_driver_evidence_matches_the_diagnosis_and_its_matrix(diagnosis):
    from loyalty.drivers import ipa_from_diagnosis

    evidence = {ev.driver: ev for ev in driver_evidence_from_diagnosis(diagnosis)}
    ipa = ipa_from_diagnosis(diagnosis)
    assert list(evidence) == list(DRIVERS)
    for i, driver in enumerate(ipa.drivers):
        ev = evidence[driver]
        assert ev.importance_share == pytest.approx(ipa.importance[i] / 100)
        assert ev.performance_0_100 == pytest.approx(ipa.performance[i])
        assert ev.ci_low <= ev.importance_share <= ev.ci_high
        assert ev.target == TRUST and ev.scale == (1.0, 5.0)
    assert sum(ev.importance_share for ev in evidence.values()) == pytest.approx(1.0)
    # The known truth: service explains most of trust and performs worst.
    assert max(evidence.values(), key=lambda e: e.importance_share).driver == "service"
    assert min(evidence.values(), key=lambda e: e.performance_0_100).driver == "service"


def test_a_diagnosed_survey_puts_service_strategies_first(diagnosis):
    ranked = recommend(evidence_from_data(diagnosis=diagnosis))
    assert ranked[0].strategy.id in built_for("service")
    assert ranked[0].explanation("en").startswith("Empathy and service is your most important driver (")


def test_a_saved_diagnosis_gives_the_same_evidence(diagnosis):
    saved = json.loads(json.dumps(diagnosis.to_dict()))
    restored = driver_evidence_from_summary(saved)
    for a, b in zip(driver_evidence_from_diagnosis(diagnosis), restored, strict=True):
        assert (a.driver, a.target) == (b.driver, b.target)
        assert a.importance_share == pytest.approx(b.importance_share)
        assert a.performance_0_100 == pytest.approx(b.performance_0_100)
        assert a.ci_low == pytest.approx(b.ci_low) and a.p_top == pytest.approx(b.p_top)


def test_the_diagnose_command_report_gives_the_same_evidence(diagnosis):
    # The documented shape of loyalty.diagnose.diagnosis_report: shares as fractions keyed by driver.
    direct = driver_evidence_from_diagnosis(diagnosis)
    report = {
        "mediator": TRUST,
        "importance_target": TRUST,
        "importance": {
            ev.driver: {"share": ev.importance_share, "ci95": [ev.ci_low, ev.ci_high], "p_top": ev.p_top}
            for ev in direct
        },
        "performance": {ev.driver: ev.performance_0_100 for ev in direct},
    }
    restored = driver_evidence_from_report(json.loads(json.dumps(report)))
    assert [(e.driver, e.importance_share, e.performance_0_100, e.ci_high) for e in restored] == [
        (e.driver, e.importance_share, e.performance_0_100, e.ci_high) for e in direct
    ]
    assert evidence_from_data(diagnosis=report).drivers == restored
    from loyalty.diagnose import diagnosis_report

    real = evidence_from_data(diagnosis=diagnosis_report(diagnosis)).drivers
    assert [(e.driver, e.importance_share, e.performance_0_100) for e in real] == [
        (e.driver, e.importance_share, e.performance_0_100) for e in direct
    ]


def test_kpi_evidence_reads_the_documented_measure_keys():
    result = {
        "nps": {
            "value": 12.5,
            "change": {"previous": 20.0, "current": 12.5, "p_value": 0.2, "partial": False},
        },
        "retention_rate": {
            "value": 0.9,  # the lenient (E - N)/S rate: not the one used
            "value_both_periods": 0.31,
            "change": {"previous": 0.36, "current": 0.31, "partial": False},
        },
        "repeat_purchase_rate": {
            "value": 0.22,
            "change": {"previous": 0.2, "current": 0.25, "partial": True},
        },
        "clv": {"historical_mean": 80.0, "change": {"previous": 50.0, "current": None}},
        "feedback": {
            "headline": {"field": "trust", "score": 61.0},
            "change": {"previous": float("nan"), "current": 61.0},
            "themes": {
                "price": {"count": 14, "nps_impact": -3.5, "small_sample": False},
                "product": {"count": 2, "nps_impact": None, "small_sample": True},
            },
        },
    }
    kpis = kpi_evidence_from_measure(result)
    assert (kpis.nps, kpis.nps_trend.delta, kpis.nps_trend.p_value) == (12.5, -7.5, 0.2)
    assert kpis.retention_rate == 0.31 and kpis.retention_trend.delta == pytest.approx(-0.05)
    assert kpis.repeat_purchase_rate == 0.22
    assert kpis.repeat_trend is None  # a partly observed previous period is not compared
    assert kpis.clv_trend is None and kpis.feedback_trend is None
    assert kpis.feedback_score == 61.0
    assert [(t.theme, t.count, t.nps_impact) for t in kpis.themes] == [("price", 14, -3.5)]


def test_missing_cards_give_empty_evidence():
    kpis = kpi_evidence_from_measure({"nps": None, "retention_rate": None, "feedback": None})
    assert not kpis.from_survey and not kpis.from_transactions
    assert evidence_from_data().level == "none"


def test_real_measure_output_on_transactions_only():
    from loyalty.measure import measure

    # 10 customers; A and B buy on two distinct days -> repeat purchase rate 2/10.
    rows = [("A", "2024-01-05", 10.0), ("A", "2024-02-07", 12.0), ("B", "2024-01-09", 20.0)]
    rows += [("B", "2024-03-02", 5.0)] + [(f"C{i}", f"2024-0{1 + i % 3}-1{i}", 15.0) for i in range(8)]
    tx = pd.DataFrame(rows, columns=[CUSTOMER_ID, DATE, AMOUNT]).assign(
        **{DATE: lambda f: pd.to_datetime(f[DATE])}
    )
    evidence = evidence_from_data(measure(tx, None, period="month"), business_type="B2C")
    assert evidence.level == "transactions" and evidence.drivers == ()
    assert evidence.kpis.repeat_purchase_rate == pytest.approx(0.2)
    top = recommend(evidence)[0]
    assert (
        top.strategy.kpis.get("repeat_purchase_rate", 0) >= 0.9
        or top.strategy.kpis.get("retention_rate", 0) >= 0.9
    )


def test_survey_ratings_without_a_driver_model_give_performance_only():
    feedback = {
        "ratings": [
            {"field": TRUST, "score": 60.0, "mean": 3.4, "scale_min": 1, "scale_max": 5},
            {"field": "service", "score": 37.5, "mean": 2.5, "scale_min": 1, "scale_max": 5},
            {"field": "reputation", "score": 75.0, "mean": 4.0, "scale_min": 1, "scale_max": 5},
            {"field": "consistency", "score": math.nan, "mean": None, "scale_min": 1, "scale_max": 5},
        ]
    }
    evidence = driver_evidence_from_ratings(feedback)
    assert [(e.driver, e.importance_share, e.performance_0_100) for e in evidence] == [
        ("service", None, 37.5),
        ("reputation", None, 75.0),
    ]
    ranked = recommend(evidence_from_data({"feedback": feedback}))
    assert ranked[0].evidence_level == "survey"
    assert ranked[0].explanation("en").startswith("Empathy and service is your lowest-rated driver (38/100)")
