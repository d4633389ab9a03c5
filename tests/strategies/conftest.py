"""Evidence builders shared by the strategy tests."""

from __future__ import annotations

from loyalty.schema import DRIVERS
from loyalty.strategies import DriverEvidence, Evidence, strategies


def fix_first(driver: str, share: float = 0.40, performance: float = 40.0, **kwargs) -> Evidence:
    """Evidence where ``driver`` is the clear fix-first driver: most important and weakest.

    The other drivers share the rest of the importance equally and perform at 75/100.
    """
    rest = (1 - share) / (len(DRIVERS) - 1)
    drivers = tuple(
        DriverEvidence(d, share if d == driver else rest, performance if d == driver else 75.0)
        for d in DRIVERS
    )
    return Evidence(drivers=drivers, **kwargs)


def ids(recommendations) -> list[str]:
    """Return the strategy ids in rank order."""
    return [r.strategy.id for r in recommendations]


def built_for(driver: str) -> set[str]:
    """Return the ids of the strategies built for ``driver`` (weight >= the catalog's main weight)."""
    return {s.id for s in strategies() if driver in s.main_drivers}
