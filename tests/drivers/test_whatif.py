"""What-if simulation through the fitted models."""

from __future__ import annotations

import numpy as np
import pytest

from loyalty.drivers import diagnose, simulate_whatif
from loyalty.drivers.whatif import shift
from loyalty.errors import InputError
from loyalty.schema import TRUST

from .conftest import make_survey


def test_zero_change_changes_nothing_exactly(diagnosis_1k, survey_1k):
    result = simulate_whatif(diagnosis_1k, survey_1k, {"consistency": 0.0, "service": 0.0}, n_draws=50)
    metrics = result.metrics.set_index("metric")
    assert (metrics["change"] == 0).all() and (metrics["change_low"] == 0).all()
    assert (metrics["change_high"] == 0).all() and (metrics["predicted"] == metrics["baseline"]).all()


def test_improving_a_driver_with_a_positive_effect_raises_trust_and_nps(diagnosis_1k, survey_1k):
    result = simulate_whatif(diagnosis_1k, survey_1k, {"consistency": 1.0}, n_draws=100, seed=1)
    assert result.change("trust_mean") > 0
    assert result.change("nps") > 0 and result.change("promoter_share") > 0 > result.change("detractor_share")
    row = result.metrics.set_index("metric").loc["nps"]
    assert row["change_low"] > 0  # clearly positive, not just on average
    assert row["predicted"] == pytest.approx(row["baseline"] + row["change"])
    worse = simulate_whatif(diagnosis_1k, survey_1k, {"consistency": -1.0}, n_draws=100, seed=1)
    assert worse.change("nps") < 0


def test_a_driver_without_effect_changes_little(diagnosis_1k, survey_1k):
    none = simulate_whatif(diagnosis_1k, survey_1k, {"reputation": 1.0}, n_draws=100, seed=2)
    strong = simulate_whatif(diagnosis_1k, survey_1k, {"consistency": 1.0}, n_draws=100, seed=2)
    assert abs(none.change("nps")) < strong.change("nps") / 3


def test_shift_respects_the_scale_and_never_pulls_back():
    values = np.array([1.0, 6.5, 7.0, 9.0])
    np.testing.assert_array_equal(shift(values, 1.0, (1, 7)), [2.0, 7.0, 7.0, 9.0])
    np.testing.assert_array_equal(shift(values, 0.0, (1, 7)), values)
    np.testing.assert_array_equal(shift(values, -1.0, (1, 7)), [1.0, 5.5, 6.0, 8.0])


def test_segment_mask_limits_the_simulated_respondents(diagnosis_1k, survey_1k):
    mask = np.arange(len(survey_1k)) < 300
    result = simulate_whatif(diagnosis_1k, survey_1k, {"service": 1.0}, segment_mask=mask, n_draws=20)
    assert result.n == 300


def test_unknown_drivers_and_empty_selections_are_input_errors(diagnosis_1k, survey_1k):
    with pytest.raises(InputError) as err:
        simulate_whatif(diagnosis_1k, survey_1k, {"price": 1.0})
    assert err.value.key == "drivers.error.unknown_driver"
    with pytest.raises(InputError):
        simulate_whatif(
            diagnosis_1k, survey_1k, {"service": 1.0}, segment_mask=np.zeros(len(survey_1k), bool)
        )


def test_outcome_only_and_no_bootstrap_diagnoses_simulate_too():
    survey = make_survey(800, seed=41).drop(columns=[TRUST])
    diagnosis = diagnose(survey, bootstrap=0, robustness=False)
    result = simulate_whatif(diagnosis, survey, {"consistency": 1.0}, n_draws=50)
    assert "trust_mean" not in set(result.metrics["metric"])
    assert result.change("nps") > 0
    assert simulate_whatif(diagnosis, survey, {"consistency": 0.0}, n_draws=20).change("nps") == 0.0
