"""The Diagnose page's pickers: drivers, mediator, outcome and optional multi-item scales."""

from __future__ import annotations

import streamlit as st

from loyalty.diagnose import Availability, DiagnoseOptions, default_options
from loyalty.drivers._util import label
from loyalty.schema import TRUST
from loyalty.ui import state

NO_MEDIATOR = ""
KEYS = {
    "drivers": "diagnose_drivers",
    "mediator": "diagnose_mediator",
    "outcome": "diagnose_outcome",
    "spec": "diagnose_spec",
}


def _labels(names: list[str], lang: str) -> dict[str, str]:
    """Bound display names: format_func may run outside this script run, so no session lookups."""
    return {name: label(name, lang) for name in names}


def pick_options(availability: Availability) -> DiagnoseOptions | None:
    """Render the pickers and return the chosen analysis (None when no driver is picked).

    Defaults: the five drivers the survey answers, trust as the mediator and the
    recommend score as the outcome (or trust as the only driver when the survey
    has no driver questions).

    Parameters
    ----------
    availability : Availability
        What the loaded survey answers.

    Returns
    -------
    DiagnoseOptions or None
    """
    lang = state.lang()
    default = default_options(availability)
    if default is None:
        return None
    with st.expander(state.tr("diagnose.pick.title"), icon=":material/tune:"):
        outcomes = list(availability.outcomes)
        outcome = st.selectbox(
            state.tr("diagnose.pick.outcome"),
            outcomes,
            index=outcomes.index(default.outcome),
            format_func=_labels(outcomes, lang).__getitem__,
            key=KEYS["outcome"],
        )
        mediators = [TRUST, NO_MEDIATOR] if availability.mode == "full" else [NO_MEDIATOR]
        names = {NO_MEDIATOR: state.tr("diagnose.pick.no_mediator"), TRUST: label(TRUST, lang)}
        mediator = st.selectbox(
            state.tr("diagnose.pick.mediator"),
            mediators,
            format_func=names.__getitem__,
            key=KEYS["mediator"],
            disabled=len(mediators) == 1,
        )
        choices = list(default.drivers) + [c for c in availability.numeric if c not in default.drivers]
        if mediator == NO_MEDIATOR and availability.trust and TRUST not in choices:
            choices.append(TRUST)
        drivers = st.multiselect(
            state.tr("diagnose.pick.drivers"),
            choices,
            default=list(default.drivers),
            format_func=_labels(choices, lang).__getitem__,
            key=KEYS["drivers"],
        )
        spec = st.text_input(
            state.tr("diagnose.pick.spec"),
            key=KEYS["spec"],
            placeholder="COMP=comp_1+comp_2+comp_3",
            help=state.tr("diagnose.pick.spec_help"),
        ).strip()
    chosen: tuple[str, ...] | str = spec or tuple(d for d in drivers if d != outcome)
    if not chosen:
        st.info(state.tr("diagnose.pick.need_driver"))
        return None
    return DiagnoseOptions(chosen, mediator or None, outcome, default.bootstrap, default.seed)
