"""The Report page in AppTest: it offers the downloads in every language, without raw keys."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty.i18n import LANGS, t
from loyalty.report import FORMATS, build_report
from loyalty.ui import report_downloads

from .helpers import raw_keys, run_app

PAGE = "pages/report.py"
LOCALES = {"en": "en-US", "nl": "nl-NL", "pl": "pl-PL"}


@pytest.mark.slow  # each language loads its own sample and builds its report content
@pytest.mark.parametrize("lang", LANGS)
def test_report_page_offers_the_downloads_in_every_language(lang):
    at = run_app(LOCALES[lang], page=PAGE)
    assert at.title[0].value == t("report.page.title", lang)
    assert raw_keys(at) == []
    labels = [b.label for b in at.get("download_button")]
    assert labels == [t(f"report.download.{fmt}", lang) for fmt in FORMATS[:4]]
    assert at.caption[0].value.startswith(t("report.page.strategies_default", lang))
    assert not at.error


@pytest.mark.slow
def test_report_page_uses_the_plan_pages_choice_and_builds_in_memory():
    at = run_app("en-US", page=PAGE)
    at.session_state["plan.selected"] = ["crm", "trust_marks"]
    at.session_state["plan.actions"] = pd.DataFrame(
        {
            "strategy_id": ["crm"],
            "action": ["Pick a CRM"],
            "owner": ["Ewa"],
            "start": pd.to_datetime(["2025-01-01"]),
            "due": pd.to_datetime(["2025-03-01"]),
            "kpi": ["retention_rate"],
            "target": [60.0],
        }
    )
    at.session_state["plan.assumptions"] = {"margin": 0.4, "horizon_months": 12}
    at.multiselect(key=report_downloads.FORMAT_KEY).set_value(["csv"]).run()
    assert not at.exception
    assert at.caption[0].value.startswith(t("report.page.strategies_from_plan", "en", names="")[:20])
    assert "CRM" in at.caption[0].value
    assert [b.label for b in at.get("download_button")] == [t("report.download.csv", "en")]
    at.get("download_button")[0].click().run()
    assert not at.exception


@pytest.mark.slow
def test_report_page_values_the_plan_pages_assumptions(monkeypatch):
    """The page hands the session's plan and assumptions to the library, which recomputes the impact."""
    seen = {}
    build = report_downloads.content_from_results

    def spy(results, **options):
        content = build(results, **options)
        seen.update(options, content=content)
        return content

    monkeypatch.setattr(report_downloads, "content_from_results", spy)
    at = run_app("en-US", page=PAGE)
    assumptions = {"retention_uplift_pp": 3.0, "nps_uplift_points": 6.0, "margin": 0.5, "horizon_months": 12}
    at.session_state["plan.assumptions"] = assumptions
    at.run()
    assert not at.exception and not at.error
    assert seen["assumptions"] == assumptions
    value = seen["content"].value
    assert value.assumptions.retention_uplift_pp == 3.0 and value.assumptions.margin == 0.5
    figures = dict(zip(seen["content"].impact["key"], seen["content"].impact["value"], strict=True))
    assert figures["retention_value"] == pytest.approx(value.retention.value_change.value)
    assert figures["nps_target"] == pytest.approx(value.nps.nps_target.value)


def test_file_builder_is_a_pure_function_returning_the_report(tmp_path):
    from loyalty.report import content_from_results

    from ..report.conftest import load_sample

    content = content_from_results(load_sample(("transactions",)), lang="pl", bootstrap=0)
    builder = report_downloads.file_builder(content, "csv")
    assert builder() == build_report(content, "csv")
    assert not list(tmp_path.iterdir())
