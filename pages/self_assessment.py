"""Self-assessment: an owner without data rates 15 statements and gets a profile, strategies and reports."""

import streamlit as st

from loyalty.ui import router, state
from loyalty.ui import selfassess_form as form
from loyalty.ui import selfassess_results as results

router.require_router("pages/self_assessment.py")

tr = state.tr
st.title(tr("selfassess.title"))
st.markdown(tr("selfassess.intro"))
st.info(tr("selfassess.caveat"), icon=":material/info:")
st.page_link("pages/survey_kit.py", label=tr("selfassess.go_survey_kit"), icon=":material/assignment:")

# No st.stop() when unanswered: it would also stop app.py's sidebar ("Loaded data") after this page.
assessed = form.form()
if assessed is not None:
    st.divider()
    results.profile(assessed)
    ranked = results.recommendations(assessed)
    picked = results.to_plan(assessed, ranked)
    results.exports(assessed, picked)
    st.caption(tr("kpi.nps.trademark"))
