"""History page: compare two assessments of a client, follow the action plan, and the KPI trend."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from loyalty.charts.history import DRIVER_MEASURES, FRACTION_KPIS, driver_comparison_chart, kpi_label
from loyalty.charts.history import kpi_trend_charts as trend_charts
from loyalty.charts.theme import with_locale
from loyalty.diagnose import plain, signed
from loyalty.i18n import format_number, format_percent
from loyalty.store import STATUSES, Assessment, AssessmentSummary, Store
from loyalty.store.compare import compare, kpi_trend
from loyalty.ui import history_store, state

tr = state.tr
SECTION = "compare"
KEYS = {"old": "history_cmp_old", "new": "history_cmp_new"}
STATUS_PREFIX = "history_status_"
#: Bumped after every status change, so every status box gets a new key (see :func:`status_key`).
STATUS_REVISION = "history.status_revision"


def _chart(chart) -> None:
    st.vega_lite_chart(with_locale(chart.to_dict(), state.lang()), width="stretch")


#: KPIs on a points scale: NPS (−100..100) and the feedback score (0..100).
POINT_KPIS = frozenset({"nps", "feedback"})


def kpi_value_text(kpi: str, value: float | None) -> str:
    """Return a KPI value as people read it: rates in percent, feedback out of 100, money with 2 decimals."""
    lang = state.lang()
    if value is None or not math.isfinite(value):
        return "–"
    if kpi in FRACTION_KPIS:
        return format_percent(value, lang)
    text = plain(value, lang, 2 if kpi == "clv" else 1)
    return tr("history.compare.out_of_100", value=text) if kpi == "feedback" else text


def kpi_delta_text(kpi: str, delta: float | None) -> str:
    """Return a signed change (typographic minus): percentage points for rates, points on 0–100 scales."""
    lang = state.lang()
    if delta is None or not math.isfinite(delta):
        return "–"
    if kpi in FRACTION_KPIS:
        return tr("history.compare.pp", value=signed(100 * delta, lang, 1))
    if kpi in POINT_KPIS:
        return tr("history.compare.points", value=signed(delta, lang, 1))
    return signed(delta, lang, 2 if kpi == "clv" else 1)


def kpi_table(kpis: dict[str, dict], names: tuple[str, str]) -> pd.DataFrame:
    """Return the KPI deltas as a table: KPI, earlier value, later value, change."""
    rows = [
        {
            tr("history.compare.kpi"): kpi_label(kpi, state.lang()),
            names[0]: kpi_value_text(kpi, row.get("old")),
            names[1]: kpi_value_text(kpi, row.get("new")),
            tr("history.compare.change"): kpi_delta_text(kpi, row.get("delta")),
        }
        for kpi, row in kpis.items()
    ]
    return pd.DataFrame(rows)


def _measured(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def not_measured(kpis: dict[str, dict]) -> bool:
    """Return whether some KPI was measured in only one of the two assessments (its gap shows as –)."""
    return any(_measured(row.get("old")) != _measured(row.get("new")) for row in kpis.values())


def p_text(p: float) -> str:
    """Return ``= 0.095`` or ``< 0.001`` (three decimals would print a tiny p as a misleading 0.000)."""
    lang = state.lang()
    return f"< {format_number(0.001, lang, 3)}" if p < 0.001 else f"= {format_number(p, lang, 3)}"


def nps_sentence(test: dict | None, delta: float | None) -> str:
    """Say in plain words whether the NPS change is larger than chance (REFERENCE.md §3).

    ``delta`` is the table's change, so the page shows one figure; the test's own change,
    between the adjusted values, is named in :func:`nps_method`.
    """
    if test is None:
        return tr("history.compare.nps_untested")
    lang = state.lang()
    shown = delta if delta is not None and math.isfinite(delta) else test["delta"]
    params = {"delta": signed(shown, lang, 1), "z": plain(test["z"], lang, 2), "p": p_text(test["p"])}
    key = "history.compare.nps_significant" if test["significant"] else "history.compare.nps_not_significant"
    return tr(key, **params)


def nps_method(test: dict) -> str:
    """Explain the test, naming the change between the adjusted values it is computed on."""
    return tr("history.compare.nps_method", adjusted=signed(test["delta"], state.lang(), 1))


def progress_table(progress: dict[str, dict[str, int]], names: tuple[str, str]) -> pd.DataFrame:
    """Return the number of actions per status in both assessments."""
    statuses = list(dict.fromkeys([*STATUSES, *progress["old"], *progress["new"]]))
    return pd.DataFrame(
        {
            tr("history.compare.status"): [tr(f"history.status.{s}") for s in statuses],
            names[0]: [int(progress["old"].get(s, 0)) for s in statuses],
            names[1]: [int(progress["new"].get(s, 0)) for s in statuses],
        }
    )


def _pair(summaries: list[AssessmentSummary]) -> tuple[int, int] | None:
    """Ask for the two assessments to compare (the two latest by default); earlier one first."""
    oldest_first = sorted(summaries, key=history_store.age)
    if len(oldest_first) < 2:
        st.info(tr("history.compare.need_two"))
        return None
    labels = {s.id: history_store.summary_label(s) for s in oldest_first}
    ids = list(labels)
    for key, default in ((KEYS["old"], ids[-2]), (KEYS["new"], ids[-1])):
        if st.session_state.get(key) not in labels:
            st.session_state[key] = default
    left, right = st.columns(2)
    with left:
        old = st.selectbox(tr("history.compare.old"), ids, format_func=labels.__getitem__, key=KEYS["old"])
    with right:
        new = st.selectbox(tr("history.compare.new"), ids, format_func=labels.__getitem__, key=KEYS["new"])
    if old == new:
        st.warning(tr("history.compare.same"))
        return None
    # A change reads from earlier to later, whichever box the user put each one in.
    return (old, new) if ids.index(old) < ids.index(new) else (new, old)


def _names(old: Assessment, new: Assessment) -> tuple[str, str]:
    """Two distinct column names, even when both assessments have the same title."""
    if old.title != new.title:
        return old.title, new.title
    return history_store.summary_label(old), f"{history_store.summary_label(new)} "


def render(store: Store, summaries: list[AssessmentSummary]) -> None:
    """Draw the comparison of two assessments: KPIs with the NPS test, drivers and the plan's progress."""
    pair = _pair(summaries)
    if pair is None:
        return
    old, new = store.get(pair[0], raw=False), store.get(pair[1], raw=False)
    result = compare(old, new)
    names = _names(old, new)
    st.markdown(f"**{tr('history.compare.kpis')}**")
    st.dataframe(kpi_table(result["kpis"], names), hide_index=True, width="stretch")
    if not_measured(result["kpis"]):
        st.caption(tr("history.compare.not_measured"))
    st.markdown(nps_sentence(result["nps_test"], result["kpis"]["nps"]["delta"]))
    if result["nps_test"] is not None:
        st.caption(nps_method(result["nps_test"]))
    st.markdown(f"**{tr('history.compare.drivers')}**")
    charts = [driver_comparison_chart(result["drivers"], m, names, state.lang()) for m in DRIVER_MEASURES]
    if all(c is None for c in charts):
        st.info(tr("history.compare.no_drivers"))
    else:
        for column, chart in zip(st.columns(2), charts, strict=True):
            with column:
                if chart is not None:
                    _chart(chart)
    st.markdown(f"**{tr('history.compare.progress')}**")
    st.dataframe(progress_table(result["progress"], names), hide_index=True, width="stretch")
    status_editor(new, "cmp")


