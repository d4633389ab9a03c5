"""Gamma-Gamma: published CDNOW fit, known-truth recovery, conditional spend, independence check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import check_grad

from loyalty.clv import fit_gamma_gamma, spend_frequency_correlation
from loyalty.clv.gamma_gamma import _objective

from .simulate import simulate_spend

# Fader & Hardie (2013) note: 946 CDNOW repeaters, mean spend of repeat occasions.
PUBLISHED = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_cdnow_fit_reproduces_published_values(cdnow_gg, name):
    assert getattr(cdnow_gg, name) == pytest.approx(PUBLISHED[name], rel=0.01)


def test_cdnow_fit_uses_the_946_repeaters(cdnow_gg):
    assert cdnow_gg.n_customers == 946
    assert cdnow_gg.converged and cdnow_gg.usable
    # Population mean spend p·γ/(q−1) ≈ $35.17 per transaction.
    assert cdnow_gg.mean_spend == pytest.approx(6.25 * 15.44 / 2.74, rel=0.01)


def test_conditional_spend_is_a_weighted_mean(cdnow_gg):
    g = cdnow_gg
    assert float(g.conditional_expected_spend(0, 0.0)) == pytest.approx(g.mean_spend)
    x, m = 4.0, 50.0
    weight = g.p * x / (g.p * x + g.q - 1)
    want = (1 - weight) * g.mean_spend + weight * m
    assert float(g.conditional_expected_spend(x, m)) == pytest.approx(want)
    # More purchases -> more trust in the customer's own average.
    spends = g.conditional_expected_spend(np.array([1, 5, 50]), np.full(3, 100.0))
    assert np.all(np.diff(spends) > 0) and spends[-1] < 100


def test_known_truth_is_recovered():
    x, m = simulate_spend(3000, p=6.0, q=4.0, gamma=15.0, seed=2)
    fit = fit_gamma_gamma(x, m)
    assert fit.converged
    assert fit.p == pytest.approx(6.0, rel=0.15)
    assert fit.q == pytest.approx(4.0, rel=0.25)
    assert fit.gamma == pytest.approx(15.0, rel=0.3)
    assert fit.mean_spend == pytest.approx(6.0 * 15.0 / 3.0, rel=0.1)


def test_analytic_gradient_matches_finite_differences():
    x, m = simulate_spend(200, p=6.0, q=4.0, gamma=15.0, seed=3)
    fun = _objective(x, m / m.mean(), np.ones_like(x))
    for theta in (np.log([6.0, 4.0, 0.5]), np.log([1.0, 2.0, 3.0])):
        assert check_grad(lambda v: fun(v)[0], lambda v: fun(v)[1], theta) < 1e-5


def test_too_few_repeaters_is_not_converged():
    fit = fit_gamma_gamma([0, 0, 3], [0.0, 0.0, 10.0])
    assert not fit.converged and not fit.usable and fit.n_customers == 1


def test_correlation_on_cdnow_is_weak(cdnow_summary):
    r, p, n = spend_frequency_correlation(cdnow_summary)
    repeat = cdnow_summary[cdnow_summary["frequency"] > 0]
    assert n == 946
    assert r == pytest.approx(repeat["frequency"].corr(repeat["monetary_value"]))
    assert abs(r) < 0.3 and p < 0.01


def test_correlation_detects_dependent_spend():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 20, 300)
    summary = pd.DataFrame({"frequency": x, "monetary_value": 10 + 3 * x + rng.normal(0, 5, 300)})
    r, p, n = spend_frequency_correlation(summary)
    assert r > 0.8 and p < 1e-10 and n == 300


def test_correlation_needs_three_customers():
    r, p, n = spend_frequency_correlation(pd.DataFrame({"frequency": [1, 2], "monetary_value": [5.0, 6.0]}))
    assert np.isnan(r) and np.isnan(p) and n == 2
