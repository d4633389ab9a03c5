"""Survey kit: the customer survey the Diagnose step reads, to print or fill in, and how to run it."""

import streamlit as st

from loyalty.ui import router, state
from loyalty.ui import surveykit_panel as panel

router.require_router("pages/survey_kit.py")

tr = state.tr
st.title(tr("surveykit.title"))
st.markdown(tr("surveykit.intro"))

lang = panel.pick_language()
panel.downloads(lang)
panel.preview(lang)
panel.guide()
st.page_link("pages/data.py", label=tr("surveykit.go_data"), icon=":material/upload_file:")
