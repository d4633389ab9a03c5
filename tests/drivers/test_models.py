"""OLS fits, the full diagnosis on known-truth data, listwise deletion and outcome-only runs."""

from __future__ import annotations

import json

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.stats.outliers_influence import variance_inflation_factor

from loyalty.drivers import diagnose, fit_ols
from loyalty.errors import InputError
from loyalty.i18n import LANGS, t
from loyalty.schema import DRIVERS, RECOMMEND, TRUST

from .conftest import TRUE_ORDER, TRUST_TRUTH, make_survey


def test_fit_ols_equals_a_direct_statsmodels_hc3_fit(survey_1k):
    X, y = survey_1k[list(DRIVERS)].to_numpy(), survey_1k[TRUST].to_numpy()
    ours = fit_ols(y, X, list(DRIVERS), TRUST)
    exog = sm.add_constant(X)
    ref = sm.OLS(y, exog).fit(cov_type="HC3")
    np.testing.assert_allclose(ours.params, ref.params, rtol=1e-10)
    np.testing.assert_allclose(ours.se, ref.bse[1:], rtol=1e-10)
    np.testing.assert_allclose(ours.p_value, ref.pvalues[1:], rtol=1e-8, atol=1e-300)
    np.testing.assert_allclose(np.column_stack([ours.ci_low, ours.ci_high]), ref.conf_int()[1:], rtol=1e-10)
    assert ours.r2 == pytest.approx(ref.rsquared) and ours.adj_r2 == pytest.approx(ref.rsquared_adj)
    np.testing.assert_allclose(ours.vif, [variance_inflation_factor(exog, i) for i in range(1, 6)])
    np.testing.assert_allclose(ours.residuals, ref.resid)
    np.testing.assert_allclose(ours.fitted + ours.residuals, y)
    # Standardised beta = b * sd(x) / sd(y): the coefficient on z-scored data.
    z = (X - X.mean(0)) / X.std(0, ddof=1)
    zy = (y - y.mean()) / y.std(ddof=1)
    np.testing.assert_allclose(ours.std_beta, sm.OLS(zy, sm.add_constant(z)).fit().params[1:], rtol=1e-8)


def test_diagnosis_recovers_the_known_truth_at_n_5000(survey_5k):
    diagnosis = diagnose(survey_5k, bootstrap=200, seed=1, robustness=False)
    model = diagnosis.mediator_model
    assert model.names == list(DRIVERS)
    for name, truth, low, high in zip(model.names, TRUST_TRUTH, model.ci_low, model.ci_high, strict=True):
        assert low <= truth <= high, name
    assert diagnosis.importance.target == TRUST
    assert diagnosis.importance.ranking() == TRUE_ORDER
    assert diagnosis.importance.share.sum() == pytest.approx(100.0)
    # Trust is the strongest single predictor of recommend in this world.
    assert diagnosis.outcome_importance.ranking()[0] == TRUST
    assert diagnosis.outcome_model.names == [TRUST, *DRIVERS]
    assert diagnosis.warnings == []


def test_listwise_deletion_counts_dropped_rows_per_variable():
    survey = make_survey(400, seed=5)
    survey.loc[:29, "service"] = np.nan
    survey.loc[20:49, TRUST] = np.nan  # rows 20-29 miss both
    diagnosis = diagnose(survey, bootstrap=0, robustness=False)
    assert diagnosis.n_total == 400 and diagnosis.n_used == 350 and diagnosis.n_dropped == 50
    assert diagnosis.missing["service"] == 30 and diagnosis.missing[TRUST] == 30
    assert diagnosis.importance.ci_low is None  # no bootstrap, no intervals
    assert diagnosis.n_boot == 0


def test_without_trust_the_analysis_is_outcome_only():
    survey = make_survey(600, seed=6).drop(columns=[TRUST])
    diagnosis = diagnose(survey, bootstrap=50, robustness=False)
    assert diagnosis.mediator is None and diagnosis.mediator_model is None and diagnosis.mediation is None
    assert diagnosis.importance.target == RECOMMEND
    assert diagnosis.outcome_model.names == list(DRIVERS)
    assert diagnosis.driver_model is diagnosis.outcome_model
    json.dumps(diagnosis.to_dict())


