"""The owner's self-assessment: evidence when there is no customer data at all.

A questionnaire (about 15 statements on a 1-5 scale, a few per trust driver, plus
rough KPI estimates and the business type) is summarised as a
:class:`SelfAssessment`. Its driver scores stand in for customers' ratings, with
no measured importance, so every driver counts equally and the weakest ones lead;
the KPI estimates and self-ratings feed the same KPI rules as real data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from loyalty.errors import InputError
from loyalty.schema import DRIVERS
from loyalty.strategies.catalog import KPIS
from loyalty.strategies.evidence import DriverEvidence, Evidence, KpiEvidence, normalize_business_type

#: The answer scale of the statements and of the KPI self-ratings.
SCALE: tuple[int, int] = (1, 5)


def _check_score(item: str, value: float) -> None:
    if not isinstance(value, int | float) or math.isnan(value) or not SCALE[0] <= value <= SCALE[1]:
        raise InputError("strategies.error.score_range", item=item, low=SCALE[0], high=SCALE[1], value=value)


def _check_share(item: str, value: float | None) -> None:
    if value is not None and not 0 <= value <= 1:
        raise InputError("strategies.error.rate_range", item=item, value=value)


@dataclass(frozen=True)
class SelfAssessment:
    """The owner's own view of the business.

    Parameters
    ----------
    driver_scores : mapping
        Trust driver -> score on 1-5 (the mean of that driver's statements). Drivers
        left out are not judged.
    kpi_ratings : mapping
        KPI -> how well the owner thinks it is doing, 1-5 (optional).
    business_type : {"B2B", "B2C"} or None
        Case-insensitive; None when the owner does not say.
    repeat_purchase_rate : float or None
        Estimated share of customers who bought more than once, 0-1.
    retention_rate : float or None
        Estimated share of customers who stay from one period to the next, 0-1.
    nps : float or None
        A known NPS, -100 to 100.
    """

    driver_scores: Mapping[str, float]
    kpi_ratings: Mapping[str, float] = field(default_factory=dict)
    business_type: str | None = None
    repeat_purchase_rate: float | None = None
    retention_rate: float | None = None
    nps: float | None = None

    def __post_init__(self) -> None:
        if not self.driver_scores:
            raise InputError("strategies.error.no_driver_scores")
        for driver, score in self.driver_scores.items():
            if driver not in DRIVERS:
                raise InputError("strategies.error.unknown_driver", driver=driver, allowed=", ".join(DRIVERS))
            _check_score(driver, score)
        for kpi, rating in self.kpi_ratings.items():
            if kpi not in KPIS:
                raise InputError("strategies.error.unknown_kpi", kpi=kpi, allowed=", ".join(KPIS))
            _check_score(kpi, rating)
        _check_share("repeat_purchase_rate", self.repeat_purchase_rate)
        _check_share("retention_rate", self.retention_rate)
        if self.nps is not None and not -100 <= self.nps <= 100:
            raise InputError("strategies.error.nps_range", value=self.nps)
        object.__setattr__(self, "business_type", normalize_business_type(self.business_type))

    @classmethod
    def from_answers(
        cls, answers: Mapping[str, float | None], statement_drivers: Mapping[str, str], **kwargs: object
    ) -> SelfAssessment:
        """Average statement answers into driver scores.

        Parameters
        ----------
        answers : mapping
            Statement id -> answer on 1-5 (None or NaN = not answered).
        statement_drivers : mapping
            Statement id -> the trust driver it is about.
        **kwargs
            The other fields (``kpi_ratings``, ``business_type``, estimates).

        Returns
        -------
        SelfAssessment
        """
        by_driver: dict[str, list[float]] = {}
        for statement, answer in answers.items():
            if statement not in statement_drivers:
                raise InputError("strategies.error.unknown_statement", statement=statement)
            if answer is None or (isinstance(answer, float) and math.isnan(answer)):
                continue
            _check_score(statement, answer)
            by_driver.setdefault(statement_drivers[statement], []).append(float(answer))
        scores = {d: sum(v) / len(v) for d in DRIVERS if (v := by_driver.get(d))}
        return cls(driver_scores=scores, **kwargs)

    def driver_evidence(self) -> tuple[DriverEvidence, ...]:
        """Return the driver scores as evidence: performance on 0-100, importance unknown."""
        low, high = SCALE
        return tuple(
            DriverEvidence(
                driver=d,
                importance_share=None,
                performance_0_100=100 * (self.driver_scores[d] - low) / (high - low),
                mean=float(self.driver_scores[d]),
                scale=(low, high),
                self_assessed=True,
            )
            for d in DRIVERS
            if d in self.driver_scores
        )

    def kpi_evidence(self) -> KpiEvidence:
        """Return the KPI estimates and self-ratings as evidence."""
        return KpiEvidence(
            nps=self.nps,
            retention_rate=self.retention_rate,
            repeat_purchase_rate=self.repeat_purchase_rate,
            ratings=dict(self.kpi_ratings),
        )

    def evidence(self) -> Evidence:
        """Return everything the recommender needs."""
        return Evidence(
            drivers=self.driver_evidence(),
            kpis=self.kpi_evidence(),
            business_type=self.business_type,
            self_assessed=True,
        )
