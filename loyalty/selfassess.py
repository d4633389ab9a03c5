"""The owner's self-assessment: a questionnaire that gives a playbook without any customer data.

The statements are data (``loyalty/data/self_assessment.json``): three per trust
driver on a 1-5 agree scale, some worded in reverse ("Customers are sometimes
surprised by extra costs"), where agreeing is bad news. Scoring is deliberately
plain, so an owner can redo it by hand:

* a reverse statement's answer ``a`` counts as ``low + high - a`` (5 -> 1, 4 -> 2);
* a driver's score is the mean of its answered statements (1-5), and
  ``100·(score - 1)/4`` on 0-100, the scale of the importance-performance matrix;
* unanswered statements are left out; a driver with none is not judged.

The profile becomes a :class:`loyalty.strategies.SelfAssessment`, whose evidence
the recommender ranks like measured data (every driver counting equally, because
the importance of a driver can only be measured from customers' answers).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from loyalty.errors import InputError
from loyalty.i18n import DEFAULT_LANG, format_number, normalize_lang, t
from loyalty.schema import DRIVERS
from loyalty.strategies import Recommendation, SelfAssessment, recommend

Answers = Mapping[str, float | int | None]


@dataclass(frozen=True)
class Statement:
    """One statement of the questionnaire.

    Parameters
    ----------
    id : str
        Stable identifier (answers are keyed by it).
    driver : str
        The trust driver it is about.
    reverse : bool
        Agreeing is bad news; the answer is reversed before averaging.
    texts : mapping
        Language -> the statement.
    """

    id: str
    driver: str
    reverse: bool
    texts: Mapping[str, str]

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """Return the statement in ``lang``."""
        return self.texts.get(normalize_lang(lang)) or self.texts[DEFAULT_LANG]

    def score(self, answer: float) -> float:
        """Return the answer as it counts for the driver (reversed for a reverse statement)."""
        low, high = scale()
        return float(low + high - answer) if self.reverse else float(answer)


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return json.loads(
        (resources.files("loyalty") / "data" / "self_assessment.json").read_text(encoding="utf-8")
    )


def scale() -> tuple[int, int]:
    """Return the answer scale, ``(1, 5)``."""
    low, high = _data()["scale"]
    return int(low), int(high)


@lru_cache(maxsize=1)
def statements() -> tuple[Statement, ...]:
    """Return the questionnaire's statements, grouped by driver in :data:`DRIVERS` order."""
    items = [
        Statement(s["id"], s["driver"], bool(s["reverse"]), dict(s["text"])) for s in _data()["statements"]
    ]
    return tuple(sorted(items, key=lambda s: DRIVERS.index(s.driver)))


def estimate_ids() -> tuple[str, ...]:
    """Return the KPI estimates the owner may give (``repeat_purchase_rate``, ``retention_rate``, ``nps``)."""
    return tuple(e["id"] for e in _data()["estimates"])


def _blank(answer: object) -> bool:
    return answer is None or (isinstance(answer, float) and math.isnan(answer))


def scored_answers(answers: Answers) -> dict[str, float]:
    """Return statement id -> the answer as it counts (reverse statements reversed); blanks left out.

    Raises
    ------
    InputError
        An unknown statement id, or an answer outside the scale.
    """
    by_id = {s.id: s for s in statements()}
    low, high = scale()
    out: dict[str, float] = {}
    for sid, answer in answers.items():
        if sid not in by_id:
            raise InputError("strategies.error.unknown_statement", statement=sid)
        if _blank(answer):
            continue
        if isinstance(answer, bool) or not isinstance(answer, int | float) or not low <= answer <= high:
            raise InputError("strategies.error.score_range", item=sid, low=low, high=high, value=answer)
        out[sid] = by_id[sid].score(float(answer))
    return out