def test_the_default_drivers_shrink_to_those_the_survey_has():
    survey = make_survey(300, seed=7).drop(columns=["reputation", "data_security"])
    diagnosis = diagnose(survey, bootstrap=0, robustness=False)
    assert diagnosis.drivers == ["consistency", "communication", "service"]


def test_composite_specs_build_named_variables():
    survey = make_survey(500, seed=8)
    rng = np.random.default_rng(0)
    survey["comp_1"] = np.clip(survey["service"] + rng.integers(-1, 2, 500), 1, 7)
    survey["comp_2"] = survey["service"]
    diagnosis = diagnose(
        survey, drivers="COMP=comp_1+comp_2,consistency", mediator=TRUST, bootstrap=0, robustness=False
    )
    assert diagnosis.drivers == ["COMP", "consistency"]
    assert diagnosis.reliability["COMP"]["items"] == ["comp_1", "comp_2"]
    assert 0.5 < diagnosis.reliability["COMP"]["alpha"] < 1.0
    assert diagnosis.scales["COMP"] == (1.0, 7.0)


def test_a_constant_driver_and_too_few_rows_are_reported_as_input_errors():
    survey = make_survey(200, seed=9)
    survey["service"] = 4.0
    with pytest.raises(InputError) as err:
        diagnose(survey, bootstrap=0)
    assert err.value.key == "drivers.error.constant" and err.value.params == {"column": "service"}
    with pytest.raises(InputError) as err:
        diagnose(make_survey(8, seed=1), bootstrap=0)
    assert err.value.key == "drivers.error.too_few_rows"


@pytest.mark.parametrize("lang", LANGS)
def test_a_constant_column_is_named_by_its_label_with_advice_for_its_role(lang):
    survey = make_survey(200, seed=9)
    cases = {
        "service": "drivers.error.constant",
        TRUST: "drivers.error.constant_mediator",
        RECOMMEND: "drivers.error.constant_outcome",
    }
    for column, key in cases.items():
        flat = survey.assign(**{column: 4.0})
        with pytest.raises(InputError) as err:
            diagnose(flat, bootstrap=0)
        assert err.value.key == key and err.value.params == {"column": column}
        text = err.value.message(lang)
        quoted = t("drivers.quoted", lang, name=t(f"field.{column}", lang))
        assert text == t(key, lang, column=quoted)  # the translated label, never the column name
        if lang != "en":
            assert f" {column} " not in text and f"{column}," not in text
    # A flat outcome is the one problem to report first, whatever else is flat: no driver can fix it.
    with pytest.raises(InputError) as err:
        diagnose(survey.assign(service=4.0, **{RECOMMEND: 9.0}), bootstrap=0)
    assert err.value.key == "drivers.error.constant_outcome"
    assert "Choose another outcome" in err.value.message("en")


def test_a_nearly_constant_outcome_is_a_warning_not_an_error():
    survey = make_survey(400, seed=10)
    survey[RECOMMEND] = 10.0
    survey.loc[:19, RECOMMEND] = 9.0  # 95% answer 10: little to explain, but something
    diagnosis = diagnose(survey, bootstrap=0, robustness=False)
    warning = next(w for w in diagnosis.warnings if w.code == "low_outcome_variance")
    assert warning.params["share"] == pytest.approx(0.95)
    assert t("field.recommend", "pl") in warning.message("pl")


def test_robustness_check_agrees_with_ols_on_linear_data(diagnosis_1k):
    check = diagnosis_1k.robustness
    assert check is not None and check.predictors == [TRUST, *DRIVERS]
    assert [m.model for m in check.models] == ["ordered_logit", "promoter_logit"]
    assert check.consistent
    ordered = check.models[0]
    # The latent outcome rises with trust: both models agree on a strongly positive effect.
    assert ordered.coef[0] > 0 and ordered.p_value[0] < 1e-10


def test_diagnosis_is_json_serialisable_and_repeatable(diagnosis_1k, survey_1k):
    text = json.dumps(diagnosis_1k.to_dict())
    assert "NaN" not in text
    again = diagnose(survey_1k, bootstrap=200, seed=3)
    np.testing.assert_array_equal(again.importance.ci_low, diagnosis_1k.importance.ci_low)
