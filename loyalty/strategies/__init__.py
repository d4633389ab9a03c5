"""Strategy playbook and recommender: from evidence to a ranked, explained set of strategies.

The playbook is a data file (``loyalty/data/strategies.json``) loaded by
:func:`strategies`. :func:`recommend` ranks it from an :class:`Evidence`, built with
:func:`evidence_from_data` (Measure and Diagnose results) or
:meth:`SelfAssessment.evidence` (no data at all).
"""

from __future__ import annotations

from loyalty.strategies.adapters import (
    driver_evidence_from_diagnosis,
    driver_evidence_from_ipa,
    driver_evidence_from_ratings,
    driver_evidence_from_report,
    driver_evidence_from_summary,
    evidence_from_data,
    kpi_evidence_from_measure,
)
from loyalty.strategies.catalog import (
    KPIS,
    CatalogError,
    Strategy,
    Target,
    get_strategy,
    load_catalog,
    strategies,
    validate_catalog,
)
from loyalty.strategies.evidence import (
    DriverEvidence,
    Evidence,
    KpiEvidence,
    ThemeEvidence,
    Trend,
    normalize_business_type,
)
from loyalty.strategies.problems import Problem, find_problems
from loyalty.strategies.recommend import Reason, Recommendation, recommend
from loyalty.strategies.selfassessment import SelfAssessment

__all__ = [
    "KPIS",
    "CatalogError",
    "DriverEvidence",
    "Evidence",
    "KpiEvidence",
    "Problem",
    "Reason",
    "Recommendation",
    "SelfAssessment",
    "Strategy",
    "Target",
    "ThemeEvidence",
    "Trend",
    "driver_evidence_from_diagnosis",
    "driver_evidence_from_ipa",
    "driver_evidence_from_ratings",
    "driver_evidence_from_report",
    "driver_evidence_from_summary",
    "evidence_from_data",
    "find_problems",
    "get_strategy",
    "kpi_evidence_from_measure",
    "load_catalog",
    "normalize_business_type",
    "recommend",
    "strategies",
    "validate_catalog",
]
