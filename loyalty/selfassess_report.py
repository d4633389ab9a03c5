"""The report of a self-assessment: the same formats as with data, the driver profile instead of a diagnosis.

:func:`loyalty.report.build_content` hands over to :func:`self_assessed_content` when it
is given a :class:`~loyalty.strategies.SelfAssessment`. The content says everywhere
that its numbers are the owner's own view ("self-assessment, not measured") and that a
survey of real customers (the survey kit) gives a far better diagnosis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import pandas as pd

from loyalty.i18n import format_number, format_percent, t
from loyalty.selfassess import profile_of, recommendations
from loyalty.strategies import SelfAssessment

#: KPI keys of the report and how an owner's estimate of each is shown.
_ESTIMATES = ("nps", "retention_rate", "repeat_purchase_rate", "clv", "feedback")


def estimate_table(assessed: SelfAssessment, lang: str) -> pd.DataFrame:
    """Return the report's KPI table from the owner's estimates (the others are "not available").

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``label``, ``value``, ``text``, ``note`` like
        :func:`loyalty.report.content.kpi_table`.
    """
    values = current_estimates(assessed)
    rows = []
    for key in _ESTIMATES:
        value = values.get(key)
        if value is None:
            text, note, number = t("report.kpi.missing", lang), "", math.nan
        else:
            number = float(value)
            text = format_number(number, lang, 0) if key == "nps" else format_percent(number, lang, 0)
            note = t("selfassess.report.kpi_note", lang)
        rows.append(
            {
                "key": key,
                "label": t(f"strategies.kpi.{key}", lang),
                "value": number,
                "text": text,
                "note": note,
            }
        )
    return pd.DataFrame(rows, columns=["key", "label", "value", "text", "note"])


def profile_sentences(assessed: SelfAssessment, lang: str) -> list[str]:
    """Return the driver section's text: "not measured", the profile weakest first, and the survey advice."""
    return [
        t("selfassess.report.not_measured", lang),
        *profile_of(assessed).sentences(lang),
        t("selfassess.report.survey_advice", lang),
    ]


def chosen_recommendations(assessed: SelfAssessment, chosen: Sequence[str] | None, top: int) -> list:
    """Return the chosen strategies in their order (ranked by the self-assessment), else the top ``top``."""
    from loyalty.report.content import check_strategy_ids

    check_strategy_ids(chosen)
    ranked = recommendations(assessed)
    if not chosen:
        return ranked[:top]
    by_id = {rec.strategy.id: rec for rec in ranked}
    return [by_id[s] for s in dict.fromkeys(chosen)]


def current_estimates(assessed: SelfAssessment) -> dict[str, float | None]:
    """Return KPI -> the owner's estimate (library units), for the plan's targets."""
    return {
        "nps": assessed.nps,
        "retention_rate": assessed.retention_rate,
        "repeat_purchase_rate": assessed.repeat_purchase_rate,
    }


def plan_rows(
    plan: pd.DataFrame | None, chosen: Sequence, assessed: SelfAssessment, lang: str
) -> pd.DataFrame:
    """Return the Plan page's plan with the report's columns, or a starter plan of the chosen strategies."""
    from loyalty.report.content import report_plan

    return report_plan(plan, chosen, lang, current_estimates(assessed))


def self_assessed_content(
    assessed: SelfAssessment,
    lang: str,
    *,
    strategies: Sequence[str] | None = None,
    plan: pd.DataFrame | None = None,
):
    """Return the :class:`~loyalty.report.content.ReportContent` of a self-assessment (no data needed).

    Parameters
    ----------
    assessed : SelfAssessment
        The owner's answers and estimates.
    lang : str
        Report language.
    strategies : sequence of str, optional
        Chosen strategy ids; default the top five of the self-assessment's ranking.
    plan : pandas.DataFrame, optional
        The Plan page's action plan; default the chosen strategies' actions.

    Returns
    -------
    ReportContent
        No data, cohort, measured drivers (``drivers`` is None) or impact (it needs
        real customer numbers); the driver section holds the profile sentences and chart.
    """
    from loyalty.charts.selfassess import profile_chart
    from loyalty.report.content import DEFAULT_STRATEGIES, METHODS, ReportContent, strategy_table

    chosen = chosen_recommendations(assessed, strategies, DEFAULT_STRATEGIES)
    return ReportContent(
        lang=lang,
        created=date.today(),
        data={},
        measure={},
        kpis=estimate_table(assessed, lang),
        cohort=None,
        drivers=None,
        diagnosis_text=profile_sentences(assessed, lang),
        strategies=strategy_table(chosen, lang),
        plan=plan_rows(plan, chosen, assessed, lang),
        # Every format draws the driver section's "importance" chart: here it is the profile.
        charts={"importance": profile_chart(profile_of(assessed).table(lang), lang)},
        methods=[(t(title, lang), t(text, lang)) for title, text in METHODS],
    )
