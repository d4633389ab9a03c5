"""Diagnose: which trust drivers build trust, how sure we are, where to act, and whether trust pays."""

import streamlit as st

from loyalty.diagnose import survey_availability
from loyalty.ui import diagnose_controls as controls
from loyalty.ui import diagnose_data as data
from loyalty.ui import diagnose_sections as sections
from loyalty.ui import router, state
from loyalty.ui.diagnose_trust_pays import trust_pays_section
from loyalty.ui.diagnose_whatif import whatif_section

router.require_router("pages/diagnose.py")

tr = state.tr
lang = state.lang()
st.title(tr("diagnose.title"))
st.markdown(tr("diagnose.intro"))


def diagnose_page() -> None:
    """Lay out the page; returns early instead of stopping the script, which would also stop the sidebar."""
    survey = data.survey_frame()
    availability = survey_availability(survey)
    sections.missing_notice(availability)
    if availability.mode in ("no_survey", "no_outcome"):
        return
    if availability.mode == "outcome_only":
        with data.guard(lang):
            sections.outcome_only(survey)
        trust_pays_section(survey)
        return

    options = controls.pick_options(availability)
    if options is None:
        return
    diagnosis = data.diagnosis_or_message(survey, options, lang)
    if diagnosis is None:
        return

    sections.warnings(diagnosis)
    for section in (sections.headline, sections.path, sections.importance, sections.ipa, sections.mediation):
        with data.guard(lang):
            section(diagnosis)
    whatif_section(survey, diagnosis, options)
    trust_pays_section(survey)
    with data.guard(lang):
        sections.segments(survey, diagnosis, options)
    with data.guard(lang):
        sections.diagnostics(diagnosis)


diagnose_page()
