"""Measure: the five loyalty KPIs with their uncertainty, per period and segment."""

import streamlit as st

from loyalty.ui import measure_cards, measure_controls, measure_tabs, router, state
from loyalty.ui.measure_widgets import guarded, needs, segment_note

router.require_router("pages/measure.py")

tr = state.tr
st.title(tr("measure.title"))
st.markdown(tr("measure.intro"))

data = measure_controls.inputs()
scope = None
if data.empty:
    needs("data")
else:
    with guarded():
        scope = measure_controls.scope(data, measure_controls.controls(data))
if scope is not None:
    segment_note(scope)
    with guarded():
        measure_cards.render(scope)
    measure_tabs.render(scope)
st.caption(tr("kpi.nps.trademark"))