@dataclass(frozen=True)
class DriverProfile:
    """The driver scores of a self-assessment.

    Parameters
    ----------
    means : mapping
        Driver -> mean scored answer on 1-5 (only drivers with an answer).
    answered : mapping
        Driver -> number of statements answered.
    """

    means: Mapping[str, float]
    answered: Mapping[str, int]

    def score_0_100(self, driver: str) -> float:
        """Return a driver's score rescaled to 0-100."""
        low, high = scale()
        return 100.0 * (self.means[driver] - low) / (high - low)

    def weakest(self) -> list[str]:
        """Return the judged drivers, weakest first (ties in :data:`DRIVERS` order)."""
        return sorted(self.means, key=lambda d: (self.means[d], DRIVERS.index(d)))

    def table(self, lang: str = DEFAULT_LANG) -> pd.DataFrame:
        """Return per driver: ``driver``, ``label``, ``mean`` (1-5), ``score`` (0-100), ``answered``."""
        rows = [
            {
                "driver": d,
                "label": t(f"field.{d}", lang),
                "mean": self.means.get(d, math.nan),
                "score": self.score_0_100(d) if d in self.means else math.nan,
                "answered": int(self.answered.get(d, 0)),
            }
            for d in DRIVERS
        ]
        return pd.DataFrame(rows, columns=["driver", "label", "mean", "score", "answered"])

    def sentences(self, lang: str = DEFAULT_LANG) -> list[str]:
        """Return one plain sentence per judged driver, weakest first."""
        return [
            t(
                "selfassess.profile.sentence",
                lang,
                driver=t(f"field.{d}", lang),
                mean=format_number(self.means[d], lang, 1),
                score=format_number(self.score_0_100(d), lang, 0),
            )
            for d in self.weakest()
        ]


def profile(answers: Answers) -> DriverProfile:
    """Score the answers into a driver profile (see the module docstring).

    Parameters
    ----------
    answers : mapping
        Statement id -> answer on 1-5; None or NaN for not answered.

    Returns
    -------
    DriverProfile

    Raises
    ------
    InputError
        An unknown statement, an answer outside 1-5, or no answer at all.
    """
    scored = scored_answers(answers)
    if not scored:
        raise InputError("strategies.error.no_driver_scores")
    drivers = {s.id: s.driver for s in statements()}
    by_driver: dict[str, list[float]] = {}
    for sid, value in scored.items():
        by_driver.setdefault(drivers[sid], []).append(value)
    means = {d: sum(v) / len(v) for d in DRIVERS if (v := by_driver.get(d))}
    return DriverProfile(means=means, answered={d: len(by_driver[d]) for d in means})


def assessment(
    answers: Answers,
    *,
    business_type: str | None = None,
    repeat_purchase_rate: float | None = None,
    retention_rate: float | None = None,
    nps: float | None = None,
) -> SelfAssessment:
    """Return the :class:`SelfAssessment` of the answers and the owner's rough KPI estimates.

    Parameters
    ----------
    answers : mapping
        Statement id -> answer on 1-5 (None for not answered).
    business_type : {"B2B", "B2C"} or None
        Case-insensitive; None when unknown.
    repeat_purchase_rate, retention_rate : float or None
        Estimated shares, 0-1.
    nps : float or None
        A known NPS, -100 to 100.

    Returns
    -------
    SelfAssessment
        Its driver scores equal :func:`profile`'s means.
    """
    scored = scored_answers(answers)
    return SelfAssessment.from_answers(
        scored,
        {s.id: s.driver for s in statements()},
        business_type=business_type,
        repeat_purchase_rate=repeat_purchase_rate,
        retention_rate=retention_rate,
        nps=nps,
    )


def recommendations(assessed: SelfAssessment, limit: int | None = None) -> list[Recommendation]:
    """Return the playbook ranked by a self-assessment, each with its explanation."""
    return recommend(assessed.evidence(), limit=limit)


def profile_of(assessed: SelfAssessment) -> DriverProfile:
    """Return the driver profile behind a :class:`SelfAssessment` (answer counts unknown: 0)."""
    return DriverProfile(means=dict(assessed.driver_scores), answered={d: 0 for d in assessed.driver_scores})
