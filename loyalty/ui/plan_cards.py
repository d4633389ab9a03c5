"""Plan page: ranked recommendation cards, each with a box to put it in the plan."""

from __future__ import annotations

import streamlit as st

from loyalty.plan.model import merge_plan
from loyalty.plan.value import current_kpis
from loyalty.strategies import Recommendation
from loyalty.ui import plan_data, state

tr = state.tr
#: Cards shown in full; the rest of the playbook sits in an expander below them.
TOP = 5
BUSINESS_TYPES = (None, "b2b", "b2c")


def rank_source() -> None:
    """Say what the ranking rests on; with both data and a self-assessment, let the user choose."""
    level = plan_data.data_level()
    if plan_data.self_assessment() is not None and level != "none":
        st.radio(
            tr("plan.rank_source.label"),
            ["self", "data"],
            format_func=lambda code: tr(f"plan.rank_source.{code}"),
            horizontal=True,
            key=plan_data.RANK_SOURCE,
        )
    if plan_data.ranks_by_self_assessment():
        st.caption(tr("plan.level.self_assessment"))
    else:
        st.caption(tr(f"plan.level.{level}"))


def business_type() -> str | None:
    """Ask B2B or B2C (the ranking weighs each strategy's fit); kept across pages."""
    saved = st.session_state.get(plan_data.BUSINESS_TYPE)
    # Labels are translated now: a format_func may be called outside the run, without the language.
    names = [tr(f"plan.business.{code or 'unknown'}") for code in BUSINESS_TYPES]
    choice = st.radio(
        tr("plan.business.label"),
        range(len(BUSINESS_TYPES)),
        index=BUSINESS_TYPES.index(saved) if saved in BUSINESS_TYPES else 0,
        format_func=names.__getitem__,
        horizontal=True,
        key="plan_business_type",
    )
    st.session_state[plan_data.BUSINESS_TYPE] = BUSINESS_TYPES[choice]
    return BUSINESS_TYPES[choice]


def _toggle(strategy_id: str) -> None:
    """Add or remove a strategy and rebuild the plan around the user's edits."""
    picked = list(plan_data.selected())
    if st.session_state.get(f"plan_pick_{strategy_id}"):
        picked = [*picked, strategy_id] if strategy_id not in picked else picked
    else:
        picked = [sid for sid in picked if sid != strategy_id]
    st.session_state[plan_data.SELECTED] = picked
    current = current_kpis(plan_data.kpis(plan_data.assumptions()))
    st.session_state[plan_data.ACTIONS] = merge_plan(plan_data.plan(), picked, state.lang(), current=current)
    # A new editor key: the table starts again from the merged plan instead of replaying old edits.
    st.session_state[plan_data.EDITOR_VERSION] = st.session_state.get(plan_data.EDITOR_VERSION, 0) + 1


def _names(codes: list[str], prefix: str) -> str:
    return ", ".join(tr(f"{prefix}.{c}") for c in codes) or "–"


def card(rec: Recommendation) -> None:
    """Draw one recommendation: why, what it moves, what it takes, and the pick box."""
    lang = state.lang()
    s = rec.strategy
    labels = s.labels(lang)
    with st.container(border=True):
        st.markdown(f"**{rec.rank}. {s.title(lang)}**")
        st.markdown(rec.explanation(lang))
        st.caption(s.describe(lang))
        drivers = sorted(s.drivers, key=lambda d: -s.drivers[d])
        kpis = sorted(s.kpis, key=lambda k: -s.kpis[k])
        st.markdown(
            tr(
                "plan.card.moves",
                drivers=_names(drivers, "strategies.driver"),
                kpis=_names(kpis, "strategies.kpi"),
            )
        )
        st.markdown(
            tr(
                "plan.card.takes",
                effort=labels["effort"],
                cost=labels["cost"],
                time=labels["time_to_impact"],
            )
        )
        st.checkbox(
            tr("plan.card.pick"),
            value=s.id in plan_data.selected(),
            key=f"plan_pick_{s.id}",
            on_change=_toggle,
            args=(s.id,),
        )


def render(recs: list[Recommendation]) -> None:
    """Draw the top recommendations as cards and the rest of the playbook in an expander."""
    st.subheader(tr("plan.section.recommend"))
    if recs and not recs[0].problems_found:
        st.info(tr("plan.recommend.no_evidence"))
    st.warning(tr("plan.pitfall"))
    for rec in recs[:TOP]:
        card(rec)
    if len(recs) > TOP:
        with st.expander(tr("plan.recommend.more", n=len(recs) - TOP)):
            for rec in recs[TOP:]:
                card(rec)
