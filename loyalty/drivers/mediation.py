"""How much of each driver's effect on the outcome runs through trust (mediation).

Two linear models on the same respondents:

* mediator model: trust = a0 + sum_j a_j driver_j + e
* outcome model: outcome = c0 + b trust + sum_j c'_j driver_j + e

For driver j, per one standard deviation of the driver:
indirect = a_j b (through trust), direct = c'_j, total = direct + indirect
(which equals the driver's coefficient in outcome ~ drivers, by OLS algebra),
proportion mediated = indirect / total.

Bootstrap intervals reuse the resampled covariance matrices of
:mod:`loyalty.drivers.resample`: each replicate's coefficients are a small
linear solve, so no model is refitted and direct + indirect = total holds in
every replicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loyalty.drivers._util import jsonable, percentile_ci, solve_vectors
from loyalty.drivers.resample import Moments, bootstrap_moments, sample_moments

EFFECTS: tuple[str, ...] = ("a", "b", "direct", "indirect", "total", "proportion")


def _slopes(cov: np.ndarray, x_idx: list[int], y_idx: int) -> np.ndarray:
    """Return OLS slopes of column ``y_idx`` on columns ``x_idx`` from (batched) covariances."""
    x_idx = np.asarray(x_idx)
    c_xx = cov[..., x_idx[:, None], x_idx[None, :]]
    c_xy = cov[..., x_idx, y_idx]
    return solve_vectors(c_xx, c_xy)


def path_coefficients(
    cov: np.ndarray, x_idx: list[int], m_idx: int, y_idx: int, sd_x: np.ndarray
) -> dict[str, np.ndarray]:
    """Return the mediation paths per driver, for a driver change of one standard deviation.

    Parameters
    ----------
    cov : numpy.ndarray
        Covariance matrix ``(p, p)`` or a stack ``(B, p, p)``.
    x_idx : list of int
        Positions of the drivers.
    m_idx : int
        Position of the mediator.
    y_idx : int
        Position of the outcome.
    sd_x : numpy.ndarray
        Standard deviations of the drivers (fixed, from the analysed sample, so
        every replicate measures "one SD" in the same units).

    Returns
    -------
    dict of str to numpy.ndarray
        ``a``, ``direct``, ``indirect``, ``total``, ``proportion`` with shape
        ``(..., k)`` and ``b`` with shape ``(...)``.
    """
    a = _slopes(cov, x_idx, m_idx) * sd_x
    outcome = _slopes(cov, [*x_idx, m_idx], y_idx)
    direct = outcome[..., :-1] * sd_x
    b = outcome[..., -1]
    indirect = a * b[..., None]
    total = direct + indirect
    with np.errstate(divide="ignore", invalid="ignore"):
        proportion = indirect / total
    return {"a": a, "b": b, "direct": direct, "indirect": indirect, "total": total, "proportion": proportion}


@dataclass
class MediationResult:
    """Direct, indirect and total effects of each driver, with bootstrap intervals.

    Parameters
    ----------
    drivers : list of str
        Driver names.
    mediator, outcome : str
        Mediator (trust) and outcome names.
    effects : dict of str to numpy.ndarray
        Point estimates, see :func:`path_coefficients`. Units: outcome (or, for
        ``a``, mediator) points per one SD of the driver.
    ci_low, ci_high : dict of str to numpy.ndarray
        95% percentile bootstrap limits of each effect (empty without bootstrap).
    sd : numpy.ndarray
        Driver SDs that define "one unit".
    n, n_boot : int
        Respondents and valid bootstrap replicates.
    """

    drivers: list[str]
    mediator: str
    outcome: str
    effects: dict[str, np.ndarray]
    ci_low: dict[str, np.ndarray]
    ci_high: dict[str, np.ndarray]
    sd: np.ndarray
    n: int
    n_boot: int

    def to_frame(self) -> pd.DataFrame:
        """Return one row per driver with each effect and its interval."""
        frame = pd.DataFrame({"driver": self.drivers, "sd": self.sd})
        for name in EFFECTS:
            value = self.effects[name]
            frame[name] = np.broadcast_to(value, (len(self.drivers),))
            for side, limits in (("low", self.ci_low), ("high", self.ci_high)):
                limit = limits.get(name, np.full(len(self.drivers), np.nan))
                frame[f"{name}_{side}"] = np.broadcast_to(limit, (len(self.drivers),))
        return frame

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return jsonable(
            {
                "mediator": self.mediator,
                "outcome": self.outcome,
                "n": self.n,
                "n_boot": self.n_boot,
                "unit": "per_sd",
                "drivers": self.to_frame().to_dict(orient="records"),
            }
        )


def mediation_from_moments(
    full: Moments,
    boot: Moments | None,
    names: list[str],
    x_idx: list[int],
    m_idx: int,
    y_idx: int,
    mediator: str,
    outcome: str,
    n: int,
) -> MediationResult:
    """Compute mediation effects and their bootstrap intervals from precomputed moments.

    Parameters
    ----------
    full : Moments
        Moments of the analysed sample.
    boot : Moments or None
        Moments of the bootstrap resamples.
    names : list of str
        Driver names matching ``x_idx``.
    x_idx, m_idx, y_idx : list of int, int, int
        Positions of drivers, mediator and outcome.
    mediator, outcome : str
        Names, for the result.
    n : int
        Sample size.

    Returns
    -------
    MediationResult
    """
    sd_x = np.sqrt(np.diag(full.cov)[x_idx])
    effects = path_coefficients(full.cov, x_idx, m_idx, y_idx, sd_x)
    low: dict[str, np.ndarray] = {}
    high: dict[str, np.ndarray] = {}
    n_boot = 0
    if boot is not None and len(boot.cov):
        draws = path_coefficients(boot.cov, x_idx, m_idx, y_idx, sd_x)
        valid = np.all(np.isfinite(draws["total"]), axis=1)
        n_boot = int(valid.sum())
        for name, values in draws.items():
            low[name], high[name] = percentile_ci(values[valid])
    return MediationResult(list(names), mediator, outcome, effects, low, high, sd_x, n, n_boot)


def mediate(
    X: np.ndarray,
    m: np.ndarray,
    y: np.ndarray,
    names: list[str],
    mediator: str = "m",
    outcome: str = "y",
    bootstrap: int = 1000,
    seed: int = 0,
) -> MediationResult:
    """Mediation analysis on arrays: drivers ``X``, mediator ``m``, outcome ``y``.

    Parameters
    ----------
    X : numpy.ndarray
        Drivers, shape ``(n, k)``.
    m, y : numpy.ndarray
        Mediator and outcome, shape ``(n,)``.
    names : list of str
        Driver names.
    mediator, outcome : str
        Names, for the result.
    bootstrap : int
        Bootstrap replicates (0 for none).
    seed : int
        Random seed.

    Returns
    -------
    MediationResult
    """
    data = np.column_stack([np.asarray(X, dtype=float), m, y])
    k = data.shape[1] - 2
    boot = bootstrap_moments(data, bootstrap, seed) if bootstrap else None
    return mediation_from_moments(
        sample_moments(data), boot, names, list(range(k)), k, k + 1, mediator, outcome, len(data)
    )
