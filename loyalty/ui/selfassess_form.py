"""Self-assessment page: the questionnaire, the KPI estimates and the business type.

Every widget keeps its value across pages (``persist_state="session"``), so an owner
can look at the Plan and come back to the answers. Nothing is scored until each
driver has at least one answer.
"""

from __future__ import annotations

import streamlit as st

from loyalty import selfassess
from loyalty.errors import LoyaltyError
from loyalty.schema import DRIVERS
from loyalty.strategies import SelfAssessment
from loyalty.ui import state

tr = state.tr
#: Answer options of a statement (the scale of ``self_assessment.json``).
OPTIONS = tuple(range(selfassess.scale()[0], selfassess.scale()[1] + 1))
BUSINESS_TYPES = (None, "b2b", "b2c")
BUSINESS_KEY = "selfassess_business"
#: Widget key -> (min, max) of each estimate; percentages are asked, shares are stored.
ESTIMATE_RANGES = {
    "repeat_purchase_rate": (0.0, 100.0),
    "retention_rate": (0.0, 100.0),
    "nps": (-100.0, 100.0),
}


def statement_key(statement_id: str) -> str:
    """Return the widget key of a statement's answer."""
    return f"selfassess_q_{statement_id}"


def estimate_key(name: str) -> str:
    """Return the widget key of a KPI estimate."""
    return f"selfassess_est_{name}"


def statements() -> dict[str, int | None]:
    """Draw the statements, grouped by driver, and return statement id -> answer (None: not answered)."""
    lang = state.lang()
    st.subheader(tr("selfassess.form.title"))
    st.caption(tr("selfassess.form.legend"))
    answers: dict[str, int | None] = {}
    for driver in DRIVERS:
        st.markdown(f"**{tr(f'field.{driver}')}**")
        for statement in (s for s in selfassess.statements() if s.driver == driver):
            answers[statement.id] = st.radio(
                statement.text(lang),
                OPTIONS,
                index=None,
                horizontal=True,
                key=statement_key(statement.id),
                persist_state="session",
            )
    return answers


def estimates() -> tuple[dict[str, float | None], str | None]:
    """Draw the KPI estimates and B2B/B2C; return the estimates in library units and the business type."""
    st.subheader(tr("selfassess.estimates.title"))
    st.caption(tr("selfassess.estimates.help"))
    values: dict[str, float | None] = {}
    columns = st.columns(len(ESTIMATE_RANGES))
    for column, (name, (low, high)) in zip(columns, ESTIMATE_RANGES.items(), strict=True):
        value = column.number_input(
            tr(f"selfassess.estimate.{name}"),
            min_value=low,
            max_value=high,
            value=None,
            step=1.0,
            format="%.0f",
            key=estimate_key(name),
            persist_state="session",
        )
        values[name] = None if value is None else (value if name == "nps" else value / 100.0)
    names = [tr(f"plan.business.{code or 'unknown'}") for code in BUSINESS_TYPES]
    choice = st.radio(
        tr("plan.business.label"),
        range(len(BUSINESS_TYPES)),
        format_func=names.__getitem__,
        horizontal=True,
        key=BUSINESS_KEY,
        persist_state="session",
    )
    return values, BUSINESS_TYPES[choice or 0]


def missing_drivers(answers: dict[str, int | None]) -> list[str]:
    """Return the drivers without any answer yet."""
    answered = {s.driver for s in selfassess.statements() if answers.get(s.id) is not None}
    return [d for d in DRIVERS if d not in answered]


def form() -> SelfAssessment | None:
    """Draw the whole questionnaire and return the self-assessment once every driver is answered."""
    answers = statements()
    values, business_type = estimates()
    done = sum(a is not None for a in answers.values())
    st.caption(tr("selfassess.form.progress", answered=done, total=len(answers)))
    missing = missing_drivers(answers)
    if missing:
        st.info(tr("selfassess.form.need_each_driver", drivers=", ".join(tr(f"field.{d}") for d in missing)))
        return None
    try:
        return selfassess.assessment(answers, business_type=business_type, **values)
    except LoyaltyError as err:
        st.error(tr("selfassess.error", reason=err.message(state.lang())))
        return None
