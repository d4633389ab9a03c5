"""Turn evidence into problems: what is weak, how badly, and which drivers or KPIs it concerns.

A problem has a severity in [0, 1] from the rules of thumb in ``scoring.json``:
0 at or above the "good" threshold, 1 at or below "poor", linear in between. Each
problem also knows the numbers behind it and renders itself as the first half of
a recommendation's sentence ("Service is your most important driver (31% of
explained trust) and your weakest (58/100)").

* **Driver problems**, one per driver: the performance severity times the driver's
  importance relative to the most important driver. That is the
  importance-performance logic of the Diagnose step: a weak driver matters in
  proportion to how much trust it explains, so the fix-first driver (important and
  weak) gets the largest severity and a weak but unimportant one little. Without
  measured importance (ratings only, self-assessment) every driver counts fully.
* **KPI problems**, one per KPI: the larger of its level, trend and self-rating
  severities, so a KPI that is both low and falling is not counted twice. An NPS
  drop that is not statistically significant counts half. When a driver diagnosis
  (measured importance) is present, the survey outcomes it explains, NPS and the
  ratings headline, count half: the diagnosis already names their causes, and the
  strategy that fixes the cause should outrank one that only moves the symptom.
* **Theme problems**, one per comment theme that lowers the NPS: severity from the
  NPS impact (halved on a small sample), pointing at the drivers the theme concerns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from loyalty.i18n import DEFAULT_LANG, format_number, format_percent, t
from loyalty.schema import DRIVERS, TRUST
from loyalty.strategies.catalog import KPIS, Strategy
from loyalty.strategies.evidence import DriverEvidence, Evidence, KpiEvidence, ThemeEvidence

#: KPIs measured as rates (fractions): shown as percentages.
_RATES = ("retention_rate", "repeat_purchase_rate")
#: Survey outcomes that a driver diagnosis explains (see :func:`_outcome_weight`).
_SURVEY_OUTCOMES = ("nps", "feedback")


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """Return the severity thresholds and theme mapping (``scoring.json``)."""
    return json.loads((resources.files(__package__) / "scoring.json").read_text(encoding="utf-8"))


def severity(value: float, good: float, poor: float) -> float:
    """Return 0 at or beyond ``good``, 1 at or beyond ``poor``, linear in between.

    Parameters
    ----------
    value : float
        The observed value.
    good, poor : float
        Thresholds; ``good > poor`` (higher is better).

    Returns
    -------
    float
    """
    return min(1.0, max(0.0, (good - value) / (good - poor)))


@dataclass(frozen=True)
class Problem:
    """One weakness found in the evidence.

    Parameters
    ----------
    key : str
        ``"driver:service"``, ``"kpi:repeat_purchase_rate"`` or ``"theme:price"``.
    kind : {"driver", "kpi", "theme"}
        Where it comes from.
    subject : str
        The driver, KPI or theme.
    aspect : str
        Which sentence describes it: for drivers ``top_weakest``/``top``/``weakest``/``other``;
        for KPIs ``level``/``trend``/``trend_uncertain``/``rating``; ``impact`` for themes.
    severity : float
        0-1.
    targets : dict
        Driver or KPI -> weight (summing to 1): what a strategy must work on to address it.
    facts : dict
        The numbers the sentence cites.
    """

    key: str
    kind: str
    subject: str
    aspect: str
    severity: float
    targets: dict[str, float]
    facts: dict[str, Any] = field(default_factory=dict)

    def relevance(self, strategy: Strategy) -> float:
        """Return how strongly ``strategy`` works on this problem's targets, 0-1."""
        return sum(weight * strategy.weight(target) for target, weight in self.targets.items())

    def describe(self, lang: str = DEFAULT_LANG) -> str:
        """Return the problem as a clause citing its numbers, in ``lang``."""
        return _DESCRIBE[self.kind](self, lang)


# --- drivers ------------------------------------------------------------------------------


def _driver_aspect(ev: DriverEvidence, top: str | None, weakest: str) -> str:
    if top is None:
        return "weakest" if ev.driver == weakest else "other"
    is_top, is_weak = ev.driver == top, ev.driver == weakest
    return {(True, True): "top_weakest", (True, False): "top", (False, True): "weakest"}.get(
        (is_top, is_weak), "other"
    )


