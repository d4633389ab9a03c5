"""Report: the whole playbook as HTML, PDF, Excel, PowerPoint or CSV, built in memory for download."""

import streamlit as st

from loyalty.ui import report_downloads as downloads
from loyalty.ui import router, state

router.require_router("pages/report.py")

tr = state.tr
st.title(tr("report.page.title"))
st.markdown(tr("report.page.intro"))

content = downloads.report_content(state.lang())
if content is None:
    st.stop()
downloads.strategy_note(content)
downloads.download_buttons(content, downloads.pick_formats())
