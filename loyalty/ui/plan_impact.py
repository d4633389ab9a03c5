"""Plan page: the impact calculator, with every assumption visible and editable."""

from __future__ import annotations

import streamlit as st

from loyalty.i18n import format_number, format_percent
from loyalty.plan import Assumptions, Estimate, nps_impact, retention_impact
from loyalty.plan.impact import NpsImpact, RetentionImpact
from loyalty.ui import plan_data, state

tr = state.tr
HORIZONS = (6, 12, 24, 36)
#: Assumptions entered as percentages on screen but stored as fractions.
_PERCENT = ("annual_discount_rate", "margin", "promoter_share_of_gain", "loyal_spend_uplift")


def _input(name: str, saved: Assumptions, **kwargs) -> float:
    """One assumption's number box, labelled, with its default in the help text."""
    scale = 100 if name in _PERCENT else 1
    value = float(getattr(saved, name)) * scale
    default = float(getattr(Assumptions(), name)) * scale
    entered = st.number_input(
        tr(f"plan.assume.{name}"),
        value=value,
        key=f"plan_a_{name}",
        help=tr("plan.assume.default", value=format_number(default, state.lang(), 2)),
        **kwargs,
    )
    return float(entered) / scale


def assumptions_form() -> Assumptions:
    """Draw the assumptions and save them; return what the user set."""
    saved = plan_data.assumptions()
    st.markdown(tr("plan.assume.intro"))
    left, middle, right = st.columns(3)
    values = {}
    with left:
        values["retention_uplift_pp"] = _input(
            "retention_uplift_pp", saved, min_value=0.0, max_value=50.0, step=1.0
        )
        values["nps_uplift_points"] = _input(
            "nps_uplift_points", saved, min_value=0.0, max_value=100.0, step=1.0
        )
        values["horizon_months"] = st.selectbox(
            tr("plan.assume.horizon_months"),
            HORIZONS,
            index=HORIZONS.index(saved.horizon_months) if saved.horizon_months in HORIZONS else 1,
            format_func={m: tr("plan.months", n=m) for m in HORIZONS}.__getitem__,
            key="plan_a_horizon_months",
        )
    with middle:
        values["margin"] = _input("margin", saved, min_value=1.0, max_value=100.0, step=5.0)
        values["annual_discount_rate"] = _input(
            "annual_discount_rate", saved, min_value=0.0, max_value=50.0, step=1.0
        )
        values["promoter_share_of_gain"] = _input(
            "promoter_share_of_gain", saved, min_value=0.0, max_value=100.0, step=10.0
        )
    with right:
        values["acquisition_cost"] = _input("acquisition_cost", saved, min_value=0.0, step=10.0)
        values["acquisition_multiple"] = _input(
            "acquisition_multiple", saved, min_value=1.0, max_value=50.0, step=0.5
        )
        values["loyal_spend_uplift"] = _input(
            "loyal_spend_uplift", saved, min_value=0.0, max_value=500.0, step=1.0
        )
    chosen = Assumptions.from_dict(values)
    st.session_state[plan_data.ASSUMPTIONS] = chosen.to_dict()
    claims = [n for n in ("acquisition_multiple", "loyal_spend_uplift") if chosen.is_article_default(n)]
    if claims:
        st.caption(tr("plan.assume.article_claims"))
    return chosen


def _money(value: float) -> str:
    return format_number(value, state.lang(), 0)


def _interval(estimate: Estimate, fmt=_money) -> str:
    if not estimate.has_interval:
        return tr("plan.impact.no_interval")
    return tr("plan.impact.interval", low=fmt(estimate.low), high=fmt(estimate.high))


def _retention(result: RetentionImpact | None, a: Assumptions) -> None:
    st.markdown(
        f"**{tr('plan.impact.retention.title', x=format_number(a.retention_uplift_pp, state.lang(), 1))}**"
    )
    if result is None:
        st.info(tr("plan.impact.retention.no_data"))
        return
    lang = state.lang()
    cols = st.columns(3)
    cols[0].metric(
        tr("plan.impact.retention.rate"),
        format_percent(result.retention_target, lang, 1),
        tr("plan.impact.from", value=format_percent(result.retention_now, lang, 1)),
        delta_color="off",
    )
    cols[1].metric(
        tr("plan.impact.retention.value", months=a.horizon_months), _money(result.value_change.value)
    )
    cols[2].metric(tr("plan.impact.retention.per_customer"), _money(result.value_change_per_customer.value))
    st.caption(_interval(result.value_change))
    st.markdown(
        tr("plan.impact.retention.kept", n=format_number(result.customers_kept.value, lang, 0))
        + (
            " "
            + tr(
                "plan.impact.retention.replacement",
                cost=_money(result.replacement_cost.value),
                keep=_money(result.replacement_cost.value / a.acquisition_multiple),
            )
            if result.replacement_cost is not None
            else ""
        )
    )
    st.caption(tr(f"plan.impact.retention.basis.{result.basis}", periods=result.periods))


def _nps(result: NpsImpact, a: Assumptions) -> None:
    lang = state.lang()
    st.markdown(f"**{tr('plan.impact.nps.title', y=format_number(a.nps_uplift_points, lang, 0))}**")
    if result.nps_now is None:
        st.info(tr("plan.impact.nps.no_survey"))
    else:
        cols = st.columns(3)
        cols[0].metric(
            tr("plan.impact.nps.target"),
            format_number(result.nps_target.value, lang, 0),
            tr("plan.impact.from", value=format_number(result.nps_now.value, lang, 0)),
            delta_color="off",
        )
        cols[1].metric(
            tr("plan.impact.nps.promoters"),
            format_percent(result.promoter_share_target, lang, 1),
            tr("plan.impact.from", value=format_percent(result.promoter_share_now, lang, 1)),
            delta_color="off",
        )
        if result.value is not None:
            cols[2].metric(tr("plan.impact.nps.value"), _money(result.value.value))
        st.caption(
            tr(
                "plan.impact.nps.ci_now",
                low=format_number(result.nps_now.low, lang, 0),
                high=format_number(result.nps_now.high, lang, 0),
            )
            if result.nps_now.has_interval
            else tr("plan.impact.no_interval")
        )
    if result.extra_promoters is not None and result.value is not None:
        st.markdown(
            tr(
                f"plan.impact.nps.basis.{result.basis}",
                n=format_number(result.extra_promoters.value, lang, 0),
                value=_money(result.value.value),
                uplift=format_percent(a.loyal_spend_uplift, lang, 0),
            )
        )
        st.caption(_interval(result.value))
        if result.value.has_interval and result.value.low < 0 < result.value.high:
            st.caption(tr("plan.impact.nps.uncertain"))
    elif result.nps_now is not None:
        st.caption(tr("plan.impact.nps.no_transactions"))


def render() -> None:
    """Draw the assumptions and what reaching the targets is worth."""
    st.subheader(tr("plan.section.impact"))
    a = assumptions_form()
    with st.spinner(tr("plan.impact.running")):
        baseline = plan_data.baseline(a)
    _retention(retention_impact(baseline, a), a)
    _nps(nps_impact(baseline, a), a)
    with st.expander(tr("plan.impact.how")):
        st.markdown(tr("plan.impact.method"))
