"""History page: turn what the session holds into an assessment, and the form that saves it.

The assessment is built only when the user presses save: measuring the KPIs and
running the diagnosis may take a moment, and nothing is written before that click.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from loyalty.i18n import format_date
from loyalty.store import Action, Assessment, fingerprint
from loyalty.ui import history_snapshot, history_store, plan_data, state
from loyalty.values import finite_or_none as _number

tr = state.tr
FORM = "history_save_form"
KEYS = {
    "client": "history_save_client",
    "title": "history_save_title",
    "notes": "history_save_notes",
    "raw": "history_save_raw",
    "submit": "history_save_submit",
}

log = logging.getLogger(__name__)


def fingerprints() -> dict[str, str]:
    """Return kind -> fingerprint of each loaded file (of its table when it came without a file)."""
    out = {}
    for kind, result in state.datasets().items():
        record = state.files().get(kind)
        out[kind] = fingerprint(record["data"]) if record and "data" in record else fingerprint(result.frame)
    return out


def _day(value: Any) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def actions_from_plan(plan: pd.DataFrame | None, statuses: dict[tuple[str, str], str]) -> list[Action]:
    """Return the Plan page's table as actions, each keeping the progress it had when opened.

    Parameters
    ----------
    plan : pandas.DataFrame or None
        The action plan (:data:`loyalty.plan.COLUMNS`).
    statuses : dict
        ``(strategy id, action text) -> status`` of the assessment the plan was opened from.

    Returns
    -------
    list of Action
        Rows without an action text are left out (an empty row the user added).
    """
    if plan is None or plan.empty:
        return []
    actions = []
    for row in plan.to_dict("records"):
        text = str(row.get("action") or "").strip()
        if not text:
            continue
        strategy = str(row.get("strategy_id") or "")
        actions.append(
            Action(
                strategy=strategy,
                action=text,
                owner=str(row.get("owner") or ""),
                start=_day(row.get("start")),
                due=_day(row.get("due")),
                kpi=str(row.get("kpi") or ""),
                target=_number(row.get("target")),
                status=statuses.get((strategy, text), "todo"),
            )
        )
    return actions


def kpi_and_diagnosis() -> tuple[dict, dict]:
    """Return the KPI snapshot and the diagnosis summary of the loaded data (empty dicts when none).

    Both come from the caches the Plan and Diagnose pages share, so saving after a
    visit there recomputes nothing.
    """
    return history_snapshot.kpis(), history_snapshot.diagnosis()


def build_assessment(client: str, title: str, notes: str, keep_raw: bool) -> Assessment:
    """Return the assessment of the session: data fingerprints, KPIs, diagnosis and plan."""
    kpis, diagnosis = kpi_and_diagnosis()
    datasets = state.datasets()
    return Assessment(
        client=client.strip(),
        title=title.strip(),
        created=datetime.now().replace(microsecond=0),
        lang=state.lang(),
        business_type=st.session_state.get(plan_data.BUSINESS_TYPE),
        mappings={kind: {str(k): str(v) for k, v in r.mapping.items()} for kind, r in datasets.items()},
        fingerprints=fingerprints(),
        kpis=kpis,
        diagnosis=diagnosis,
        strategies=[str(s) for s in st.session_state.get(plan_data.SELECTED) or []],
        actions=actions_from_plan(
            st.session_state.get(plan_data.ACTIONS), st.session_state.get(history_store.STATUSES) or {}
        ),
        assumptions=dict(st.session_state.get(plan_data.ASSUMPTIONS) or {}),
        notes=notes.strip(),
        raw={kind: r.frame for kind, r in datasets.items()} if keep_raw else None,
    )


def _save() -> None:
    """Button callback: build and save the assessment, then show it in the list."""
    values = {name: st.session_state.get(key) for name, key in KEYS.items()}
    client = str(values["client"] or "").strip()
    if not client:
        history_store.flash("save", "error", tr("history.save.no_client"))
        return
    title = str(values["title"] or "").strip() or default_title()
    try:
        assessment = build_assessment(client, title, str(values["notes"] or ""), bool(values["raw"]))
        with history_store.connected(create=True) as store:
            new_id = store.save(assessment, store_raw=bool(values["raw"]))
    except Exception as err:  # noqa: BLE001 - shown as one translated line
        history_store.flash("save", "error", tr("history.save.failed", reason=history_store.error_text(err)))
        return
    st.session_state[history_store.CLIENT_KEY] = client
    st.session_state[history_store.OPENED] = {"id": new_id, "client": client, "title": title}
    history_store.flash("save", "success", tr("history.save.done", title=title, client=client))


def default_title() -> str:
    """Return the title an assessment gets when none is typed: today's date."""
    return tr("history.save.default_title", date=format_date(date.today(), state.lang()))


def form() -> None:
    """Draw the save form: client, title, notes and the clearly explained raw-data option."""
    st.subheader(tr("history.save.title"))
    if not state.datasets() and not st.session_state.get(plan_data.SELECTED):
        st.info(tr("history.save.nothing"))
    opened = st.session_state.get(history_store.OPENED) or {}
    with st.form(FORM):
        st.text_input(tr("history.save.client"), value=opened.get("client", ""), key=KEYS["client"])
        st.text_input(tr("history.save.title_label"), placeholder=default_title(), key=KEYS["title"])
        st.text_area(tr("history.save.notes"), key=KEYS["notes"], height=100)
        st.checkbox(tr("history.save.raw"), value=False, key=KEYS["raw"], help=tr("history.save.raw_help"))
        st.caption(tr("history.save.raw_explained"))
        st.form_submit_button(
            tr("history.save.button"), on_click=_save, key=KEYS["submit"], icon=":material/save:"
        )
    history_store.show_flash("save")
    history_store.location_caption()
