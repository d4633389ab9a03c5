"""Methods page widgets: the method sections, safe links to other pages, and the known-truth panel."""

from __future__ import annotations

import contextlib
import logging
import math

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from loyalty.datasets import load_truth
from loyalty.errors import InputError
from loyalty.i18n import format_number, has_key
from loyalty.ingest import LoadResult
from loyalty.methods import BLOCKS, SECTIONS, formula, section_parts, truth_vs_estimates
from loyalty.ui import state

log = logging.getLogger(__name__)

#: Page scripts the sections link to (registered in app.py by their own pages).
PAGE_FILES = {"measure": "pages/measure.py", "diagnose": "pages/diagnose.py", "data": "pages/data.py"}
PAGE_ICONS = {
    "measure": ":material/monitoring:",
    "diagnose": ":material/troubleshoot:",
    "data": ":material/upload_file:",
}
#: Decimals per comparison block: coefficients need three, percentage shares one.
DECIMALS = {"trust_model": 3, "outcome_model": 3, "importance": 1}


def page_link(page: str, label: str) -> None:
    """Link to another page, or show nothing when that page is not registered.

    ``st.page_link`` raises ``StreamlitPageNotFoundError`` (a ``StreamlitAPIException``)
    for a page missing from ``st.navigation``: while a page is not built yet, or when
    this page runs on its own (AppTest). A missing link must not take the page down.
    """
    with contextlib.suppress(StreamlitAPIException):
        st.page_link(PAGE_FILES[page], label=label, icon=PAGE_ICONS[page])


def sections(tab: str) -> None:
    """Render the method sections of one tab (``kpis`` or ``diagnose``), each with its formulas and link."""
    lang = state.lang()
    for section, section_tab, page in SECTIONS:
        if section_tab != tab:
            continue
        st.subheader(state.tr(f"methods.{section}.title"))
        for kind, key in section_parts(section):
            if kind == "formula":
                st.latex(formula(key, lang))
            else:
                st.markdown(state.tr(key))
        page_link(page, state.tr(f"methods.link.{page}"))


@st.cache_data(show_spinner=False, max_entries=8, scope="session")
def _comparison(sample: str, digest: str, mapping: str, _survey: LoadResult) -> tuple[pd.DataFrame, int]:
    # Keyed on the sample, the survey file's digest and its column mapping: hashing the frame itself on
    # every run would be wasted work.
    table = truth_vs_estimates(_survey.frame, load_truth(sample), scales=_survey.scales)
    return table, int(table.attrs["n"])


def _variable(name: str, lang: str) -> str:
    return state.tr(f"field.{name}") if has_key(f"field.{name}") else name


def _number(value: float, decimals: int, lang: str) -> str:
    return "–" if value is None or math.isnan(value) else format_number(value, lang, decimals)


def display_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return one block of the comparison as translated, locale-formatted text columns."""
    tr = state.tr
    dec = DECIMALS[rows["block"].iloc[0]]
    table = {
        tr("methods.truth.col.variable"): [_variable(v, lang) for v in rows["variable"]],
        tr("methods.truth.col.true"): [_number(v, dec, lang) for v in rows["true"]],
    }
    if rows["latent"].notna().any():  # the outcome model has no latent counterpart on this scale
        table[tr("methods.truth.col.latent")] = [_number(v, dec, lang) for v in rows["latent"]]
    table[tr("methods.truth.col.estimate")] = [_number(v, dec, lang) for v in rows["estimate"]]
    table[tr("methods.truth.col.ci")] = [
        tr("methods.truth.range", low=_number(lo, dec, lang), high=_number(hi, dec, lang))
        for lo, hi in zip(rows["ci_low"], rows["ci_high"], strict=True)
    ]
    table[tr("methods.truth.col.inside")] = [
        tr("methods.truth.yes") if inside else tr("methods.truth.no") for inside in rows["inside"]
    ]
    return pd.DataFrame(table)


def sentences(rows: pd.DataFrame, lang: str) -> list[str]:
    """Return one plain sentence per row saying whether the true value lies inside the interval."""
    dec = DECIMALS[rows["block"].iloc[0]]
    return [
        state.tr(
            "methods.truth.inside" if row.inside else "methods.truth.outside",
            variable=_variable(row.variable, lang),
            true=_number(row.true, dec, lang),
            estimate=_number(row.estimate, dec, lang),
            low=_number(row.ci_low, dec, lang),
            high=_number(row.ci_high, dec, lang),
        )
        for row in rows.itertuples()
    ]


def _no_truth(key: str) -> None:
    st.info(state.tr(key))
    page_link("data", state.tr("methods.link.data"))


def truth_panel() -> None:
    """Render the generator's true values next to the estimates, or say why there is no truth."""
    tr, lang = state.tr, state.lang()
    st.subheader(tr("methods.truth.title"))
    sample = (st.session_state.get(state.SOURCE) or {}).get("sample")
    if sample is None:
        return _no_truth("methods.truth.own_data")
    truth = load_truth(sample)
    if truth is None:
        return _no_truth("methods.truth.real_data")
    survey = state.datasets().get("survey")
    if survey is None:
        return _no_truth("methods.truth.no_survey")
    record = state.files().get("survey", {})
    try:
        table, n = _comparison(sample, record.get("digest", ""), repr(sorted(survey.mapping.items())), survey)
    except InputError as err:
        st.warning(tr("methods.truth.failed", reason=err.message(lang)))
        return None
    except Exception:  # a bug must not become a traceback on a student's screen
        log.exception("truth panel failed for sample %s", sample)
        st.warning(tr("methods.truth.unexpected"))
        return None
    st.markdown(tr("methods.truth.intro"))
    st.caption(tr("methods.truth.n", n=format_number(n, lang), sample=tr(f"sample.{sample}.title")))
    for block in BLOCKS:
        rows = table[table["block"] == block]
        if rows.empty:
            continue
        st.markdown(f"**{tr(f'methods.truth.block.{block}')}**")
        st.dataframe(display_table(rows, lang), hide_index=True)
        st.caption(tr("methods.truth.summary", inside=int(rows["inside"].sum()), total=len(rows)))
        st.markdown("\n".join(f"- {text}" for text in sentences(rows, lang)))
    population = truth.get("trust", {}).get("observed", {}).get("n_population", 0)
    st.caption(tr("methods.truth.why_two", population=format_number(population, lang)))
    return None
