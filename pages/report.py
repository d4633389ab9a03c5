"""Report: the whole playbook as HTML, PDF, Excel, PowerPoint or CSV, built in memory for download."""

import streamlit as st

from loyalty.ui import history_match, router, state
from loyalty.ui import report_downloads as downloads

router.require_router("pages/report.py")

tr = state.tr
st.title(tr("report.page.title"))
st.markdown(tr("report.page.intro"))
history_match.report_notice()

content = downloads.report_content(state.lang())
if content is not None:  # else the reason is shown; no st.stop(), which would also stop the sidebar
    downloads.strategy_note(content)
    downloads.download_buttons(content, downloads.pick_formats())
