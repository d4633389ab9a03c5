"""The recommender ranks by the evidence: the fix-first driver, weak KPIs, themes and business type."""

from __future__ import annotations

import json
import random

import pytest

from loyalty.schema import DRIVERS
from loyalty.strategies import (
    DriverEvidence,
    Evidence,
    KpiEvidence,
    ThemeEvidence,
    Trend,
    find_problems,
    get_strategy,
    recommend,
    strategies,
)
from loyalty.strategies.catalog import parse_catalog

from .conftest import built_for, fix_first, ids
from .test_catalog import raw_catalog


@pytest.mark.parametrize("driver", DRIVERS)
def test_strategies_built_for_the_fix_first_driver_rank_on_top(driver):
    ranked = recommend(fix_first(driver))
    tied = built_for(driver)
    top = ids(ranked)[: min(3, len(tied))]
    assert set(top) <= tied, (driver, top)
    # The winner is a strategy with the strongest weight on that driver.
    strongest = max(s.drivers.get(driver, 0) for s in strategies())
    assert ranked[0].strategy.drivers[driver] == strongest
    assert ranked[0].main_reason.problem.key == f"driver:{driver}"
    # Every strategy built for the driver outranks every strategy that does not touch it.
    rank = {r.strategy.id: r.rank for r in ranked}
    untouched = [s.id for s in strategies() if driver not in s.drivers]
    assert max(rank[s] for s in tied) < min(rank[s] for s in untouched)


def test_the_score_is_the_severity_weighted_relevance_times_the_fit_factor():
    # Two strategies, two driver problems, computed by hand from scoring.json:
    # service 50/100 -> severity 1 (at "poor"), importance 0.6 (the top) -> sigma 1.0;
    # reputation 65/100 -> severity 0.5, importance 0.3 / 0.6 -> sigma 0.25.
    raw = raw_catalog()
    a, b = raw["strategies"][0], raw["strategies"][1]
    a.update(drivers={"service": 1.0}, fit={"b2b": 0.6, "b2c": 1.0})
    b.update(drivers={"reputation": 1.0, "service": 0.2}, fit={"b2b": 1.0, "b2c": 1.0})
    raw["strategies"] = [a, b]
    drivers = (DriverEvidence("service", 0.6, 50.0), DriverEvidence("reputation", 0.3, 65.0))
    ranked = recommend(Evidence(drivers=drivers, business_type="B2B"), catalog=parse_catalog(raw))
    by_id = {r.strategy.id: r for r in ranked}
    assert by_id[a["id"]].match == pytest.approx(1.0 / 1.25)
    assert by_id[a["id"]].score == pytest.approx(0.8 * (0.5 + 0.5 * 0.6))
    assert by_id[b["id"]].match == pytest.approx((0.2 + 0.25) / 1.25)
    assert by_id[b["id"]].score == pytest.approx(0.36)
    assert ids(ranked) == [a["id"], b["id"]]
    contributions = [r.contribution for r in by_id[b["id"]].reasons]
    assert contributions == pytest.approx([0.25 / 1.25, 0.2 / 1.25])


def test_transactions_only_with_a_low_repeat_rate_puts_repeat_strategies_first():
    low_repeat = Evidence(kpis=KpiEvidence(repeat_purchase_rate=0.10, retention_rate=0.45))
    low_retention = Evidence(kpis=KpiEvidence(repeat_purchase_rate=0.45, retention_rate=0.10))
    assert low_repeat.level == "transactions"
    ranked = recommend(low_repeat)
    assert all(r.strategy.kpis.get("repeat_purchase_rate", 0) >= 0.9 for r in ranked[:4])
    assert ranked[0].main_reason.problem.key == "kpi:repeat_purchase_rate"
    assert "10.0%" in ranked[0].explanation("en")
    # Compared with a business whose weakness is retention, repeat movers climb.
    repeat_movers = [s.id for s in strategies() if s.kpis.get("repeat_purchase_rate", 0) >= 0.9]
    rank_low = {r.strategy.id: r.rank for r in ranked}
    rank_ret = {r.strategy.id: r.rank for r in recommend(low_retention)}
    assert sum(rank_low[s] for s in repeat_movers) < sum(rank_ret[s] for s in repeat_movers)
    assert ids(recommend(low_retention))[0] == "reactivation_analytics"  # the only retention weight of 1


