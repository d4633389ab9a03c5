"""The report's content: the same KPI values as ``measure``, the strategies and the plan it reports."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from loyalty.errors import InputError
from loyalty.measure import measure
from loyalty.report import FORMATS, build_content, report_format
from loyalty.report.content import KPI_KEYS, PLAN_COLUMNS, default_plan
from loyalty.strategies import evidence_from_data, get_strategy, recommend

from .conftest import BOOTSTRAP


def _measure(results) -> dict:
    tx, sv = results["transactions"], results["survey"]
    return measure(tx.frame, sv.frame, scales=dict(sv.scales))


def test_report_kpis_are_the_values_of_measure(results, content_en):
    expected = _measure(results)
    values = dict(zip(content_en.kpis["key"], content_en.kpis["value"], strict=True))
    assert tuple(values) == KPI_KEYS
    assert values["nps"] == pytest.approx(expected["nps"]["value"])
    assert values["retention_rate"] == pytest.approx(expected["retention_rate"]["value_both_periods"])
    assert values["repeat_purchase_rate"] == pytest.approx(expected["repeat_purchase_rate"]["value"])
    assert values["clv"] == pytest.approx(expected["clv"]["historical_mean"])
    assert values["feedback"] == pytest.approx(expected["feedback"]["headline"]["score"])
    assert not any(math.isnan(v) for v in values.values())


def test_without_a_survey_the_survey_kpis_are_marked_missing(results):
    content = build_content(results["transactions"].frame, None, lang="nl", bootstrap=0)
    missing = content.kpis.set_index("key")
    assert math.isnan(missing.loc["nps", "value"]) and missing.loc["nps", "text"] == "niet beschikbaar"
    assert content.drivers is None and "nps" not in content.charts
    assert {"retention", "cohort"} <= set(content.charts)


def test_default_strategies_are_the_recommenders_top_five(results, content_en):
    from loyalty.report.content import run_default_diagnosis

    diagnosis = run_default_diagnosis(results["survey"].frame, BOOTSTRAP)
    top = recommend(evidence_from_data(measure=_measure(results), diagnosis=diagnosis), limit=5)
    assert content_en.strategies["id"].tolist() == [r.strategy.id for r in top]
    assert content_en.strategies["explanation"].tolist() == [r.explanation("en") for r in top]


def test_chosen_strategies_keep_their_order_and_build_the_default_plan(results):
    content = build_content(
        results["transactions"].frame, None, strategies=["crm", "trust_marks", "crm"], bootstrap=0
    )
    assert content.strategies["id"].tolist() == ["crm", "trust_marks"]
    expected = get_strategy("crm").first_actions("en") + get_strategy("trust_marks").first_actions("en")
    assert content.plan["action"].tolist() == expected
    assert list(content.plan.columns) == list(PLAN_COLUMNS)
    assert (content.plan["due"] > content.plan["start"]).all()


def test_unknown_strategy_is_an_input_error(results):
    with pytest.raises(InputError) as err:
        build_content(results["transactions"].frame, None, strategies=["crm", "nope"], bootstrap=0)
    assert err.value.key == "report.error.unknown_strategy"
    assert "nope" in err.value.message("en")


def test_a_given_plan_is_reported_as_is(results):
    plan = pd.DataFrame(
        {
            "strategy_id": ["crm"],
            "action": ["Set up the CRM"],
            "owner": ["Ewa"],
            "start": ["2025-01-01"],
            "due": ["2025-02-01"],
            "kpi": ["nps"],
            "target": [10.0],
        }
    )
    content = build_content(results["transactions"].frame, None, strategies=["crm"], plan=plan, bootstrap=0)
    assert content.plan["owner"].tolist() == ["Ewa"]
    assert content.plan["start"].iloc[0] == pd.Timestamp("2025-01-01")


def test_default_plan_dates_every_action_like_the_plan_page():
    from loyalty.plan import plan_from_strategies

    recs = [r for r in recommend() if r.strategy.id in ("crm", "personalise")]
    start = pd.Timestamp("2025-01-01").date()
    plan = default_plan(recs, "pl", start=start, current={"clv": 100.0})
    page = plan_from_strategies([r.strategy.id for r in recs], "pl", start, {"clv": 100.0})
    assert len(plan) == len(page) == sum(len(r.strategy.actions) for r in recs)
    pd.testing.assert_frame_equal(plan.drop(columns="owner"), page.drop(columns="owner"))
    assert plan[["start", "due"]].notna().all().all() and (plan["start"] <= plan["due"]).all()
    assert set(plan["owner"]) == {"do przypisania"}


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("r.html", "html"), ("R.HTM", "html"), ("a/b.pdf", "pdf"), ("x.xlsx", "xlsx"), ("pptx", "pptx")],
)
def test_format_comes_from_the_suffix(name, fmt):
    assert report_format(name) == fmt and fmt in FORMATS


@pytest.mark.parametrize("name", ["report.docx", "report", "report.html.txt"])
def test_unknown_suffix_is_an_input_error(name):
    with pytest.raises(InputError) as err:
        report_format(name)
    assert err.value.key == "report.error.format"


def test_assumptions_table_translates_labels_and_shows_shares_as_percentages():
    from loyalty.i18n import format_percent, t
    from loyalty.report.content import assumptions_table

    table = assumptions_table({"margin": 0.4, "horizon_months": 12, "acquisition_multiple": 5.0}, "pl")
    assert table["label"].tolist() == [
        t(f"plan.assume.{k}", "pl") for k in ("margin", "horizon_months", "acquisition_multiple")
    ]
    assert table["value"].tolist() == [format_percent(0.4, "pl", 0), t("plan.months", "pl", n=12), "5"]
    assert assumptions_table(None, "en") is None


def test_assumptions_appear_in_the_html_report(results):
    from loyalty.i18n import t
    from loyalty.report import build_report

    content = build_content(
        results["transactions"].frame, None, bootstrap=0, assumptions={"retention_uplift_pp": 5.0}
    )
    html = build_report(content, "html").decode("utf-8")
    assert (
        t("report.section.assumptions", "en") in html and t("plan.assume.retention_uplift_pp", "en") in html
    )
    assert t("report.impact.none", "en") not in html


def test_the_diagnosis_warnings_follow_the_headline_in_the_report(results, content_en):
    from loyalty.report.content import run_default_diagnosis

    diagnosis = run_default_diagnosis(results["survey"].frame, BOOTSTRAP)
    messages = [w.message("en") for w in diagnosis.warnings]
    assert messages  # en_b2b has 200 respondents: the ranking is only indicative
    assert content_en.diagnosis_text[1 : 1 + len(messages)] == messages
