"""Measure page, NPS tab: distribution, trend, period comparison, segments, sample-size planner."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loyalty import measure
from loyalty.charts.nps import nps_distribution_chart, nps_segment_chart, nps_trend_chart
from loyalty.kpi.nps import NPSResult, nps, nps_margin, nps_sample_size, nps_sample_size_for_change
from loyalty.schema import DATE, RECOMMEND
from loyalty.ui import measure_cache, state
from loyalty.ui.measure_controls import Scope, segment_options
from loyalty.ui.measure_widgets import chart, field_label, how_computed, is_number, needs, num, pct, signed

MIN_N = 30
_FROM, _TO = "measure_nps_from", "measure_nps_to"
_SEGMENT, _MIN_N = "measure_nps_segment", "measure_nps_min_n"
_MARGIN, _DELTA, _SHARES = "measure_nps_margin", "measure_nps_delta", "measure_nps_shares"


def _valid_choice(key: str, options: list, default) -> None:
    """Reset a widget's stored value that the current options no longer offer."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def render(scope: Scope) -> None:
    """Draw the NPS tab."""
    tr = state.tr
    answers, _ = measure_cache.survey(scope.data, scope.controls.segment)
    if answers is None:
        needs("survey")
        return
    rows = measure.window_answers(answers, scope.window)
    result = nps(rows[RECOMMEND])
    left, right = st.columns(2)
    with left:
        chart(scope.days_key("nps_distribution"), lambda: nps_distribution_chart(result, scope.lang))
    with right:
        if DATE in answers.columns:
            chart(
                scope.key("nps_trend"),
                lambda: nps_trend_chart(measure.nps_trend_kpi(answers, scope.window, MIN_N), scope.lang),
            )
        else:
            st.info(tr("measure.nps.no_dates"))
    _comparison(scope, answers)
    _segments(scope, answers)
    _planner(result)
    how_computed(
        tr("kpi.def.nps"),
        tr("kpi.nps.interval_note"),
        tr("measure.how.nps_change"),
        tr("measure.how.nps_segments", n=MIN_N),
        tr("kpi.nps.trademark"),
    )


def _comparison(scope: Scope, answers: pd.DataFrame) -> None:
    """Compare the NPS of two chosen periods with the z-test on the adjusted values."""
    tr = state.tr
    st.subheader(tr("measure.nps.compare.title"))
    options = measure_cache.value(
        scope.key("nps_periods"),
        lambda: sorted(set(measure.answer_periods(answers, scope.window.period)) - {""}),
    )
    if len(options) < 2:
        st.info(tr("measure.nps.compare.needs_two"))
        return
    current, previous = (s.label if s else None for s in scope.window.spans())
    _valid_choice(_FROM, options, previous if previous in options else options[-2])
    _valid_choice(_TO, options, current if current in options else options[-1])
    left, right = st.columns(2)
    first = left.selectbox(tr("measure.nps.compare.from"), options, key=_FROM, persist_state="session")
    second = right.selectbox(tr("measure.nps.compare.to"), options, key=_TO, persist_state="session")
    result = measure_cache.value(
        scope.key("nps_between", first, second),
        lambda: measure.nps_between(answers, scope.window.period, first, second),
    )
    a, b = result["first"], result["second"]
    c1, c2, c3 = st.columns(3)
    c1.metric(
        tr("measure.nps.compare.nps_of", period=first), num(a["value"]), help=tr("measure.n", n=num(a["n"]))
    )
    c2.metric(
        tr("measure.nps.compare.nps_of", period=second), num(b["value"]), help=tr("measure.n", n=num(b["n"]))
    )
    delta = result["delta"]
    c3.metric(tr("measure.nps.compare.change"), signed(delta) if is_number(delta) else "–")
    if not is_number(result["p_value"]):
        st.caption(tr("measure.nps.compare.empty"))
    else:
        verdict = "significant" if result["p_value"] < 0.05 else "noise"
        st.markdown(
            tr(
                f"measure.nps.compare.{verdict}",
                z=num(result["z"], 2),
                p=num(result["p_value"], 3),
                n1=num(a["n"]),
                n2=num(b["n"]),
            )
        )