def test_a_falling_repeat_rate_counts_even_when_its_level_is_fine():
    falling = Evidence(kpis=KpiEvidence(repeat_purchase_rate=0.45, repeat_trend=Trend(0.40, 0.32)))
    (problem,) = find_problems(falling)
    assert (problem.key, problem.aspect) == ("kpi:repeat_purchase_rate", "trend")
    assert problem.severity == pytest.approx(0.8)  # a drop of 8 points, 10 points is "poor"
    assert "from 40.0% to 32.0%" in recommend(falling)[0].explanation("en")


@pytest.mark.parametrize("business_type", ["B2B", "B2C"])
def test_business_type_scales_each_score_by_its_fit(business_type):
    evidence = Evidence(kpis=KpiEvidence(repeat_purchase_rate=0.10))
    neutral = {r.strategy.id: r.score for r in recommend(evidence)}
    typed = recommend(Evidence(kpis=evidence.kpis, business_type=business_type))
    for rec in typed:
        fit = rec.strategy.fit[business_type.lower()]
        assert rec.score == pytest.approx(neutral[rec.strategy.id] * (0.5 + 0.5 * fit))


def test_b2b_and_b2c_order_differ_where_fit_differs():
    kpis = KpiEvidence(repeat_purchase_rate=0.10)
    b2b = {r.strategy.id: r.rank for r in recommend(Evidence(kpis=kpis, business_type="b2b"))}
    b2c = {r.strategy.id: r.rank for r in recommend(Evidence(kpis=kpis, business_type="b2c"))}
    # Loyalty cards are a B2C tool (fit 0.3 vs 1.0); a CRM a B2B one (1.0 vs 0.7).
    assert b2c["loyalty_cards"] < b2b["loyalty_cards"]
    assert b2b["crm"] < b2c["crm"]
    assert min(b2c, key=b2c.get) in {"loyalty_cards", "personalise", "email_segmentation"}
    assert min(b2b, key=b2b.get) != "loyalty_cards"


def test_a_comment_theme_that_lowers_the_nps_points_at_its_drivers():
    # Price complaints are about transparency of prices: the communication driver.
    price = Evidence(kpis=KpiEvidence(themes=(ThemeEvidence("price", 40, -6.0),)))
    assert price.level == "survey"
    ranked = recommend(price)
    assert ranked[0].strategy.id == "stay_in_touch"  # communication weight 1.0
    assert "communication" in ranked[0].strategy.main_drivers
    # A theme that raises the NPS, or an unknown theme, is no problem.
    assert find_problems(Evidence(kpis=KpiEvidence(themes=(ThemeEvidence("price", 40, 3.0),)))) == []
    assert find_problems(Evidence(kpis=KpiEvidence(themes=(ThemeEvidence("weather", 4, -9.0),)))) == []
    small = find_problems(Evidence(kpis=KpiEvidence(themes=(ThemeEvidence("price", 4, -6.0, True),))))
    assert small[0].severity == pytest.approx(0.5)


def test_an_nps_drop_that_is_not_significant_counts_half():
    significant = find_problems(Evidence(kpis=KpiEvidence(nps_trend=Trend(40, 30, p_value=0.01))))
    uncertain = find_problems(Evidence(kpis=KpiEvidence(nps_trend=Trend(40, 30, p_value=0.40))))
    assert significant[0].severity == pytest.approx(1.0)
    assert uncertain[0].severity == pytest.approx(0.5)
    assert uncertain[0].aspect == "trend_uncertain"


