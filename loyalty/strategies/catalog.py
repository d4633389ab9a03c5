"""The strategy playbook: load and validate ``loyalty/data/strategies.json``.

The playbook is data, not code: the six proven strategies of the source articles
(000, 003) and the e-commerce measures of article 004, each with its texts in
en/nl/pl, the trust drivers and KPIs it works on (weights in (0, 1]), its fit for
B2B and B2C, effort, cost, time to impact, first actions and the KPI to monitor.
A consultant can extend or tune the file without touching code; :func:`load_catalog`
checks every field so that a broken edit fails at load time with a list of what
is wrong, not halfway through a workshop.

Labels for the enums (effort, cost, time to impact, group, KPI and driver names)
live in the i18n catalog under ``strategies.*``; only the per-strategy texts are
stored in the data file, because they belong to the strategy, not to the UI.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from loyalty.errors import InputError
from loyalty.i18n import DEFAULT_LANG, LANGS, format_number, format_percent, normalize_lang, t
from loyalty.schema import DRIVERS

#: The five KPIs, in the order the source articles give them (keys of ``loyalty.measure.measure``).
KPIS: tuple[str, ...] = ("nps", "retention_rate", "repeat_purchase_rate", "clv", "feedback")
#: Business types a strategy has a fit for.
BUSINESS_TYPES: tuple[str, ...] = ("b2b", "b2c")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# A sentence ends at . ! or ? followed by a space; descriptions must have exactly two.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_TEXT_FIELDS = ("name", "short", "description")
_ACTIONS = (3, 5)
_ENUMS = ("group", "effort", "cost", "time_to_impact", "unit")


class CatalogError(ValueError):
    """The strategy file breaks the catalog's rules; ``problems`` lists every violation."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid strategy catalog:\n- " + "\n- ".join(self.problems))


