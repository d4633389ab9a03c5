"""Every number the impact calculator assumes, visible and editable.

The articles' figures (acquiring a customer costs up to 5x keeping one; loyal
customers spend up to 67% more) are *claims* quoted in the source articles
(REFERENCE.md §1), not facts about this business: they are defaults the user
should replace by their own numbers, and the page labels them so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

#: Fields whose default is a figure quoted by the source articles, not a measurement.
ARTICLE_DEFAULTS: frozenset[str] = frozenset({"acquisition_multiple", "loyal_spend_uplift"})


@dataclass(frozen=True)
class Assumptions:
    """What the impact calculator assumes.

    Parameters
    ----------
    retention_uplift_pp : float
        Retention gain to value, in percentage points per period.
    nps_uplift_points : float
        NPS gain to value, in NPS points.
    horizon_months : int
        How far ahead to count the value, in months.
    annual_discount_rate : float
        Yearly discount rate of future revenue (0.10 = 10%).
    margin : float
        Gross margin as a share of revenue (1.0 counts revenue).
    promoter_share_of_gain : float
        Share of an NPS gain that comes from new promoters (the rest from fewer
        detractors, which moves no one into the promoter group). 1.0 is the upper bound.
    acquisition_cost : float
        Cost of winning one new customer, in money; 0 when unknown (then not valued).
    acquisition_multiple : float
        Article default: acquiring a customer costs up to this many times keeping one.
    loyal_spend_uplift : float
        Article default: loyal customers spend up to this much more (0.67 = 67%); used
        for the NPS link only when "does trust pay?" measured no revenue difference.
    """

    retention_uplift_pp: float = 5.0
    nps_uplift_points: float = 10.0
    horizon_months: int = 12
    annual_discount_rate: float = 0.10
    margin: float = 1.0
    promoter_share_of_gain: float = 1.0
    acquisition_cost: float = 0.0
    acquisition_multiple: float = 5.0
    loyal_spend_uplift: float = 0.67

    def to_dict(self) -> dict[str, Any]:
        """Return the assumptions as a plain dict (for reports and session state)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> Assumptions:
        """Build from a dict, ignoring unknown keys and keeping defaults for missing ones."""
        known = {f.name for f in fields(cls)}
        return replace(cls(), **{k: v for k, v in (values or {}).items() if k in known})

    def is_article_default(self, name: str) -> bool:
        """Return whether ``name`` still holds the articles' figure (so the page labels it as a claim)."""
        return name in ARTICLE_DEFAULTS and getattr(self, name) == getattr(Assumptions(), name)

    @property
    def retention_cost(self) -> float:
        """Cost of keeping one customer implied by the acquisition multiple, in money (0 when unknown)."""
        if self.acquisition_cost <= 0 or self.acquisition_multiple <= 0:
            return 0.0
        return self.acquisition_cost / self.acquisition_multiple
