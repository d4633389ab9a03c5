"""LMG/Shapley shares, relative weights and the vectorised bootstrap."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest
import statsmodels.api as sm

from loyalty.drivers.importance import lmg_weights, relative_importance
from loyalty.drivers.resample import bootstrap_moments, sample_moments

from .conftest import correlated_normals

TRUTH = np.array([0.5, 0.3, 0.2, 0.0])


@pytest.fixture(scope="module")
def data():
    X = correlated_normals(1500, 4, 0.4, seed=21)
    y = X @ TRUTH + np.random.default_rng(22).standard_normal(1500)
    return X, y


def brute_force_lmg(X, y):
    """Shapley value of R² from 2^k statsmodels fits, straight from the definition."""
    k = X.shape[1]

    def r2(subset):
        return sm.OLS(y, sm.add_constant(X[:, list(subset)])).fit().rsquared if subset else 0.0

    cache = {s: r2(s) for size in range(k + 1) for s in combinations(range(k), size)}
    shares = np.zeros(k)
    for j in range(k):
        for size in range(k):
            for subset in combinations([i for i in range(k) if i != j], size):
                weight = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
                shares[j] += weight * (cache[tuple(sorted((*subset, j)))] - cache[subset])
    return shares, cache[tuple(range(k))]


def test_lmg_equals_a_brute_force_2k_computation_with_statsmodels(data):
    X, y = data
    result = relative_importance(X, y, list("abcd"), bootstrap=0)
    expected, full_r2 = brute_force_lmg(X, y)
    assert result.r2 == pytest.approx(full_r2, rel=1e-10)
    np.testing.assert_allclose(result.share * result.r2 / 100, expected, rtol=1e-9)


def test_shares_sum_to_100_and_relative_weights_agree_within_two_points(data):
    X, y = data
    result = relative_importance(X, y, list("abcd"), bootstrap=100, seed=1)
    assert result.share.sum() == pytest.approx(100.0)
    assert result.relative_weight.sum() == pytest.approx(100.0)
    assert np.max(np.abs(result.relative_weight - result.share)) < 2.0
    ranking = result.ranking()
    assert ranking[0] == "a" and ranking[-1] == "d"


def test_lmg_weights_give_each_order_equal_weight():
    # Each driver's weights over subsets without it sum to -1 (every order adds it to some subset).
    w = lmg_weights(5)
    assert w.shape == (32, 5)
    np.testing.assert_allclose(w.sum(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(w[-1], 1 / 5)  # the full model enters each driver's value with 1/k


def test_bootstrap_intervals_probability_of_top_and_sign(data):
    X, y = data
    X = X.copy()
    X[:, 3] = -X[:, 0] * 0.2 + X[:, 3]
    y2 = y - 0.4 * X[:, 3]  # driver d now lowers the outcome
    result = relative_importance(X, y2, list("abcd"), bootstrap=300, seed=4)
    assert result.n_boot == 300
    assert np.all(result.ci_low <= result.share) and np.all(result.share <= result.ci_high)
    assert result.p_top.sum() == pytest.approx(1.0)
    assert result.p_top[0] > 0.9  # a is clearly on top
    assert result.sign.tolist() == [1, 1, 1, -1]
    assert result.signed_share[3] < 0 < result.share[3]


def test_bootstrap_moments_equal_moments_of_explicitly_resampled_rows():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(50, 3)) * [1, 2, 3] + [5, 0, -2]
    boot = bootstrap_moments(data, 20, seed=7)
    idx = np.random.default_rng(7).integers(0, 50, size=(20, 50))  # the same draws, in one block
    for b in range(20):
        rows = data[idx[b]]
        np.testing.assert_allclose(boot.mean[b], rows.mean(axis=0))
        np.testing.assert_allclose(boot.cov[b], np.cov(rows, rowvar=False, ddof=0), atol=1e-12)
    full = sample_moments(data)
    np.testing.assert_allclose(full.corr(), np.corrcoef(data, rowvar=False))
