"""Plain-language warnings: when to distrust a ranking."""

from __future__ import annotations

import numpy as np
import pytest

from loyalty.drivers import diagnose
from loyalty.drivers.importance import Importance
from loyalty.drivers.warnings import (
    DriverWarning,
    check_collinearity,
    check_missing,
    check_outcome_variance,
    check_overlap,
    check_sample_size,
)
from loyalty.i18n import LANGS, t
from loyalty.schema import RECOMMEND, TRUST

from .conftest import make_survey


def codes(warnings):
    return [w.code for w in warnings]


def test_n_100_gets_the_small_sample_warning_citing_the_reference_table():
    diagnosis = diagnose(make_survey(100, seed=31), bootstrap=100, robustness=False)
    assert "small_sample_ranking" in codes(diagnosis.warnings)
    text = next(w for w in diagnosis.warnings if w.code == "small_sample_ranking").message("en")
    assert "100 respondents" in text and "65%" in text and "83%" in text and "91%" in text


def test_sample_size_thresholds():
    assert codes(check_sample_size(199)) == ["small_sample_ranking"]
    assert codes(check_sample_size(200)) == ["careful_sample_ranking"]
    assert codes(check_sample_size(499)) == ["careful_sample_ranking"]
    assert check_sample_size(500) == []


def _importance(share, low, high, p_top):
    return Importance(
        "trust",
        ["a", "b", "c"],
        0.5,
        np.array(share),
        np.ones(3),
        np.array(share),
        np.array(low),
        np.array(high),
        np.array(p_top),
    )


def test_overlapping_intervals_of_the_top_two_are_flagged():
    overlap = _importance([50.0, 40.0, 10.0], [44, 35, 5], [56, 46, 15], [0.8, 0.2, 0.0])
    (warning,) = check_overlap(overlap)
    assert warning.params == {"first": "a", "second": "b", "share": 0.8}
    apart = _importance([60.0, 30.0, 10.0], [55, 25, 5], [65, 35, 15], [1.0, 0.0, 0.0])
    assert check_overlap(apart) == []


def test_collinearity_by_vif_or_pairwise_correlation():
    corr = np.array([[1, 0.85, 0.2], [0.85, 1, 0.1], [0.2, 0.1, 1]])
    (warning,) = check_collinearity(["a", "b", "c"], [2.0, 2.1, 1.1], corr)
    assert warning.params["drivers"] == ["a", "b"] and warning.params["max_r"] == pytest.approx(0.85)
    assert codes(check_collinearity(["a", "b", "c"], [6.0, 1.0, 1.0], np.eye(3))) == ["collinear_drivers"]
    assert check_collinearity(["a", "b", "c"], [1.2, 1.2, 1.1], np.eye(3)) == []


def test_collinear_survey_drivers_are_flagged_in_a_diagnosis():
    survey = make_survey(600, seed=32)
    survey["communication"] = survey["consistency"] + np.random.default_rng(1).normal(scale=0.3, size=600)
    diagnosis = diagnose(survey, bootstrap=0, robustness=False)
    assert "collinear_drivers" in codes(diagnosis.warnings)


def test_outcome_variance_and_missing_answers():
    assert codes(check_outcome_variance(np.array([9.0] * 95 + [8.0] * 5), (0, 10), RECOMMEND)) == [
        "low_outcome_variance"
    ]
    assert check_outcome_variance(np.arange(11.0).repeat(3), (0, 10), RECOMMEND) == []
    assert codes(check_missing(1000, 790)) == ["many_missing"]
    assert check_missing(1000, 800) == []


def test_many_missing_in_a_diagnosis():
    survey = make_survey(600, seed=33)
    survey.loc[:199, TRUST] = np.nan
    assert "many_missing" in codes(diagnose(survey, bootstrap=0, robustness=False).warnings)


@pytest.mark.parametrize("lang", LANGS)
def test_every_warning_renders_in_every_language(lang):
    warnings = [
        *check_sample_size(120),
        *check_sample_size(300),
        DriverWarning("overlapping_importance", {"first": "service", "second": "COMP", "share": 0.55}),
        DriverWarning(
            "collinear_drivers", {"drivers": ["service", "reputation"], "max_vif": 6.2, "max_r": 0.86}
        ),
        DriverWarning("low_outcome_variance", {"outcome": RECOMMEND, "sd": 0.3, "share": 0.93}),
        DriverWarning("many_missing", {"dropped": 1234, "total": 5000, "share": 0.2468}),
    ]
    for warning in warnings:
        text = warning.message(lang)
        assert "{" not in text and len(text) > 40
    assert "COMP" in warnings[2].message(lang)  # composites keep their own name
    if lang == "pl":
        assert "Empatia i obsługa" in warnings[2].message(lang)
        assert "1\u00a0234" in warnings[5].message(lang) and "25\u00a0%" in warnings[5].message(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_driver_names_in_warnings_are_quoted_so_an_and_in_a_label_reads_clearly(lang):
    warning = DriverWarning(
        "overlapping_importance", {"first": "consistency", "second": "service", "share": 0.65}
    )
    text = warning.message(lang)
    for name in ("consistency", "service"):
        assert t("drivers.quoted", lang, name=t(f"field.{name}", lang)) in text
    assert text.startswith(t("drivers.quoted", lang, name=t("field.consistency", lang))) or lang == "pl"
    if lang == "en":
        assert text.startswith("“Consistency” and “Empathy and service” are too close to call")
