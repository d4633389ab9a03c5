"""Holdout check: per-frequency groups and the cumulative n_s(t) tracking curve on CDNOW."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from loyalty.clv import holdout_check, summary_data_from_transactions

from .conftest import CALIBRATION_END


@pytest.fixture(scope="module")
def check(cdnow_bgnbd, cdnow_summary):
    return holdout_check(cdnow_bgnbd, cdnow_summary, tracking_unit="day")


def test_frequency_groups_cover_every_customer(check, cdnow_summary, cdnow_bgnbd):
    g = check.by_frequency
    assert list(g["group"]) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert g["n_customers"].sum() == len(cdnow_summary)
    assert g.loc[0, "n_customers"] == 1411
    zero = cdnow_summary[cdnow_summary["frequency"] == 0]
    assert g.loc[0, "actual"] == pytest.approx(zero["frequency_holdout"].mean())
    want = cdnow_bgnbd.expected_purchases(39.0, zero["frequency"], zero["recency"], zero["T"]).mean()
    assert g.loc[0, "predicted"] == pytest.approx(want)
    assert (g["n_customers"] * g["predicted"]).sum() == pytest.approx(check.predicted_total)
    assert check.actual_total == cdnow_summary["frequency_holdout"].sum()


def test_holdout_predictions_track_reality(check):
    # FHL 2005 fig. 4: conditional expectations rise with past frequency and stay close to actuals.
    g = check.by_frequency
    assert np.all(np.diff(g["predicted"]) > 0)
    assert np.all(np.abs(g["predicted"] - g["actual"]) < 0.4)


def test_cumulative_curve_is_the_cohort_sum(check, cdnow_bgnbd, cdnow_summary):
    c = check.cumulative
    assert c["date"].iloc[0] == pd.Timestamp("1997-01-01")
    assert c["date"].iloc[-1] == pd.Timestamp("1998-06-30")
    at_cal = c.loc[c["date"] == pd.Timestamp(CALIBRATION_END)].iloc[0]
    # Actual: every calibration repeat purchase; predicted: Σ_i E[X(T_i)].
    assert at_cal["actual"] == cdnow_summary["frequency"].sum()
    assert at_cal["predicted"] == pytest.approx(
        cdnow_bgnbd.expected_purchases_unconditional(cdnow_summary["T"]).sum(), rel=1e-9
    )
    total = cdnow_summary["frequency"].sum() + cdnow_summary["frequency_holdout"].sum()
    assert c["actual"].iloc[-1] == total
    assert np.all(np.diff(c["actual"]) >= 0) and np.all(np.diff(c["predicted"]) >= 0)
    # Within 5% at the end of the 78 weeks, as in FHL 2005 fig. 2.
    assert c["predicted"].iloc[-1] == pytest.approx(total, rel=0.05)


def test_weekly_tracking_ends_at_the_calibration_week(cdnow_bgnbd, cdnow_summary):
    weekly = holdout_check(cdnow_bgnbd, cdnow_summary, tracking_unit="week").cumulative
    assert len(weekly) == 78  # 546 days = 78 weeks
    assert pd.Timestamp(CALIBRATION_END) in set(weekly["date"])


def test_to_dict_is_json(check):
    d = check.to_dict()
    json.dumps(d)
    assert d["calibration_end"] == CALIBRATION_END and len(d["by_frequency"]) == 8


def test_requires_a_holdout_window(cdnow, cdnow_bgnbd):
    no_holdout = summary_data_from_transactions(cdnow, time_unit="week")
    with pytest.raises(ValueError):
        holdout_check(cdnow_bgnbd, no_holdout)
