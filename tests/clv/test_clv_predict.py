"""CLV prediction: explicit units, consistent horizons across units, discounting, margin."""

from __future__ import annotations

import numpy as np
import pytest

from loyalty.clv import predict_clv
from loyalty.clv.predict import discount_factors, step_ends

ONE_YEAR_WEEKS = 365.25 / 7


def test_discount_factor_comes_from_the_annual_rate():
    assert discount_factors(np.array([ONE_YEAR_WEEKS]), "week", 0.10)[0] == pytest.approx(1 / 1.1)
    assert discount_factors(np.array([12.0]), "month", 0.10)[0] == pytest.approx(1 / 1.1)
    assert discount_factors(np.array([365.25]), "day", 0.10)[0] == pytest.approx(1 / 1.1)
    assert discount_factors(np.array([24.0]), "month", 0.10)[0] == pytest.approx(1 / 1.21)


def test_step_ends_close_a_partial_last_step():
    np.testing.assert_allclose(step_ends(3.0, 1.0), [1, 2, 3])
    np.testing.assert_allclose(step_ends(2.5, 1.0), [1, 2, 2.5])


def test_weekly_and_daily_models_agree_on_a_one_year_horizon(
    cdnow_bgnbd, cdnow_bgnbd_days, cdnow_gg, cdnow_summary, cdnow_summary_days
):
    weekly = predict_clv(cdnow_bgnbd, cdnow_gg, cdnow_summary, horizon=ONE_YEAR_WEEKS, time_unit="week")
    daily = predict_clv(cdnow_bgnbd_days, cdnow_gg, cdnow_summary_days, horizon=365.25, time_unit="day")
    np.testing.assert_allclose(weekly["expected_purchases"], daily["expected_purchases"], rtol=1e-4)
    np.testing.assert_allclose(weekly["p_alive"], daily["p_alive"], rtol=1e-6)
    # Only the discount timing differs (weekly vs daily steps): well under 1%.
    assert daily["clv"].sum() == pytest.approx(weekly["clv"].sum(), rel=0.005)
    np.testing.assert_allclose(weekly["clv"], daily["clv"], rtol=0.01)


def test_horizon_unit_may_differ_from_model_unit(cdnow_bgnbd_days, cdnow_gg, cdnow_summary_days):
    in_days = predict_clv(
        cdnow_bgnbd_days, cdnow_gg, cdnow_summary_days, horizon=364, time_unit="day", step=7
    )
    in_weeks = predict_clv(cdnow_bgnbd_days, cdnow_gg, cdnow_summary_days, horizon=52, time_unit="week")
    np.testing.assert_allclose(in_days.to_numpy(), in_weeks.to_numpy(), rtol=1e-10)


def test_no_discount_means_spend_times_purchases(cdnow_bgnbd, cdnow_gg, cdnow_summary):
    p = predict_clv(
        cdnow_bgnbd, cdnow_gg, cdnow_summary, horizon=52, time_unit="week", annual_discount_rate=0.0
    )
    np.testing.assert_allclose(p["clv"], p["expected_spend"] * p["expected_purchases"], rtol=1e-10)
    # Discounting can only lower the value, and a margin scales it.
    d = predict_clv(cdnow_bgnbd, cdnow_gg, cdnow_summary, horizon=52, time_unit="week", margin=0.3)
    assert np.all(d["clv"] <= 0.3 * p["clv"] + 1e-12)
    assert d["clv"].sum() > 0.3 * 0.9 * p["clv"].sum()


def test_prediction_columns_and_spot_customer(cdnow_bgnbd, cdnow_gg, cdnow_summary):
    p = predict_clv(cdnow_bgnbd, cdnow_gg, cdnow_summary, horizon=39, time_unit="week")
    assert list(p.columns) == ["p_alive", "expected_purchases", "expected_spend", "clv"]
    assert p.index.equals(cdnow_summary.index)
    # Customer 00004 is Hardie's spot-check customer (x = 2, t_x = 30.43, T = 38.86).
    assert p.loc["00004", "expected_purchases"] == pytest.approx(1.226, abs=0.005)
    assert p.loc["00004", "p_alive"] == pytest.approx(0.727, abs=0.005)


def test_without_spend_model_clv_is_missing(cdnow_bgnbd, cdnow_summary):
    p = predict_clv(cdnow_bgnbd, None, cdnow_summary, horizon=52, time_unit="week")
    assert p["clv"].isna().all() and p["expected_purchases"].notna().all()


def test_unit_mismatch_and_bad_horizon_raise(cdnow_bgnbd, cdnow_gg, cdnow_summary_days, cdnow_summary):
    with pytest.raises(ValueError):
        predict_clv(cdnow_bgnbd, cdnow_gg, cdnow_summary_days, horizon=52, time_unit="week")
    with pytest.raises(ValueError):
        predict_clv(cdnow_bgnbd, cdnow_gg, cdnow_summary, horizon=0, time_unit="week")
