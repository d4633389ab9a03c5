"""What a saved assessment holds: plain dataclasses, no database code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

#: Progress states of one action, in workflow order.
STATUSES: tuple[str, ...] = ("todo", "doing", "done")


@dataclass
class Action:
    """One row of the action plan.

    Parameters
    ----------
    strategy : str
        Strategy id the action belongs to.
    action : str
        What will be done.
    owner : str
        Who does it.
    start, due : date or None
        Planned start and deadline.
    kpi : str
        KPI the action should move.
    target : float or None
        Target value of that KPI.
    status : str
        Progress, one of :data:`STATUSES`.
    """

    strategy: str
    action: str
    owner: str = ""
    start: date | None = None
    due: date | None = None
    kpi: str = ""
    target: float | None = None
    status: str = "todo"


@dataclass
class Assessment:
    """One client's assessment at one moment: data fingerprints, KPIs, diagnosis and plan.

    Parameters
    ----------
    client, title : str
        Client name and a title for this assessment.
    created : datetime
        When the assessment was made.
    lang : str
        Language of the workshop (en/nl/pl).
    business_type : str or None
        E.g. ``"b2c"`` or ``"b2b"``.
    mappings : dict
        ``kind -> {canonical field: source column}``.
    fingerprints : dict
        ``kind -> sha256 hex`` of each data file (see :func:`loyalty.store.fingerprint`).
    kpis : dict
        The ``measure`` JSON.
    diagnosis : dict
        Diagnosis summary (see :func:`loyalty.store.snapshot.diagnosis_snapshot`).
    strategies : list of str
        Chosen strategy ids.
    actions : list of Action
        The action plan with its progress.
    assumptions : dict
        Plan assumptions (budget, margins, ...).
    notes : str
        Free notes.
    raw : dict of DataFrame or None
        Raw data per kind, only when the user chose to store it; customer ids pseudonymised.
    id : int or None
        Database id; None until saved.
    updated : datetime or None
        Last save time; set by the store.
    """

    client: str
    title: str
    created: datetime
    lang: str = "en"
    business_type: str | None = None
    mappings: dict[str, dict[str, str]] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    kpis: dict[str, Any] = field(default_factory=dict)
    diagnosis: dict[str, Any] = field(default_factory=dict)
    strategies: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    assumptions: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    raw: dict[str, pd.DataFrame] | None = None
    id: int | None = None
    updated: datetime | None = None


@dataclass(frozen=True)
class AssessmentSummary:
    """One line of the assessment list (no payload)."""

    id: int
    client: str
    title: str
    created: datetime
    updated: datetime | None
    lang: str
    business_type: str | None
    has_raw: bool
