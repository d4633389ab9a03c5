"""The value of reaching the plan's targets from data alone, as the Plan page, the Report and the CLI see it.

The Plan page keeps its numbers in session state; the report and ``python -m
loyalty report`` have only the data, the plan and (maybe) the assumptions. This
module turns those into the same :class:`~loyalty.plan.impact.RetentionImpact`
and :class:`~loyalty.plan.impact.NpsImpact` the page shows, so a report never
says something else than the page did:

- the KPIs are measured with the assumptions' horizon and discount rate
  (:func:`measure_options`), exactly as the Plan page measures them;
- "does trust pay?" is the Diagnose comparison (:func:`trust_pays_table`);
- without assumptions from the page, the uplifts to value are read from the
  plan's own targets (:func:`assumptions_for_plan`), because those are what the
  workshop agreed to reach.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from loyalty.plan.assumptions import Assumptions
from loyalty.plan.impact import (
    Baseline,
    NpsImpact,
    RetentionImpact,
    baseline_from_data,
    nps_impact,
    retention_impact,
)
from loyalty.plan.model import PERCENT_KPIS
from loyalty.values import finite_or_none as _finite

#: The CLV model counts in weeks; 12 months are its usual 52 weeks.
WEEKS_PER_MONTH = 52 / 12
#: Plan KPI -> the assumption holding its uplift (in the KPI's display unit: points).
UPLIFT_OF_KPI: dict[str, str] = {"retention_rate": "retention_uplift_pp", "nps": "nps_uplift_points"}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanValue:
    """What reaching the targets is worth, with everything it was computed from.

    Parameters
    ----------
    assumptions : Assumptions
        The assumptions used (the page's, or defaults with the plan's uplifts).
    source : dict
        Uplift assumption -> ``"assumptions"`` (given), ``"plan"`` (read from a plan
        target) or ``"default"``.
    baseline : Baseline
        Today's numbers from the data.
    retention : RetentionImpact or None
        None without transactions.
    nps : NpsImpact
        Every part the data allow.
    """

    assumptions: Assumptions
    source: dict[str, str]
    baseline: Baseline
    retention: RetentionImpact | None
    nps: NpsImpact


def measure_options(assumptions: Assumptions) -> dict[str, float]:
    """Return the :func:`loyalty.measure.measure` keywords the calculator needs (horizon, discount).

    The margin is not among them: the calculator applies it itself, so editing the
    margin never refits the CLV model.
    """
    return {
        "horizon": round(assumptions.horizon_months * WEEKS_PER_MONTH, 6),
        "annual_discount_rate": float(assumptions.annual_discount_rate),
    }


def current_kpis(measured: Mapping[str, Any] | None) -> dict[str, float | None]:
    """Return KPI -> value today (library units: rates as fractions) from a measure dict."""
    if not measured:
        return {}
    retention = measured.get("retention_rate") or {}
    clv = measured.get("clv") or {}
    feedback = measured.get("feedback") or {}
    return {
        "nps": (measured.get("nps") or {}).get("value"),
        "retention_rate": retention.get("value_both_periods"),
        "repeat_purchase_rate": (measured.get("repeat_purchase_rate") or {}).get("value"),
        "clv": clv.get("historical_mean"),
        "feedback": (feedback.get("headline") or {}).get("score"),
    }


def uplifts_from_plan(plan: pd.DataFrame | None, current: Mapping[str, float | None]) -> dict[str, float]:
    """Return the uplifts the plan's targets ask for, as assumption name -> points.

    Parameters
    ----------
    plan : pandas.DataFrame or None
        An action plan; ``target`` in the KPI's display unit (rates in percent).
    current : mapping
        KPI -> value today (library units), see :func:`current_kpis`.

    Returns
    -------
    dict
        ``retention_uplift_pp`` and/or ``nps_uplift_points``: the highest target of that
        KPI minus today's value, for KPIs that have a target above today's value.
    """
    if plan is None or len(plan) == 0 or not {"kpi", "target"} <= set(plan.columns):
        return {}
    out: dict[str, float] = {}
    targets = pd.to_numeric(plan["target"], errors="coerce")
    for kpi, name in UPLIFT_OF_KPI.items():
        now = _finite(current.get(kpi))
        best = targets[plan["kpi"] == kpi].max()
        if now is None or pd.isna(best):
            continue
        now = now * 100 if kpi in PERCENT_KPIS else now
        if best > now:
            out[name] = round(float(best - now), 6)
    return out


def assumptions_for_plan(
    values: Mapping[str, Any] | Assumptions | None,
    plan: pd.DataFrame | None,
    current: Mapping[str, float | None],
) -> tuple[Assumptions, dict[str, str]]:
    """Return the assumptions to value and where each uplift comes from.

    Parameters
    ----------
    values : mapping, Assumptions or None
        The Plan page's assumptions; when given they are used as they are (the report
        then shows what the page showed).
    plan : pandas.DataFrame or None
        The action plan, whose targets give the uplifts when ``values`` is None.
    current : mapping
        KPI -> value today, see :func:`current_kpis`.

    Returns
    -------
    tuple
        (Assumptions, {uplift name: "assumptions" | "plan" | "default"}).
    """
    if isinstance(values, Assumptions):
        return values, dict.fromkeys(UPLIFT_OF_KPI.values(), "assumptions")
    if values:
        return Assumptions.from_dict(values), dict.fromkeys(UPLIFT_OF_KPI.values(), "assumptions")
    uplifts = uplifts_from_plan(plan, current)
    source = {name: "plan" if name in uplifts else "default" for name in UPLIFT_OF_KPI.values()}
    return Assumptions.from_dict(uplifts), source


def trust_pays_table(survey: pd.DataFrame | None, transactions: pd.DataFrame | None) -> pd.DataFrame | None:
    """Return the "does trust pay?" table of the Diagnose page, or None when it cannot be made.

    The comparison needs survey answers linked to customers in the transactions; when
    they do not link (or anything else fails) the calculator falls back to the
    articles' figure, so no error is raised here.
    """
    if survey is None or transactions is None or len(survey) == 0 or len(transactions) == 0:
        return None
    from loyalty.diagnose import trust_pays_analysis
    from loyalty.schema import CUSTOMER_ID

    if CUSTOMER_ID not in survey.columns or survey[CUSTOMER_ID].notna().sum() == 0:
        return None
    try:
        return trust_pays_analysis(survey, transactions).table
    except Exception:  # noqa: BLE001 - no comparison is better than no report: the article figure stands in
        log.info("no 'does trust pay?' table for the impact", exc_info=True)
        return None


def plan_value(
    measured: Mapping[str, Any] | None,
    transactions: pd.DataFrame | None,
    assumptions: Assumptions,
    trust_pays: pd.DataFrame | None = None,
    source: Mapping[str, str] | None = None,
) -> PlanValue:
    """Value the targets: today's baseline from the data, then both calculators.

    Parameters
    ----------
    measured : mapping or None
        :func:`loyalty.measure.measure` computed with :func:`measure_options` of ``assumptions``
        (and margin 1).
    transactions : pandas.DataFrame or None
        Canonical transactions.
    assumptions : Assumptions
    trust_pays : pandas.DataFrame, optional
        From :func:`trust_pays_table`.
    source : mapping, optional
        From :func:`assumptions_for_plan`.

    Returns
    -------
    PlanValue
    """
    baseline = baseline_from_data(measured, transactions, trust_pays)
    return PlanValue(
        assumptions=assumptions,
        source=dict(source or dict.fromkeys(UPLIFT_OF_KPI.values(), "assumptions")),
        baseline=baseline,
        retention=retention_impact(baseline, assumptions),
        nps=nps_impact(baseline, assumptions),
    )
