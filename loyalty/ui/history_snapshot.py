"""History page: the KPI snapshot and the diagnosis summary of the session's data, cached.

Both are built with :mod:`loyalty.store.snapshot`, so a saved assessment holds what
``python -m loyalty measure`` and ``diagnose`` print. The diagnosis is the Diagnose
page's default analysis, from the cache that page shares.
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from loyalty import diagnose as diagnose_service
from loyalty.ingest import LoadResult
from loyalty.store.snapshot import diagnosis_snapshot, kpi_snapshot
from loyalty.ui import diagnose_data, state

log = logging.getLogger(__name__)


@st.cache_data(show_spinner=False, max_entries=8, scope="session")
def _kpis(key: str, lang: str, _tx: LoadResult | None, _sv: LoadResult | None) -> dict[str, Any]:
    # ``key`` identifies the files (digest, mapping, options); the results are not hashed.
    return kpi_snapshot(_tx, _sv, lang=lang)


def kpis() -> dict[str, Any]:
    """Return the ``measure`` JSON of the loaded transactions and survey ({} without either)."""
    loaded = state.datasets()
    tx, sv = loaded.get("transactions"), loaded.get("survey")
    if tx is None and sv is None:
        return {}
    try:
        return _kpis(diagnose_data.data_key("transactions", "survey"), state.lang(), tx, sv)
    except Exception:  # noqa: BLE001 - the plan and notes are still worth saving; the KPIs show as gaps
        log.warning("History page: measuring the KPIs to save failed", exc_info=True)
        return {}


def diagnosis() -> dict[str, Any]:
    """Return the summary of the default diagnosis of the loaded survey ({} when none can be made)."""
    survey = diagnose_data.survey_frame()
    if survey is None:
        return {}
    options = diagnose_service.default_options(diagnose_service.survey_availability(survey))
    if options is None:
        return {}
    try:
        return diagnosis_snapshot(diagnose_data.diagnosis(survey, options), lang=state.lang())
    except Exception:  # noqa: BLE001 - an assessment without a diagnosis is still worth saving
        log.info("History page: no diagnosis to save", exc_info=True)
        return {}