def _segments(scope: Scope, answers: pd.DataFrame) -> None:
    """NPS per segment, small segments flagged and left unranked."""
    tr = state.tr
    st.subheader(tr("measure.nps.segments.title"))
    data = scope.data
    columns = measure.breakdown_columns(answers, data.cu, segment_options(data))
    if not columns:
        st.info(tr("measure.segments.none"))
        return
    labels = {c: field_label(c) for c in columns}  # bound now: format_func may run after this run
    _valid_choice(_SEGMENT, columns, columns[0])
    left, right = st.columns([3, 1])
    column = left.selectbox(
        tr("measure.segments.by"),
        columns,
        format_func=labels.__getitem__,
        key=_SEGMENT,
        persist_state="session",
    )
    min_n = right.number_input(
        tr("measure.segments.min_n"), 2, 1000, MIN_N, key=_MIN_N, persist_state="session"
    )
    table = measure_cache.value(
        scope.days_key("nps_segments", column, min_n),
        lambda: measure.nps_segments(answers, column, scope.window, data.cu, int(min_n)),
    )
    if table.empty:
        st.info(tr("measure.segments.empty"))
        return
    chart(
        scope.days_key("nps_segment_chart", column, min_n),
        lambda: nps_segment_chart(table, scope.lang, int(min_n)),
    )
    shown = pd.DataFrame(
        {
            labels[column]: table["segment"],
            tr("measure.col.n"): table["n"],
            # Text in the interface language ("12,9" in Dutch and Polish), like the interval beside it.
            "NPS": [num(v, 1) for v in table["value"]],
            tr("measure.col.ci"): [
                f"{num(lo)} … {num(hi)}" for lo, hi in zip(table["lo"], table["hi"], strict=True)
            ],
            tr("measure.col.rank"): table["rank"],
            tr("measure.col.too_small"): table["too_small"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    small = int(table["too_small"].sum())
    if small:
        st.caption(tr("measure.segments.small_note", k=num(small), n=num(int(min_n))))


def _planner(result: NPSResult) -> None:
    """How many answers a wanted margin of error, or a change to detect, takes."""
    tr = state.tr
    st.subheader(tr("measure.nps.plan.title"))
    shares = result.shares if result.n else {}
    known = is_number(shares.get("promoters")) and is_number(shares.get("detractors"))
    options = ["observed", "worst"] if known else ["worst"]
    names = {
        "observed": tr(
            "measure.nps.plan.observed", p=pct(shares.get("promoters"), 0), d=pct(shares.get("detractors"), 0)
        ),
        "worst": tr("measure.nps.plan.worst"),
    }
    _valid_choice(_SHARES, options, options[0])
    basis = st.radio(
        tr("measure.nps.plan.basis"),
        options,
        format_func=names.__getitem__,
        key=_SHARES,
        persist_state="session",
        horizontal=True,
    )
    p, d = (shares["promoters"], shares["detractors"]) if basis == "observed" else (None, None)
    c1, c2, c3 = st.columns(3)
    margin = c1.number_input(
        tr("measure.nps.plan.margin"), 0.5, 50.0, 5.0, 0.5, key=_MARGIN, persist_state="session"
    )
    c1.metric(tr("measure.nps.plan.needed"), num(nps_sample_size(margin, p, d)))
    change = c2.number_input(
        tr("measure.nps.plan.delta"), 1.0, 100.0, 10.0, 1.0, key=_DELTA, persist_state="session"
    )
    c2.metric(tr("measure.nps.plan.per_group"), num(nps_sample_size_for_change(change, p, d)))
    if result.n:
        c3.metric(tr("measure.nps.plan.current", n=num(result.n)), f"± {num(nps_margin(result.n, p, d), 1)}")
    st.caption(tr("measure.nps.plan.note"))
