"""Measure page: one tab per KPI, only the open one computed and drawn."""

from __future__ import annotations

import streamlit as st

from loyalty.ui import (
    measure_clv,
    measure_feedback,
    measure_nps,
    measure_repeat,
    measure_retention,
    state,
)
from loyalty.ui.measure_controls import Scope
from loyalty.ui.measure_widgets import guarded

TAB_KEY = "measure_tab"
#: Tab key -> its drawing function, in display order (the cards' order).
TABS = {
    "nps": measure_nps.render,
    "retention": measure_retention.render,
    "repeat": measure_repeat.render,
    "clv": measure_clv.render,
    "feedback": measure_feedback.render,
}


def render(scope: Scope) -> None:
    """Draw the tabs; a tab's charts are built only while it is open (the rest would slow every rerun)."""
    labels = [state.tr(f"measure.tab.{key}") for key in TABS]
    tabs = st.tabs(labels, key=TAB_KEY, on_change="rerun")
    for draw, tab in zip(TABS.values(), tabs, strict=True):
        if tab.open:
            with tab, guarded():
                draw(scope)
