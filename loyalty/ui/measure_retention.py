"""Measure page, retention tab: cohort heat map, both retention rates over time, churn two ways."""

from __future__ import annotations

import streamlit as st

from loyalty import measure
from loyalty.charts.repeat import purchase_gap_histogram
from loyalty.charts.retention import cohort_heatmap, retention_trend_chart
from loyalty.i18n import format_date
from loyalty.kpi.repeat import purchase_gaps
from loyalty.kpi.retention import cohort_table, inactivity_threshold_default, retention_rates
from loyalty.ui import measure_cache, state
from loyalty.ui.measure_controls import CHURN_DAYS, Scope
from loyalty.ui.measure_widgets import chart, how_computed, num, pct, status, window_transactions

#: Cohorts are acquisition months; the heat map shows the first year after acquisition.
COHORT_PERIOD = "month"
COHORT_COLUMNS = 12


def render(scope: Scope) -> None:
    """Draw the retention tab."""
    tr = state.tr
    rows = window_transactions(scope)
    if rows is None:
        return
    kpi = measure_cache.kpi(scope.data, scope.controls, scope.window, "retention_rate")
    c1, c2, c3 = st.columns(3)
    label = {"period": kpi["period"] or "–", "previous": kpi["previous_period"] or "–"}
    c1.metric(
        tr("kpi.retention.rate_both"), pct(kpi["value_both_periods"]), help=tr("kpi.def.retention_both")
    )
    c2.metric(tr("kpi.retention.rate_common"), pct(kpi["value"]), help=tr("kpi.def.retention_common"))
    c3.metric(tr("measure.retention.customers_start", **label), num(kpi["active_start"]))
    st.caption(tr("measure.retention.which", **label))
    if kpi.get("exceeds_one"):
        st.caption(tr("measure.card.retention.over_100"))
    window = scope.window
    chart(
        scope.key("retention_trend"),
        lambda: retention_trend_chart(
            retention_rates(rows, window.period, window.start, window.end), scope.lang
        ),
    )
    # The heat map gets the full width: its cells must stay wide enough for their labels.
    chart(
        scope.days_key("cohort_heatmap"),
        lambda: cohort_heatmap(
            cohort_table(rows, COHORT_PERIOD, COHORT_COLUMNS, window.start, window.end),
            scope.lang,
            COHORT_COLUMNS,
        ),
        width="content",
    )
    threshold = _churn(scope, rows)
    how_computed(
        tr("kpi.def.retention_both"),
        tr("kpi.def.retention_common"),
        tr("kpi.def.cohort"),
        tr("kpi.def.churn", days=num(threshold), date=format_date(window.end, scope.lang)),
        tr("measure.how.p_alive"),
    )


def _churn(scope: Scope, rows) -> int:
    """Churn by an inactivity threshold the user sets (default from the data) and by the model's P(alive)."""
    tr = state.tr
    st.subheader(tr("measure.churn.title"))
    default = measure_cache.value(
        scope.days_key("threshold_default"), lambda: inactivity_threshold_default(rows)
    )
    st.session_state.setdefault(CHURN_DAYS, int(default))
    left, right = st.columns([1, 2])
    with left:
        days = int(
            st.number_input(
                tr("measure.churn.threshold"),
                min_value=1,
                max_value=3650,
                step=1,
                key=CHURN_DAYS,
                help=tr("kpi.def.threshold", days=num(default)),
            )
        )
        st.caption(tr("kpi.def.threshold", days=num(default)))
        # P(alive) does not depend on the horizon, discount or margin: the fit's own predictions do.
        result = measure_cache.fit(
            scope.data, scope.controls.segment, scope.window.end, scope.controls.time_unit
        )
        predictions = result.predictions if result is not None else None
        churn = measure_cache.value(
            scope.days_key("churn", days, scope.controls.time_unit),
            lambda: measure.churn_kpi(rows, scope.window, days, predictions),
        )
        st.metric(
            tr("measure.churn.inactive"),
            pct(churn["share"]),
            help=tr("kpi.def.churn", days=num(days), date=format_date(scope.window.end, scope.lang)),
        )
        st.caption(
            tr("measure.churn.counts", churned=num(churn["churned"]), customers=num(churn["customers"]))
        )
        if churn["p_alive_mean"] is not None:
            st.metric(tr("measure.churn.p_alive_below"), pct(churn["share_p_alive_below_half"]))
            st.caption(tr("measure.churn.p_alive_mean", p=pct(churn["p_alive_mean"])))
        elif result is not None:
            status(result.status.level, result.message(scope.lang))
    with right:
        chart(
            scope.days_key("gap_histogram", days),
            lambda: purchase_gap_histogram(purchase_gaps(rows), scope.lang, days),
        )
    return days
