"""BG/NBD: published CDNOW fit and spot checks, known-truth recovery, gradient, invariances."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import check_grad

from loyalty.clv import fit_bgnbd
from loyalty.clv.bgnbd import _objective, log_likelihood_terms

from .simulate import simulate_bgnbd

# Fader, Hardie & Lee (2005), CDNOW 1/10 sample, weeks, calibration to 1997-09-30.
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "log_likelihood": -9582.4}


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_cdnow_fit_reproduces_published_values(cdnow_bgnbd, name):
    assert getattr(cdnow_bgnbd, name) == pytest.approx(PUBLISHED[name], rel=0.01)


def test_cdnow_fit_is_tight_and_clean(cdnow_bgnbd):
    fit = cdnow_bgnbd
    assert fit.converged and not fit.at_boundary
    assert fit.n_customers == 2357 and fit.time_unit == "week"
    assert fit.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    assert [fit.r, fit.alpha, fit.a, fit.b] == pytest.approx([0.243, 4.414, 0.793, 2.426], abs=0.0006)


def test_hardie_spreadsheet_spot_checks(cdnow_bgnbd):
    fit = cdnow_bgnbd
    assert float(fit.expected_purchases(39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=0.005)
    assert float(fit.p_alive(2, 30.43, 38.86)) == pytest.approx(0.727, abs=0.005)
    assert float(fit.expected_purchases_unconditional(78)) == pytest.approx(1.858, abs=0.005)


def test_t_convention_start_of_calibration_end_day(cdnow_summary):
    # T counted to the end of 1997-09-30 (one day more) drifts away from the paper.
    s = cdnow_summary
    shifted = fit_bgnbd(s["frequency"], s["recency"], s["T"] + 1 / 7, time_unit="week")
    assert abs(shifted.log_likelihood - PUBLISHED["log_likelihood"]) > 5
    assert abs(shifted.a / PUBLISHED["a"] - 1) > 0.02


def test_daily_fit_is_the_weekly_fit_rescaled(cdnow_bgnbd, cdnow_bgnbd_days, cdnow_summary):
    week, day = cdnow_bgnbd, cdnow_bgnbd_days
    assert [day.r, day.a, day.b] == pytest.approx([week.r, week.a, week.b], rel=1e-4)
    assert day.alpha == pytest.approx(7 * week.alpha, rel=1e-4)
    # Densities in days are 1/7 of those in weeks, once per repeat purchase.
    assert day.log_likelihood == pytest.approx(
        week.log_likelihood - cdnow_summary["frequency"].sum() * np.log(7)
    )
    assert float(day.expected_purchases_unconditional(78 * 7)) == pytest.approx(
        float(week.expected_purchases_unconditional(78)), rel=1e-4
    )


def test_known_truth_is_recovered():
    truth = {"r": 0.5, "alpha": 5.0, "a": 0.7, "b": 2.5}
    x, t_x, T = simulate_bgnbd(6000, **truth, T=52.0, seed=3)
    fit = fit_bgnbd(x, t_x, T, time_unit="week")
    assert fit.converged
    assert fit.r == pytest.approx(truth["r"], rel=0.15)
    assert fit.alpha == pytest.approx(truth["alpha"], rel=0.2)
    assert fit.a == pytest.approx(truth["a"], rel=0.25)
    assert fit.b == pytest.approx(truth["b"], rel=0.3)
    # The fitted E[X(52)] matches the simulated mean number of repeat purchases.
    assert float(fit.expected_purchases_unconditional(52)) == pytest.approx(x.mean(), rel=0.05)


def test_analytic_gradient_matches_finite_differences():
    x, t_x, T = simulate_bgnbd(300, 0.5, 5.0, 0.7, 2.5, T=52.0, seed=4)
    fun = _objective(x, t_x / 52, T / 52, np.ones_like(x))
    for theta in (np.log([0.5, 0.1, 0.7, 2.5]), np.log([2.0, 1.0, 0.2, 8.0])):
        assert check_grad(lambda v: fun(v)[0], lambda v: fun(v)[1], theta) < 1e-5


def test_objective_equals_the_plain_log_likelihood():
    x, t_x, T = simulate_bgnbd(300, 0.5, 5.0, 0.7, 2.5, T=52.0, seed=5)
    params = np.array([0.4, 4.0, 0.9, 3.0])
    value, _ = _objective(x, t_x, T, np.ones_like(x))(np.log(params))
    assert value == pytest.approx(-log_likelihood_terms(params, x, t_x, T).mean())


def test_duplicated_customers_give_the_same_parameters(cdnow_summary, cdnow_bgnbd):
    s = cdnow_summary
    twice = fit_bgnbd(np.tile(s["frequency"], 2), np.tile(s["recency"], 2), np.tile(s["T"], 2))
    assert [twice.r, twice.alpha, twice.a, twice.b] == pytest.approx(
        [cdnow_bgnbd.r, cdnow_bgnbd.alpha, cdnow_bgnbd.a, cdnow_bgnbd.b], rel=1e-4
    )
    assert twice.log_likelihood == pytest.approx(2 * cdnow_bgnbd.log_likelihood)


def test_p_alive_monotonicity(cdnow_bgnbd):
    fit, T = cdnow_bgnbd, 38.86
    # Non-repeaters are alive by construction in BG/NBD (no purchase, no chance to drop out).
    assert float(fit.p_alive(0, 0, T)) == 1.0
    # A more recent last purchase means more likely alive, at every frequency.
    recency = np.linspace(0, T, 40)
    for x in (1, 2, 5, 10):
        assert np.all(np.diff(fit.p_alive(x, recency, T)) > 0)
    # Among customers who bought recently, more purchases -> more likely alive. The
    # log-odds of being dead fall with x while ln((α+T)/(α+t_x)) < 1/(b+x−1): for ever
    # at t_x = T, up to x ≈ 19 two weeks before T.
    assert np.all(np.diff(fit.p_alive(np.arange(1, 60), T, T)) > 0)
    assert np.all(np.diff(fit.p_alive(np.arange(1, 19), T - 2, T)) > 0)
    # A frequent buyer who has gone quiet is *less* likely alive than an occasional
    # one with the same silence: the documented BG/NBD behaviour.
    assert np.all(np.diff(fit.p_alive(np.arange(1, 30), 5.0, T)) < 0)


def test_expected_purchases_grow_with_horizon_and_start_at_zero(cdnow_bgnbd):
    t = np.array([0.0, 1, 10, 52, 104])
    ey = cdnow_bgnbd.expected_purchases(t, 3, 20.0, 38.0)
    assert ey[0] == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.diff(ey) > 0)
    ex = cdnow_bgnbd.expected_purchases_unconditional(t)
    assert ex[0] == pytest.approx(0.0, abs=1e-12) and np.all(np.diff(ex) > 0)


def test_to_dict_is_plain(cdnow_bgnbd):
    d = cdnow_bgnbd.to_dict()
    assert set(d) >= {"r", "alpha", "a", "b", "log_likelihood", "n_customers", "converged", "time_unit"}
    assert all(isinstance(v, (int, float, bool, str)) for v in d.values())


def test_summary_unit_must_match(cdnow_summary):
    with pytest.raises(ValueError):
        fit_bgnbd(cdnow_summary, time_unit="day")


@pytest.mark.parametrize(
    ("params", "t", "x", "T"),
    [
        ((0.243, 4.414, 0.793, 2.426), 39.0, 2, 38.86),  # CDNOW
        ((2.0, 2.0, 0.05, 30.0), 52.0, 10, 52.0),  # a << 1
        ((50.0, 10.0, 3.0, 40.0), 52.0, 100, 52.0),  # heavy buyers
        ((0.3, 30.0, 0.3, 0.5), 365.0, 0, 100.0),  # daily scale, a + b < 1
    ],
)
def test_conditional_expectation_matches_posterior_monte_carlo(params, t, x, T):
    # Alive after x purchases: λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x), E[Y(t) | λ, p] = (1 − e^(−λpt))/p.
    from loyalty.clv import BGNBDFit

    r, alpha, a, b = params
    rng = np.random.default_rng(11)
    lam = rng.gamma(r + x, 1.0 / (alpha + T), 400_000)
    p = rng.beta(a, b + x, 400_000)
    draws = -np.expm1(-lam * p * t) / p
    fit = BGNBDFit(r, alpha, a, b, log_likelihood=0.0, n_customers=0, converged=True, time_unit="week")
    got = float(fit.expected_purchases_if_alive(t, x, T))
    assert got == pytest.approx(draws.mean(), abs=5 * draws.std() / np.sqrt(draws.size))
