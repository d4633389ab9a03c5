"""Importance-performance matrix: where to act first.

Each driver gets two coordinates:

* importance: its share of explained variance (LMG, percent; the direction is ignored);
* performance: its mean answer rescaled to 0-100 on its answer scale
  (``100 * (mean - low) / (high - low)``).

The split lines are the *mean* importance and the *mean* performance across
the drivers shown, so the quadrants are relative to this set of drivers: with
shares summing to 100, the importance line is always 100 / k. A driver on a
line counts as important / strong.

Quadrants: ``fix_first`` (important, weak), ``keep_it_up`` (important, strong),
``low_priority`` (unimportant, weak), ``possibly_over_invested`` (unimportant, strong).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from loyalty.drivers._util import jsonable

if TYPE_CHECKING:
    from loyalty.drivers.models import Diagnosis

QUADRANTS: tuple[str, ...] = ("fix_first", "keep_it_up", "low_priority", "possibly_over_invested")


@dataclass
class IPAResult:
    """Importance-performance coordinates and quadrants.

    Parameters
    ----------
    drivers : list of str
        Driver names.
    importance : numpy.ndarray
        Importance per driver (percent of explained variance).
    performance : numpy.ndarray
        Performance per driver (0-100).
    quadrant : list of str
        Quadrant code per driver.
    importance_split, performance_split : float
        The split lines (means across drivers).
    """

    drivers: list[str]
    importance: np.ndarray
    performance: np.ndarray
    quadrant: list[str]
    importance_split: float
    performance_split: float

    def to_frame(self) -> pd.DataFrame:
        """Return one row per driver."""
        return pd.DataFrame(
            {
                "driver": self.drivers,
                "importance": self.importance,
                "performance": self.performance,
                "quadrant": self.quadrant,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return jsonable(
            {
                "importance_split": self.importance_split,
                "performance_split": self.performance_split,
                "drivers": self.to_frame().to_dict(orient="records"),
            }
        )


def rescale(mean: float, scale: tuple[float, float]) -> float:
    """Return ``mean`` on a 0-100 scale: 0 at the scale's low end, 100 at its high end.

    Parameters
    ----------
    mean : float
        Mean answer.
    scale : tuple of float
        ``(low, high)``.

    Returns
    -------
    float
    """
    low, high = scale
    return 100.0 * (mean - low) / (high - low)


def quadrant(important: bool, strong: bool) -> str:
    """Return the quadrant code for an (important?, strong?) pair."""
    if important:
        return "keep_it_up" if strong else "fix_first"
    return "possibly_over_invested" if strong else "low_priority"


def importance_performance(importance: Mapping[str, float], performance: Mapping[str, float]) -> IPAResult:
    """Place drivers in the importance-performance matrix.

    Parameters
    ----------
    importance : mapping
        Driver -> importance (percent share; sign ignored).
    performance : mapping
        Driver -> performance on 0-100.

    Returns
    -------
    IPAResult
    """
    drivers = list(importance)
    imp = np.abs(np.array([importance[d] for d in drivers], dtype=float))
    perf = np.array([performance[d] for d in drivers], dtype=float)
    imp_split, perf_split = float(imp.mean()), float(perf.mean())
    codes = [quadrant(bool(i >= imp_split), bool(p >= perf_split)) for i, p in zip(imp, perf, strict=True)]
    return IPAResult(drivers, imp, perf, codes, imp_split, perf_split)


def ipa_from_diagnosis(diagnosis: Diagnosis) -> IPAResult:
    """Build the matrix from a diagnosis: LMG shares and the analysed respondents' mean answers.

    Parameters
    ----------
    diagnosis : Diagnosis
        Result of :func:`loyalty.drivers.models.diagnose`.

    Returns
    -------
    IPAResult
    """
    imp = diagnosis.importance
    importance = dict(zip(imp.drivers, imp.share.tolist(), strict=True))
    performance = {d: rescale(diagnosis.means[d], diagnosis.scales[d]) for d in imp.drivers}
    return importance_performance(importance, performance)
