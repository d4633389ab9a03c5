"""What the recommender knows about a business: the evidence types.

Every level of input maps onto the same three pieces, each of which may be empty:

* :class:`DriverEvidence` per trust driver: importance share and performance, from
  the Diagnose step (survey), from plain survey ratings, or from a self-assessment;
* :class:`KpiEvidence`: KPI levels, period-on-period trends, comment themes and the
  owner's own KPI ratings, every field optional so that any subset works;
* the business type (B2B or B2C), which weights each strategy's fit.

Adapters from the library's results live in :mod:`loyalty.strategies.adapters`; the
self-assessment in :mod:`loyalty.strategies.selfassessment`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from loyalty.errors import InputError
from loyalty.schema import DRIVERS, TRUST
from loyalty.strategies.catalog import BUSINESS_TYPES, KPIS


def normalize_business_type(value: str | None) -> str | None:
    """Map "B2B", "b2c", " B2C " and the like to ``"b2b"``/``"b2c"``; None or "" stay unknown.

    Raises
    ------
    InputError
        ``strategies.error.business_type`` for any other value.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip():
        return None
    code = str(value).strip().lower()
    if code not in BUSINESS_TYPES:
        raise InputError("strategies.error.business_type", value=value)
    return code


@dataclass(frozen=True)
class DriverEvidence:
    """How much one trust driver matters and how well the business does on it.

    Parameters
    ----------
    driver : str
        One of :data:`loyalty.schema.DRIVERS`.
    importance_share : float or None
        Share of explained trust (a fraction, 0-1; the LMG shares of all drivers sum to 1).
        None when importance was not measured (survey ratings without a driver model,
        self-assessment).
    performance_0_100 : float
        Mean answer rescaled to 0-100 on its scale (the importance-performance matrix's axis).
    ci_low, ci_high : float or None
        95% bootstrap interval of the importance share (fractions).
    p_top : float or None
        Bootstrap probability that this driver is the most important.
    target : str
        What the importance explains: ``trust``, or the outcome in an analysis without trust.
    mean : float or None
        The raw mean answer, and ``scale`` its answer scale, for sentences such as "3.1 of 5".
    scale : tuple of float or None
        ``(low, high)`` of the answers.
    self_assessed : bool
        The score is the owner's own rating, not customers'.
    """

    driver: str
    importance_share: float | None
    performance_0_100: float
    ci_low: float | None = None
    ci_high: float | None = None
    p_top: float | None = None
    target: str = TRUST
    mean: float | None = None
    scale: tuple[float, float] | None = None
    self_assessed: bool = False

    def __post_init__(self) -> None:
        if self.driver not in DRIVERS:
            raise InputError(
                "strategies.error.unknown_driver", driver=self.driver, allowed=", ".join(DRIVERS)
            )
        if not 0 <= self.performance_0_100 <= 100:
            raise InputError(
                "strategies.error.score_range",
                item=self.driver,
                low=0,
                high=100,
                value=self.performance_0_100,
            )
        if self.importance_share is not None and not 0 <= self.importance_share <= 1:
            raise InputError("strategies.error.rate_range", item=self.driver, value=self.importance_share)


@dataclass(frozen=True)
class Trend:
    """A KPI in the previous and the current period.

    Parameters
    ----------
    previous, current : float
        The KPI in each period, in its own unit.
    p_value : float or None
        Two-sided p-value of the change, where a test exists (NPS).
    """

    previous: float
    current: float
    p_value: float | None = None

    @property
    def delta(self) -> float:
        """Current minus previous."""
        return self.current - self.previous

    @property
    def relative(self) -> float | None:
        """Relative change, or None when the previous value is not positive."""
        return self.delta / self.previous if self.previous > 0 else None


@dataclass(frozen=True)
class ThemeEvidence:
    """A comment theme and what it does to the NPS.

    Parameters
    ----------
    theme : str
        Theme code (the five drivers, ``price``, ``delivery``, ``product``).
    count : int
        Comments that mention it.
    nps_impact : float
        NPS of all respondents minus NPS of those who did not mention it (negative: it hurts).
    small_sample : bool
        Too few scored mentions to trust the impact.
    """

    theme: str
    count: int
    nps_impact: float
    small_sample: bool = False


