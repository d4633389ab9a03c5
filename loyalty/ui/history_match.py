"""Whether the data loaded now is the data an opened assessment was made from.

The History page says it right after opening; the Report page says it again, because
the report's KPIs are measured on whatever is loaded, not read from the saved assessment.
"""

from __future__ import annotations

import streamlit as st

from loyalty.ui import history_save, history_store, state

tr = state.tr


def check_files(saved: dict[str, str], restored: dict[str, str] | None = None) -> dict[str, str]:
    """Return kind -> ``match``, ``mismatch`` or ``missing``: the loaded files against an assessment's.

    Parameters
    ----------
    saved : dict
        Kind -> fingerprint of the files the assessment was made from.
    restored : dict, optional
        Kind -> fingerprint of the tables restored from the assessment's stored data; they
        are its data too, although their fingerprints differ from the original files'.

    Returns
    -------
    dict
        One entry per kind of ``saved``.
    """
    current, restored = history_save.fingerprints(), restored or {}
    return {
        kind: "missing"
        if kind not in current
        else ("match" if current[kind] in (digest, restored.get(kind)) else "mismatch")
        for kind, digest in saved.items()
    }


def opened() -> dict | None:
    """Return ``{"id", "client", "title", "fingerprints", "restored"}`` of the opened assessment, or None."""
    value = st.session_state.get(history_store.OPENED)
    return value if isinstance(value, dict) and value.get("title") else None


def report_notice() -> None:
    """On the Report page: name the opened assessment, and warn when the loaded data is not its data."""
    info = opened()
    if info is None:
        return
    st.info(tr("report.page.opened", client=info.get("client", ""), title=info["title"]))
    saved = info.get("fingerprints") or {}
    if not saved:
        st.caption(tr("report.page.opened_no_data", title=info["title"]))
        return
    files = check_files(saved, info.get("restored"))
    different = [kind for kind, check in files.items() if check != "match"]
    if different:
        kinds = ", ".join(tr(f"kind.{k}") for k in different)
        st.warning(tr("report.page.opened_other_data", title=info["title"], kinds=kinds))
