"""Plan page: the action plan table, its checks and its timeline.

``st.data_editor`` applies its recorded edits to the frame it is given on every
rerun, so it is given a fixed base (the plan as it was when this editor key was
first drawn) and its result becomes the saved plan. When the selection changes
the key changes too, and the new editor starts from the merged plan; when the
page is left and revisited, the widget is gone and it starts from the saved plan.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loyalty.charts.plan import timeline_chart
from loyalty.plan import COLUMNS, empty_plan, validate_plan
from loyalty.plan.model import PERCENT_KPIS
from loyalty.strategies import KPIS, get_strategy
from loyalty.ui import plan_data, state

tr = state.tr


def _title(strategy_id: str) -> str:
    try:
        return get_strategy(strategy_id).title(state.lang())
    except Exception:  # noqa: BLE001 - an unknown id shows as it is; validation names it
        return str(strategy_id)


def _columns() -> dict:
    picked = plan_data.selected()
    titles = {sid: _title(sid) for sid in picked}
    kpi_names = {k: tr(f"strategies.kpi.{k}") for k in KPIS}
    return {
        "strategy_id": st.column_config.SelectboxColumn(
            tr("plan.col.strategy"),
            options=picked,
            format_func=lambda sid: titles.get(sid, str(sid)),
            required=True,
        ),
        "action": st.column_config.TextColumn(tr("plan.col.action"), required=True, width="large"),
        "owner": st.column_config.TextColumn(tr("plan.col.owner")),
        "start": st.column_config.DateColumn(tr("plan.col.start"), required=True),
        "due": st.column_config.DateColumn(tr("plan.col.due"), required=True),
        "kpi": st.column_config.SelectboxColumn(
            tr("plan.col.kpi"),
            options=list(KPIS),
            format_func=lambda k: kpi_names.get(k, str(k)),
            required=True,
        ),
        "target": st.column_config.NumberColumn(tr("plan.col.target"), help=tr("plan.col.target_help")),
    }


def _clean(edited: pd.DataFrame) -> pd.DataFrame:
    """Return the edited table with the plan's column types (added rows come back with gaps)."""
    out = edited.reset_index(drop=True)[list(COLUMNS)].copy()
    for column in ("strategy_id", "action", "owner", "kpi"):
        out[column] = out[column].fillna("").astype("str")
    for column in ("start", "due"):
        out[column] = pd.to_datetime(out[column], errors="coerce").astype("datetime64[ns]")
    out["target"] = pd.to_numeric(out["target"], errors="coerce").astype("float64")
    return pd.concat([empty_plan(), out], ignore_index=True) if len(out) else empty_plan()


def editor() -> pd.DataFrame:
    """Draw the editable plan and save what the user typed; return the saved plan."""
    st.subheader(tr("plan.section.plan"))
    if not plan_data.selected():
        st.info(tr("plan.editor.empty"))
        return plan_data.plan()
    st.caption(
        tr("plan.editor.help", percent=", ".join(tr(f"strategies.kpi.{k}") for k in sorted(PERCENT_KPIS)))
    )
    key = f"plan_editor_{st.session_state.get(plan_data.EDITOR_VERSION, 0)}"
    if key not in st.session_state or plan_data.EDITOR_BASE not in st.session_state:
        st.session_state[plan_data.EDITOR_BASE] = plan_data.plan()
    edited = st.data_editor(
        st.session_state[plan_data.EDITOR_BASE],
        key=key,
        column_config=_columns(),
        column_order=list(COLUMNS),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
    )
    saved = _clean(edited)
    st.session_state[plan_data.ACTIONS] = saved
    return saved


def checks(plan: pd.DataFrame) -> None:
    """Show what is wrong or missing in the plan, errors first."""
    if plan.empty:
        return
    lang = state.lang()
    issues = validate_plan(plan, lang)
    errors = [i.message(lang) for i in issues if i.level == "error"]
    warnings = [i.message(lang) for i in issues if i.level == "warning"]
    if errors:
        st.error("\n".join(f"- {m}" for m in errors))
    if warnings:
        with st.expander(tr("plan.editor.gaps", n=len(warnings))):
            st.markdown("\n".join(f"- {m}" for m in warnings))
    if not issues:
        st.success(tr("plan.editor.ok"))


def timeline(plan: pd.DataFrame) -> None:
    """Draw the plan as a timeline, one bar per action."""
    chart = timeline_chart(plan, state.lang())
    if chart is not None:
        st.altair_chart(chart, width="stretch")
