"""The Diagnose service layer: modes, metrics linked to purchases, segments, what-if, sentences, report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty import diagnose as service
from loyalty.drivers.simulate import simulate_survey
from loyalty.errors import InputError
from loyalty.i18n import format_number, t
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE, DRIVERS, RECOMMEND, REPURCHASE_INTENT, TRUST


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    """Known truth (REFERENCE §3): trust = 1 + 0.4/0.3/0.2/0.1/0 x drivers + noise; recommend via trust."""
    frame = simulate_survey(1500, seed=5)
    frame["channel"] = np.where(np.arange(len(frame)) % 3 == 0, "app", "web")
    return frame


@pytest.fixture(scope="module")
def diagnosis(survey):
    options = service.default_options(service.survey_availability(survey), bootstrap=200, seed=1)
    return service.run_diagnosis(survey, options, robustness=False)


# --- modes ---------------------------------------------------------------------------------


def test_the_mode_follows_the_questions_the_survey_answers(survey):
    assert service.survey_availability(None).mode == "no_survey"
    full = service.survey_availability(survey)
    assert (full.mode, full.drivers, full.trust, full.outcomes) == ("full", DRIVERS, True, (RECOMMEND,))
    assert full.missing == ()
    no_trust = service.survey_availability(survey.drop(columns=[TRUST]))
    assert no_trust.mode == "direct" and no_trust.missing == (TRUST,)
    no_drivers = service.survey_availability(survey.drop(columns=list(DRIVERS)))
    assert no_drivers.mode == "trust_only" and no_drivers.missing == DRIVERS
    bare = service.survey_availability(survey[[CUSTOMER_ID, RECOMMEND]])
    assert bare.mode == "outcome_only"
    # A column of blanks is as good as no column.
    blank = survey.assign(**{RECOMMEND: np.nan})
    assert service.survey_availability(blank).mode == "no_outcome"


def test_default_options_pick_the_richest_model_the_survey_supports(survey):
    full = service.default_options(service.survey_availability(survey))
    assert (full.drivers, full.mediator, full.outcome) == (DRIVERS, TRUST, RECOMMEND)
    direct = service.default_options(service.survey_availability(survey.drop(columns=[TRUST])))
    assert (direct.drivers, direct.mediator) == (DRIVERS, None)
    trust_only = service.default_options(service.survey_availability(survey.drop(columns=list(DRIVERS))))
    assert (trust_only.drivers, trust_only.mediator) == ((TRUST,), None)
    assert service.default_options(service.survey_availability(survey[[RECOMMEND]])) is None


def test_repurchase_intent_can_be_the_outcome(survey):
    with_intent = survey.assign(**{REPURCHASE_INTENT: np.clip(np.round(survey[TRUST]), 1, 7)})
    options = service.DiagnoseOptions(DRIVERS, TRUST, REPURCHASE_INTENT, bootstrap=0)
    result = service.run_diagnosis(with_intent, options, robustness=False)
    assert result.outcome == REPURCHASE_INTENT and result.outcome_model.target == REPURCHASE_INTENT


def test_trust_only_mode_relates_trust_to_the_outcome(survey):
    options = service.default_options(service.survey_availability(survey.drop(columns=list(DRIVERS))), 0)
    result = service.run_diagnosis(survey.drop(columns=list(DRIVERS)), options, robustness=False)
    assert result.drivers == [TRUST] and result.mediator is None
    # simulate_survey: recommend = round(-1 + 1.2 trust + ...): the trust slope is near 1.2 plus what the
    # (now omitted) direct driver effects add through trust's correlation with them.
    assert 1.0 < result.outcome_model.coef[0] < 1.6


def test_no_driver_is_a_clear_error(survey):
    with pytest.raises(InputError) as err:
        service.run_diagnosis(survey, service.DiagnoseOptions((), TRUST, RECOMMEND, 0))
    assert err.value.key == "drivers.error.no_drivers"


# --- the diagnosis through the service -------------------------------------------------------


def test_the_service_recovers_the_known_trust_coefficients(diagnosis):
    model = diagnosis.mediator_model
    truth = np.array([0.4, 0.3, 0.2, 0.1, 0.0])
    assert np.all(model.ci_low <= truth) and np.all(truth <= model.ci_high)
    assert diagnosis.importance.ranking()[:3] == ["consistency", "communication", "service"]


# --- does trust pay? -------------------------------------------------------------------------


def _transactions() -> pd.DataFrame:
    rows = [
        ("A", "2024-01-01 09:00", 10.0),
        ("A", "2024-01-01 17:00", 5.0),  # same day: one purchase occasion
        ("A", "2024-02-01", 20.0),
        ("B", "2024-01-05", 30.0),
        ("B", "2024-01-20", -30.0),  # a refund is not a purchase
        ("C", "2024-01-07", 8.0),
        ("C", "2024-03-07", 0.0),  # a zero amount is a purchase
    ]
    return pd.DataFrame(
        {
            CUSTOMER_ID: [r[0] for r in rows],
            DATE: pd.to_datetime([r[1] for r in rows], format="ISO8601"),
            AMOUNT: [r[2] for r in rows],
        }
    )


def test_customer_metrics_count_purchase_days_and_net_revenue():
    metrics = service.customer_metrics(_transactions())
    assert metrics.loc["A", "repeat"] and not metrics.loc["B", "repeat"] and metrics.loc["C", "repeat"]
    assert metrics["revenue"].to_dict() == {"A": 35.0, "B": 0.0, "C": 8.0}
    assert list(metrics.columns) == ["repeat", "revenue"]


def test_trust_pays_compares_promoters_and_detractors_with_intervals():
    survey = pd.DataFrame({CUSTOMER_ID: ["A", "B", "C", "Z"], RECOMMEND: [10, 3, 9, 0], TRUST: [5, 1, 4, 1]})
    result = service.trust_pays_analysis(survey, _transactions(), with_clv=False)
    assert (result.n_matched, result.n_surveyed) == (3, 4)
    table = result.table.set_index(["grouping", "group", "metric"])
    assert table.loc[("nps_group", "promoter", "repeat"), "estimate"] == 1.0  # A and C both came back
    assert table.loc[("nps_group", "promoter", "revenue"), "estimate"] == pytest.approx(21.5)
    assert table.loc[("nps_group", "detractor", "revenue"), "n"] == 1
    report = result.to_dict()
    assert report["n_matched"] == 3 and report["groups"]


def test_trust_pays_explains_a_survey_without_customer_ids():
    survey = pd.DataFrame({RECOMMEND: [10, 3]})
    result = service.trust_pays_analysis(survey, _transactions(), with_clv=False)
    assert result.table is None and result.problem.key == "drivers.error.no_customer_id"


def test_trust_pays_sentences_say_whether_the_intervals_overlap():
    table = pd.DataFrame(
        [
            ("nps_group", "promoter", "repeat", "proportion", 200, 0.60, 0.53, 0.66),
            ("nps_group", "passive", "repeat", "proportion", 100, 0.50, 0.40, 0.60),
            ("nps_group", "detractor", "repeat", "proportion", 150, 0.40, 0.32, 0.48),
            ("nps_group", "promoter", "revenue", "mean", 200, 120.0, 100.0, 140.0),
            ("nps_group", "passive", "revenue", "mean", 100, 110.0, 90.0, 130.0),
            ("nps_group", "detractor", "revenue", "mean", 150, 110.0, 95.0, 125.0),
        ],
        columns=["grouping", "group", "metric", "kind", "n", "estimate", "ci_low", "ci_high"],
    )
    sentences = service.trust_pays_sentences(service.TrustPays(table, 450, 500), "nps_group", "en")
    assert sentences[0] == (
        "Repeat purchase rate: Promoters (9–10) 60% (95% CI 53%–66%) versus Detractors (0–6) 40% "
        "(95% CI 32%–48%). " + t("diagnose.sentence.trust_pays_clear", "en")
    )
    assert sentences[1].endswith(t("diagnose.sentence.trust_pays_unclear", "en"))


# --- segments --------------------------------------------------------------------------------


def test_customer_columns_are_attached_by_customer_id(survey):
    customers = pd.DataFrame(
        {
            CUSTOMER_ID: survey[CUSTOMER_ID].iloc[:4].tolist(),
            "segment": ["B2B", "B2C", "B2B", "B2C"],
            "signup_date": pd.to_datetime(["2024-01-01"] * 4),
        }
    )
    joined = service.attach_customer_columns(survey.iloc[:6], customers)
    assert joined["segment"].iloc[:4].tolist() == ["B2B", "B2C", "B2B", "B2C"]
    assert joined["segment"].iloc[4:].isna().all()
    assert "signup_date" not in joined  # a date is not a segment
    assert service.attach_customer_columns(survey, None) is survey


def test_segments_need_two_groups_with_enough_complete_answers(survey, diagnosis):
    sizes = service.segment_sizes(survey, diagnosis, "channel")
    assert sizes.to_dict() == {"web": 1000, "app": 500}
    assert service.segment_candidates(survey, diagnosis, min_n=100) == ["channel"]
    assert service.segment_candidates(survey, diagnosis, min_n=600) == []
    options = service.DiagnoseOptions(DRIVERS, TRUST, RECOMMEND, bootstrap=50)
    result = service.compare_segments(survey, "channel", options, min_n=600)
    assert set(result.results) == {"web"} and result.skipped == {"app": {"n": 500, "reason": "too_small"}}


# --- what if ---------------------------------------------------------------------------------


def test_whatif_with_no_change_predicts_exactly_today(survey, diagnosis):
    result = service.run_whatif(diagnosis, survey, {d: 0.0 for d in DRIVERS})
    assert result.deltas == {}
    assert np.all(result.metrics["change"] == 0.0)
    assert np.all(result.metrics["predicted"] == result.metrics["baseline"])
    assert service.whatif_sentence(result, diagnosis, "en") == t(
        "diagnose.sentence.whatif_zero_nps",
        "en",
        baseline=service.plain(result.metrics.iloc[-1].baseline, "en", 0),
        n=format_number(diagnosis.n_used, "en"),
    )
    # The baseline names whom it covers: complete answers, not every answer as on Measure.
    assert f"the {format_number(diagnosis.n_used, 'en')} respondents analysed (complete answers)" in (
        service.whatif_sentence(result, diagnosis, "en")
    )


def test_whatif_raising_a_positive_driver_raises_nps_in_a_segment_too(survey, diagnosis):
    everyone = service.run_whatif(diagnosis, survey, {"consistency": 1.0})
    app = service.run_whatif(diagnosis, survey, {"consistency": 1.0}, segment=("channel", "app"))
    assert everyone.change("nps") > 0 and everyone.change("trust_mean") > 0
    assert app.n == 500 and app.change("nps") > 0
    low = everyone.metrics.set_index("metric").loc["nps", "change_low"]
    assert low > 0  # the whole 95% band is above zero for the strongest driver at n = 1,500
    assert service.whatif_range(diagnosis, "consistency") == (-3.0, 3.0, 0.1)  # a 1-7 scale


# --- sentences ---------------------------------------------------------------------------------


def test_effect_sentence_reads_like_the_issue_example():
    text = service.effect_sentence("data_security", TRUST, 0.3, 0.2, 0.4, "en")
    assert text == "Raising Data security by one point is linked to +0.30 points of Trust (95% CI 0.20–0.40)."
    unclear = service.effect_sentence("reputation", TRUST, -0.02, -0.05, 0.01, "en")
    assert "−0.02" in unclear and "−0.05 to 0.01" in unclear and "no clear link" in unclear
    dutch = service.effect_sentence("service", TRUST, 0.25, 0.1, 0.4, "nl")
    assert "+0,25" in dutch and "0,10–0,40" in dutch


def test_signed_numbers_never_show_a_sign_on_zero():
    assert service.signed(0.3, "en") == "+0.30"
    assert service.signed(-1.234, "nl", 1) == "\u22121,2"
    assert service.signed(-0.001, "en") == "0.00"


def test_path_and_importance_sentences_match_the_models(diagnosis):
    path = service.path_sentences(diagnosis, "en")
    assert len(path) == len(DRIVERS) + 1
    first = diagnosis.mediator_model
    assert service.signed(first.coef[0], "en") in path[0]
    assert path[-1].startswith("Raising Trust by one point")
    shares = service.importance_sentences(diagnosis, "pl")
    assert len(shares) == len(DRIVERS) and all("%" in s for s in shares)


def _importance(share, low, high, p_top):
    from types import SimpleNamespace

    from loyalty.drivers import Importance

    names = ["service", "reputation", "consistency"]
    imp = Importance(
        TRUST,
        names,
        0.5,
        np.array(share, float),
        np.ones(3),
        np.array(share, float),
        np.array(low, float),
        np.array(high, float),
        np.array(p_top, float),
        n=500,
        n_boot=1000,
    )
    return SimpleNamespace(importance=imp)


def test_top_driver_is_clear_only_when_it_wins_and_its_interval_clears_the_rest(diagnosis):
    # Truth 0.4 vs 0.3 at n = 1,500: consistency wins every resample and its interval stands apart.
    assert service.top_driver_sentence(diagnosis, "en").startswith(
        "Consistency is clearly the most important"
    )
    clear = _importance([50, 30, 20], [44, 24, 15], [56, 36, 25], [0.97, 0.03, 0.0])
    assert "clearly" in service.top_driver_sentence(clear, "en")
    # Wins 95% of resamples, but the intervals overlap: "most likely", never "clearly".
    likely = _importance([45, 35, 20], [37, 28, 15], [53, 42, 25], [0.95, 0.05, 0.0])
    assert service.top_driver_sentence(likely, "en").startswith("Empathy and service is most likely")
    # A near tie: the top spot is shared, and both names appear with their chances.
    tie = _importance([40, 39, 21], [32, 31, 15], [48, 47, 27], [0.52, 0.48, 0.0])
    text = service.top_driver_sentence(tie, "en")
    assert text.startswith("No driver is clearly the most important") and "52%" in text and "48%" in text


def test_mediation_sentences_add_up(diagnosis):
    med = diagnosis.mediation.to_frame()
    assert np.allclose(med["indirect"] + med["direct"], med["total"])
    sentences = service.mediation_sentences(diagnosis, "en")
    assert len(sentences) == len(DRIVERS)
    assert service.signed(med.loc[0, "total"], "en") in sentences[0]


def test_alpha_sentence_gives_a_plain_verdict():
    assert "reliable" in service.alpha_sentence("COMP", ["a", "b", "c"], 0.82, "en")
    assert "weak" in service.alpha_sentence("COMP", ["a", "b"], 0.55, "en")
    assert "single question" in service.alpha_sentence("service", ["service"], None, "en")


# --- the JSON report ---------------------------------------------------------------------------


def test_report_has_the_issue_keys_and_consistent_numbers(diagnosis):
    report = service.diagnosis_report(diagnosis)
    for key in ("n", "missing", "scales", "mediator_model", "outcome_model", "importance", "mediation"):
        assert key in report
    assert {"quadrants", "warnings"} <= set(report) and "trust_pays" not in report
    assert report["n"] == 1500 and report["missing"] == 0
    coefficients = report["mediator_model"]["coefficients"]
    assert set(coefficients) == set(DRIVERS)
    service_row = coefficients["service"]
    assert service_row["beta"] == pytest.approx(diagnosis.mediator_model.coef[2])
    assert set(service_row) >= {"beta", "beta_std", "ci95", "p", "vif"}
    assert sum(v["share"] for v in report["importance"].values()) == pytest.approx(1.0)
    for effects in report["mediation"].values():
        total = effects["indirect"]["estimate"] + effects["direct"]["estimate"]
        assert total == pytest.approx(effects["total"]["estimate"])
        assert len(effects["proportion_mediated"]["ci95"]) == 2
    assert set(report["quadrants"].values()) <= {
        "fix_first",
        "keep_it_up",
        "low_priority",
        "possibly_over_invested",
    }
