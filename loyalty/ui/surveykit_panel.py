"""Survey kit page: the survey's language, the downloads, a preview of the questions and the guide."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from loyalty import surveykit
from loyalty.i18n import LANG_NAMES, LANGS
from loyalty.ui import state

tr = state.tr
LANG_KEY = "surveykit_lang"


def pick_language() -> str:
    """Ask the survey's language (default: the interface language); customers may speak another one."""
    current = state.lang()
    return st.selectbox(
        tr("surveykit.lang_label"),
        list(LANGS),
        index=LANGS.index(current),
        format_func=LANG_NAMES.__getitem__,
        key=LANG_KEY,
    )


def downloads(lang: str) -> None:
    """Offer the CSV template and the printable survey (HTML, PDF) in ``lang``; files are built on click."""
    st.subheader(tr("surveykit.downloads"))
    files = (
        ("csv", surveykit.template_csv, surveykit.template_file_name(lang), "text/csv"),
        ("html", surveykit.printable_html, f"survey-{lang}.html", "text/html"),
        ("pdf", surveykit.printable_pdf, f"survey-{lang}.pdf", "application/pdf"),
    )
    # Short labels side by side that wrap to a new line rather than cut ("CSV-sjabloon voor de antwoo…"
    # in equal columns at 1280 px); the longer explanation is the button's help.
    row = st.container(horizontal=True, wrap=True)
    for fmt, build, name, mime in files:
        row.download_button(
            tr(f"surveykit.download.{fmt}"),
            # A pure callable: it runs outside the script when clicked, so nothing is built in advance.
            data=functools.partial(_bytes, build, lang),
            file_name=name,
            mime=mime,
            key=f"surveykit_download_{fmt}",
            help=tr(f"surveykit.download.{fmt}_help"),
            on_click="ignore",
            icon=":material/download:",
        )
    st.caption(tr("surveykit.download.note"))


def _bytes(build, lang: str) -> bytes:
    data = build(lang)
    return data.encode("utf-8") if isinstance(data, str) else data


def preview(lang: str) -> None:
    """Show every column of the template with its question and the expected answer."""
    st.subheader(tr("surveykit.preview.title"))
    rows = [
        {
            tr("surveykit.preview.column"): c.header,
            tr("surveykit.preview.question"): c.text,
            tr("surveykit.preview.answer"): tr(f"surveykit.answer.{c.type}"),
        }
        for c in surveykit.columns(lang)
    ]
    # A static table wraps long questions; a data frame cut them and scrolled inside itself.
    st.table(pd.DataFrame(rows), hide_index=True)


def guide() -> None:
    """How many responses a trustworthy ranking needs (REFERENCE.md §3), and how to invite customers."""
    lang = state.lang()
    st.subheader(tr("surveykit.guide.title"))
    st.markdown(tr("surveykit.guide.text"))
    st.table(surveykit.accuracy_rows(lang), hide_index=True, width="content")
    st.caption(tr("surveykit.guide.source"))
    st.subheader(tr("surveykit.invite.title"))
    st.markdown(tr("surveykit.invite.steps"))
