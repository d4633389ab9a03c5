"""Home: what the playbook is, why trust drives loyalty, and the ways in."""

import streamlit as st

from loyalty.charts.diagram import trust_model_diagram
from loyalty.ui import router, state

router.require_router("pages/home.py")

tr = state.tr
st.title(tr("home.title"))
st.markdown(f"### {tr('home.tagline')}")
st.markdown(tr("home.intro"))
st.altair_chart(trust_model_diagram(state.lang()), width="stretch")
st.caption(tr("home.diagram_caption"))

st.markdown(f"#### {tr('home.steps_title')}")
for step in ("data", "measure", "diagnose", "plan"):
    st.markdown(f"- **{tr(f'home.step.{step}.title')}** — {tr(f'home.step.{step}.text')}")

st.markdown(f"#### {tr('home.start_title')}")
left, right = st.columns(2)
with left:
    st.markdown(tr("home.try_sample"))
    st.page_link("pages/data.py", label=tr("home.go_sample"), icon=":material/science:")
with right:
    st.markdown(tr("home.upload"))
    st.page_link("pages/data.py", label=tr("home.go_upload"), icon=":material/upload:")
st.markdown(tr("selfassess.home.text"))
st.page_link("pages/self_assessment.py", label=tr("selfassess.home.link"), icon=":material/fact_check:")
st.caption(tr("home.privacy"))
st.caption(tr("home.nps_trademark"))