def status_key(place: str, assessment_id: int, index: int) -> str:
    """Return the widget key of one action's status box at the session's current revision.

    The revision is part of the key because a callback must never delete widget values:
    the browser still holds them and sends them back, which re-fires the old box and
    reverts its change. A new revision gives every box a new identity instead, so all
    of them start again from the database after any change.
    """
    return f"{STATUS_PREFIX}{place}_{assessment_id}_{index}_r{st.session_state.get(STATUS_REVISION, 0)}"


def _set_status(assessment_id: int, index: int, key: str, action: tuple[str, str]) -> None:
    status = st.session_state[key]
    try:
        with history_store.connected() as store:
            store.set_action_status(assessment_id, index, status)
    except Exception as err:  # noqa: BLE001 - shown as one translated line
        history_store.flash(SECTION, "error", history_store.error_text(err))
        return
    if (st.session_state.get(history_store.OPENED) or {}).get("id") == assessment_id:
        # Saving the opened plan again must keep this progress.
        st.session_state.setdefault(history_store.STATUSES, {})[action] = status
    # The same action may have a box in another tab: every box is rebuilt from the database.
    st.session_state[STATUS_REVISION] = st.session_state.get(STATUS_REVISION, 0) + 1


def status_editor(a: Assessment, place: str) -> None:
    """Let the user record the progress of each action of ``a`` (``place`` keeps the boxes' keys apart)."""
    st.markdown(f"**{tr('history.status.title', title=a.title)}**")
    if not a.actions:
        st.info(tr("history.status.none"))
        return
    names = {s: tr(f"history.status.{s}") for s in STATUSES}
    for index, action in enumerate(a.actions):
        key = status_key(place, a.id, index)
        left, right = st.columns([3, 1], vertical_alignment="center")
        with left:
            st.markdown(f"{index + 1}. {action.action}")
        with right:
            st.selectbox(
                tr("history.status.label"),
                list(STATUSES),
                index=list(STATUSES).index(action.status) if action.status in STATUSES else 0,
                format_func=names.__getitem__,
                key=key,
                on_change=_set_status,
                args=(a.id, index, key, (action.strategy, action.action)),
                label_visibility="collapsed",
            )
    history_store.show_flash(SECTION)


def trend(store: Store, summaries: list[AssessmentSummary]) -> None:
    """Draw each KPI across all of the client's assessments, one line chart per KPI."""
    assessments = [store.get(s.id, raw=False) for s in sorted(summaries, key=history_store.age)]
    if len(assessments) < 2:
        st.info(tr("history.trend.need_two"))
    charts = trend_charts(kpi_trend(assessments), state.lang())
    if not charts:
        st.info(tr("history.trend.no_kpis"))
        return
    columns = st.columns(2)
    for i, chart in enumerate(charts.values()):
        with columns[i % 2]:
            _chart(chart)
