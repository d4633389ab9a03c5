"""Rank the playbook's strategies by the evidence, and explain each rank in one sentence.

The recommender works with whatever is known: survey and transactions, either
alone, or a self-assessment when there is no data (see :class:`Evidence`).

Scoring
-------
1. **Problems.** The evidence becomes a list of problems ``p`` with a severity
   ``σ_p`` in [0, 1] (:mod:`loyalty.strategies.problems`): one per trust driver
   (performance gap × importance relative to the top driver, the fix-first logic
   of the importance-performance matrix), one per weak or falling KPI, one per
   comment theme that lowers the NPS. Severities come from rules of thumb kept in
   ``scoring.json``, so a consultant can tune them per sector.
2. **Relevance.** ``r_sp`` in [0, 1] is how strongly strategy ``s`` works on what
   problem ``p`` concerns: its catalog weight for that driver or KPI (for a theme,
   the weighted mean over the theme's drivers).
3. **Match.** ``m_s = Σ_p σ_p·r_sp / Σ_p σ_p``, the severity-weighted mean
   relevance: the share of what is wrong here that the strategy works on, weighted
   by how wrong it is. Weighting by severity makes the fix-first driver and a
   collapsing KPI dominate; dividing by the total keeps every score on 0-1 and
   comparable between strategies without changing their order. A strategy that
   addresses several of the problems found earns more than one that addresses one,
   which is the point of a playbook; no strategy can exceed 1 on any target, so
   breadth never beats strength on the problem that matters most.
4. **Fit.** ``f_s = floor + (1 - floor)·fit_s`` with ``fit_s`` the catalog's fit for
   the business type and ``floor = 0.5`` (``scoring.json``). The articles' B2B/B2C
   contrast is a tendency, not a rule, so a poor fit can halve a score but never
   rules a strategy out. With an unknown business type ``f_s = 1``: we do not guess.
5. **Score.** ``score_s = m_s·f_s``.

Ties are broken deterministically: higher score (rounded to 1e-9 so float noise
cannot reorder), then higher fit factor, lower effort, shorter time to impact,
lower cost, and finally the catalog order.

Explanation
-----------
A recommendation's main reason is the problem contributing most to its score
(``σ_p·r_sp``). The sentence describes that problem with its numbers and names the
strategy, plus the best-ranked other strategy whose main reason is the same
problem and that is built for it (relevance >= the catalog's ``main_weight``):
"Service is your most important driver (31% of explained trust) and your weakest
(58/100); complaint management and team training address it."
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from loyalty.i18n import DEFAULT_LANG, t
from loyalty.strategies.catalog import Strategy, strategies
from loyalty.strategies.evidence import Evidence
from loyalty.strategies.problems import Problem, find_problems, rules

_LEVEL = {"low": 0, "medium": 1, "high": 2}  # effort and cost
_TIME = {"short": 0, "medium": 1, "long": 2}
#: Scores closer than this are ties (sums of floats in a different order differ in the last bits).
_TIE_DECIMALS = 9


@dataclass(frozen=True)
class Reason:
    """One problem a strategy addresses.

    Parameters
    ----------
    problem : Problem
        The weakness.
    relevance : float
        How strongly the strategy works on it, 0-1.
    contribution : float
        Its part of the match: ``severity × relevance / total severity``.
    """

    problem: Problem
    relevance: float
    contribution: float

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """Return the problem as a clause citing its numbers."""
        return self.problem.describe(lang)


@dataclass(frozen=True)
class Recommendation:
    """A ranked strategy with the evidence behind its rank.

    Parameters
    ----------
    strategy : Strategy
        The strategy.
    score : float
        ``match × fit factor``, 0-1.
    rank : int
        1 for the best.
    match : float
        Severity-weighted share of the problems it addresses, 0-1.
    fit : float or None
        Catalog fit for the business type (None when the type is unknown).
    fit_factor : float
        The multiplier the fit gave the match.
    reasons : tuple of Reason
        Problems it addresses, largest contribution first.
    partner : Strategy or None
        The best-ranked other strategy built for the same main problem, named in the sentence.
    evidence_level : str
        ``strategies.level.*`` code of the evidence.
    problems_found : bool
        Whether the evidence showed any problem at all.
    """

    strategy: Strategy
    score: float
    rank: int
    match: float
    fit: float | None
    fit_factor: float
    reasons: tuple[Reason, ...]
    partner: Strategy | None
    evidence_level: str
    problems_found: bool

    @property
    def main_reason(self) -> Reason | None:
        """The reason contributing most, or None."""
        return self.reasons[0] if self.reasons else None

    def explanation(self, lang: str = DEFAULT_LANG) -> str:
        """Return one sentence, in ``lang``, citing the numbers behind this recommendation."""
        if not self.problems_found:
            return t("strategies.explain.no_evidence", lang, name=self.strategy.title(lang))
        if self.main_reason is None:
            return t("strategies.explain.unrelated", lang, name=self.strategy.title(lang))
        problem = self.main_reason.text(lang)
        names = self.strategy.short_name(lang)
        plural = self.strategy.is_plural(lang)
        if self.partner is not None:
            names = t("strategies.explain.and", lang, first=names, second=self.partner.short_name(lang))
            plural = True
        number = "plural" if plural else "singular"
        return t(f"strategies.explain.addresses.{number}", lang, problem=problem, names=names)

    def to_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """Return a JSON-friendly summary in ``lang`` (for reports, the CLI and saved assessments)."""
        return {
            "id": self.strategy.id,
            "rank": self.rank,
            "score": self.score,
            "match": self.match,
            "fit": self.fit,
            "fit_factor": self.fit_factor,
            "name": self.strategy.title(lang),
            "explanation": self.explanation(lang),
            "partner": self.partner.id if self.partner else None,
            "evidence_level": self.evidence_level,
            "reasons": [
                {
                    "problem": r.problem.key,
                    "severity": r.problem.severity,
                    "relevance": r.relevance,
                    "contribution": r.contribution,
                    "text": r.text(lang),
                }
                for r in self.reasons
            ],
        }


def fit_factor(strategy: Strategy, business_type: str | None) -> float:
    """Return the multiplier for a strategy's fit: ``floor + (1 - floor)·fit``, 1 when the type is unknown."""
    fit = strategy.fit_for(business_type)
    if fit is None:
        return 1.0
    floor = rules()["fit_floor"]
    return floor + (1 - floor) * fit