def driver_problems(drivers: tuple[DriverEvidence, ...]) -> list[Problem]:
    """Return one problem per driver with a performance gap.

    Parameters
    ----------
    drivers : tuple of DriverEvidence
        The driver evidence.

    Returns
    -------
    list of Problem
        Problems with positive severity, in :data:`DRIVERS` order.
    """
    if not drivers:
        return []
    order = sorted(drivers, key=lambda d: DRIVERS.index(d.driver))
    known = all(d.importance_share is not None for d in order)
    top_share = max((d.importance_share for d in order), default=0.0) if known else 0.0
    # Ties go to the driver listed first in DRIVERS, so the sentence is deterministic.
    top = max(order, key=lambda d: d.importance_share).driver if known and top_share > 0 else None
    weakest = min(order, key=lambda d: d.performance_0_100).driver
    thresholds = rules()["driver_performance"]
    out = []
    for ev in order:
        relative = ev.importance_share / top_share if top is not None else 1.0
        sev = severity(ev.performance_0_100, thresholds["good"], thresholds["poor"]) * relative
        if sev <= 0:
            continue
        facts = {
            "share": ev.importance_share if top is not None else None,
            "performance": ev.performance_0_100,
            "ci": (ev.ci_low, ev.ci_high),
            "target": ev.target,
            "mean": ev.mean,
            "self_assessed": ev.self_assessed,
        }
        aspect = _driver_aspect(ev, top, weakest)
        out.append(Problem(f"driver:{ev.driver}", "driver", ev.driver, aspect, sev, {ev.driver: 1.0}, facts))
    return out


def _describe_driver(problem: Problem, lang: str) -> str:
    facts = problem.facts
    driver = t(f"strategies.driver.{problem.subject}", lang)
    performance = format_number(facts["performance"], lang, 0)
    if facts["self_assessed"] and facts["mean"] is not None:
        score = format_number(facts["mean"], lang, 1)
        return t(f"strategies.explain.driver_self.{problem.aspect}", lang, driver=driver, score=score)
    if facts["share"] is None:
        return t(
            f"strategies.explain.driver_rated.{problem.aspect}", lang, driver=driver, performance=performance
        )
    of_target = t(f"strategies.of_target.{'trust' if facts['target'] == TRUST else 'other'}", lang)
    share = format_percent(facts["share"], lang, 0)
    return t(
        f"strategies.explain.driver.{problem.aspect}",
        lang,
        driver=driver,
        share=share,
        of_target=of_target,
        performance=performance,
    )


# --- KPIs ---------------------------------------------------------------------------------


def _kpi_problem(kpi: str, kpis: KpiEvidence) -> Problem | None:
    """Return the KPI's problem from its level, trend and self-rating, the worst aspect winning."""
    spec, scoring = rules()["kpi"][kpi], rules()
    candidates: list[tuple[float, str, dict[str, Any]]] = []
    level = kpis.level(kpi)
    if level is not None and "level" in spec:
        candidates.append((severity(level, **spec["level"]), "level", {"value": level}))
    trend = kpis.trend(kpi)
    if trend is not None:
        change = trend.relative if kpi == "clv" else trend.delta
        if change is not None:
            sev, aspect = severity(change, **spec["trend"]), "trend"
            if trend.p_value is not None and trend.p_value >= scoring["alpha"]:
                sev, aspect = sev * scoring["not_significant_factor"], "trend_uncertain"
            facts = {
                "previous": trend.previous,
                "current": trend.current,
                "change": change,
                "p": trend.p_value,
            }
            candidates.append((sev, aspect, facts))
    rating = kpis.ratings.get(kpi)
    if rating is not None:
        candidates.append((severity(rating, **scoring["self_rating"]), "rating", {"rating": rating}))
    # max() keeps the first of equal severities: level before trend before rating.
    sev, aspect, facts = max(candidates, key=lambda c: c[0], default=(0.0, "", {}))
    if sev <= 0:
        return None
    return Problem(f"kpi:{kpi}", "kpi", kpi, aspect, sev, {kpi: 1.0}, facts)


