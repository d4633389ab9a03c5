"""Report page: build the report content once per data, language and plan, and offer the downloads.

The content (KPIs, diagnosis, charts) is cached per session; each file is built in
memory only when its download button is clicked (a callable ``data``), so opening the
page never waits for a PDF nobody asked for. Nothing is written to disk.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable

import pandas as pd
import streamlit as st

from loyalty.errors import InputError
from loyalty.ingest import LoadResult
from loyalty.report import FORMATS, MIME, ReportContent, build_report, content_from_results
from loyalty.ui import state

#: Session keys the Plan page fills (see ``loyalty/ui/plan_data.py``).
PLAN_SELECTED = "plan.selected"
PLAN_ACTIONS = "plan.actions"
PLAN_ASSUMPTIONS = "plan.assumptions"
FORMAT_KEY = "report_formats"

log = logging.getLogger(__name__)


def chosen_strategies() -> tuple[str, ...]:
    """Return the strategy ids picked on the Plan page (empty: the recommender's top five)."""
    return tuple(str(s) for s in st.session_state.get(PLAN_SELECTED) or ())


def chosen_plan() -> pd.DataFrame | None:
    """Return the Plan page's action plan, or None when it has no line."""
    plan = st.session_state.get(PLAN_ACTIONS)
    return plan if isinstance(plan, pd.DataFrame) and len(plan) else None


def chosen_assumptions() -> dict | None:
    """Return the impact calculator's assumptions from the Plan page, or None when it was not used."""
    values = st.session_state.get(PLAN_ASSUMPTIONS)
    return dict(values) if isinstance(values, dict) and values else None


def _plan_digest(plan: pd.DataFrame | None, assumptions: dict | None) -> str:
    text = "" if plan is None else plan.to_csv(index=False)
    return hashlib.sha256((text + repr(sorted((assumptions or {}).items()))).encode("utf-8")).hexdigest()


def _data_key(results: dict[str, LoadResult]) -> tuple:
    """Identify the loaded data by the files' digests and mappings (never by the frames themselves)."""
    files = state.files()
    return tuple(
        (
            kind,
            files.get(kind, {}).get("digest"),
            tuple(sorted(map(str, files.get(kind, {}).get("mapping", {}).items()))),
        )
        for kind in sorted(results)
    )


@st.cache_resource(show_spinner=False, max_entries=4, scope="session")
def _content(
    data_key: tuple,
    lang: str,
    strategies: tuple[str, ...],
    plan_digest: str,
    _results: dict[str, LoadResult],
    _plan: pd.DataFrame | None,
    _assumptions: dict | None,
) -> ReportContent:
    # A resource, not data: the content keeps its rendered charts, so every format
    # downloaded afterwards reuses them instead of rendering again.
    return content_from_results(
        _results,
        lang=lang,
        strategies=list(strategies) or None,
        plan=_plan,
        # The library recomputes the calculator from the data and these assumptions,
        # so the report shows the Plan page's figures without copying its widgets' state.
        assumptions=_assumptions,
    )


def report_content(lang: str) -> ReportContent | None:
    """Return the report content of the session's data, or None after showing why there is none."""
    results = {k: v for k, v in state.datasets().items() if k in ("transactions", "survey")}
    if not results:
        st.info(state.tr("report.page.no_data"))
        return None
    plan, assumptions = chosen_plan(), chosen_assumptions()
    digest = _plan_digest(plan, assumptions)
    try:
        with st.spinner(state.tr("report.page.building")):
            return _content(_data_key(results), lang, chosen_strategies(), digest, results, plan, assumptions)
    except InputError as err:
        st.error(state.tr("report.page.error", reason=err.message(lang)))
    except Exception as err:  # noqa: BLE001 - a bug must not become a traceback on a client's screen
        log.exception("report content failed")
        st.error(state.tr("report.page.error", reason=type(err).__name__))
    return None


def strategy_note(content: ReportContent) -> None:
    """Say which strategies the report covers: those picked on the Plan page, or the top five."""
    names = ", ".join(content.strategies["name"])
    if chosen_strategies():
        st.caption(state.tr("report.page.strategies_from_plan", names=names))
    else:
        st.caption(state.tr("report.page.strategies_default") + " " + names)


def pick_formats() -> list[str]:
    """Return the formats the user wants (all by default)."""
    return st.multiselect(
        state.tr("report.page.formats"),
        options=list(FORMATS),
        default=list(FORMATS[:4]),
        format_func=lambda fmt: state.tr(f"report.format.{fmt}"),
        key=FORMAT_KEY,
    )


def file_builder(content: ReportContent, fmt: str) -> Callable[[], bytes]:
    """Return the pure, argument-free function the download button calls to build one file."""
    return functools.partial(build_report, content, fmt)


def download_buttons(content: ReportContent, formats: list[str]) -> None:
    """Show one download button per chosen format."""
    for fmt in formats:
        st.download_button(
            state.tr(f"report.download.{fmt}"),
            data=file_builder(content, fmt),
            file_name=f"loyalty-report-{content.lang}.{fmt}",
            mime=MIME[fmt],
            key=f"report_download_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
