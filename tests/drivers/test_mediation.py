"""Direct, indirect and total effects through trust."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.stats.mediation import Mediation

from loyalty.drivers.mediation import mediate, path_coefficients
from loyalty.drivers.resample import bootstrap_moments
from loyalty.schema import DRIVERS, RECOMMEND, TRUST


@pytest.fixture(scope="module")
def arrays(survey_1k):
    return (survey_1k[list(DRIVERS)].to_numpy(), survey_1k[TRUST].to_numpy(), survey_1k[RECOMMEND].to_numpy())


def test_indirect_plus_direct_is_total_and_total_is_the_reduced_form_coefficient(arrays):
    X, m, y = arrays
    result = mediate(X, m, y, list(DRIVERS), bootstrap=0)
    e = result.effects
    np.testing.assert_allclose(e["direct"] + e["indirect"], e["total"], rtol=1e-12)
    # Total effect per SD = coefficient of the driver in outcome ~ drivers (no trust), times its SD.
    reduced = sm.OLS(y, sm.add_constant(X)).fit().params[1:] * X.std(axis=0)
    np.testing.assert_allclose(e["total"], reduced, rtol=1e-8)
    a = sm.OLS(m, sm.add_constant(X)).fit().params[1:] * X.std(axis=0)
    np.testing.assert_allclose(e["a"], a, rtol=1e-8)


def test_the_identity_holds_in_every_bootstrap_replicate(arrays):
    X, m, y = arrays
    data = np.column_stack([X, m, y])
    boot = bootstrap_moments(data, 50, seed=2)
    draws = path_coefficients(boot.cov, list(range(5)), 5, 6, X.std(axis=0))
    np.testing.assert_allclose(draws["direct"] + draws["indirect"], draws["total"], rtol=1e-12)
    result = mediate(X, m, y, list(DRIVERS), bootstrap=200, seed=1)
    for name in ("indirect", "direct", "total"):
        assert np.all(result.ci_low[name] <= result.effects[name])
        assert np.all(result.effects[name] <= result.ci_high[name])
    # Consistency builds trust (true a > 0) and trust drives recommend: a clearly positive indirect effect.
    assert result.ci_low["indirect"][0] > 0


def test_indirect_effect_matches_statsmodels_mediation(arrays):
    X, m, y = arrays
    z = X / X.std(axis=0)  # one unit = one SD, as in our result
    outcome_model = sm.OLS(y, sm.add_constant(np.column_stack([m, z])))
    mediator_model = sm.OLS(m, sm.add_constant(z))
    # Exposure = consistency: column 2 of the outcome design, column 1 of the mediator design.
    ref = Mediation(outcome_model, mediator_model, (2, 1), 1).fit(method="parametric", n_rep=100)
    ours = mediate(X, m, y, list(DRIVERS), bootstrap=0).effects
    acme, ade = np.mean(ref.ACME_avg), np.mean(ref.ADE_avg)
    # statsmodels simulates from the estimated sampling distribution: its means are noisy around a*b and c'.
    assert ours["indirect"][0] == pytest.approx(acme, abs=0.03)
    assert ours["direct"][0] == pytest.approx(ade, abs=0.03)
