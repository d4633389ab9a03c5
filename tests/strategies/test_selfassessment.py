"""With no data at all, the owner's self-assessment still gives a consistent, explained ranking."""

from __future__ import annotations

import pytest

from loyalty.errors import InputError
from loyalty.schema import DRIVERS
from loyalty.strategies import SelfAssessment, recommend

from .conftest import built_for

STATEMENTS = {f"{d}_{i}": d for d in DRIVERS for i in (1, 2, 3)}


def test_answers_average_into_driver_scores():
    answers = {"service_1": 2, "service_2": 3, "service_3": None, "reputation_1": 5, "consistency_2": 4}
    sa = SelfAssessment.from_answers(answers, STATEMENTS, business_type=" b2c ")
    assert sa.driver_scores == {"consistency": 4.0, "service": 2.5, "reputation": 5.0}
    assert sa.business_type == "b2c"
    performance = {ev.driver: ev.performance_0_100 for ev in sa.driver_evidence()}
    assert performance == {"consistency": 75.0, "service": 37.5, "reputation": 100.0}
    assert all(ev.importance_share is None and ev.self_assessed for ev in sa.driver_evidence())


@pytest.mark.parametrize("driver", DRIVERS)
def test_the_lowest_rated_driver_leads_the_ranking(driver):
    scores = {d: 2.0 if d == driver else 4.5 for d in DRIVERS}
    ranked = recommend(SelfAssessment(scores).evidence())
    assert ranked[0].evidence_level == "self_assessment"
    assert ranked[0].strategy.id in built_for(driver)
    assert ranked[0].main_reason.problem.key == f"driver:{driver}"


def test_kpi_estimates_and_ratings_are_evidence_too():
    sa = SelfAssessment(
        {d: 4.5 for d in DRIVERS}, kpi_ratings={"retention_rate": 1}, repeat_purchase_rate=0.5
    )
    ranked = recommend(sa.evidence())
    assert ranked[0].strategy.id == "reactivation_analytics"
    assert ranked[0].explanation("en").startswith("You rate “Customer retention” at 1 of 5")


def test_business_type_from_the_questionnaire_changes_the_order():
    base = {d: 4.5 for d in DRIVERS}
    b2b = recommend(SelfAssessment(base, repeat_purchase_rate=0.1, business_type="B2B").evidence())
    b2c = recommend(SelfAssessment(base, repeat_purchase_rate=0.1, business_type="B2C").evidence())
    assert [r.strategy.id for r in b2b] != [r.strategy.id for r in b2c]


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"driver_scores": {}}, "strategies.error.no_driver_scores"),
        ({"driver_scores": {"price": 3}}, "strategies.error.unknown_driver"),
        ({"driver_scores": {"service": 6}}, "strategies.error.score_range"),
        ({"driver_scores": {"service": 3}, "kpi_ratings": {"sales": 3}}, "strategies.error.unknown_kpi"),
        ({"driver_scores": {"service": 3}, "repeat_purchase_rate": 35}, "strategies.error.rate_range"),
        ({"driver_scores": {"service": 3}, "nps": 140}, "strategies.error.nps_range"),
        ({"driver_scores": {"service": 3}, "business_type": "B2G"}, "strategies.error.business_type"),
    ],
)
def test_bad_answers_are_user_errors_in_every_language(kwargs, key):
    with pytest.raises(InputError) as err:
        SelfAssessment(**kwargs)
    assert err.value.key == key
    assert all(not err.value.message(lang).startswith("strategies.") for lang in ("en", "nl", "pl"))


def test_an_unknown_statement_is_a_user_error():
    with pytest.raises(InputError) as err:
        SelfAssessment.from_answers({"q99": 3}, STATEMENTS)
    assert "q99" in err.value.message("nl")
