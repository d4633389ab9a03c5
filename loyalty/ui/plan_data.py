"""Plan page: session keys and the cached work behind it.

The selection and the plan live under non-widget keys, so they survive page
switches; the Report page reads them:

- ``plan.selected``: list of strategy ids, in the order they were picked;
- ``plan.actions``: the action plan (:mod:`loyalty.plan.model` columns);
- ``plan.assumptions``: the impact calculator's assumptions as a dict.

Heavy work (the KPIs with the CLV fit, the diagnosis, "does trust pay?") is cached
on a digest of the loaded files, shared with the Diagnose page where it can be.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pandas as pd
import streamlit as st

from loyalty import diagnose as diagnose_service
from loyalty import measure as measure_service
from loyalty.plan import Assumptions, Baseline, baseline_from_data, empty_plan
from loyalty.plan.value import measure_options
from loyalty.strategies import Recommendation, evidence_from_data, recommend
from loyalty.ui import diagnose_data, state

SELECTED = "plan.selected"
ACTIONS = "plan.actions"
ASSUMPTIONS = "plan.assumptions"
BUSINESS_TYPE = "plan.business_type"
EDITOR_VERSION = "plan._editor_version"
EDITOR_BASE = "plan._editor_base"
#: The self-assessment handed over by the Self-assessment page (a SelfAssessment), if any.
SELF_ASSESSMENT = "plan.self_assessment"
#: The Plan's choice of evidence when both data and a self-assessment exist.
RANK_SOURCE = "plan_rank_source"

log = logging.getLogger(__name__)


def selected() -> list[str]:
    """Return the picked strategy ids (never None)."""
    return st.session_state.setdefault(SELECTED, [])


def plan() -> pd.DataFrame:
    """Return the current action plan (an empty plan when nothing is picked)."""
    if ACTIONS not in st.session_state:
        st.session_state[ACTIONS] = empty_plan()
    return st.session_state[ACTIONS]


def assumptions() -> Assumptions:
    """Return the impact calculator's assumptions."""
    return Assumptions.from_dict(st.session_state.get(ASSUMPTIONS))


def data_level() -> str:
    """Return ``both``, ``transactions``, ``survey`` or ``none``: what data is loaded."""
    has_tx = diagnose_data.frame("transactions") is not None
    has_sv = diagnose_data.frame("survey") is not None
    return {(True, True): "both", (True, False): "transactions", (False, True): "survey"}.get(
        (has_tx, has_sv), "none"
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _measure(
    key: str,
    horizon_weeks: float,
    discount: float,
    _tx: pd.DataFrame | None,
    _sv: pd.DataFrame | None,
    _cu: pd.DataFrame | None,
    _scales: Any,
) -> dict[str, Any] | None:
    # margin=1: the calculator applies the margin itself, so editing it never refits the model.
    try:
        return measure_service.measure(
            _tx, _sv, scales=_scales, customers=_cu, horizon=horizon_weeks, annual_discount_rate=discount
        )
    except Exception:  # noqa: BLE001 - no KPI is better than a traceback: the page explains
        log.exception("Plan page: measuring the KPIs failed")
        return None


def kpis(a: Assumptions) -> dict[str, Any] | None:
    """Return the (cached) :func:`loyalty.measure.measure` dict for the loaded data, or None."""
    if data_level() == "none":
        return None
    survey = state.datasets().get("survey")
    # The same horizon and discount as the report's impact section (loyalty.plan.value).
    options = measure_options(a)
    return _measure(
        diagnose_data.data_key("transactions", "survey", "customers"),
        options["horizon"],
        options["annual_discount_rate"],
        diagnose_data.frame("transactions"),
        diagnose_data.frame("survey"),
        diagnose_data.frame("customers"),
        None if survey is None else survey.scales,
    )


def _diagnosis() -> Any:
    """Return the default diagnosis of the survey (shared cache with Diagnose), or None."""
    survey = diagnose_data.survey_frame()
    if survey is None:
        return None
    options = diagnose_service.default_options(diagnose_service.survey_availability(survey))
    if options is None:
        return None
    try:
        return diagnose_data.diagnosis(survey, options)
    except Exception:  # noqa: BLE001 - fall back to the driver ratings without importance
        log.info("Plan page: no diagnosis, ranking from the ratings only", exc_info=True)
        return None


def self_assessment() -> Any:
    """Return the self-assessment sent to the Plan, or None."""
    return st.session_state.get(SELF_ASSESSMENT)


def ranks_by_self_assessment() -> bool:
    """True when the cards follow the self-assessment: there is one and the user has not chosen the data."""
    if self_assessment() is None:
        return False
    return data_level() == "none" or st.session_state.get(RANK_SOURCE, "self") == "self"


def recommendations(a: Assumptions, business_type: str | None) -> list[Recommendation]:
    """Return every strategy ranked by the data or the self-assessment (by fit and effort without either)."""
    if ranks_by_self_assessment():
        assessed = self_assessment()
        if business_type != assessed.business_type:  # the Plan's own B2B/B2C choice wins
            assessed = dataclasses.replace(assessed, business_type=business_type)
        return recommend(assessed.evidence())
    measured = kpis(a)
    evidence = evidence_from_data(measure=measured, diagnosis=_diagnosis(), business_type=business_type)
    return recommend(evidence)


def baseline(a: Assumptions) -> Baseline:
    """Return today's numbers for the impact calculator."""
    measured = kpis(a)
    survey = diagnose_data.survey_frame()
    table = None
    if survey is not None and diagnose_data.frame("transactions") is not None:
        try:
            result = diagnose_data.trust_pays(survey)
            table = None if result is None else result.table
        except Exception:  # noqa: BLE001 - the calculator falls back to the articles' figure
            log.info("Plan page: no 'does trust pay?' table", exc_info=True)
    return baseline_from_data(measured, diagnose_data.frame("transactions"), table)
