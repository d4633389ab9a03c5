"""Plan: pick strategies from the ranked playbook, plan the actions, and value the targets."""

import streamlit as st

from loyalty.ui import plan_cards, plan_data, plan_editor, plan_impact, router, state

router.require_router("pages/plan.py")

tr = state.tr
st.title(tr("plan.title"))
st.markdown(tr("plan.intro"))
plan_cards.rank_source()

business_type = plan_cards.business_type()
with st.spinner(tr("plan.recommend.running")):
    recs = plan_data.recommendations(plan_data.assumptions(), business_type)
plan_cards.render(recs)

plan = plan_editor.editor()
plan_editor.checks(plan)
plan_editor.timeline(plan)

plan_impact.render()
st.caption(tr("kpi.nps.trademark"))
