"""Measure page, repeat-purchase tab: rate by cohort and segment, frequency, AOV, purchase gaps."""

from __future__ import annotations

import streamlit as st

from loyalty import measure
from loyalty.charts.repeat import purchase_gap_histogram, repeat_rate_chart
from loyalty.kpi.repeat import purchase_gaps, repeat_rate_by_cohort
from loyalty.ui import measure_cache, state
from loyalty.ui.measure_controls import Scope, segment_options
from loyalty.ui.measure_widgets import chart, field_label, how_computed, num, pct, window_transactions

MIN_N = 30
#: Count repeat purchases within this many days of the first (0: all of them).
HORIZONS: tuple[int, ...] = (0, 90, 180, 365)
_HORIZON, _SEGMENT = "measure_repeat_horizon", "measure_repeat_segment"


def render(scope: Scope) -> None:
    """Draw the repeat-purchase tab."""
    tr = state.tr
    rows = window_transactions(scope)
    if rows is None:
        return
    repeat = measure_cache.kpi(scope.data, scope.controls, scope.window, "repeat_purchase_rate")
    orders = measure_cache.kpi(scope.data, scope.controls, scope.window, "orders")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("measure.repeat.rate"), pct(repeat["value"]), help=tr("kpi.def.repeat"))
    c2.metric(tr("measure.repeat.customers"), num(repeat["customers"]))
    c3.metric(tr("measure.repeat.frequency"), num(orders["frequency"], 2), help=tr("kpi.def.frequency"))
    c4.metric(tr("measure.repeat.aov"), num(orders["aov"], 2), help=tr("kpi.def.aov"))
    st.caption(
        tr(
            "measure.repeat.counts",
            repeaters=num(repeat["repeat_customers"]),
            customers=num(repeat["customers"]),
            orders=num(orders["orders"]),
            revenue=num(orders["revenue"]),
        )
    )
    _by_cohort(scope, rows)
    left, right = st.columns(2)
    with left:
        _by_segment(scope)
    with right:
        window = scope.window
        chart(
            scope.days_key("repeat_gaps"),
            lambda: purchase_gap_histogram(purchase_gaps(rows, window.start, window.end), scope.lang),
        )
    how_computed(
        tr("kpi.def.repeat"),
        tr("kpi.def.frequency"),
        tr("kpi.def.aov"),
        tr("measure.how.repeat_cohorts"),
    )


def _by_cohort(scope: Scope, rows) -> None:
    tr = state.tr
    names = {
        h: tr("measure.repeat.horizon_all") if h == 0 else tr("measure.repeat.horizon_days", days=h)
        for h in HORIZONS
    }
    if st.session_state.get(_HORIZON) not in HORIZONS:
        st.session_state[_HORIZON] = 0
    horizon = st.segmented_control(
        tr("measure.repeat.horizon"),
        list(HORIZONS),
        format_func=names.__getitem__,
        key=_HORIZON,
        help=tr("measure.how.repeat_cohorts"),
        persist_state="session",
    )
    period = scope.window.period
    chart(
        scope.key("repeat_cohorts", horizon),
        lambda: repeat_rate_chart(
            repeat_rate_by_cohort(rows, period, horizon_days=horizon or None, min_n=MIN_N),
            scope.lang,
            "cohort",
            MIN_N,
        ),
    )


def _by_segment(scope: Scope) -> None:
    tr = state.tr
    data = scope.data
    columns = measure.breakdown_columns(data.tx, data.cu, segment_options(data))
    if not columns:
        st.info(tr("measure.segments.none"))
        return
    labels = {c: field_label(c) for c in columns}  # bound now: format_func may run after this run
    if st.session_state.get(_SEGMENT) not in columns:
        st.session_state[_SEGMENT] = columns[0]
    column = st.selectbox(
        tr("measure.segments.by"),
        columns,
        format_func=labels.__getitem__,
        key=_SEGMENT,
        persist_state="session",
    )
    rows, _ = measure_cache.transactions(data, scope.controls.segment)
    table = measure_cache.value(
        scope.days_key("repeat_segments", column),
        lambda: measure.repeat_segments(rows, column, scope.window, data.cu, MIN_N),
    )
    if table.empty:
        st.info(tr("measure.segments.empty"))
        return
    chart(
        scope.days_key("repeat_segment_chart", column),
        lambda: repeat_rate_chart(table, scope.lang, "segment", MIN_N),
    )
