"""History page: the client picker and the list of a client's assessments, to open, rename or delete.

Every button works through a callback that opens the store itself, so a click is
handled before the page draws again and the list always shows the result.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loyalty.i18n import LANG_NAMES, format_date
from loyalty.store import AssessmentSummary, Store
from loyalty.ui import history_compare, history_open, history_store, state

tr = state.tr
SECTION = "list"
KEYS = {
    "pick": "history_pick",
    "open": "history_open",
    "rename_text": "history_rename_text",
    "rename": "history_rename",
    "delete": "history_delete",
    "confirm": "history_delete_confirm",
    "cancel": "history_delete_cancel",
}


def client_picker(clients: list[str]) -> str:
    """Ask which client's assessments to show (the last saved or opened client first)."""
    if st.session_state.get(history_store.CLIENT_KEY) not in clients:
        st.session_state[history_store.CLIENT_KEY] = clients[0]
    return st.selectbox(tr("history.client"), clients, key=history_store.CLIENT_KEY)


def _yes_no(value: bool) -> str:
    return tr("history.yes") if value else tr("history.no")


def table(summaries: list[AssessmentSummary]) -> pd.DataFrame:
    """Return the client's assessments as a table with translated headers, newest first."""
    lang = state.lang()
    rows = [
        {
            tr("history.col.title"): s.title,
            tr("history.col.created"): format_date(s.created, lang),
            tr("history.col.updated"): format_date(s.updated, lang),
            tr("history.col.lang"): LANG_NAMES.get(s.lang, s.lang),
            tr("history.col.business_type"): tr(f"plan.business.{s.business_type or 'unknown'}"),
            tr("history.col.raw"): _yes_no(s.has_raw),
        }
        for s in summaries
    ]
    return pd.DataFrame(rows)


def _open(assessment_id: int) -> None:
    try:
        with history_store.connected() as store:
            history_open.open_assessment(store.get(assessment_id))
    except Exception as err:  # noqa: BLE001 - shown as one translated line
        history_store.flash(SECTION, "error", history_store.error_text(err))


def _rename(assessment_id: int) -> None:
    title = str(st.session_state.get(KEYS["rename_text"]) or "").strip()
    if not title:
        history_store.flash(SECTION, "error", tr("history.rename.empty"))
        return
    try:
        with history_store.connected() as store:
            store.rename(assessment_id, title)
    except Exception as err:  # noqa: BLE001
        history_store.flash(SECTION, "error", history_store.error_text(err))
        return
    st.session_state[KEYS["rename_text"]] = ""
    opened = st.session_state.get(history_store.OPENED) or {}
    if opened.get("id") == assessment_id:
        opened["title"] = title
    history_store.flash(SECTION, "success", tr("history.rename.done", title=title))


def _ask_delete(assessment_id: int) -> None:
    st.session_state[history_store.CONFIRM_DELETE] = assessment_id


def _cancel_delete() -> None:
    st.session_state.pop(history_store.CONFIRM_DELETE, None)


def _delete(assessment_id: int, title: str) -> None:
    st.session_state.pop(history_store.CONFIRM_DELETE, None)
    try:
        with history_store.connected() as store:
            store.delete(assessment_id)
    except Exception as err:  # noqa: BLE001
        history_store.flash(SECTION, "error", history_store.error_text(err))
        return
    st.session_state.pop(KEYS["pick"], None)
    if (st.session_state.get(history_store.OPENED) or {}).get("id") == assessment_id:
        st.session_state.pop(history_store.OPENED, None)
    history_store.flash(SECTION, "success", tr("history.delete.done", title=title))


def manage(store: Store, summaries: list[AssessmentSummary]) -> None:
    """Draw the list and the open / rename / delete controls of the picked assessment."""
    newest_first = sorted(summaries, key=history_store.age, reverse=True)
    st.dataframe(table(newest_first), hide_index=True, width="stretch")
    labels = {s.id: history_store.summary_label(s) for s in newest_first}
    if st.session_state.get(KEYS["pick"]) not in labels:
        st.session_state.pop(KEYS["pick"], None)
    chosen = st.selectbox(tr("history.pick"), list(labels), format_func=labels.__getitem__, key=KEYS["pick"])
    title = next(s.title for s in newest_first if s.id == chosen)
    st.button(
        tr("history.open.button"),
        key=KEYS["open"],
        on_click=_open,
        args=(chosen,),
        type="primary",
        icon=":material/folder_open:",
        help=tr("history.open.help"),
    )
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        st.text_input(tr("history.rename.label"), key=KEYS["rename_text"], placeholder=title)
    with right:
        st.button(tr("history.rename.button"), key=KEYS["rename"], on_click=_rename, args=(chosen,))
    _delete_controls(chosen, title)
    history_store.show_flash(SECTION)
    history_open.show_report()
    with st.expander(tr("history.status.expander"), icon=":material/checklist:"):
        history_compare.status_editor(store.get(chosen, raw=False), "list")


def _delete_controls(chosen: int, title: str) -> None:
    """Delete in two steps: ask, then confirm or cancel."""
    if st.session_state.get(history_store.CONFIRM_DELETE) != chosen:
        st.button(
            tr("history.delete.button"),
            key=KEYS["delete"],
            on_click=_ask_delete,
            args=(chosen,),
            icon=":material/delete:",
        )
        return
    st.warning(tr("history.delete.confirm_text", title=title))
    yes, no = st.columns(2)
    with yes:
        st.button(tr("history.delete.confirm"), key=KEYS["confirm"], on_click=_delete, args=(chosen, title))
    with no:
        st.button(tr("history.delete.cancel"), key=KEYS["cancel"], on_click=_cancel_delete)


def section() -> tuple[str | None, list[AssessmentSummary]]:
    """Draw the saved assessments of one client: list, comparison and trend.

    Returns
    -------
    tuple
        The client shown (None when nothing is saved) and its assessments, for the export.
    """
    st.subheader(tr("history.saved.title"))
    try:
        with history_store.connected() as store:
            return _saved(store)
    except Exception as err:  # noqa: BLE001 - a corrupt or newer database: say so, never overwrite it
        st.error(history_store.error_text(err))
        return None, []


def _saved(store: Store | None) -> tuple[str | None, list[AssessmentSummary]]:
    clients = store.clients() if store is not None else []
    if not clients:
        st.info(tr("history.saved.none"))
        history_store.show_flash(SECTION)  # e.g. "deleted" after the last one went
        return None, []
    client = client_picker(clients)
    summaries: list[AssessmentSummary] = []
    with history_store.guard():
        summaries = store.list(client)
    if not summaries:
        return client, []
    manage_tab, compare_tab, trend_tab = st.tabs(
        [tr("history.tab.assessments"), tr("history.tab.compare"), tr("history.tab.trend")]
    )
    with manage_tab, history_store.guard():
        manage(store, summaries)
    with compare_tab, history_store.guard():
        history_compare.render(store, summaries)
    with trend_tab, history_store.guard():
        history_compare.trend(store, summaries)
    return client, summaries
