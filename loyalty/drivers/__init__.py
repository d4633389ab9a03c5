"""Trust-driver diagnosis: which drivers build trust, and does trust carry loyalty.

Entry point: :func:`diagnose`. Follow-ups take its :class:`Diagnosis`:
:func:`ipa_from_diagnosis` (where to act), :func:`simulate_whatif` (what if a
driver improved), :func:`diagnose_segments` (per segment) and
:func:`trust_pays` (do promoters and high-trust customers buy more).
"""

from __future__ import annotations

from loyalty.drivers.importance import Importance, relative_importance
from loyalty.drivers.ipa import IPAResult, importance_performance, ipa_from_diagnosis
from loyalty.drivers.mediation import MediationResult, mediate
from loyalty.drivers.models import Diagnosis, OLSResult, diagnose, fit_ols
from loyalty.drivers.robustness import RobustnessCheck
from loyalty.drivers.segments import SegmentDiagnosis, compare_importance, diagnose_segments
from loyalty.drivers.specs import build_scales, cronbach_alpha, parse_spec
from loyalty.drivers.trust_pays import trust_pays
from loyalty.drivers.warnings import DriverWarning
from loyalty.drivers.whatif import WhatIfResult, simulate_whatif

__all__ = [
    "Diagnosis",
    "DriverWarning",
    "IPAResult",
    "Importance",
    "MediationResult",
    "OLSResult",
    "RobustnessCheck",
    "SegmentDiagnosis",
    "WhatIfResult",
    "build_scales",
    "compare_importance",
    "cronbach_alpha",
    "diagnose",
    "diagnose_segments",
    "fit_ols",
    "importance_performance",
    "ipa_from_diagnosis",
    "mediate",
    "parse_spec",
    "relative_importance",
    "simulate_whatif",
    "trust_pays",
]
