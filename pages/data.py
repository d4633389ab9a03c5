"""Data: choose a sample or upload files, check the format, mapping and validation."""

import streamlit as st

from loyalty.datasets import samples
from loyalty.schema import KINDS
from loyalty.ui import data_panel, router, state

router.require_router("pages/data.py")

tr = state.tr
MAX_UPLOAD_MB = 200

st.title(tr("data.title"))
st.markdown(tr("data.intro"))

st.subheader(tr("data.sample.title"))
names = list(samples())
current = (st.session_state.get(state.SOURCE) or {}).get("sample")
titles = {n: tr(f"sample.{n}.title") for n in names}  # bound now: format_func may run outside this run
choice = st.selectbox(
    tr("data.sample.choose"),
    names,
    index=names.index(current) if current in names else 0,
    format_func=titles.__getitem__,
    key="sample_choice",
)
st.caption(tr(f"sample.{choice}.description"))
if st.button(tr("data.sample.load"), type="primary", key="load_sample"):
    state.load_sample_into_session(choice)
    st.rerun()

st.subheader(tr("data.upload.title"))
st.markdown(tr("data.upload.intro"))
for kind, tab in zip(KINDS, st.tabs([tr(f"kind.{k}") for k in KINDS]), strict=True):
    with tab:
        st.caption(tr(f"data.upload.expects.{kind}"))
        upload = st.file_uploader(
            tr("data.upload.label", kind=tr(f"kind.{kind}")),
            type=["csv", "tsv", "txt", "xlsx", "parquet"],
            key=f"upload_{kind}",
            max_upload_size=MAX_UPLOAD_MB,
        )
        seen = st.session_state.setdefault("seen_uploads", {})
        if upload is not None and seen.get(kind) != upload.file_id:
            seen[kind] = upload.file_id
            state.load_upload_into_session(kind, upload.name, upload.getvalue())
        if notice := state.pop_notice():
            st.info(notice, icon=":material/info:")
        if kind in state.errors():
            st.error(state.errors()[kind])
            if upload is not None:  # a workbook whose first sheet did not fit: offer the others
                data_panel.sheet_retry(kind, upload.name, upload.getvalue())
        result = state.datasets().get(kind)
        if result is None:
            st.info(tr("data.not_loaded", kind=tr(f"kind.{kind}")))
            continue
        data_panel.dataset_panel(kind, result)
        if st.button(tr("data.remove", kind=tr(f"kind.{kind}")), key=f"remove_{kind}"):
            state.unload(kind)
            st.rerun()
