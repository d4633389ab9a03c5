"""Measure page: the heavy work, cached on what identifies the data.

Every cached function takes hashable keys (the data keys of :class:`Inputs`, the
segment, the window's key, the options) and the frames themselves as ``_``-prefixed
arguments, which Streamlit does not hash: hashing a large frame on every rerun would
cost more than the work it saves. Results are shared read-only between reruns and
sessions with the same data (``cache_resource``), or copied when they are small
(``cache_data``).

A filter change then reruns only what the new filter needs: the segment's rows and
model fit are computed once per segment, the comment tagging once per survey file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from loyalty import measure
from loyalty.clv import ClvResult
from loyalty.errors import InputError
from loyalty.kpi.periods import PreparedTransactions
from loyalty.ui.measure_controls import Controls, Inputs

Segment = tuple[str, str] | None
log = logging.getLogger(__name__)
_ENTRIES = 32


def _iso(day: pd.Timestamp | None) -> str | None:
    return None if day is None else day.strftime("%Y-%m-%d")


# --- rows -------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=_ENTRIES)
def _transactions(keys: tuple, segment: Segment, _data: Inputs) -> tuple[pd.DataFrame, bool]:
    return measure.filter_segment(_data.tx, segment, _data.cu)


def transactions(data: Inputs, segment: Segment) -> tuple[pd.DataFrame | None, bool]:
    """Return the transactions of the segment and whether the segment filter applies to them."""
    if data.tx is None:
        return None, False
    return _transactions((data.keys["transactions"], data.keys["customers"]), segment, data)


@st.cache_resource(show_spinner=False, max_entries=_ENTRIES)
def _prepared(keys: tuple, segment: Segment, end: str | None, _data: Inputs) -> PreparedTransactions:
    rows, _ = transactions(_data, segment)
    return measure.prepare_until(rows, pd.Timestamp(end) if end else None)


def prepared(data: Inputs, segment: Segment, end: pd.Timestamp | None) -> PreparedTransactions | None:
    """Return the segment's transactions up to ``end``, encoded once for every transaction KPI."""
    if data.tx is None:
        return None
    return _prepared((data.keys["transactions"], data.keys["customers"]), segment, _iso(end), data)


@st.cache_resource(show_spinner=False, max_entries=_ENTRIES)
def _survey(keys: tuple, segment: Segment, _data: Inputs) -> tuple[pd.DataFrame, bool]:
    return measure.filter_segment(_data.sv, segment, _data.cu)


def survey(data: Inputs, segment: Segment) -> tuple[pd.DataFrame | None, bool]:
    """Return the survey answers of the segment and whether the segment filter applies to them."""
    if data.sv is None:
        return None, False
    return _survey((data.keys["survey"], data.keys["customers"]), segment, data)


@st.cache_resource(show_spinner=False, max_entries=8)
def _tags(key: tuple, _survey: pd.DataFrame) -> pd.DataFrame | None:
    return measure.comment_tags(_survey)


def tags(data: Inputs) -> pd.DataFrame | None:
    """Return the comment tags of the whole survey (a segment takes its rows by index)."""
    if data.sv is None:
        return None
    return _tags(data.keys["survey"], data.sv)


# --- the cards ----------------------------------------------------------------------------------


def _safe(compute: Callable[[], dict]) -> dict:
    """Return ``compute()``, or ``{"error": key, "params": ...}`` when it fails.

    One KPI that cannot be computed must not take the other cards down. The error is
    kept as a catalog key, not as text, so the cached value serves every language.
    """
    try:
        return compute()
    except InputError as err:
        return {"error": err.key, "params": dict(err.params)}
    except Exception:  # a bug must not become a traceback on a client's screen
        log.exception("Measure KPI failed")
        return {"error": "measure.error.unexpected", "params": {}}


@st.cache_data(show_spinner=False, max_entries=_ENTRIES)
def _cards(keys: tuple, segment: Segment, window_key: tuple, margin: float, _data: Inputs, _window):
    out: dict[str, Any] = {}
    rows = prepared(_data, segment, _window.end)
    if rows is not None:
        out["retention_rate"] = _safe(lambda: measure.retention_kpi(rows, _window))
        out["repeat_purchase_rate"] = _safe(lambda: measure.repeat_kpi(rows, _window))
        out["orders"] = _safe(lambda: measure.orders_kpi(rows, _window))
        out["clv"] = _safe(lambda: measure.historical_clv_kpi(rows, _window, margin))
    answers, _ = survey(_data, segment)
    if answers is not None:
        out["nps"] = _safe(lambda: measure.nps_kpi(answers, _window))
        out["feedback"] = _safe(lambda: measure.feedback_kpi(answers, _data.scales, _window, tags(_data)))
    return out


