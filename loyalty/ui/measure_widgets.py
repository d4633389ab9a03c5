"""Measure page: small widgets every section shares.

Charts drawn from cached specs, sections that can never show a traceback, the
"How is this computed?" expander, the notice for a KPI whose data is missing, and
number formatting in the interface language.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from loyalty import measure
from loyalty.charts.theme import with_locale
from loyalty.errors import InputError
from loyalty.i18n import format_number, format_percent, has_key, t
from loyalty.ui import measure_cache, state
from loyalty.ui.measure_controls import Scope

log = logging.getLogger(__name__)

DATA_PAGE = "pages/data.py"


def is_number(value: Any) -> bool:
    """True for a finite int or float (None and NaN are 'no value')."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def num(value: Any, decimals: int = 0, lang: str | None = None) -> str:
    """Format a number in ``lang`` (default: the interface language); "–" when there is none."""
    return format_number(value, lang or state.lang(), decimals) if is_number(value) else "–"


def pct(value: Any, decimals: int = 1, lang: str | None = None) -> str:
    """Format a fraction as a percentage in ``lang``; "–" when there is none."""
    return format_percent(value, lang or state.lang(), decimals) if is_number(value) else "–"


def signed(value: float, decimals: int = 1, lang: str | None = None) -> str:
    """Format a change with its sign; a leading ASCII minus lets ``st.metric`` colour it red."""
    text = format_number(abs(value), lang or state.lang(), decimals)
    return f"-{text}" if value < 0 and text.strip("0,.") else f"+{text}"


def field_label(column: str, lang: str | None = None) -> str:
    """Return a readable name of a column (canonical fields translated, others as they are)."""
    key = f"field.{column}"
    return t(key, lang or state.lang()) if has_key(key) else column


def chart(key: tuple, build: Callable[[], Any], *, width: str = "stretch") -> None:
    """Draw the Altair chart ``build()`` returns, from a spec cached on ``key`` (None draws nothing).

    ``width="content"`` draws the chart at the size its builder chose (a heat map whose
    cells must stay legible): the plot area keeps that size and axes and legend come on
    top ("pad"), where Streamlit's default ("fit") would squeeze them into it.
    """
    spec = measure_cache.spec(key, build)
    if spec is None:
        return
    if width == "content":
        spec = {**spec, "autosize": spec.get("autosize", {"type": "pad", "contains": "padding"})}
    elif "autosize" not in spec and not any(k in spec for k in ("hconcat", "vconcat", "concat")):
        # Streamlit's "fit" would squeeze title, axes and legend into the height asked for
        # the plot: fit only the width.
        spec = {**spec, "autosize": {"type": "fit-x", "contains": "padding"}}
    st.vega_lite_chart(with_locale(spec, state.lang()), width=width)


@contextmanager
def guarded() -> Iterator[None]:
    """Run a section; a problem becomes one translated message instead of a traceback.

    Only that section is lost: the cards and the other tabs still show.
    """
    try:
        yield
    except InputError as err:
        st.error(err.message(state.lang()))
    except Exception:  # a bug must not become a traceback on a client's screen
        log.exception("Measure page section failed")
        st.error(state.tr("measure.error.unexpected"))


def how_computed(*texts: str) -> None:
    """Render the "How is this computed?" expander with one paragraph per text."""
    with st.expander(state.tr("measure.how"), icon=":material/functions:"):
        for text in texts:
            st.markdown(text)


def needs(kind: str) -> None:
    """Say which data a KPI needs, how to get it, and link to the Data page."""
    st.info(state.tr(f"measure.missing.{kind}"), icon=":material/info:")
    st.page_link(DATA_PAGE, label=state.tr("measure.go_data"), icon=":material/upload_file:")


def window_transactions(scope: Scope) -> Any:
    """Return the scope's prepared transactions, or None after saying they are needed."""
    rows = measure_cache.prepared(scope.data, scope.controls.segment, scope.window.end)
    if rows is None:
        needs("transactions")
    return rows


def window_answers(scope: Scope) -> Any:
    """Return the survey answers inside the scope's window, or None after saying a survey is needed."""
    answers, _ = measure_cache.survey(scope.data, scope.controls.segment)
    if answers is None:
        needs("survey")
        return None
    return measure.window_answers(answers, scope.window)


def status(level: str, message: str) -> None:
    """Show a model status message: green when the model works, otherwise a warning.

    A model the data cannot support is a limit of the data, not a failure of the app
    (the historical figures stay valid), so it is never shown as a red error.
    """
    (st.success if level == "success" else st.warning)(message)


def segment_note(scope: Scope) -> None:
    """Say when the segment filter could not be applied to one of the data sets."""
    segment = scope.controls.segment
    if not segment:
        return
    data = scope.data
    _, tx_applied = measure_cache.transactions(data, segment)
    _, sv_applied = measure_cache.survey(data, segment)
    kinds = [
        state.tr(f"kind.{kind}")
        for kind, frame, applied in (("transactions", data.tx, tx_applied), ("survey", data.sv, sv_applied))
        if frame is not None and not applied
    ]
    if kinds:
        st.warning(
            state.tr("measure.segment.not_applied", column=field_label(segment[0]), kinds=", ".join(kinds))
        )
