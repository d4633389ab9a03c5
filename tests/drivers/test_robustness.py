"""The ordinal robustness check and its exact-derivative ordered logit."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.tools.numdiff import approx_fprime, approx_hess

from loyalty.drivers.robustness import OrderedLogit, check_robustness, verdict_status


@pytest.fixture(scope="module")
def ordinal():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(600, 3))
    y = np.clip(np.round(5 + X @ [1.0, 0.5, 0.0] + 1.5 * rng.standard_normal(600)), 0, 10)
    return y, X


def test_exact_derivatives_match_numerical_ones(ordinal):
    y, X = ordinal
    model, reference = OrderedLogit(y, X), OrderedModel(y, X, distr="logit")
    params = model.start_params + np.random.default_rng(0).normal(scale=0.1, size=len(model.start_params))
    assert model.loglike(params) == pytest.approx(reference.loglike(params), rel=1e-12)
    np.testing.assert_allclose(
        model.score(params), approx_fprime(params, reference.loglike, centered=True), rtol=1e-5, atol=1e-4
    )
    np.testing.assert_allclose(
        model.hessian(params), approx_hess(params, reference.loglike), rtol=1e-4, atol=1e-2
    )


def test_the_fast_fit_equals_statsmodels_default_fit(ordinal):
    y, X = ordinal
    fast = OrderedLogit(y, X).fit(method="bfgs", disp=False)
    slow = OrderedModel(y, X, distr="logit").fit(method="bfgs", disp=False)
    np.testing.assert_allclose(fast.params, slow.params, atol=1e-4)
    np.testing.assert_allclose(fast.bse, slow.bse, rtol=1e-3)


@pytest.mark.parametrize(
    ("ols", "other", "status"),
    [
        ((0.5, 0.001), (0.8, 0.01), "agree"),
        ((0.05, 0.4), (-0.02, 0.7), "agree"),
        ((0.5, 0.001), (-0.1, 0.6), "significance_differs"),
        ((0.05, 0.4), (0.3, 0.01), "significance_differs"),
        ((0.5, 0.001), (-0.4, 0.001), "conflict"),
    ],
)
def test_verdict_statuses(ols, other, status):
    assert verdict_status(*ols, *other, alpha=0.05) == status


def test_check_flags_a_sign_that_flips_on_the_ordinal_scale():
    # Below x1 = 1.2 the score falls with x1; above it everyone gives 10. OLS, pulled by the
    # 10s, calls x1 clearly positive; the ordered logit sees no consistent direction.
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2000, 1))
    y = np.where(x[:, 0] > 1.2, 10.0, np.clip(np.round(5 - 0.8 * x[:, 0] + rng.normal(size=2000)), 0, 8))
    check = check_robustness(y, x, ["x1"], promoter_logit=True)
    ordered = next(m for m in check.models if m.model == "ordered_logit")
    assert check.ols_coef[0] > 0 and check.ols_p[0] < 1e-6
    assert ordered.status == ["significance_differs"]
    assert not check.consistent
    # Promoters are exactly those with x1 > 1.2: perfect separation, reported as a failed model, not a crash.
    assert check.failed == ["promoter_logit"]


def test_large_samples_are_checked_on_a_subsample(ordinal):
    y, X = ordinal
    check = check_robustness(y, X, ["a", "b", "c"], max_n=300)
    assert check.n == 300 and check.consistent
