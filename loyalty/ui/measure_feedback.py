"""Measure page, feedback tab: driver ratings, comment themes with their NPS impact, verbatims."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loyalty.charts.feedback import driver_chart, nps_impact_chart, theme_chart
from loyalty.kpi.feedback import MIN_N, NPS_GROUPS, driver_summary, theme_summary, verbatims
from loyalty.schema import COMMENT, RECOMMEND
from loyalty.text import themes
from loyalty.ui import measure_cache, state
from loyalty.ui.measure_controls import Scope
from loyalty.ui.measure_widgets import chart, field_label, how_computed, num, pct, window_answers

ALL = "__all__"
_THEME, _GROUP = "measure_verbatim_theme", "measure_verbatim_group"
#: Verbatims listed at most; the count above the table says how many match.
MAX_VERBATIMS = 500


def render(scope: Scope) -> None:
    """Draw the feedback tab."""
    tr = state.tr
    rows = window_answers(scope)
    if rows is None:
        return
    kpi = measure_cache.kpi(scope.data, scope.controls, scope.window, "feedback")
    c1, c2 = st.columns(2)
    c1.metric(tr("measure.feedback.responses"), num(kpi["responses"]))
    c2.metric(tr("measure.feedback.commenters"), num(kpi["commenters"]))
    _ratings(scope, rows)
    tags = measure_cache.tags(scope.data)
    if tags is None or COMMENT not in rows.columns:
        st.info(tr("measure.feedback.no_comments"))
    else:
        _themes(scope, rows, tags.loc[rows.index])
    how_computed(
        tr("feedback.score.definition"),
        tr("feedback.top_box.definition"),
        tr("feedback.impact.definition"),
        tr("feedback.impact.base", n=num(int(rows[RECOMMEND].notna().sum()))),
        tr("feedback.method.themes"),
    )


def _ratings(scope: Scope, rows: pd.DataFrame) -> None:
    tr = state.tr
    st.subheader(tr("measure.feedback.ratings.title"))
    ratings = measure_cache.value(
        scope.days_key("driver_summary"), lambda: driver_summary(rows, scope.data.scales)
    )
    if ratings.empty:
        st.info(tr("measure.feedback.no_ratings"))
        return
    chart(scope.days_key("driver_chart"), lambda: driver_chart(ratings, scope.lang), width="content")
    table = pd.DataFrame(
        {
            tr("feedback.column.field"): [field_label(f) for f in ratings.index],
            tr("feedback.column.mean"): [num(v, 2) for v in ratings["mean"]],
            tr("measure.col.ci"): [
                f"{num(lo, 2)} … {num(hi, 2)}"
                for lo, hi in zip(ratings["mean_low"], ratings["mean_high"], strict=True)
            ],
            tr("measure.col.scale"): [
                f"{lo}–{hi}" for lo, hi in zip(ratings["scale_min"], ratings["scale_max"], strict=True)
            ],
            tr("feedback.column.top_box"): [pct(v) for v in ratings["top_box"]],
            tr("feedback.column.n"): ratings["n"].astype(int),
            tr("feedback.column.n_missing"): ratings["n_missing"].astype(int),
            tr("feedback.column.small_sample"): ratings["small_sample"].astype(bool),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def _themes(scope: Scope, rows: pd.DataFrame, tags: pd.DataFrame) -> None:
    tr = state.tr
    st.subheader(tr("measure.feedback.themes.title"))
    summary = measure_cache.value(scope.days_key("theme_summary"), lambda: theme_summary(rows, tags=tags))
    if not summary["mentions"].sum():
        st.info(tr("measure.feedback.no_themes"))
        return
    left, right = st.columns(2)
    with left:
        chart(scope.days_key("theme_chart"), lambda: theme_chart(summary, scope.lang))
    with right:
        chart(scope.days_key("impact_chart"), lambda: nps_impact_chart(summary, scope.lang))
    ordered = summary.sort_values("mentions", ascending=False, kind="stable")
    table = pd.DataFrame(
        {
            tr("feedback.chart.theme"): [tr(f"feedback.theme.{th}") for th in ordered.index],
            tr("feedback.column.mentions"): ordered["mentions"].astype(int),
            tr("feedback.column.share"): [pct(v) for v in ordered["share"]],
            tr("feedback.column.nps_mentioners"): [num(v, 1) for v in ordered["nps_mentioners"]],
            tr("feedback.column.nps_impact"): [num(v, 1) for v in ordered["nps_impact"]],
            tr("feedback.column.small_sample"): ordered["small_sample"].astype(bool),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(tr("feedback.small_sample", n=MIN_N))
    _verbatims(scope, rows, tags)


def _verbatims(scope: Scope, rows: pd.DataFrame, tags: pd.DataFrame) -> None:
    """The comments themselves, filterable by theme and NPS group."""
    tr = state.tr
    st.subheader(tr("measure.feedback.verbatims.title"))
    theme_names = {ALL: tr("measure.feedback.all_themes")} | {
        th: tr(f"feedback.theme.{th}") for th in themes()
    }
    group_names = {ALL: tr("measure.feedback.all_groups")} | {
        g: tr(f"feedback.nps_group.{g}") for g in NPS_GROUPS
    }
    left, right = st.columns(2)
    theme = left.selectbox(
        tr("measure.feedback.theme"),
        list(theme_names),
        format_func=theme_names.__getitem__,
        key=_THEME,
        persist_state="session",
    )
    group = right.selectbox(
        tr("measure.feedback.group"),
        list(group_names),
        format_func=group_names.__getitem__,
        key=_GROUP,
        persist_state="session",
    )
    found = verbatims(
        rows,
        theme=None if theme == ALL else theme,
        nps_group=None if group == ALL else group,
        label_lang=scope.lang,
        tags=tags,
    )
    st.caption(
        tr("measure.feedback.verbatims.count", n=num(len(found)), shown=num(min(len(found), MAX_VERBATIMS)))
    )
    if found.empty:
        return
    shown = found.head(MAX_VERBATIMS)
    table = pd.DataFrame(
        {
            tr("feedback.column.comment"): shown[COMMENT],
            tr("feedback.column.recommend"): shown[RECOMMEND],
            tr("feedback.column.nps_group"): [
                group_names.get(g, "") if isinstance(g, str) else "" for g in shown["nps_group"]
            ],
            tr("feedback.column.themes"): shown["themes"],
        }
    )
    if "sentiment" in shown.columns:
        tones = {
            1: tr("feedback.sentiment.positive"),
            0: tr("feedback.sentiment.neutral"),
            -1: tr("feedback.sentiment.negative"),
        }
        table[tr("feedback.column.sentiment")] = [tones.get(int(v), "") for v in shown["sentiment"]]
    st.dataframe(table, hide_index=True, width="stretch")
