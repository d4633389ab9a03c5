"""Keep every visit going through ``app.py``, the router.

Because the project has a ``pages/`` folder, Streamlit serves the *first* deep link
after a server start (e.g. a bookmarked ``/measure``) in its legacy multipage mode:
the page script runs alone, without the language picker, the sidebar or the
preloaded sample. Each page calls :func:`require_router` first; a visit that did not
come through ``app.py`` is sent there, and ``app.py`` forwards it to the page asked for.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.navigation.page import StreamlitPage

ROUTED = "_routed_by_app"
DEEP_LINK = "_deep_link"
MAIN_SCRIPT = "app.py"


def mark_routed() -> None:
    """Record that this session runs through the router (called by ``app.py``)."""
    st.session_state[ROUTED] = True


def require_router(page: str) -> None:
    """Send a direct visit of ``page`` (path from the project root) through ``app.py``."""
    if st.session_state.get(ROUTED):
        return
    st.session_state[DEEP_LINK] = page
    try:
        st.switch_page(MAIN_SCRIPT)
    except StreamlitAPIException:
        # No router registered (the page runs on its own, e.g. in a test harness): show the page.
        st.session_state.pop(DEEP_LINK, None)


def forward_deep_link(current: StreamlitPage) -> None:
    """After ``st.navigation``: continue to the page a direct visit asked for."""
    target = st.session_state.pop(DEEP_LINK, None)
    # Our url paths are the script names (pages/measure.py -> /measure, pages/survey_kit.py ->
    # /survey_kit): the legacy mode that serves a first deep link knows only those names.
    if target and PurePosixPath(target).stem != current.url_path:
        st.switch_page(target)
