"""The report's impact section: the Plan page's calculator on the same data and assumptions."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from openpyxl import load_workbook

from loyalty.diagnose import trust_pays_analysis
from loyalty.i18n import t
from loyalty.measure import measure
from loyalty.plan import Assumptions, baseline_from_data, nps_impact, retention_impact
from loyalty.plan.value import assumptions_for_plan, current_kpis, measure_options, uplifts_from_plan
from loyalty.report import build_content, build_report, content_from_results

#: What a consultant might type on the Plan page: a 24-month horizon refits the CLV model.
PAGE_ASSUMPTIONS = {
    "retention_uplift_pp": 4.0,
    "nps_uplift_points": 8.0,
    "horizon_months": 24,
    "margin": 0.4,
    "annual_discount_rate": 0.08,
    "acquisition_cost": 120.0,
}


def _expected(results, assumptions: Assumptions) -> dict[str, float]:
    """Run loyalty.plan.impact directly, as the Plan page does, and key its figures like the report."""
    tx, sv = results["transactions"].frame, results["survey"].frame
    measured = measure(tx, sv, scales=dict(results["survey"].scales), **measure_options(assumptions))
    baseline = baseline_from_data(measured, tx, trust_pays_analysis(sv, tx).table)
    r, n = retention_impact(baseline, assumptions), nps_impact(baseline, assumptions)
    assert r is not None and n.value is not None  # the sample links survey and transactions
    return {
        "retention_now": baseline.retention.value,
        "retention_target": r.retention_target,
        "retention_value": r.value_change.value,
        "retention_per_customer": r.value_change_per_customer.value,
        "customers_kept": r.customers_kept.value,
        **({"replacement_cost": r.replacement_cost.value} if r.replacement_cost is not None else {}),
        "nps_now": n.nps_now.value,
        "nps_target": n.nps_target.value,
        "promoters_now": n.promoter_share_now,
        "promoters_target": n.promoter_share_target,
        "extra_promoters": n.extra_promoters.value,
        "nps_value": n.value.value,
    }


@pytest.fixture(scope="module")
def page_content(results):
    return content_from_results(results, lang="en", assumptions=PAGE_ASSUMPTIONS, bootstrap=0)


def test_report_impact_equals_the_calculator_for_the_same_inputs(results, page_content):
    expected = _expected(results, Assumptions.from_dict(PAGE_ASSUMPTIONS))
    got = dict(zip(page_content.impact["key"], page_content.impact["value"], strict=True))
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-9), key
    # 24 months is not the default horizon: the value rests on the CLV refitted for it.
    assert page_content.value.retention.basis == "model"
    assert page_content.value.baseline.model_horizon_months == pytest.approx(24, abs=0.5)
    # A positive gain is worth something, and the interval brackets it.
    row = page_content.impact.set_index("key").loc["retention_value"]
    assert row["value"] > 0
    if not math.isnan(row["low"]):
        assert row["low"] <= row["value"] <= row["high"]


def test_impact_figures_are_in_the_html_text_and_numeric_in_the_xlsx_sheet(page_content):
    html = build_report(page_content, "html").decode("utf-8")
    for row in page_content.impact.itertuples(index=False):
        assert row.label in html and row.text in html
    assert t("report.impact.none", "en") not in html
    assert t("plan.assume.acquisition_cost", "en") in html
    book = load_workbook(io.BytesIO(build_report(page_content, "xlsx")))
    sheet = book[t("report.sheet.impact", "en")]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:4] == [t(f"report.col.{c}", "en") for c in ("item", "value", "low", "high")]
    rows = {r[-1]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    expected = dict(zip(page_content.impact["key"], page_content.impact["value"], strict=True))
    assert rows.keys() == expected.keys()
    for key, value in expected.items():
        assert isinstance(rows[key], float) and rows[key] == pytest.approx(value), key


def test_uplifts_come_from_the_plan_targets_by_hand():
    current = {"retention_rate": 0.40, "nps": 12.0}
    plan = pd.DataFrame(
        {"kpi": ["retention_rate", "retention_rate", "nps", "clv"], "target": [45.0, 47.5, 20.0, 99.0]}
    )
    # Highest retention target 47.5% on 40% today: +7.5 points; NPS 20 on 12: +8 points.
    assert uplifts_from_plan(plan, current) == {"retention_uplift_pp": 7.5, "nps_uplift_points": 8.0}
    # A target at or below today's value asks for no gain; unknown today, nothing to derive.
    assert uplifts_from_plan(plan.assign(target=[30.0, 30.0, 5.0, 1.0]), current) == {}
    assert uplifts_from_plan(plan, {}) == {}
    chosen, source = assumptions_for_plan(None, plan, current)
    assert (chosen.retention_uplift_pp, chosen.nps_uplift_points) == (7.5, 8.0)
    assert source == {"retention_uplift_pp": "plan", "nps_uplift_points": "plan"}
    # The Plan page's assumptions win over the targets.
    given, source = assumptions_for_plan({"retention_uplift_pp": 2.0}, plan, current)
    assert given.retention_uplift_pp == 2.0 and set(source.values()) == {"assumptions"}


def test_without_assumptions_the_report_values_its_plans_targets(results):
    tx, sv = results["transactions"], results["survey"]
    current = current_kpis(measure(tx.frame, sv.frame, scales=dict(sv.scales)))
    plan = pd.DataFrame(
        {
            "strategy_id": ["crm", "train_teams"],
            "action": ["Pick a CRM", "Train the team"],
            "owner": ["Ewa", "Jan"],
            "start": pd.to_datetime(["2025-01-01", "2025-02-01"]),
            "due": pd.to_datetime(["2025-03-01", "2025-04-01"]),
            "kpi": ["retention_rate", "nps"],
            "target": [current["retention_rate"] * 100 + 6.0, current["nps"] + 15.0],
        }
    )
    content = content_from_results(
        results, lang="nl", strategies=["crm", "train_teams"], plan=plan, bootstrap=0
    )
    a = content.value.assumptions
    assert a.retention_uplift_pp == pytest.approx(6.0) and a.nps_uplift_points == pytest.approx(15.0)
    expected = _expected(results, a)
    got = dict(zip(content.impact["key"], content.impact["value"], strict=True))
    for key in ("retention_value", "nps_target", "nps_value"):
        assert got[key] == pytest.approx(expected[key], rel=1e-9), key
    assert content.impact_notes[0] == t("report.impact.source.plan", "nl", x="6,0", y="15")


def test_without_a_survey_the_nps_is_not_valued_and_the_report_says_why(results):
    content = build_content(results["transactions"].frame, None, lang="pl", bootstrap=0)
    assert not content.impact["key"].str.startswith(("nps", "promoters")).any()
    assert "retention_value" in set(content.impact["key"])
    assert t("report.impact.no_survey", "pl") in content.impact_notes
