"""Time units and the guarded optimiser (second start, boundary detection)."""

from __future__ import annotations

import numpy as np
import pytest

from loyalty.clv import convert, days_per_unit, fit_bgnbd, units_per_year
from loyalty.clv._optimize import aggregate_rows, at_bound, minimise


def test_units_are_explicit_and_month_is_a_twelfth_of_a_year():
    assert days_per_unit("day") == 1 and days_per_unit("week") == 7
    assert days_per_unit("month") == pytest.approx(365.25 / 12)
    assert units_per_year("week") == pytest.approx(52.1786, abs=1e-4)
    assert units_per_year("month") == pytest.approx(12)
    assert convert(1, "month", "day") == pytest.approx(30.4375)
    with pytest.raises(ValueError):
        days_per_unit("fortnight")


def test_monthly_fit_rescales_alpha_only(cdnow_summary, cdnow_bgnbd):
    s = cdnow_summary
    k = 7 / (365.25 / 12)  # weeks -> months
    fit = fit_bgnbd(s["frequency"], s["recency"] * k, s["T"] * k, time_unit="month")
    assert [fit.r, fit.a, fit.b] == pytest.approx([cdnow_bgnbd.r, cdnow_bgnbd.a, cdnow_bgnbd.b], rel=1e-4)
    assert fit.alpha == pytest.approx(cdnow_bgnbd.alpha * k, rel=1e-4)


def test_aggregate_rows_counts_duplicates():
    (x, y), w = aggregate_rows(np.array([1, 1, 2, 1]), np.array([0.5, 0.5, 0.5, 0.7]))
    assert list(zip(x, y, w, strict=True)) == [(1, 0.5, 2), (1, 0.7, 1), (2, 0.5, 1)]


def _quadratic(theta):
    return float(np.sum((theta - 1.0) ** 2)), 2 * (theta - 1.0)


def test_second_start_rescues_a_failed_first_start():
    def objective(theta):
        # Undefined (inf) around the first start, a plain bowl elsewhere.
        return (np.inf, np.zeros_like(theta)) if theta[0] > 5 else _quadratic(theta)

    res, converged = minimise(objective, [np.array([10.0, 10.0]), np.array([0.0, 0.0])])
    assert converged
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-6)


def test_boundary_is_reported():
    res, converged = minimise(lambda v: (float(v[0]), np.array([1.0])), [np.array([0.0])])
    assert converged  # a corner optimum is still an optimum ...
    assert at_bound(res.x).all()  # ... but it is flagged (a -> 0, b -> inf style)


def test_a_never_finite_likelihood_is_not_converged():
    res, converged = minimise(lambda v: (np.inf, np.zeros_like(v)), [np.zeros(2), np.ones(2)])
    assert not converged and res is not None
