"""The sidebar: language picker and what data is loaded."""

from __future__ import annotations

import streamlit as st

from loyalty.i18n import LANG_NAMES, LANGS, format_number
from loyalty.schema import KINDS
from loyalty.ui import state

PICKER_KEY = "lang_picker"


def _remember_language() -> None:
    # The picker's widget state is dropped on runs that do not draw it, so the
    # choice is copied to a plain session key that every page reads.
    st.session_state[state.LANG] = st.session_state[PICKER_KEY]


def language_picker() -> None:
    """Render the language picker; the choice is kept in ``st.session_state['lang']``."""
    current = state.lang()  # sets the browser default on first run
    st.sidebar.selectbox(
        ":material/language: Language · Taal · Język",  # readable whatever language is active
        options=list(LANGS),
        index=LANGS.index(current),
        format_func=LANG_NAMES.__getitem__,
        key=PICKER_KEY,
        on_change=_remember_language,
    )


def data_status() -> None:
    """Render which data is loaded and its quality summary."""
    lang = state.lang()
    with st.sidebar:
        st.markdown(f"**{state.tr('sidebar.data_title')}**")
        st.caption(state.source_label())
        loaded = state.datasets()
        for kind in KINDS:
            result = loaded.get(kind)
            if result is None:
                st.markdown(f"○ {state.tr(f'kind.{kind}')}: {state.tr('sidebar.not_loaded')}")
                continue
            rejected = result.rows_read - result.rows_used
            line = state.tr(
                "sidebar.kind_line",
                kind=state.tr(f"kind.{kind}"),
                used=format_number(result.rows_used, lang),
                read=format_number(result.rows_read, lang),
            )
            st.markdown(f"● {line}")
            if rejected:
                st.caption(state.tr("sidebar.rejected", n=format_number(rejected, lang)))
        st.caption(state.tr("sidebar.privacy"))
