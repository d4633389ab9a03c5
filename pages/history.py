"""History: save the assessment, reopen it months later, and see what changed."""

import streamlit as st

from loyalty.ui import history_backup, history_list, history_save, router, state

router.require_router("pages/history.py")

tr = state.tr
st.title(tr("history.title"))
st.markdown(tr("history.intro"))

history_save.form()
st.divider()
client, summaries = history_list.section()
st.divider()
history_backup.section(client, summaries)
