"""History page: open a saved assessment, so the Plan and Report pages show it again.

The plan (strategies, actions, assumptions, business type) always comes back. The
customer data comes back only when it was stored with the assessment; otherwise the
user is told which files to load again, and whether the files loaded now are the ones
the assessment was made from (their fingerprints match).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loyalty.plan import COLUMNS, empty_plan
from loyalty.store import Action, Assessment
from loyalty.ui import history_match, history_save, history_store, plan_data, state

tr = state.tr
#: What the last opening did, shown under the list: ``{"title", "raw": [kinds], "fingerprints": {...}}``.
REPORT = "history.open_report"
#: Widget keys of the Plan page that would otherwise win over the restored values.
_PLAN_WIDGETS = ("plan_business_type", "plan_a_", "plan_pick_", "plan_editor_")


def plan_frame(actions: list[Action]) -> pd.DataFrame:
    """Return saved actions as the Plan page's table (:data:`loyalty.plan.COLUMNS`, its dtypes)."""
    if not actions:
        return empty_plan()
    rows = pd.DataFrame(
        [
            {
                "strategy_id": a.strategy,
                "action": a.action,
                "owner": a.owner or "",
                "start": a.start,
                "due": a.due,
                "kpi": a.kpi or "",
                "target": a.target,
            }
            for a in actions
        ],
        columns=list(COLUMNS),
    )
    for column in ("start", "due"):
        rows[column] = pd.to_datetime(rows[column], errors="coerce").astype("datetime64[ns]")
    rows["target"] = pd.to_numeric(rows["target"], errors="coerce").astype("float64")
    for column in ("strategy_id", "action", "owner", "kpi"):
        rows[column] = rows[column].fillna("").astype("str")
    return pd.concat([empty_plan(), rows], ignore_index=True)


def _forget_plan_widgets() -> None:
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(_PLAN_WIDGETS):
            del st.session_state[key]


def restore_plan(a: Assessment) -> None:
    """Put the assessment's plan where the Plan and Report pages read it."""
    _forget_plan_widgets()
    st.session_state[plan_data.SELECTED] = [str(s) for s in a.strategies]
    st.session_state[plan_data.ACTIONS] = plan_frame(a.actions)
    st.session_state[plan_data.BUSINESS_TYPE] = a.business_type
    if a.assumptions:
        st.session_state[plan_data.ASSUMPTIONS] = dict(a.assumptions)
    else:
        st.session_state.pop(plan_data.ASSUMPTIONS, None)
    # A new editor key: the Plan page's table starts from the restored plan, not from old edits.
    st.session_state[plan_data.EDITOR_VERSION] = st.session_state.get(plan_data.EDITOR_VERSION, 0) + 1
    st.session_state.pop(plan_data.EDITOR_BASE, None)
    st.session_state[history_store.STATUSES] = {(x.strategy, x.action): x.status for x in a.actions}


def restore_data(a: Assessment) -> list[str]:
    """Load the stored customer data back into the session; return the kinds loaded.

    Each table goes through ingestion again (as Parquet, which keeps every type), so
    the scales, the Data page and every cache see an ordinary loaded file.
    """
    raw = a.raw or {}
    if not raw:
        return []
    state.datasets().clear()
    state.files().clear()
    state.errors().clear()
    loaded = []
    for kind, frame in raw.items():
        name = tr("history.open.file_name", kind=tr(f"kind.{kind}"), id=a.id)
        if state.load_into_session(kind, name, frame.to_parquet(index=False)) is not None:
            loaded.append(kind)
    st.session_state[state.SOURCE] = {"assessment": a.id}
    return loaded


def check_files(saved: dict[str, str]) -> dict[str, str]:
    """Return kind -> ``match``, ``mismatch`` or ``missing`` (see :func:`history_match.check_files`)."""
    return history_match.check_files(saved)


def open_assessment(a: Assessment) -> None:
    """Restore the plan and, when stored, the data of ``a``; remember what happened for the pages."""
    restore_plan(a)
    loaded = restore_data(a)
    current = history_save.fingerprints()
    st.session_state[history_store.OPENED] = {
        "id": a.id,
        "client": a.client,
        "title": a.title,
        "fingerprints": dict(a.fingerprints),
        # The restored tables are the assessment's data, under fingerprints of their own.
        "restored": {kind: current[kind] for kind in loaded if kind in current},
    }
    st.session_state[REPORT] = {
        "title": a.title,
        "raw": loaded,
        "fingerprints": dict(a.fingerprints),
    }


def show_report() -> None:
    """Say what opening restored, and what the user still has to do."""
    report = st.session_state.get(REPORT)
    if not report:
        return
    st.success(tr("history.open.done", title=report["title"]))
    if report["raw"]:
        kinds = ", ".join(tr(f"kind.{k}") for k in report["raw"])
        st.info(tr("history.open.raw_loaded", kinds=kinds))
        return
    # Checked on every run: the user may have loaded the files since opening.
    files = check_files(report["fingerprints"])
    if not files:
        st.info(tr("history.open.no_files"))
        return
    if any(check != "match" for check in files.values()):
        st.info(tr("history.open.load_again", kinds=", ".join(tr(f"kind.{k}") for k in files)))
    for kind, check in files.items():
        text = tr(f"history.open.check.{check}", kind=tr(f"kind.{kind}"))
        {"match": st.success, "mismatch": st.warning}.get(check, st.caption)(text)
