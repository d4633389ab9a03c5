"""History page: export assessments as JSON for a backup or another machine, and import them."""

from __future__ import annotations

import functools
from datetime import date

import streamlit as st

from loyalty.store import Store
from loyalty.ui import history_store, state

tr = state.tr
SECTION = "backup"
KEYS = {"scope": "history_export_scope", "file": "history_import_file", "import": "history_import"}
SCOPES = ("client", "all")


def export_bytes(url: str, ids: tuple[int, ...] | None) -> bytes:
    """Return the JSON export of ``ids`` (all assessments when None) as UTF-8 bytes.

    Pure: the download button calls it outside the script run, when the user clicks.
    """
    store = Store(url)
    try:
        return store.export_json(list(ids) if ids is not None else None).encode("utf-8")
    finally:
        store.close()


def export(client: str | None, client_ids: list[int]) -> None:
    """Offer the download of this client's assessments or of all of them."""
    st.markdown(f"**{tr('history.export.title')}**")
    names = {"client": tr("history.export.client", client=client or ""), "all": tr("history.export.all")}
    scopes = SCOPES if client else SCOPES[1:]
    scope = st.radio(
        tr("history.export.scope"), scopes, format_func=names.__getitem__, key=KEYS["scope"], horizontal=True
    )
    ids = tuple(client_ids) if scope == "client" else None
    st.download_button(
        tr("history.export.button"),
        data=functools.partial(export_bytes, history_store.url(), ids),
        file_name=f"loyalty-assessments-{date.today().isoformat()}.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        key="history_export",
    )


def _import() -> None:
    upload = st.session_state.get(KEYS["file"])
    if upload is None:
        history_store.flash(SECTION, "error", tr("history.import.no_file"))
        return
    try:
        text = upload.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        history_store.flash(SECTION, "error", tr("history.import.not_text", file=upload.name))
        return
    try:
        with history_store.connected(create=True) as store:
            ids = store.import_json(text)
    except Exception as err:  # noqa: BLE001 - a bad file is one translated line, never a traceback
        history_store.flash(
            SECTION,
            "error",
            tr("history.import.failed", file=upload.name, reason=history_store.error_text(err)),
        )
        return
    history_store.flash(SECTION, "success", tr("history.import.done", n=len(ids)))


def import_form() -> None:
    """Take a JSON export and add its assessments (existing ones are kept)."""
    st.markdown(f"**{tr('history.import.title')}**")
    st.file_uploader(tr("history.import.label"), type=["json"], key=KEYS["file"])
    st.button(tr("history.import.button"), key=KEYS["import"], on_click=_import, icon=":material/upload:")
    history_store.show_flash(SECTION)


def section(client: str | None, summaries: list) -> None:
    """Draw the backup section: export what is saved, import a file."""
    st.subheader(tr("history.backup.title"))
    st.caption(tr("history.backup.intro"))
    if summaries or client:
        export(client, [s.id for s in summaries])
    import_form()