def cards(data: Inputs, controls: Controls, window: measure.Window) -> dict[str, Any]:
    """Return the card KPIs the data allow, as :mod:`loyalty.measure` gives them.

    Keys ``nps``, ``retention_rate``, ``repeat_purchase_rate``, ``orders``, ``clv``
    (historical) and ``feedback``; a KPI whose data is not loaded is absent, one that
    failed is ``{"error": catalog key, "params": {...}}``.
    """
    return _cards(data.key(), controls.segment, window.key(), controls.margin, data, window)


def kpi(data: Inputs, controls: Controls, window: measure.Window, name: str) -> dict[str, Any]:
    """Return one card KPI for a tab; InputError with its message when it could not be computed."""
    value = cards(data, controls, window)[name]
    if "error" in value:
        raise InputError(value["error"], **value["params"])
    return value


# --- the CLV model ------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=_ENTRIES)
def _fit(
    keys: tuple, segment: Segment, end: str | None, unit: str, calibration_end: str | None, _data: Inputs
) -> ClvResult:
    rows, _ = transactions(_data, segment)
    return measure.fit_model(
        rows, end=pd.Timestamp(end) if end else None, time_unit=unit, calibration_end=calibration_end
    )


def fit(
    data: Inputs,
    segment: Segment,
    end: pd.Timestamp | None,
    time_unit: str,
    calibration_end: pd.Timestamp | None = None,
) -> ClvResult | None:
    """Return BG/NBD + Gamma-Gamma fitted on the segment's purchases up to ``end``.

    With ``calibration_end`` the fit stops there and the rest of the data is the holdout.
    """
    if data.tx is None:
        return None
    keys = (data.keys["transactions"], data.keys["customers"])
    return _fit(keys, segment, _iso(end), time_unit, _iso(calibration_end), data)


@st.cache_resource(show_spinner=False, max_entries=_ENTRIES)
def _predictions(
    keys: tuple, segment: Segment, end: str | None, options: tuple, _data: Inputs
) -> pd.DataFrame | None:
    unit, horizon, discount, margin = options
    result = fit(_data, segment, pd.Timestamp(end) if end else None, unit)
    return measure.model_predictions(
        result, horizon=horizon, time_unit=unit, annual_discount_rate=discount, margin=margin
    )


def predictions(
    data: Inputs, controls: Controls, end: pd.Timestamp | None
) -> tuple[ClvResult | None, pd.DataFrame | None]:
    """Return the fit on all purchases up to ``end`` and its per-customer predictions for the controls."""
    result = fit(data, controls.segment, end, controls.time_unit)
    if result is None:
        return None, None
    options = (controls.time_unit, controls.horizon, controls.discount, controls.margin)
    keys = (data.keys["transactions"], data.keys["customers"])
    return result, _predictions(keys, controls.segment, _iso(end), options, data)


# --- charts and tables --------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=256)
def _spec(key: tuple, _build: Callable[[], Any]) -> dict | None:
    chart = _build()
    # The builders' specs are validated by their own tests; validating again on every new
    # filter would double the cost of a chart.
    return None if chart is None else chart.to_dict(validate=False)


def spec(key: tuple, build: Callable[[], Any]) -> dict | None:
    """Return the Vega-Lite spec of ``build()`` (an Altair chart or None), cached on ``key``.

    Building an Altair chart and converting it costs 20–100 ms; a page of charts would
    spend most of a rerun there. ``key`` must name everything the chart depends on
    (data keys, segment, window, options, language).
    """
    return _spec(key, build)


@st.cache_data(show_spinner=False, max_entries=256)
def _value(key: tuple, _build: Callable[[], Any]) -> Any:
    return _build()


def value(key: tuple, build: Callable[[], Any]) -> Any:
    """Return ``build()`` (a frame or plain data), cached on ``key`` like :func:`spec`."""
    return _value(key, build)