def test_with_a_diagnosis_the_survey_outcomes_count_half():
    kpis = KpiEvidence(nps=0.0, feedback_score=50.0, repeat_purchase_rate=0.15)
    alone = {p.key: p.severity for p in find_problems(Evidence(kpis=kpis))}
    with_diagnosis = {p.key: p.severity for p in find_problems(fix_first("service", kpis=kpis))}
    assert alone["kpi:nps"] == alone["kpi:feedback"] == alone["kpi:repeat_purchase_rate"] == 1.0
    assert with_diagnosis["kpi:nps"] == with_diagnosis["kpi:feedback"] == 0.5
    assert with_diagnosis["kpi:repeat_purchase_rate"] == 1.0  # behaviour is not what the survey explains


def test_a_weak_but_unimportant_driver_matters_less_than_the_fix_first_one():
    drivers = (
        DriverEvidence("consistency", 0.50, 55.0),  # important and weak
        DriverEvidence("data_security", 0.05, 30.0),  # weakest of all, but explains little
    )
    problems = {p.key: p for p in find_problems(Evidence(drivers=drivers))}
    assert problems["driver:consistency"].severity == pytest.approx((80 - 55) / 30)
    assert problems["driver:data_security"].severity == pytest.approx(0.05 / 0.50)
    assert problems["driver:consistency"].aspect == "top"
    assert problems["driver:data_security"].aspect == "weakest"


def test_a_clv_decline_is_relative():
    (problem,) = find_problems(Evidence(kpis=KpiEvidence(clv_trend=Trend(100.0, 90.0))))
    assert problem.severity == pytest.approx(0.5)  # -10% where -20% is "poor"


def test_no_evidence_ranks_by_fit_then_effort_time_cost_and_catalog_order():
    ranked = recommend(Evidence(business_type="B2B"))
    assert ranked[0].evidence_level == "none" and all(r.score == 0 for r in ranked)
    level = {"low": 0, "medium": 1, "high": 2}
    time = {"short": 0, "medium": 1, "long": 2}
    keys = [
        (-r.fit_factor, level[s.effort], time[s.time_to_impact], level[s.cost], s.order)
        for r in ranked
        for s in [r.strategy]
    ]
    assert keys == sorted(keys)
    assert ids(ranked)[:2] == ["complaint_management", "train_teams"]  # fit 1.0; low effort before medium


def test_the_ranking_is_deterministic_whatever_the_catalog_order():
    evidence = fix_first("reputation", kpis=KpiEvidence(nps=10.0, repeat_purchase_rate=0.2))
    expected = ids(recommend(evidence))
    shuffled = list(strategies())
    random.Random(7).shuffle(shuffled)
    assert ids(recommend(evidence, catalog=shuffled)) == expected
    assert [r.rank for r in recommend(evidence)] == list(range(1, len(expected) + 1))


def test_limit_and_json_output():
    top = recommend(fix_first("service"), limit=5)
    assert len(top) == 5
    payload = json.loads(json.dumps([r.to_dict("pl") for r in top], ensure_ascii=False))
    assert payload[0]["id"] == top[0].strategy.id and payload[0]["reasons"][0]["problem"] == "driver:service"
    assert payload[0]["explanation"] == top[0].explanation("pl")


@pytest.mark.parametrize(
    ("evidence", "level"),
    [
        (Evidence(), "none"),
        (Evidence(kpis=KpiEvidence(retention_rate=0.3)), "transactions"),
        (Evidence(kpis=KpiEvidence(nps=12.0)), "survey"),
        (fix_first("service"), "survey"),
        (fix_first("service", kpis=KpiEvidence(repeat_purchase_rate=0.3)), "survey_and_transactions"),
        (Evidence(drivers=(DriverEvidence("service", None, 50.0),), self_assessed=True), "self_assessment"),
    ],
)
def test_the_evidence_level_names_the_input(evidence, level):
    assert evidence.level == level
    assert recommend(evidence)[0].evidence_level == level


def test_a_strategy_that_addresses_nothing_found_gets_no_reasons():
    ranked = recommend(Evidence(kpis=KpiEvidence(clv_trend=Trend(100.0, 50.0))))
    unrelated = [r for r in ranked if r.score == 0]
    assert unrelated and all(r.reasons == () for r in unrelated)
    assert get_strategy("train_teams").id in {r.strategy.id for r in unrelated}  # moves no CLV