def kpi_problems(kpis: KpiEvidence) -> list[Problem]:
    """Return one problem per weak or falling KPI, in :data:`KPIS` order."""
    return [p for p in (_kpi_problem(k, kpis) for k in KPIS) if p is not None]


def _kpi_value(kpi: str, value: float, lang: str) -> str:
    if kpi in _RATES:
        return format_percent(value, lang, 1)
    return format_number(value, lang, 0)


def _describe_kpi(problem: Problem, lang: str) -> str:
    kpi, facts = problem.subject, problem.facts
    if problem.aspect == "rating":
        name = t(f"strategies.kpi.{kpi}", lang)
        return t(
            "strategies.explain.kpi.rating", lang, kpi=name, rating=format_number(facts["rating"], lang, 0)
        )
    key = f"strategies.explain.kpi.{kpi}.{problem.aspect}"
    if problem.aspect == "level":
        return t(key, lang, value=_kpi_value(kpi, facts["value"], lang))
    if kpi == "clv":
        return t(
            key.replace("trend_uncertain", "trend"), lang, drop=format_percent(-facts["change"], lang, 0)
        )
    params = {
        "previous": _kpi_value(kpi, facts["previous"], lang),
        "current": _kpi_value(kpi, facts["current"], lang),
        "drop": format_number(-facts["change"], lang, 0),
    }
    if problem.aspect == "trend_uncertain":
        if kpi != "nps":  # only the NPS has a significance sentence
            key = key.replace("trend_uncertain", "trend")
        params["p"] = format_number(facts["p"], lang, 2)
    return t(key, lang, **params)


# --- comment themes -----------------------------------------------------------------------


def theme_problems(themes: tuple[ThemeEvidence, ...]) -> list[Problem]:
    """Return one problem per comment theme that lowers the NPS, pointing at its drivers."""
    scoring = rules()
    mapping = scoring["theme_drivers"]
    out = []
    for theme in themes:
        if theme.theme not in mapping:
            continue
        sev = severity(theme.nps_impact, **scoring["theme_nps_impact"])
        if theme.small_sample:
            sev *= scoring["small_sample_factor"]
        if sev <= 0:
            continue
        facts = {"count": theme.count, "nps_impact": theme.nps_impact, "small_sample": theme.small_sample}
        targets = dict(mapping[theme.theme])
        out.append(Problem(f"theme:{theme.theme}", "theme", theme.theme, "impact", sev, targets, facts))
    return out


def _describe_theme(problem: Problem, lang: str) -> str:
    facts = problem.facts
    return t(
        "strategies.explain.theme",
        lang,
        theme=t(f"strategies.theme.{problem.subject}", lang),
        count=format_number(facts["count"], lang, 0),
        impact=format_number(-facts["nps_impact"], lang, 1),
    )


_DESCRIBE = {"driver": _describe_driver, "kpi": _describe_kpi, "theme": _describe_theme}


def _outcome_weight(evidence: Evidence) -> float:
    """Return the weight of the survey outcomes (NPS, ratings) given the driver evidence.

    A diagnosis with measured importance splits these outcomes into their causes, the
    drivers; counting the outcome at full strength as well would let strategies that
    only move the symptom outrank those that fix the cause.
    """
    measured = bool(evidence.drivers) and all(d.importance_share is not None for d in evidence.drivers)
    return rules()["outcome_weight_with_diagnosis"] if measured else 1.0


def find_problems(evidence: Evidence) -> list[Problem]:
    """Return every problem in the evidence: drivers, then KPIs, then comment themes.

    Parameters
    ----------
    evidence : Evidence
        What is known about the business.

    Returns
    -------
    list of Problem
        Only problems with a positive severity.
    """
    weight = _outcome_weight(evidence)
    kpis = [
        replace(p, severity=p.severity * weight) if p.subject in _SURVEY_OUTCOMES else p
        for p in kpi_problems(evidence.kpis)
    ]
    return [*driver_problems(evidence.drivers), *kpis, *theme_problems(evidence.kpis.themes)]


def problem_weights(problems: list[Problem]) -> Mapping[str, float]:
    """Return each problem's share of the total severity (for displays of "what matters most")."""
    total = sum(p.severity for p in problems)
    return {p.key: p.severity / total for p in problems} if total else {}
