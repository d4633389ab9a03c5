"""Saved assessments: a versioned SQLAlchemy database of client workshops over time.

No Streamlit here. Nothing touches the disk until a :class:`Store` is constructed.

>>> store = Store("sqlite:///path/to/assessments.sqlite")   # doctest: +SKIP
>>> new_id = store.save(assessment)                          # doctest: +SKIP
"""

from __future__ import annotations

from loyalty.store.database import Store
from loyalty.store.errors import StoreError
from loyalty.store.location import database_location, default_database_url
from loyalty.store.model import STATUSES, Action, Assessment, AssessmentSummary
from loyalty.store.privacy import fingerprint, pseudonymise

__all__ = [
    "STATUSES",
    "Action",
    "Assessment",
    "AssessmentSummary",
    "Store",
    "StoreError",
    "database_location",
    "default_database_url",
    "fingerprint",
    "pseudonymise",
]
