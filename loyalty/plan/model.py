"""The action plan: one row per action, with owner, dates, KPI and target.

The plan is a pandas DataFrame with the fixed columns :data:`COLUMNS`, so the Plan
page can edit it in a table and the reports can print it as is:

- ``strategy_id`` (str): the playbook strategy the action belongs to;
- ``action`` (str): what to do, in the user's language;
- ``owner`` (str): who does it (empty until someone is named);
- ``start``, ``due`` (datetime64): when it starts and when it should be done;
- ``kpi`` (str): one of :data:`loyalty.strategies.KPIS`, the KPI it should move;
- ``target`` (float): the KPI value to reach, in the KPI's display unit (NPS
  points, rates in percent, CLV in money, feedback on 0-100); NaN when today's
  value is unknown, for the user to fill in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from loyalty.i18n import DEFAULT_LANG, format_date, t
from loyalty.strategies import KPIS, get_strategy, strategies

COLUMNS: tuple[str, ...] = ("strategy_id", "action", "owner", "start", "due", "kpi", "target")
#: Weeks each first action gets, by the strategy's time to impact: slower strategies need
#: longer first steps (a CRM is not set up in the fortnight a newsletter takes).
ACTION_WEEKS: dict[str, int] = {"short": 2, "medium": 4, "long": 6}
#: Weeks between the starts of two strategies: one team cannot launch five strategies on one
#: Monday, so each picked strategy starts a fortnight after the one picked before it.
STAGGER_WEEKS = 2
#: KPIs stored as fractions by the library but shown and edited in percent.
PERCENT_KPIS: frozenset[str] = frozenset({"retention_rate", "repeat_purchase_rate"})


def empty_plan() -> pd.DataFrame:
    """Return a plan with no actions and the right column types."""
    return pd.DataFrame(
        {
            "strategy_id": pd.Series(dtype="str"),
            "action": pd.Series(dtype="str"),
            "owner": pd.Series(dtype="str"),
            "start": pd.Series(dtype="datetime64[ns]"),
            "due": pd.Series(dtype="datetime64[ns]"),
            "kpi": pd.Series(dtype="str"),
            "target": pd.Series(dtype="float64"),
        }
    )


def display_value(kpi: str, value: float | None) -> float:
    """Return a library KPI value in its display unit (rates as percent); NaN when unknown."""
    if value is None or not math.isfinite(float(value)):
        return math.nan
    return float(value) * 100 if kpi in PERCENT_KPIS else float(value)


def _target(strategy_id: str, current: Mapping[str, float | None]) -> float:
    """Return the strategy's suggested target in display units, NaN when its KPI is unknown today."""
    monitor = get_strategy(strategy_id).monitor
    now = current.get(monitor.kpi)
    if now is None or not math.isfinite(float(now)):
        return math.nan
    return display_value(monitor.kpi, monitor.apply(float(now)))


def schedule(time_to_impact: str, n_actions: int, slot: int, start: pd.Timestamp) -> list[tuple]:
    """Return (start, due) of each action of one strategy.

    The strategy starts :data:`STAGGER_WEEKS` after the previous one (``slot`` is its
    place in the plan); its actions follow one another, each lasting
    :data:`ACTION_WEEKS` of its time to impact.

    Parameters
    ----------
    time_to_impact : {"short", "medium", "long"}
    n_actions : int
        Actions of the strategy.
    slot : int
        0 for the first strategy of the plan, 1 for the second, ...
    start : pandas.Timestamp
        Start of the plan.

    Returns
    -------
    list of tuple
        ``n_actions`` pairs with ``start <= due``.
    """
    step = pd.Timedelta(weeks=ACTION_WEEKS[time_to_impact])
    begin = start + pd.Timedelta(weeks=STAGGER_WEEKS * slot)
    return [(begin + i * step, begin + (i + 1) * step) for i in range(n_actions)]


def plan_from_strategies(
    ids: Iterable[str],
    lang: str = DEFAULT_LANG,
    today: date | None = None,
    current: Mapping[str, float | None] | None = None,
    first_slot: int = 0,
) -> pd.DataFrame:
    """Return a default plan: one row per action of each strategy, every row with dates.

    See :func:`schedule` for the dates; every row monitors the strategy's KPI with its
    suggested target.

    Parameters
    ----------
    ids : iterable of str
        Strategy ids, in the order the user picked them.
    lang : str
        Language of the action texts.
    today : date, optional
        Start of the plan; today by default.
    current : mapping, optional
        KPI -> value today, as :func:`loyalty.measure.measure` gives them (rates as fractions).
    first_slot : int
        Place of the first of ``ids`` in the whole plan (strategies already planned come first).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`.

    Raises
    ------
    InputError
        For an unknown strategy id.
    """
    start = pd.Timestamp(today or date.today()).normalize()
    rows = []
    for slot, sid in enumerate(dict.fromkeys(ids), start=first_slot):  # a strategy picked twice: once
        strategy = get_strategy(sid)
        target = _target(sid, current or {})
        actions = strategy.first_actions(lang)
        for action, (begin, due) in zip(
            actions, schedule(strategy.time_to_impact, len(actions), slot, start), strict=True
        ):
            rows.append(
                {
                    "strategy_id": sid,
                    "action": action,
                    "owner": "",
                    "start": begin,
                    "due": due,
                    "kpi": strategy.monitor.kpi,
                    "target": target,
                }
            )
    return (
        pd.concat([empty_plan(), pd.DataFrame(rows, columns=list(COLUMNS))], ignore_index=True)
        if rows
        else empty_plan()
    )


