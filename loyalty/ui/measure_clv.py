"""Measure page, CLV tab: historical value, the BG/NBD + Gamma-Gamma forecast, its checks, RFM segments."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loyalty import measure
from loyalty.charts.clv import clv_histogram, cumulative_chart, holdout_frequency_chart, p_alive_heatmap
from loyalty.charts.value import clv_distribution_chart, rfm_segment_chart
from loyalty.clv import ClvResult, units_per_year
from loyalty.clv.settings import settings
from loyalty.i18n import format_date
from loyalty.kpi.rfm import segment_label
from loyalty.kpi.value import historical_clv
from loyalty.ui import measure_cache, state
from loyalty.ui.measure_controls import CALIBRATION_END, Scope
from loyalty.ui.measure_widgets import (
    chart,
    how_computed,
    is_number,
    num,
    pct,
    status,
    window_transactions,
)

#: The tab's sections; only the chosen one is computed (a new segment needs two model fits).
SECTIONS: tuple[str, ...] = ("historical", "forecast", "holdout", "rfm")
SECTION_KEY = "measure_clv_section"


def render(scope: Scope) -> None:
    """Draw the CLV tab: the chosen section, then how it is computed."""
    tr = state.tr
    rows = window_transactions(scope)
    if rows is None:
        return
    names = {key: tr(f"measure.clv.section.{key}") for key in SECTIONS}
    if st.session_state.get(SECTION_KEY) not in SECTIONS:
        st.session_state[SECTION_KEY] = SECTIONS[0]
    section = st.segmented_control(
        tr("measure.clv.section"),
        SECTIONS,
        format_func=names.__getitem__,
        key=SECTION_KEY,
        required=True,
        persist_state="session",
    )
    draw = {
        "historical": lambda: _historical(scope, rows),
        "forecast": lambda: _predictive(scope),
        "holdout": lambda: _holdout(scope),
        "rfm": lambda: _rfm(scope, rows),
    }
    draw[section or SECTIONS[0]]()
    how_computed(
        tr("kpi.def.clv_historical"),
        tr("kpi.def.top_share", share=pct(measure.TOP_FRACTION, 0)),
        tr("measure.how.btyd"),
        tr("measure.how.discount"),
        tr("measure.how.gamma_gamma"),
        tr("kpi.def.clv_margin_multiple"),
        tr("kpi.def.rfm"),
    )


def _historical(scope: Scope, rows) -> None:
    tr = state.tr
    margin = scope.controls.margin
    st.subheader(tr("measure.clv.historical.title"))
    kpi = measure_cache.kpi(scope.data, scope.controls, scope.window, "clv")
    if margin >= 1:
        st.info(tr("measure.clv.margin_default"), icon=":material/info:")
    else:
        st.caption(tr("measure.clv.margin_set", margin=pct(margin, 0)))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("measure.clv.mean"), num(kpi["mean"]), help=tr("kpi.def.clv_historical"))
    c2.metric(tr("measure.clv.median"), num(kpi["median"]))
    c3.metric(tr("measure.clv.total"), num(kpi["total"]))
    c4.metric(
        tr("measure.clv.top_share", top=pct(kpi["top_fraction"], 0)),
        pct(kpi["top_share"]),
        help=tr("kpi.def.top_share", share=pct(kpi["top_fraction"], 0)),
    )
    window = scope.window
    chart(
        scope.days_key("clv_distribution", margin),
        lambda: clv_distribution_chart(historical_clv(rows, margin, window.start, window.end), scope.lang),
    )


def _horizon_text(scope: Scope) -> str:
    unit = scope.controls.time_unit
    years = scope.controls.horizon / units_per_year(unit)
    return state.tr(
        "measure.clv.horizon_text",
        horizon=num(scope.controls.horizon),
        unit=state.tr(f"clv.unit.{unit}"),
        years=num(years, 1),
        rate=pct(scope.controls.discount, 0),
    )


def _predictive(scope: Scope) -> None:
    tr = state.tr
    st.subheader(tr("measure.clv.predictive.title"))
    result, predictions = measure_cache.predictions(scope.data, scope.controls, scope.window.end)
    if result is None:
        return
    status(result.status.level, result.message(scope.lang))
    if predictions is None:
        st.caption(tr("measure.clv.keep_historical"))
        return
    st.caption(_horizon_text(scope))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("measure.clv.modelled"), num(len(predictions)))
    c2.metric(tr("measure.clv.p_alive"), pct(predictions["p_alive"].mean()), help=tr("measure.how.p_alive"))
    unit = tr(f"clv.unit.{scope.controls.time_unit}")
    c3.metric(
        tr("measure.clv.expected", horizon=num(scope.controls.horizon), unit=unit),
        num(predictions["expected_purchases"].mean(), 2),
    )
    has_clv = result.status.has_clv
    c4.metric(
        tr("measure.clv.predicted", horizon=num(scope.controls.horizon), unit=unit),
        num(predictions["clv"].mean()) if has_clv else "–",
    )
    key = scope.model_key("p_alive")
    left, right = st.columns(2)
    with left:
        chart(key, lambda: p_alive_heatmap(result.bgnbd, result.summary, scope.lang))
    with right:
        if has_clv:
            options = (scope.controls.time_unit, scope.controls.horizon, scope.controls.discount)
            chart(
                scope.model_key("clv_histogram", *options, scope.controls.margin),
                lambda: clv_histogram(
                    predictions,
                    scope.lang,
                    horizon=scope.controls.horizon,
                    time_unit=scope.controls.time_unit,
                ),
            )
    _independence(result)


def _independence(result: ClvResult) -> None:
    """Gamma-Gamma assumes spend per purchase does not depend on how often a customer buys."""
    tr = state.tr
    if not result.correlation:
        return
    r, p, n = result.correlation
    if not is_number(r):
        st.caption(tr("measure.clv.independence.unknown", n=num(n)))
        return
    limit = float(settings()["max_spend_frequency_abs_r"])
    verdict = "ok" if abs(r) <= limit else "broken"
    st.markdown(
        tr(f"measure.clv.independence.{verdict}", r=num(r, 2), p=num(p, 3), n=num(n), limit=num(limit, 2))
    )


def _calibration_end(scope: Scope) -> pd.Timestamp | None:
    """Let the user choose where the fit stops and the holdout starts (default: the middle of the data)."""
    tr = state.tr
    rows, _ = measure_cache.transactions(scope.data, scope.controls.segment)
    default = measure.default_calibration_end(rows, scope.window.end)
    first, last = measure.data_range(measure.until(rows, scope.window.end))
    if default is None or first is None:
        st.info(tr("measure.clv.holdout.too_short"))
        return None
    low, high = (first + pd.Timedelta(days=1)).date(), (last - pd.Timedelta(days=1)).date()
    chosen = st.session_state.get(CALIBRATION_END)
    if chosen is None or not low <= chosen <= high:
        st.session_state[CALIBRATION_END] = default.date()
    picked = st.date_input(
        tr("measure.clv.holdout.calibration_end"),
        min_value=low,
        max_value=high,
        key=CALIBRATION_END,
        help=tr("measure.clv.holdout.calibration_help"),
        format={"nl": "DD-MM-YYYY", "pl": "DD.MM.YYYY"}.get(scope.lang, "YYYY-MM-DD"),
        persist_state="session",
    )
    return pd.Timestamp(picked)


def _holdout(scope: Scope) -> None:
    tr = state.tr
    st.subheader(tr("measure.clv.holdout.title"))
    st.caption(tr("measure.clv.holdout.intro"))
    calibration_end = _calibration_end(scope)
    if calibration_end is None:
        return
    result = measure_cache.fit(
        scope.data, scope.controls.segment, scope.window.end, scope.controls.time_unit, calibration_end
    )
    if result is None or result.holdout is None:
        if result is not None:
            status(result.status.level, result.message(scope.lang))
        return
    check = result.holdout
    c1, c2 = st.columns(2)
    c1.metric(
        tr("measure.clv.holdout.actual", start=format_date(check.calibration_end, scope.lang)),
        num(check.actual_total),
    )
    c2.metric(tr("measure.clv.holdout.predicted"), num(check.predicted_total))
    key = str(calibration_end.date())
    left, right = st.columns(2)
    with left:
        chart(scope.model_key("holdout_frequency", key), lambda: holdout_frequency_chart(check, scope.lang))
    with right:
        if check.cumulative is not None:
            chart(scope.model_key("holdout_cumulative", key), lambda: cumulative_chart(check, scope.lang))


def _rfm(scope: Scope, rows) -> None:
    tr = state.tr
    st.subheader(tr("measure.rfm.title"))
    segments = measure_cache.value(scope.days_key("rfm"), lambda: measure.rfm_kpi(rows, scope.window)[1])
    if not segments["customers"].sum():
        st.info(tr("measure.rfm.empty"))
        return
    left, right = st.columns(2)
    with left:
        chart(scope.days_key("rfm_chart"), lambda: rfm_segment_chart(segments, scope.lang))
    with right:
        table = pd.DataFrame(
            {
                tr("measure.col.segment"): [segment_label(k, scope.lang) for k in segments["segment"]],
                tr("measure.col.customers"): segments["customers"],
                tr("measure.col.revenue_share"): [pct(v, 0) for v in segments["revenue_share"]],
                tr("measure.col.what_to_do"): [tr(f"kpi.rfm.description.{k}") for k in segments["segment"]],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
