"""Self-assessment page: the driver profile, the ranked strategies, the hand-over to the Plan, the reports."""

from __future__ import annotations

import functools
import hashlib

import streamlit as st

from loyalty import selfassess
from loyalty.charts.selfassess import profile_chart
from loyalty.plan.model import merge_plan
from loyalty.report import FORMATS, MIME, build_content, build_report
from loyalty.selfassess_report import current_estimates
from loyalty.strategies import Recommendation, SelfAssessment
from loyalty.ui import plan_data, state

tr = state.tr
#: Strategies shown with their explanation, and pre-picked for the plan.
SHOWN, PRE_PICKED = 5, 3
PICK_KEY = "selfassess_picks"
SENT = "selfassess.sent"


def profile(assessed: SelfAssessment) -> None:
    """Show the driver profile: chart, weakest driver and one sentence per driver."""
    lang = state.lang()
    drivers = selfassess.profile_of(assessed)
    st.subheader(tr("selfassess.profile.title"))
    st.altair_chart(profile_chart(drivers.table(lang), lang), width="stretch")
    st.markdown(tr("selfassess.profile.weakest", driver=tr(f"field.{drivers.weakest()[0]}")))
    st.caption(tr("selfassess.report.not_measured"))


def recommendations(assessed: SelfAssessment) -> list[Recommendation]:
    """Show the top strategies with the reason for each; return the whole ranking."""
    lang = state.lang()
    ranked = selfassess.recommendations(assessed)
    st.subheader(tr("selfassess.recommend.title"))
    for rec in ranked[:SHOWN]:
        with st.container(border=True):
            st.markdown(f"**{rec.rank}. {rec.strategy.title(lang)}**")
            st.markdown(rec.explanation(lang))
            st.caption(rec.strategy.describe(lang))
    return ranked


def _send_to_plan(picked: list[str], assessed: SelfAssessment, current: dict) -> None:
    """Hand the picks to the Plan page, keeping any edits already made there (as its own cards do).

    The self-assessment goes along, so the Plan ranks its cards by these answers (with their
    reasons) rather than by whatever sample happens to be loaded.
    """
    business_type = assessed.business_type
    st.session_state[plan_data.SELF_ASSESSMENT] = assessed
    st.session_state[plan_data.SELECTED] = list(picked)
    st.session_state[plan_data.BUSINESS_TYPE] = business_type
    st.session_state[plan_data.ACTIONS] = merge_plan(plan_data.plan(), picked, state.lang(), current=current)
    # A new editor key: the Plan's table starts again from the merged plan.
    st.session_state[plan_data.EDITOR_VERSION] = st.session_state.get(plan_data.EDITOR_VERSION, 0) + 1
    st.session_state[SENT] = len(picked)


def pick_key(top: list[str]) -> str:
    """Return the picker's key for a ranking: new answers with a new top start from its new top three."""
    return f"{PICK_KEY}_{hashlib.sha1('|'.join(top).encode()).hexdigest()[:10]}"


def to_plan(assessed: SelfAssessment, ranked: list[Recommendation]) -> list[str]:
    """Let the owner pick strategies (the top three by default) and send them to the Plan page."""
    lang = state.lang()
    names = {rec.strategy.id: f"{rec.rank}. {rec.strategy.title(lang)}" for rec in ranked}
    top = [rec.strategy.id for rec in ranked[:PRE_PICKED]]
    picked = st.multiselect(
        tr("selfassess.recommend.pick"),
        list(names),
        default=top,
        format_func=names.__getitem__,
        key=pick_key(top),
        persist_state="session",
    )
    st.button(
        tr("selfassess.recommend.to_plan"),
        key="selfassess_to_plan",
        disabled=not picked,
        on_click=_send_to_plan,
        args=(list(picked), assessed, current_estimates(assessed)),
        icon=":material/checklist:",
    )
    if st.session_state.get(SENT):
        st.success(tr("selfassess.recommend.sent", n=st.session_state[SENT]))
        st.page_link("pages/plan.py", label=tr("selfassess.recommend.go_plan"), icon=":material/checklist:")
    return list(picked)


def report_bytes(assessed: SelfAssessment, lang: str, picked: tuple[str, ...], fmt: str) -> bytes:
    """Return one report file of the self-assessment: pure, so a download button can call it on click."""
    content = build_content(None, None, lang=lang, strategies=list(picked) or None, self_assessment=assessed)
    return build_report(content, fmt)


def exports(assessed: SelfAssessment, picked: list[str]) -> None:
    """Offer the reports of the self-assessment; each file is built only when its button is clicked."""
    lang = state.lang()
    st.subheader(tr("selfassess.export.title"))
    st.caption(tr("selfassess.export.intro"))
    columns = st.columns(len(FORMATS))
    for column, fmt in zip(columns, FORMATS, strict=True):
        column.download_button(
            tr(f"report.download.{fmt}"),
            data=functools.partial(report_bytes, assessed, lang, tuple(picked), fmt),
            file_name=f"loyalty-self-assessment-{lang}.{fmt}",
            mime=MIME[fmt],
            key=f"selfassess_download_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
