"""The report as an Excel workbook: KPIs, cohort table, drivers, strategies, action plan, rejected rows.

Numbers stay numbers (so the client can compute with them); every text cell, header
included, goes through :func:`loyalty.ingest.export.neutralise`, so no cell can start a
formula, whatever a customer name or an uploaded column holds.
"""

from __future__ import annotations

import io

import pandas as pd

from loyalty.ingest.export import neutralise
from loyalty.report.content import ReportContent
from loyalty.report.tables import data_rows, kpi_label, strategy_names

#: Excel's limit on a sheet name.
_SHEET_CHARS = 31
_WIDTH = (8, 60)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with formula-like text neutralised in its cells and its column names."""
    out = frame.copy()
    for column in out.columns:
        out[column] = neutralise(out[column])
    out.columns = list(neutralise(pd.Series([str(c) for c in out.columns], dtype="object")))
    return out


def _sheets(content: ReportContent) -> dict[str, pd.DataFrame]:
    """Return sheet title -> table, in workbook order (titles translated)."""
    tr = content.tr
    sheets: dict[str, pd.DataFrame] = {
        tr("report.sheet.summary"): pd.DataFrame(
            data_rows(content), columns=[tr("report.col.item"), tr("report.col.value")]
        ),
        tr("report.sheet.kpis"): content.kpis.rename(
            columns={
                "key": tr("report.col.code"),
                "label": tr("report.col.kpi"),
                "value": tr("report.col.value"),
                "text": tr("report.col.shown"),
                "note": tr("report.col.note"),
            }
        ),
    }
    if content.cohort is not None and not content.cohort.empty:
        cohort = content.cohort.copy()
        cohort.columns = [str(c) for c in cohort.columns]
        sheets[tr("report.sheet.cohorts")] = cohort.reset_index().rename(
            columns={"cohort": tr("report.col.cohort")}
        )
    if content.drivers is not None:
        sheets[tr("report.sheet.drivers")] = content.drivers.rename(
            columns={
                "driver": tr("report.col.code"),
                "label": tr("report.col.driver"),
                "importance": tr("report.col.importance"),
                "low": tr("report.col.low"),
                "high": tr("report.col.high"),
                "performance": tr("report.col.performance"),
                "quadrant": tr("report.col.quadrant"),
            }
        )
    sheets[tr("report.sheet.strategies")] = content.strategies.rename(
        columns={
            "rank": "#",
            "id": tr("report.col.code"),
            "name": tr("report.col.strategy"),
            "explanation": tr("report.col.why"),
            "description": tr("report.col.description"),
            "effort": tr("report.col.effort"),
            "time": tr("report.col.time"),
            "monitor": tr("report.col.monitor"),
        }
    )
    sheets[tr("report.sheet.plan")] = _plan_sheet(content)
    if content.impact is not None and len(content.impact):
        sheets[tr("report.sheet.impact")] = _impact_sheet(content)
    if content.assumptions is not None and len(content.assumptions):
        sheets[tr("report.sheet.assumptions")] = content.assumptions.rename(
            columns={"label": tr("report.col.item"), "value": tr("report.col.value")}
        )
    for kind, rejected in content.rejected.items():
        sheets[tr("report.sheet.rejected", kind=tr(f"kind.{kind}"))] = rejected
    return sheets


def _impact_sheet(content: ReportContent) -> pd.DataFrame:
    """Return the impact figures with numeric value and interval columns (shares as fractions)."""
    tr = content.tr
    frame = content.impact[["label", "value", "low", "high", "text", "key"]]
    return frame.rename(
        columns={
            "label": tr("report.col.item"),
            "value": tr("report.col.value"),
            "low": tr("report.col.low"),
            "high": tr("report.col.high"),
            "text": tr("report.col.shown"),
            "key": tr("report.col.code"),
        }
    )


def _plan_sheet(content: ReportContent) -> pd.DataFrame:
    tr = content.tr
    plan = content.plan.copy()
    names = strategy_names(content)
    plan.insert(1, "strategy", [names.get(str(s), str(s)) for s in plan["strategy_id"]])
    plan["kpi"] = [kpi_label(v, content.lang) for v in plan["kpi"]]
    for column in ("start", "due"):
        plan[column] = pd.to_datetime(plan[column], errors="coerce").dt.date
    headers = {
        c: tr(f"report.col.{c}") for c in ("action", "owner", "start", "due", "kpi", "target", "strategy")
    }
    return plan.rename(columns={"strategy_id": tr("report.col.code"), **headers})


def _autofit(sheet) -> None:
    """Widen columns to their content (within bounds), so the workbook reads without resizing."""
    for cells in sheet.columns:
        longest = max((len(str(c.value)) for c in cells if c.value is not None), default=8)
        sheet.column_dimensions[cells[0].column_letter].width = min(max(longest + 2, _WIDTH[0]), _WIDTH[1])


def build_xlsx(content: ReportContent) -> bytes:
    """Return the workbook as ``.xlsx`` bytes.

    Parameters
    ----------
    content : ReportContent
        From :func:`loyalty.report.content.build_content`.

    Returns
    -------
    bytes
        One sheet per table; text neutralised against formula injection, numbers numeric.
    """
    buffer = io.BytesIO()
    used: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for title, frame in _sheets(content).items():
            name = _sheet_name(title, used)
            safe_frame(frame).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            _autofit(sheet)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """Return a valid, unique sheet name (Excel forbids ``[]:*?/\\`` and names over 31 characters)."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:_SHEET_CHARS] or "Sheet"
    name, i = clean, 2
    while name.lower() in used:
        suffix = f" {i}"
        name, i = clean[: _SHEET_CHARS - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name