@dataclass(frozen=True)
class KpiEvidence:
    """What the KPIs say; every field is optional, so any subset of data works.

    Parameters
    ----------
    nps : float or None
        NPS, -100 to 100.
    nps_trend : Trend or None
        NPS in the previous and current period, with the p-value of the change.
    retention_rate : float or None
        Share of customers active in both periods (the strict rate), 0-1.
    retention_trend : Trend or None
        The strict rate in the previous and current period.
    repeat_purchase_rate : float or None
        Customers with two or more purchase occasions / customers, 0-1.
    repeat_trend : Trend or None
        The repeat rate within the previous and the current period.
    clv_trend : Trend or None
        Value per active customer in the previous and current period.
    feedback_score : float or None
        Headline rating on 0-100 (trust, else the mean driver score).
    feedback_trend : Trend or None
        The headline in the previous and current period.
    themes : tuple of ThemeEvidence
        Comment themes with their NPS impact.
    ratings : dict
        KPI -> the owner's own rating, 1-5 (self-assessment).
    """

    nps: float | None = None
    nps_trend: Trend | None = None
    retention_rate: float | None = None
    retention_trend: Trend | None = None
    repeat_purchase_rate: float | None = None
    repeat_trend: Trend | None = None
    clv_trend: Trend | None = None
    feedback_score: float | None = None
    feedback_trend: Trend | None = None
    themes: tuple[ThemeEvidence, ...] = ()
    ratings: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kpi in self.ratings:
            if kpi not in KPIS:
                raise InputError("strategies.error.unknown_kpi", kpi=kpi, allowed=", ".join(KPIS))

    def level(self, kpi: str) -> float | None:
        """Return the level of a KPI (None for CLV, whose level has no benchmark)."""
        return {
            "nps": self.nps,
            "retention_rate": self.retention_rate,
            "repeat_purchase_rate": self.repeat_purchase_rate,
            "feedback": self.feedback_score,
        }.get(kpi)

    def trend(self, kpi: str) -> Trend | None:
        """Return the trend of a KPI."""
        return {
            "nps": self.nps_trend,
            "retention_rate": self.retention_trend,
            "repeat_purchase_rate": self.repeat_trend,
            "clv": self.clv_trend,
            "feedback": self.feedback_trend,
        }[kpi]

    @property
    def from_transactions(self) -> bool:
        """Whether any transaction-based KPI is present."""
        fields = (self.retention_rate, self.retention_trend, self.repeat_purchase_rate, self.repeat_trend)
        return any(v is not None for v in (*fields, self.clv_trend))

    @property
    def from_survey(self) -> bool:
        """Whether any survey-based KPI is present."""
        fields = (self.nps, self.nps_trend, self.feedback_score, self.feedback_trend)
        return any(v is not None for v in fields) or bool(self.themes)


@dataclass(frozen=True)
class Evidence:
    """Everything the recommender ranks on.

    Parameters
    ----------
    drivers : tuple of DriverEvidence
        At most one per driver.
    kpis : KpiEvidence
        KPI evidence (empty by default).
    business_type : {"b2b", "b2c"} or None
        None when unknown: fit then does not change the ranking.
    self_assessed : bool
        The evidence comes from the owner's self-assessment, not from customer data.
    """

    drivers: tuple[DriverEvidence, ...] = ()
    kpis: KpiEvidence = field(default_factory=KpiEvidence)
    business_type: str | None = None
    self_assessed: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "business_type", normalize_business_type(self.business_type))
        names = [d.driver for d in self.drivers]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"one DriverEvidence per driver; repeated: {duplicated}")

    @property
    def level(self) -> str:
        """Which input the evidence rests on, as a ``strategies.level.*`` code.

        ``self_assessment``, ``survey_and_transactions``, ``survey``, ``transactions`` or ``none``.
        """
        if self.self_assessed:
            return "self_assessment"
        survey = bool(self.drivers) or self.kpis.from_survey
        transactions = self.kpis.from_transactions
        if survey and transactions:
            return "survey_and_transactions"
        return "survey" if survey else "transactions" if transactions else "none"
