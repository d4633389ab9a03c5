"""Data and cached computations of the Diagnose page.

Every heavy step (the bootstrap diagnosis, segment runs, the CLV fit behind
"does trust pay?") is cached on a digest of the loaded files plus the options,
so moving a what-if slider reruns only the cheap simulation, which reuses the
fitted bootstrap draws.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from loyalty import diagnose as service
from loyalty.drivers import Diagnosis, SegmentDiagnosis, WhatIfResult
from loyalty.errors import LoyaltyError
from loyalty.ui import state

log = logging.getLogger(__name__)


def frame(kind: str) -> pd.DataFrame | None:
    """Return the loaded canonical table of ``kind``, or None."""
    result = state.datasets().get(kind)
    return None if result is None else result.frame


def data_key(*kinds: str) -> str:
    """Return a short digest of the loaded files of ``kinds`` (file bytes, mapping and read options)."""
    parts = []
    for kind in kinds:
        record = state.files().get(kind)
        table = frame(kind)
        if record is not None:
            mapping = sorted(record.get("mapping", {}).items(), key=str)
            options = sorted(record.get("options", {}).items(), key=str)
            parts.append(repr((kind, record["digest"], mapping, options)))
        elif table is not None:  # data put in the session without a file (tests, other pages)
            parts.append(repr((kind, int(pd.util.hash_pandas_object(table, index=True).sum()))))
        else:
            parts.append(repr((kind, None)))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def survey_frame() -> pd.DataFrame | None:
    """Return the survey with the customers table's segment columns attached (None without a survey)."""
    survey = frame("survey")
    if survey is None:
        return None
    return service.attach_customer_columns(survey, frame("customers"))


@st.cache_data(show_spinner=False, max_entries=16, scope="session")
def _diagnosis(key: str, options: tuple, _survey: pd.DataFrame) -> Diagnosis:
    # The survey is not hashed (underscore): ``key`` already identifies it.
    return service.run_diagnosis(_survey, service.DiagnoseOptions(*options))


def diagnosis(survey: pd.DataFrame, options: service.DiagnoseOptions) -> Diagnosis:
    """Return the (cached) diagnosis of the loaded survey for ``options``."""
    return _diagnosis(data_key("survey", "customers"), options.cache_key(), survey)


def diagnosis_or_message(
    survey: pd.DataFrame, options: service.DiagnoseOptions, lang: str
) -> Diagnosis | None:
    """Return the diagnosis, or None after showing in plain words why it could not be made."""
    with guard(lang), st.spinner(state.tr("diagnose.running")):
        return diagnosis(survey, options)
    return None


@st.cache_data(show_spinner=False, max_entries=64, scope="session")
def _whatif(
    key: str,
    options: tuple,
    deltas: tuple,
    segment: tuple | None,
    _diagnosis: Diagnosis,
    _survey: pd.DataFrame,
) -> WhatIfResult:
    return service.run_whatif(_diagnosis, _survey, dict(deltas), segment)


def whatif(
    survey: pd.DataFrame,
    fitted: Diagnosis,
    options: service.DiagnoseOptions,
    deltas: dict[str, float],
    segment: tuple[str, str] | None,
) -> WhatIfResult:
    """Return the (cached) what-if simulation; it reuses the fitted diagnosis and its bootstrap draws."""
    moved = tuple(sorted((d, round(float(v), 6)) for d, v in deltas.items() if float(v) != 0.0))
    return _whatif(data_key("survey", "customers"), options.cache_key(), moved, segment, fitted, survey)


@st.cache_data(show_spinner=False, max_entries=16, scope="session")
def _segment_table(key: str, options: tuple, _survey: pd.DataFrame, _diagnosis: Diagnosis) -> pd.DataFrame:
    return service.segment_table(_survey, _diagnosis)


def segment_table(survey: pd.DataFrame, fitted: Diagnosis, options: service.DiagnoseOptions) -> pd.DataFrame:
    """Return the (cached) complete answers per segment label: the what-if reads it on every slider move."""
    return _segment_table(data_key("survey", "customers"), options.cache_key(), survey, fitted)


@st.cache_data(show_spinner=False, max_entries=8, scope="session")
def _trust_pays(key: str, _survey: pd.DataFrame, _transactions: pd.DataFrame) -> service.TrustPays:
    return service.trust_pays_analysis(_survey, _transactions)


def trust_pays(survey: pd.DataFrame) -> service.TrustPays | None:
    """Return the (cached) "does trust pay?" comparison, or None without transactions."""
    transactions = frame("transactions")
    if transactions is None:
        return None
    return _trust_pays(data_key("survey", "customers", "transactions"), survey, transactions)


@st.cache_data(show_spinner=False, max_entries=16, scope="session")
def _segments(key: str, options: tuple, column: str, _survey: pd.DataFrame) -> SegmentDiagnosis:
    return service.compare_segments(_survey, column, service.DiagnoseOptions(*options))


def segments(survey: pd.DataFrame, options: service.DiagnoseOptions, column: str) -> SegmentDiagnosis:
    """Return the (cached) per-segment diagnoses for ``column``."""
    return _segments(data_key("survey", "customers"), options.cache_key(), column, survey)


@contextmanager
def guard(lang: str) -> Iterator[None]:
    """Show a problem inside the block as one plain message instead of a traceback.

    A fixable problem (an :class:`~loyalty.errors.LoyaltyError`) shows its own
    message; anything else is logged and shown as a generic apology, so one
    failing section never takes the rest of the page down.
    """
    try:
        yield
    except LoyaltyError as err:
        st.error(err.message(lang))
    except Exception:  # noqa: BLE001 - the contract: no traceback on a client's screen
        log.exception("unexpected error on the Diagnose page")
        st.error(state.tr("diagnose.error.unexpected"))
