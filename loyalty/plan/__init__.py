"""The action plan and the value of reaching its targets (no Streamlit).

:mod:`~loyalty.plan.model` holds the plan table, :mod:`~loyalty.plan.assumptions`
every number the impact calculator assumes, and :mod:`~loyalty.plan.impact` the
calculator itself, fed by the user's own data wherever it exists.
"""

from __future__ import annotations

from loyalty.plan.assumptions import ARTICLE_DEFAULTS, Assumptions
from loyalty.plan.impact import (
    Baseline,
    Estimate,
    NpsImpact,
    RetentionImpact,
    baseline_from_data,
    geometric_value,
    nps_impact,
    period_value,
    retention_impact,
)
from loyalty.plan.model import (
    COLUMNS,
    PlanIssue,
    empty_plan,
    plan_from_strategies,
    validate_plan,
)

__all__ = [
    "ARTICLE_DEFAULTS",
    "COLUMNS",
    "Assumptions",
    "Baseline",
    "Estimate",
    "NpsImpact",
    "PlanIssue",
    "RetentionImpact",
    "baseline_from_data",
    "empty_plan",
    "geometric_value",
    "nps_impact",
    "period_value",
    "plan_from_strategies",
    "retention_impact",
    "validate_plan",
]
