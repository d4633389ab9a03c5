"""Loyalty Playbook: the router, the language picker and the sidebar.

Run with ``streamlit run app.py``. Pages live in ``pages/`` as thin scripts.
"""

import streamlit as st

from loyalty.charts import theme
from loyalty.ui import router, sidebar, state

st.set_page_config(page_title="Loyalty Playbook", page_icon="🤝", layout="wide")
theme.enable()
router.mark_routed()

sidebar.language_picker()
state.ensure_default_data()

PAGES = [
    st.Page(
        "pages/home.py", title=state.tr("nav.home"), icon=":material/home:", url_path="home", default=True
    ),
    st.Page("pages/data.py", title=state.tr("nav.data"), icon=":material/upload_file:", url_path="data"),
    st.Page(
        "pages/measure.py", title=state.tr("nav.measure"), icon=":material/monitoring:", url_path="measure"
    ),
    st.Page(
        "pages/diagnose.py",
        title=state.tr("nav.diagnose"),
        icon=":material/troubleshoot:",
        url_path="diagnose",
    ),
    st.Page("pages/plan.py", title=state.tr("nav.plan"), icon=":material/checklist:", url_path="plan"),
    st.Page(
        "pages/report.py", title=state.tr("nav.report"), icon=":material/description:", url_path="report"
    ),
    st.Page("pages/history.py", title=state.tr("nav.history"), icon=":material/history:", url_path="history"),
    st.Page(
        "pages/self_assessment.py",
        title=state.tr("nav.self_assessment"),
        icon=":material/fact_check:",
        url_path="self_assessment",
    ),
    st.Page(
        "pages/survey_kit.py",
        title=state.tr("nav.survey_kit"),
        icon=":material/assignment:",
        url_path="survey_kit",
    ),
    st.Page("pages/methods.py", title=state.tr("nav.methods"), icon=":material/school:", url_path="methods"),
]
page = st.navigation(PAGES, position="sidebar")
router.forward_deep_link(page)
page.run()
sidebar.data_status()  # after the page: it may have just loaded new data
