"""Methods: each KPI and method explained with its formula, and a known-truth check on synthetic samples."""

import streamlit as st

from loyalty.ui import methods_panel, router, state

router.require_router("pages/methods.py")

tr = state.tr
st.title(tr("methods.title"))
st.markdown(tr("methods.intro"))
kpis, drivers, truth = st.tabs([tr("methods.tab.kpis"), tr("methods.tab.diagnose"), tr("methods.tab.truth")])
with kpis:
    methods_panel.sections("kpis")
with drivers:
    methods_panel.sections("diagnose")
with truth:
    methods_panel.truth_panel()