def merge_plan(
    plan: pd.DataFrame, ids: Iterable[str], lang: str, today: date | None = None, **kwargs: Any
) -> pd.DataFrame:
    """Keep the user's edits: drop rows of strategies no longer picked, add defaults for new ones.

    Parameters
    ----------
    plan : pandas.DataFrame
        The current (possibly edited) plan.
    ids : iterable of str
        The strategies picked now.
    lang, today, **kwargs
        Passed to :func:`plan_from_strategies` for the new strategies.

    Returns
    -------
    pandas.DataFrame
    """
    ids = list(dict.fromkeys(ids))
    kept = plan[plan["strategy_id"].isin(ids)] if len(plan) else empty_plan()
    planned = list(dict.fromkeys(kept["strategy_id"]))
    new = [sid for sid in ids if sid not in set(planned)]
    # New strategies queue up behind those already planned instead of all starting today.
    added = plan_from_strategies(new, lang, today, first_slot=len(planned), **kwargs)
    parts = [p for p in (kept, added) if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else empty_plan()


@dataclass(frozen=True)
class PlanIssue:
    """One problem in a plan.

    Parameters
    ----------
    level : {"error", "warning"}
        Errors make the plan unusable in a report; warnings are gaps to fill.
    key : str
        Catalog key of the message.
    row : int or None
        1-based row number, None for the whole plan.
    params : dict
        Placeholders of the message.
    """

    level: str
    key: str
    row: int | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANG) -> str:
        """Return the message in ``lang``, prefixed with the row when there is one."""
        text = t(self.key, lang, **self.params)
        return text if self.row is None else t("plan.issue.row", lang, row=self.row, message=text)


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or not str(value).strip()
        or value is pd.NaT
    )


def _row_issues(i: int, row: Mapping[str, Any], lang: str, known: set[str]) -> list[PlanIssue]:
    issues = []
    if _blank(row["action"]):
        issues.append(PlanIssue("error", "plan.issue.no_action", i))
    if _blank(row["strategy_id"]) or row["strategy_id"] not in known:
        issues.append(
            PlanIssue("error", "plan.issue.unknown_strategy", i, {"strategy": str(row["strategy_id"])})
        )
    if pd.isna(row["start"]) or pd.isna(row["due"]):
        issues.append(PlanIssue("error", "plan.issue.no_dates", i))
    elif pd.Timestamp(row["due"]) < pd.Timestamp(row["start"]):
        dates = {
            "start": format_date(pd.Timestamp(row["start"]), lang),
            "due": format_date(pd.Timestamp(row["due"]), lang),
        }
        issues.append(PlanIssue("error", "plan.issue.due_before_start", i, dates))
    if row["kpi"] not in KPIS:
        issues.append(PlanIssue("error", "plan.issue.unknown_kpi", i, {"kpi": str(row["kpi"])}))
    if _blank(row["owner"]):
        issues.append(PlanIssue("warning", "plan.issue.no_owner", i))
    if pd.isna(row["target"]):
        issues.append(PlanIssue("warning", "plan.issue.no_target", i))
    return issues


def validate_plan(df: pd.DataFrame, lang: str = DEFAULT_LANG) -> list[PlanIssue]:
    """Return every problem of a plan: errors first, then warnings, in row order.

    Parameters
    ----------
    df : pandas.DataFrame
        A plan with columns :data:`COLUMNS`.
    lang : str
        Language for dates inside the messages.

    Returns
    -------
    list of PlanIssue
        Empty for a complete, consistent plan.
    """
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        return [PlanIssue("error", "plan.issue.columns", None, {"columns": ", ".join(missing)})]
    if df.empty:
        return [PlanIssue("warning", "plan.issue.empty")]

    known = {s.id for s in strategies()}
    issues = [
        issue
        for i, row in enumerate(df.to_dict("records"), start=1)
        for issue in _row_issues(i, row, lang, known)
    ]
    return sorted(issues, key=lambda issue: issue.level != "error")
