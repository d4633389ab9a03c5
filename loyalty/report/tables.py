"""The report's tables with translated headers and formatted cells, shared by every format."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from loyalty.i18n import format_date, format_number, format_percent, has_key, t
from loyalty.report.content import ReportContent


def _cell(value: Any, lang: str) -> str:
    """Return a cell as display text: dates in the language's format, blanks for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return "" if pd.isna(value) else format_date(value.date(), lang)
    if isinstance(value, float):
        return format_number(value, lang, 2)
    return str(value)


def kpi_label(value: Any, lang: str) -> str:
    """Return a plan's KPI cell: a KPI code (``nps``) becomes its name, anything else is shown as is."""
    key = f"strategies.kpi.{value}"
    return t(key, lang) if isinstance(value, str) and has_key(key) else _cell(value, lang)


def _day(iso: str | None, lang: str) -> str:
    """Return an ISO day in the language's date format ("–" when unknown)."""
    return format_date(pd.Timestamp(iso).date(), lang) if iso else "–"


def data_rows(content: ReportContent) -> list[tuple[str, str]]:
    """Return "data at a glance" as (label, value) pairs: rows, customers, revenue, period, responses."""
    lang, tr = content.lang, content.tr
    rows: list[tuple[str, str]] = []
    tx = content.data.get("transactions")
    if tx:
        used = (tx.get("rows") or {}).get("used")
        rows += [
            (tr("report.data.transactions"), format_number(used, lang)),
            (tr("report.data.customers"), format_number(tx.get("customers"), lang)),
            (tr("report.data.revenue"), format_number(tx.get("revenue"), lang, 2)),
            (
                tr("report.data.period"),
                f"{_day(tx.get('first_date'), lang)} – {_day(tx.get('last_date'), lang)}",
            ),
        ]
        rejected = (tx.get("rows") or {}).get("rejected")
        if rejected is not None:
            rows.append((tr("report.data.rejected"), format_number(rejected, lang)))
    sv = content.data.get("survey")
    if sv:
        rows.append((tr("report.data.responses"), format_number(sv.get("responses"), lang)))
    if not rows:
        rows.append((tr("report.data.none"), ""))
    return rows


def kpi_display(content: ReportContent) -> pd.DataFrame:
    """Return the KPIs as text: KPI, value, note."""
    tr = content.tr
    frame = content.kpis
    return pd.DataFrame(
        {
            tr("report.col.kpi"): frame["label"],
            tr("report.col.value"): frame["text"],
            tr("report.col.note"): frame["note"],
        }
    )


def driver_display(content: ReportContent) -> pd.DataFrame | None:
    """Return the driver table as text: driver, importance with its 95% interval, performance, quadrant."""
    if content.drivers is None:
        return None
    lang, tr = content.lang, content.tr
    d = content.drivers
    interval = [
        f"{format_percent(v, lang, 0)} ({format_percent(lo, lang, 0)}–{format_percent(hi, lang, 0)})"
        for v, lo, hi in zip(d["importance"], d["low"], d["high"], strict=True)
    ]
    return pd.DataFrame(
        {
            tr("report.col.driver"): d["label"],
            tr("report.col.importance"): interval,
            tr("report.col.performance"): [format_number(v, lang, 0) for v in d["performance"]],
            tr("report.col.quadrant"): d["quadrant"],
        }
    )


def strategy_display(content: ReportContent) -> pd.DataFrame:
    """Return the chosen strategies as text: rank, strategy, why, effort, time to impact, KPI target."""
    tr = content.tr
    s = content.strategies
    return pd.DataFrame(
        {
            "#": s["rank"].astype(str),
            tr("report.col.strategy"): s["name"],
            tr("report.col.why"): s["explanation"],
            tr("report.col.effort"): s["effort"],
            tr("report.col.time"): s["time"],
            tr("report.col.monitor"): s["monitor"],
        }
    )


def strategy_names(content: ReportContent) -> dict[str, str]:
    """Return strategy id -> name in the report's language."""
    from loyalty.strategies import get_strategy

    names = dict(zip(content.strategies["id"], content.strategies["name"], strict=True))
    for sid in content.plan["strategy_id"].dropna().astype(str).unique():
        if sid not in names:
            try:
                names[sid] = get_strategy(sid).title(content.lang)
            except Exception:  # a plan line may name a strategy outside the playbook: show its id
                names[sid] = sid
    return names


def plan_display(content: ReportContent) -> pd.DataFrame:
    """Return the action plan as text with translated headers and the strategy's name."""
    lang, tr = content.lang, content.tr
    names = strategy_names(content)
    p = content.plan
    out = {
        tr("report.col.strategy"): [names.get(str(s), _cell(s, lang)) for s in p["strategy_id"]],
        tr("report.col.action"): [_cell(v, lang) for v in p["action"]],
        tr("report.col.owner"): [_cell(v, lang) for v in p["owner"]],
        tr("report.col.start"): [_cell(v, lang) for v in p["start"]],
        tr("report.col.due"): [_cell(v, lang) for v in p["due"]],
        tr("report.col.kpi"): [kpi_label(v, lang) for v in p["kpi"]],
        tr("report.col.target"): [_cell(v, lang) for v in p["target"]],
    }
    return pd.DataFrame(out)


def impact_display(content: ReportContent) -> pd.DataFrame | None:
    """Return what reaching the targets is worth as text: item and value (with its 95% interval)."""
    frame = content.impact
    if frame is None or len(frame) == 0:
        return None
    return pd.DataFrame(
        {content.tr("report.col.item"): frame["label"], content.tr("report.col.value"): frame["text"]}
    )


def label_value_display(frame: pd.DataFrame | None, content: ReportContent) -> pd.DataFrame | None:
    """Return an impact or assumptions table as text (its first two columns: label, value)."""
    if frame is None or len(frame) == 0:
        return None
    lang = content.lang
    first, second = frame.columns[0], frame.columns[min(1, len(frame.columns) - 1)]
    return pd.DataFrame(
        {
            content.tr("report.col.item"): [_cell(v, lang) for v in frame[first]],
            content.tr("report.col.value"): [_cell(v, lang) for v in frame[second]],
        }
    )