def _reasons(strategy: Strategy, problems: Sequence[Problem], total: float) -> tuple[Reason, ...]:
    reasons = [Reason(p, p.relevance(strategy), p.severity * p.relevance(strategy) / total) for p in problems]
    # Stable sort: equal contributions keep the problem order (drivers, KPIs, themes).
    return tuple(sorted((r for r in reasons if r.contribution > 0), key=lambda r: -r.contribution))


def _sort_key(strategy: Strategy, score: float, factor: float) -> tuple:
    """Return the ranking key: score, then fit, effort, time to impact, cost, catalog order."""
    return (
        -round(score, _TIE_DECIMALS),
        -factor,
        _LEVEL[strategy.effort],
        _TIME[strategy.time_to_impact],
        _LEVEL[strategy.cost],
        strategy.order,
    )


def _partner(index: int, ranked: Sequence[Recommendation]) -> Strategy | None:
    """Return the best-ranked other strategy with the same main problem that is built for it."""
    mine = ranked[index].main_reason
    if mine is None:
        return None
    for j, other in enumerate(ranked):
        theirs = other.main_reason
        if j == index or theirs is None or theirs.problem.key != mine.problem.key:
            continue
        if theirs.relevance >= other.strategy.main_weight:
            return other.strategy
    return None


def recommend(
    evidence: Evidence | None = None,
    catalog: Sequence[Strategy] | None = None,
    limit: int | None = None,
) -> list[Recommendation]:
    """Rank strategies by the evidence (see the module docstring for the formula).

    Parameters
    ----------
    evidence : Evidence, optional
        What is known; nothing at all gives a ranking by fit, effort and time to impact.
    catalog : sequence of Strategy, optional
        Strategies to rank; by default the shipped playbook.
    limit : int, optional
        Return only the first ``limit`` recommendations.

    Returns
    -------
    list of Recommendation
        Best first, ranks 1..n.
    """
    evidence = evidence or Evidence()
    catalog = strategies() if catalog is None else tuple(catalog)
    problems = find_problems(evidence)
    total = sum(p.severity for p in problems)
    scored = []
    for strategy in catalog:
        reasons = _reasons(strategy, problems, total) if total else ()
        factor = fit_factor(strategy, evidence.business_type)
        match = sum(r.contribution for r in reasons)
        scored.append((strategy, match * factor, factor, match, reasons))
    scored.sort(key=lambda item: _sort_key(*item[:3]))
    ranked = [
        Recommendation(
            strategy=strategy,
            score=score,
            rank=i + 1,
            match=match,
            fit=strategy.fit_for(evidence.business_type),
            fit_factor=factor,
            reasons=reasons,
            partner=None,
            evidence_level=evidence.level,
            problems_found=bool(problems),
        )
        for i, (strategy, score, factor, match, reasons) in enumerate(scored)
    ]
    ranked = [replace(rec, partner=_partner(i, ranked)) for i, rec in enumerate(ranked)]
    return ranked[:limit] if limit is not None else ranked