def _text(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(normalize_lang(lang)) or texts[DEFAULT_LANG]


@dataclass(frozen=True)
class Target:
    """The KPI to monitor and the change a strategy should bring.

    Parameters
    ----------
    kpi : str
        One of :data:`KPIS`.
    change : float
        Suggested improvement, in ``unit``.
    unit : {"points", "pp", "percent"}
        NPS or 0-100 score points, percentage points of a rate, or a relative change in percent.
    months : int
        Months in which to reach it.
    """

    kpi: str
    change: float
    unit: str
    months: int

    def apply(self, current: float) -> float:
        """Return the target value for a KPI that stands at ``current`` today.

        Parameters
        ----------
        current : float
            The KPI now: NPS in points, rates as fractions, CLV in money, feedback on 0-100.

        Returns
        -------
        float
        """
        if self.unit == "pp":
            return current + self.change / 100
        if self.unit == "percent":
            return current * (1 + self.change / 100)
        return current + self.change

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """Return e.g. "Repeat purchase rate: +5 percentage points within 6 months"."""
        if self.unit == "percent":
            change = format_percent(self.change / 100, lang, 0)
        else:
            change = format_number(self.change, lang, 0 if float(self.change).is_integer() else 1)
        kpi = t(f"strategies.kpi.{self.kpi}", lang)
        return t(f"strategies.target.{self.unit}", lang, kpi=kpi, change=change, months=self.months)


@dataclass(frozen=True)
class Strategy:
    """One strategy of the playbook.

    Parameters
    ----------
    id : str
        Stable identifier (saved plans and the CLI refer to it).
    group : {"proven", "ecommerce"}
        One of the six proven strategies, or an e-commerce measure.
    sources : tuple of str
        Source articles it is built from (REFERENCE.md §1).
    name, short, description : dict
        Language -> title, the form used inside a sentence, and two sentences on what it is.
    short_plural : frozenset of str
        Languages in which ``short`` is grammatically plural (the sentence's verb agrees).
    drivers : dict
        Trust driver -> weight in (0, 1]: how strongly it strengthens that driver.
    kpis : dict
        KPI -> weight in (0, 1]: how strongly it moves that KPI.
    fit : dict
        ``"b2b"``/``"b2c"`` -> fit in [0, 1].
    effort, cost : {"low", "medium", "high"}
        What it takes.
    time_to_impact : {"short", "medium", "long"}
        Under 3, 3-6 or 6-12 months.
    actions : tuple of dict
        Three to five first actions, language -> text.
    monitor : Target
        The KPI to monitor with a suggested target.
    order : int
        Position in the file, the last tie-breaker of the recommender.
    main_weight : float
        Driver weight from which the strategy counts as built for that driver.

    Notes
    -----
    The dicts make instances unhashable; key collections by ``id``.
    """

    id: str
    group: str
    sources: tuple[str, ...]
    name: dict[str, str]
    short: dict[str, str]
    description: dict[str, str]
    short_plural: frozenset[str]
    drivers: dict[str, float]
    kpis: dict[str, float]
    fit: dict[str, float]
    effort: str
    cost: str
    time_to_impact: str
    actions: tuple[dict[str, str], ...]
    monitor: Target
    order: int
    main_weight: float = 0.5

    def title(self, lang: str = DEFAULT_LANG) -> str:
        """Return the name in ``lang``."""
        return _text(self.name, lang)

    def short_name(self, lang: str = DEFAULT_LANG) -> str:
        """Return the name as it reads inside a sentence ("complaint management")."""
        return _text(self.short, lang)

    def is_plural(self, lang: str = DEFAULT_LANG) -> bool:
        """Return whether the short name is grammatically plural in ``lang``."""
        return normalize_lang(lang) in self.short_plural

    def describe(self, lang: str = DEFAULT_LANG) -> str:
        """Return the two-sentence description in ``lang``."""
        return _text(self.description, lang)

    def first_actions(self, lang: str = DEFAULT_LANG) -> list[str]:
        """Return the first actions in ``lang``."""
        return [_text(action, lang) for action in self.actions]

    def weight(self, target: str) -> float:
        """Return the weight of a driver or KPI for this strategy (0 when it does not work on it)."""
        return self.drivers.get(target, self.kpis.get(target, 0.0))

    @property
    def main_drivers(self) -> tuple[str, ...]:
        """Drivers the strategy is built for (weight >= ``main_weight``), strongest first."""
        ranked = sorted(self.drivers, key=lambda d: (-self.drivers[d], DRIVERS.index(d)))
        return tuple(d for d in ranked if self.drivers[d] >= self.main_weight)

    def fit_for(self, business_type: str | None) -> float | None:
        """Return the fit for ``"b2b"``/``"b2c"``, or None when the business type is unknown."""
        return None if business_type is None else self.fit[business_type]

    def labels(self, lang: str = DEFAULT_LANG) -> dict[str, str]:
        """Return translated labels of the enums: group, effort, cost and time to impact."""
        return {
            "group": t(f"strategies.group.{self.group}", lang),
            "effort": t(f"strategies.effort.{self.effort}", lang),
            "cost": t(f"strategies.cost.{self.cost}", lang),
            "time_to_impact": t(f"strategies.time.{self.time_to_impact}", lang),
        }

    def to_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """Return a JSON-friendly card of the strategy in ``lang`` (codes plus translated texts)."""
        return {
            "id": self.id,
            "group": self.group,
            "name": self.title(lang),
            "description": self.describe(lang),
            "drivers": dict(self.drivers),
            "kpis": dict(self.kpis),
            "fit": dict(self.fit),
            "effort": self.effort,
            "cost": self.cost,
            "time_to_impact": self.time_to_impact,
            "labels": self.labels(lang),
            "actions": self.first_actions(lang),
            "monitor": {
                "kpi": self.monitor.kpi,
                "change": self.monitor.change,
                "unit": self.monitor.unit,
                "months": self.monitor.months,
                "text": self.monitor.text(lang),
            },
            "sources": list(self.sources),
        }


# --- validation --------------------------------------------------------------------------


def _check_texts(where: str, texts: Any) -> list[str]:
    if not isinstance(texts, Mapping):
        return [f"{where}: expected a {{lang: text}} object"]
    problems = [
        f"{where}: missing or empty {lang!r}" for lang in LANGS if not str(texts.get(lang, "")).strip()
    ]
    problems += [f"{where}: unknown language {lang!r}" for lang in texts if lang not in LANGS]
    return problems


def _check_weights(where: str, weights: Any, known: Sequence[str]) -> list[str]:
    if not isinstance(weights, Mapping) or not weights:
        return [f"{where}: expected a non-empty {{name: weight}} object"]
    problems = [f"{where}: unknown name {name!r}" for name in weights if name not in known]
    problems += [
        f"{where}.{name}: weight {w!r} outside (0, 1]"
        for name, w in weights.items()
        if not isinstance(w, int | float) or isinstance(w, bool) or not 0 < w <= 1
    ]
    return problems


def _check_enum(where: str, value: Any, allowed: Sequence[str]) -> list[str]:
    return [] if value in allowed else [f"{where}: {value!r} is not one of {list(allowed)}"]


def _check_strategy(raw: Mapping[str, Any], enums: Mapping[str, Sequence[str]], kpis: Mapping) -> list[str]:
    sid = raw.get("id")
    where = f"strategy {sid!r}"
    problems = [] if isinstance(sid, str) and _ID.match(sid) else [f"{where}: id must be snake_case"]
    problems += _check_enum(f"{where}.group", raw.get("group"), enums["group"])
    for name in _TEXT_FIELDS:
        problems += _check_texts(f"{where}.{name}", raw.get(name))
    if not problems:
        problems += [
            f"{where}.description.{lang}: expected two sentences"
            for lang in LANGS
            if len(_SENTENCE_END.split(raw["description"][lang].strip())) != 2
        ]
    plural = raw.get("short_plural", [])
    if not isinstance(plural, list) or not set(plural) <= set(LANGS):
        problems.append(f"{where}.short_plural: expected a list of language codes")
    problems += _check_weights(f"{where}.drivers", raw.get("drivers"), DRIVERS)
    problems += _check_weights(f"{where}.kpis", raw.get("kpis"), KPIS)
    fit = raw.get("fit")
    if not isinstance(fit, Mapping) or set(fit) != set(BUSINESS_TYPES):
        problems.append(f"{where}.fit: expected exactly {list(BUSINESS_TYPES)}")
    else:
        problems += [f"{where}.fit.{b}: {v!r} outside [0, 1]" for b, v in fit.items() if not 0 <= v <= 1]
    for name in ("effort", "cost", "time_to_impact"):
        problems += _check_enum(f"{where}.{name}", raw.get(name), enums[name])
    actions = raw.get("actions")
    if not isinstance(actions, list) or not _ACTIONS[0] <= len(actions) <= _ACTIONS[1]:
        problems.append(f"{where}.actions: expected {_ACTIONS[0]} to {_ACTIONS[1]} actions")
    else:
        for i, action in enumerate(actions):
            problems += _check_texts(f"{where}.actions[{i}]", action)
    monitor = raw.get("monitor") or {}
    problems += _check_enum(f"{where}.monitor.kpi", monitor.get("kpi"), KPIS)
    if not isinstance(monitor.get("change"), int | float) or monitor.get("change", 0) <= 0:
        problems.append(f"{where}.monitor.change: expected a positive number")
    if not isinstance(monitor.get("months"), int) or monitor.get("months", 0) <= 0:
        problems.append(f"{where}.monitor.months: expected a positive whole number")
    return problems


def validate_catalog(raw: Mapping[str, Any]) -> list[str]:
    """Return every rule the raw catalog breaks (empty when it is valid).

    Parameters
    ----------
    raw : mapping
        The parsed JSON document.

    Returns
    -------
    list of str
        One line per problem.
    """
    enums, kpis = raw.get("enums") or {}, raw.get("kpis") or {}
    problems = [f"enums: missing {name!r}" for name in _ENUMS if name not in enums]
    problems += [f"kpis: missing {k!r}" for k in KPIS if k not in kpis]
    problems += [
        f"kpis.{k}.unit: {v.get('unit')!r} is not a known unit"
        for k, v in kpis.items()
        if v.get("unit") not in enums.get("unit", ())
    ]
    if not 0 < raw.get("main_weight", 0) <= 1:
        problems.append("main_weight: expected a number in (0, 1]")
    strategies = raw.get("strategies")
    if not isinstance(strategies, list) or not strategies:
        return [*problems, "strategies: expected a non-empty list"]
    if problems:
        return problems
    ids = [s.get("id") for s in strategies]
    problems += [f"strategy {i!r}: duplicate id" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for entry in strategies:
        problems += _check_strategy(entry, enums, kpis)
    return problems


# --- loading -----------------------------------------------------------------------------


def _strategy(raw: Mapping[str, Any], order: int, units: Mapping[str, str], main_weight: float) -> Strategy:
    monitor = raw["monitor"]
    return Strategy(
        id=raw["id"],
        group=raw["group"],
        sources=tuple(raw.get("sources", ())),
        name=dict(raw["name"]),
        short=dict(raw["short"]),
        description=dict(raw["description"]),
        short_plural=frozenset(raw.get("short_plural", ())),
        drivers={d: float(raw["drivers"][d]) for d in DRIVERS if d in raw["drivers"]},
        kpis={k: float(raw["kpis"][k]) for k in KPIS if k in raw["kpis"]},
        fit={b: float(raw["fit"][b]) for b in BUSINESS_TYPES},
        effort=raw["effort"],
        cost=raw["cost"],
        time_to_impact=raw["time_to_impact"],
        actions=tuple(dict(a) for a in raw["actions"]),
        monitor=Target(
            monitor["kpi"], float(monitor["change"]), units[monitor["kpi"]], int(monitor["months"])
        ),
        order=order,
        main_weight=main_weight,
    )


def parse_catalog(raw: Mapping[str, Any]) -> tuple[Strategy, ...]:
    """Validate a parsed catalog document and build its strategies, in file order.

    Parameters
    ----------
    raw : mapping
        The parsed JSON document.

    Returns
    -------
    tuple of Strategy

    Raises
    ------
    CatalogError
        Listing every problem, when the document is invalid.
    """
    problems = validate_catalog(raw)
    if problems:
        raise CatalogError(problems)
    units = {k: v["unit"] for k, v in raw["kpis"].items()}
    weight = float(raw["main_weight"])
    return tuple(_strategy(entry, i, units, weight) for i, entry in enumerate(raw["strategies"]))


def load_catalog(path: str | Path | None = None) -> tuple[Strategy, ...]:
    """Load and validate a strategy catalog file.

    Parameters
    ----------
    path : str or Path, optional
        A catalog file; by default the playbook shipped in ``loyalty/data/strategies.json``.

    Returns
    -------
    tuple of Strategy
    """
    if path is None:
        return strategies()
    return parse_catalog(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def strategies() -> tuple[Strategy, ...]:
    """Return the shipped playbook (validated once, then cached)."""
    text = (resources.files("loyalty") / "data" / "strategies.json").read_text(encoding="utf-8")
    return parse_catalog(json.loads(text))


def get_strategy(strategy_id: str) -> Strategy:
    """Return the shipped strategy with this id.

    Raises
    ------
    InputError
        ``strategies.error.unknown_strategy`` for an unknown id (e.g. a typo in ``--strategies``).
    """
    for strategy in strategies():
        if strategy.id == strategy_id:
            return strategy
    allowed = ", ".join(s.id for s in strategies())
    raise InputError("strategies.error.unknown_strategy", strategy=strategy_id, allowed=allowed)
