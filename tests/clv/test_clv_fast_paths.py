"""The fast paths give the same answers: prepared input, sort-based row aggregation, the spend likelihood."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.clv import summary_data_from_transactions
from loyalty.clv._optimize import aggregate_rows, unique_rows
from loyalty.clv.gamma_gamma import _objective, log_likelihood_terms
from loyalty.clv.summary import ATTRS_KEY
from loyalty.kpi.periods import prepare
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE

from .conftest import CALIBRATION_END, OBSERVATION_END

# Refund-only day, same-day rows, a missing id and a missing amount (a zero-value visit).
_MESSY = pd.DataFrame(
    {
        CUSTOMER_ID: ["A", "A", "A", "B", None, "B", "C", "C"],
        DATE: pd.to_datetime(
            [
                "2024-01-01",
                "2024-01-01",
                "2024-01-09",
                "2024-01-03",
                "2024-01-04",
                "2024-01-20",
                "2024-01-05",
                "2024-01-06",
            ]
        ),
        AMOUNT: [10.0, 5.0, -3.0, 7.0, 99.0, np.nan, 4.0, 6.0],
    }
)


def _both(frame: pd.DataFrame, **kwargs) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        summary_data_from_transactions(frame, **kwargs),
        summary_data_from_transactions(prepare(frame), **kwargs),
    )


def test_prepared_cdnow_gives_the_same_summary(cdnow):
    plain, prepared = _both(
        cdnow, calibration_end=CALIBRATION_END, observation_end=OBSERVATION_END, time_unit="week"
    )
    pd.testing.assert_frame_equal(plain, prepared)
    pd.testing.assert_series_equal(
        plain.attrs[ATTRS_KEY]["repeat_occasions_by_day"],
        prepared.attrs[ATTRS_KEY]["repeat_occasions_by_day"],
    )


def test_prepared_messy_rows_give_the_same_summary():
    plain, prepared = _both(_MESSY, calibration_end="2024-01-10", time_unit="day")
    pd.testing.assert_frame_equal(plain, prepared)
    # A: days 1 and 9, but day 9 is a refund only: no repeat. B: a zero-value visit on day 20.
    assert plain.loc["A", "frequency"] == 0 and plain.loc["B", "frequency"] == 0
    assert plain.loc["B", "frequency_holdout"] == 1 and plain.loc["C", "frequency"] == 1


def test_unique_rows_matches_numpy_and_inverts():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 5, 500).astype(float)
    t = rng.integers(0, 9, 500) / 7
    (ux, ut), counts, inverse = unique_rows(x, t)
    expected, expected_counts = np.unique(np.column_stack([x, t]), axis=0, return_counts=True)
    np.testing.assert_array_equal(np.column_stack([ux, ut]), expected)
    np.testing.assert_array_equal(counts, expected_counts)
    np.testing.assert_array_equal(ux[inverse], x)
    np.testing.assert_array_equal(ut[inverse], t)
    (ax, at), weights = aggregate_rows(x, t)
    assert weights.sum() == 500 and np.array_equal(ax, ux) and np.array_equal(at, ut)


def test_unique_rows_of_nothing():
    (u,), counts, inverse = unique_rows(np.array([]))
    assert u.size == counts.size == inverse.size == 0


@pytest.mark.parametrize(
    "theta", [np.log([2.0, 3.0, 1.0]), np.log([6.25, 3.74, 0.9]), np.array([-1.0, 2.0, 0.3])]
)
def test_spend_objective_is_the_weighted_mean_likelihood(theta):
    rng = np.random.default_rng(5)
    x = rng.integers(1, 12, 300).astype(float)
    m = rng.gamma(3.0, 1.0, 300)
    w = rng.integers(1, 4, 300).astype(float)
    value, grad = _objective(x, m, w)(theta)
    direct = -np.sum(w * log_likelihood_terms(np.exp(theta), x, m)) / w.sum()
    assert value == pytest.approx(direct, rel=1e-12)
    step = 1e-6
    numeric = [
        (_objective(x, m, w)(theta + step * e)[0] - _objective(x, m, w)(theta - step * e)[0]) / (2 * step)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)
