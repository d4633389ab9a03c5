"""Impact calculator: hand-computed cases for the geometric retention model and the NPS link."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty.plan import (
    Assumptions,
    Baseline,
    Estimate,
    baseline_from_data,
    geometric_value,
    nps_impact,
    period_value,
    retention_impact,
)
from loyalty.plan.impact import period_discount, periods_in, promoter_gain
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE

# Yearly periods over 36 months without discounting: V(r) = 100·(1 + r + r²).
HISTORY = Baseline(
    period="year",
    retention=Estimate(0.5, "share", 0.4, 0.6),
    active_customers=10,
    value_per_period=100.0,
    customers=None,
)
NO_DISCOUNT = Assumptions(retention_uplift_pp=10, horizon_months=36, annual_discount_rate=0.0)


def test_geometric_value_by_hand():
    assert geometric_value(0.5, 3, 100) == pytest.approx(175)  # 100 + 50 + 25
    assert geometric_value(0.5, 3, 100, discount=0.25) == pytest.approx(156)  # q = 0.4: 100 + 40 + 16
    assert geometric_value(1.2, 2, 10) == pytest.approx(20)  # retention is capped at 100%


def test_periods_and_discount_per_period():
    assert periods_in(12, "quarter") == 4
    assert periods_in(1, "year") == 1  # never zero periods
    assert period_discount(0.10, "year") == pytest.approx(0.10)
    assert (1 + period_discount(0.10, "quarter")) ** 4 == pytest.approx(1.10)


def test_period_value_is_the_mean_revenue_per_active_customer():
    tx = pd.DataFrame(
        {
            CUSTOMER_ID: ["A", "B", "A"],
            DATE: pd.to_datetime(["2024-01-05", "2024-02-01", "2024-04-10"]),
            AMOUNT: [100.0, 50.0, 30.0],
        }
    )
    # Q1: 150 / 2 customers = 75; Q2: 30 / 1 = 30; mean 52.5.
    assert period_value(tx, "quarter") == pytest.approx(52.5)


def test_retention_gain_on_history_with_its_interval():
    result = retention_impact(HISTORY, NO_DISCOUNT)
    assert result.basis == "history" and result.periods == 3
    # N·(V(0.6) - V(0.5)) = 10·(196 - 175) = 210.
    assert result.value_change.value == pytest.approx(210)
    assert result.value_change.unit == "money"
    # Across r in [0.4, 0.6]: 10·(V(0.5) - V(0.4)) = 190 and 10·(V(0.7) - V(0.6)) = 230.
    assert result.value_change.low == pytest.approx(190)
    assert result.value_change.high == pytest.approx(230)
    assert result.value_change_per_customer.value == pytest.approx(21)
    assert result.value_change_per_customer.unit == "money_per_customer"
    assert result.customers_kept.value == pytest.approx(1)  # 10 active × 10 points
    assert result.retention_target == pytest.approx(0.6)
    assert result.replacement_cost is None  # no acquisition cost given


def test_margin_and_acquisition_cost():
    a = Assumptions(retention_uplift_pp=10, horizon_months=36, annual_discount_rate=0.0, margin=0.5)
    result = retention_impact(HISTORY, Assumptions.from_dict({**a.to_dict(), "acquisition_cost": 50}))
    assert result.value_change.value == pytest.approx(105)
    assert result.replacement_cost.value == pytest.approx(50)  # 1 customer × 50


def test_retention_gain_scales_the_model_prediction():
    model = Baseline(
        **{**HISTORY.__dict__, "predicted_clv_total": 1000.0, "model_horizon_months": 36, "customers": 20}
    )
    result = retention_impact(model, NO_DISCOUNT)
    assert result.basis == "model"
    # 1000 · (V(0.6)/V(0.5) - 1) = 1000 · (196/175 - 1) = 120.
    assert result.value_change.value == pytest.approx(120)
    assert result.value_change_per_customer.value == pytest.approx(6)
    # The interval is the range of 1000·(V(g + 0.1)/V(g) - 1) over g in [0.4, 0.6].
    assert result.value_change.low == pytest.approx(1000 * (219 / 196 - 1))
    assert result.value_change.high == pytest.approx(1000 * (175 / 156 - 1))
    # Another horizon than the model's: history instead of a prediction for the wrong span.
    other = retention_impact(model, Assumptions.from_dict({**NO_DISCOUNT.to_dict(), "horizon_months": 12}))
    assert other.basis == "history"


def test_retention_cannot_exceed_one_hundred_percent():
    high = Baseline(**{**HISTORY.__dict__, "retention": Estimate(0.95, "share", 0.9, 1.0)})
    result = retention_impact(high, NO_DISCOUNT)
    assert result.retention_target == 1.0
    assert result.customers_kept.value == pytest.approx(0.5)
    assert result.value_change.low == pytest.approx(0.0)  # at r = 1 there is nothing left to gain


def test_no_transactions_means_no_retention_value():
    assert retention_impact(Baseline(), Assumptions()) is None


SURVEY = Baseline(
    nps=Estimate(20.0, "points", 10.0, 30.0),
    promoter_share=0.4,
    customers=100,
    promoter_gain=Estimate(30.0, "money_per_customer", -5.0, 60.0),
    promoter_gain_basis="clv",
)


def test_nps_gain_to_promoters_and_money():
    result = nps_impact(SURVEY, Assumptions(nps_uplift_points=10))
    assert result.nps_target.value == 30 and (result.nps_target.low, result.nps_target.high) == (20, 40)
    assert result.promoter_share_target == pytest.approx(0.5)
    assert result.extra_promoters.value == pytest.approx(10)  # 100 customers × 10%
    assert result.value.value == pytest.approx(300)
    assert (result.value.low, result.value.high) == pytest.approx((-50, 600))
    assert result.basis == "clv"
    half = nps_impact(SURVEY, Assumptions(nps_uplift_points=10, promoter_share_of_gain=0.5))
    assert half.extra_promoters.value == pytest.approx(5) and half.value.value == pytest.approx(150)


def test_nps_falls_back_on_the_articles_claim_without_an_interval():
    baseline = Baseline(**{**HISTORY.__dict__, "nps": SURVEY.nps, "promoter_share": 0.4, "customers": 100})
    a = Assumptions(nps_uplift_points=10, horizon_months=36, annual_discount_rate=0.0)
    result = nps_impact(baseline, a)
    # 10 new promoters × 0.67 × V(0.5) = 10 × 0.67 × 175.
    assert result.basis == "article"
    assert result.value.value == pytest.approx(10 * 0.67 * 175)
    assert not result.value.has_interval


def test_nps_without_transactions_values_no_money():
    result = nps_impact(Baseline(nps=SURVEY.nps, promoter_share=0.4), Assumptions(nps_uplift_points=10))
    assert result.promoter_share_target == pytest.approx(0.5)
    assert result.value is None and result.extra_promoters is None


def _trust_pays_row(group, metric, n, estimate, low, high):
    return {
        "grouping": "nps_group",
        "group": group,
        "metric": metric,
        "kind": "mean",
        "n": n,
        "estimate": estimate,
        "ci_low": low,
        "ci_high": high,
    }


def test_promoter_gain_uses_interval_arithmetic_and_prefers_clv():
    table = pd.DataFrame(
        [
            _trust_pays_row("promoter", "revenue", 50, 500.0, 400.0, 600.0),
            _trust_pays_row("passive", "revenue", 40, 300.0, 250.0, 350.0),
            _trust_pays_row("promoter", "clv", 50, 100.0, 80.0, 120.0),
            _trust_pays_row("passive", "clv", 40, 60.0, 50.0, 70.0),
        ]
    )
    gain, basis = promoter_gain(table)
    assert basis == "clv"
    assert (gain.value, gain.low, gain.high) == pytest.approx((40, 10, 70))
    gain, basis = promoter_gain(table[table["metric"] == "revenue"])
    assert basis == "revenue" and (gain.value, gain.low, gain.high) == pytest.approx((200, 50, 350))
    assert promoter_gain(None) == (None, None)


def test_baseline_reads_the_measure_dict():
    measured = {
        "window": {"period": "quarter"},
        # As measure() gives it: ``ci95`` is the common formula's interval, the strict rate has its own.
        "retention_rate": {
            "value": 1.12,
            "ci95": None,
            "value_both_periods": 0.7,
            "ci95_both_periods": [0.65, 0.75],
            "active_end": 288,
        },
        "nps": {"value": 27.9, "ci95": [18.4, 36.7], "shares": {"promoters": 0.486}},
        "clv": {"predicted_total": 8.5e6, "horizon": 52, "time_unit": "week", "customers": 600},
    }
    b = baseline_from_data(measured)
    assert b.retention == Estimate(0.7, "share", 0.65, 0.75)
    assert b.active_customers == 288 and b.customers == 600
    assert b.model_horizon_months == pytest.approx(12, abs=0.1)
    assert b.nps.value == 27.9 and b.promoter_share == 0.486
    assert b.value_per_period is None and not b.has_transactions  # no transactions given
    empty = baseline_from_data(None)
    assert empty.retention is None and empty.nps is None


def test_assumptions_label_the_articles_figures():
    a = Assumptions()
    assert a.is_article_default("acquisition_multiple") and a.is_article_default("loyal_spend_uplift")
    assert not a.is_article_default("margin")  # a plain default, not a claim
    edited = Assumptions.from_dict({"loyal_spend_uplift": 0.2, "unknown": 1})
    assert not edited.is_article_default("loyal_spend_uplift")
    assert Assumptions(acquisition_cost=100).retention_cost == pytest.approx(20)  # 100 / 5
    assert Assumptions().retention_cost == 0


def test_baseline_of_a_real_measure_keeps_the_strict_retention_interval():
    from loyalty.ingest import load_file
    from loyalty.measure import measure

    from ..conftest import ROOT

    path = ROOT / "sample_data" / "en_b2b" / "transactions.csv"
    tx = load_file(path.read_bytes(), path.name, kind="transactions").frame
    card = measure(tx, None)["retention_rate"]
    b = baseline_from_data(measure(tx, None), tx)
    assert (b.retention.low, b.retention.high) == pytest.approx(tuple(card["ci95_both_periods"]))
    assert b.retention.low < b.retention.value < b.retention.high
    result = retention_impact(b, Assumptions())
    assert result.value_change.has_interval
    assert result.value_change.low <= result.value_change.value <= result.value_change.high
