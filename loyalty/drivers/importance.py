"""Relative importance of drivers: Shapley/LMG shares of R² and Johnson's relative weights.

LMG (Lindeman, Merenda & Gold; the Shapley value of R²) averages each driver's
gain in R² over all orders of entering the model. It needs the R² of all 2^k
driver subsets; each is ``r' R⁻¹ r`` from the correlation matrix, so no model
is refitted. Subsets of the same size are solved together, and bootstrap
replicates are solved together, so a bootstrap of B replicates costs k batched
linear solves.

Shares are percentages of the full model's R² and sum to 100. They are never
negative; the ``sign`` of the driver's full-model coefficient says in which
direction it works.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from math import factorial
from typing import Any

import numpy as np
import pandas as pd

from loyalty.drivers._util import jsonable, percentile_ci, solve_vectors
from loyalty.drivers.resample import Moments, bootstrap_moments, sample_moments
from loyalty.errors import InputError

#: 2^15 subsets is ~0.5 s per model at n = 5,000 (REFERENCE §3); beyond that LMG is impractical.
MAX_DRIVERS = 15
#: Bound on (replicates x subsets) solved at once, to keep memory flat for large k.
_MAX_R2_CELLS = 2_000_000


@lru_cache(maxsize=32)
def _subsets(k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return, per subset size s >= 1, the subsets as (combinations (C, s), bitmasks (C,))."""
    out = []
    for size in range(1, k + 1):
        combos = np.array(list(combinations(range(k), size)), dtype=int)
        out.append((combos, (1 << combos).sum(axis=1)))
    return out


@lru_cache(maxsize=32)
def lmg_weights(k: int) -> np.ndarray:
    """Return the (2^k, k) matrix W with ``lmg = R2_of_all_subsets @ W``.

    Driver j's LMG is sum over subsets T of the other drivers of
    ``|T|! (k - |T| - 1)! / k!`` times ``R2(T + j) - R2(T)``. Row ``mask`` of W
    holds the weight with which ``R2(mask)`` enters each driver's sum.
    """
    weight = np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)])
    masks = np.arange(2**k)
    size = np.array([bin(m).count("1") for m in masks])
    inside = (masks[:, None] >> np.arange(k)) & 1 == 1
    plus = np.where(inside, weight[np.clip(size - 1, 0, k - 1)][:, None], 0.0)
    minus = np.where(~inside & (size < k)[:, None], weight[np.clip(size, 0, k - 1)][:, None], 0.0)
    return plus - minus


def subset_r2(corr: np.ndarray, x_idx: list[int], y_idx: int) -> np.ndarray:
    """Return R² of every subset of the predictors, indexed by bitmask.

    Parameters
    ----------
    corr : numpy.ndarray
        Correlation matrices, shape ``(B, p, p)``.
    x_idx : list of int
        Positions of the k predictors in ``corr``.
    y_idx : int
        Position of the outcome.

    Returns
    -------
    numpy.ndarray
        Shape ``(B, 2^k)``; column ``mask`` is the R² of the predictors whose
        bits are set (column 0, the empty model, is 0).
    """
    x_idx = np.asarray(x_idx)
    r2 = np.zeros((corr.shape[0], 2 ** len(x_idx)))
    for combos, masks in _subsets(len(x_idx)):
        cols = x_idx[combos]
        r_xx = corr[:, cols[:, :, None], cols[:, None, :]]
        r_xy = corr[:, y_idx, cols]
        r2[:, masks] = np.sum(r_xy * solve_vectors(r_xx, r_xy), axis=-1)
    return r2


def lmg(corr: np.ndarray, x_idx: list[int], y_idx: int) -> np.ndarray:
    """Return each predictor's LMG share of R² (in R² units, summing to the full R²).

    Parameters
    ----------
    corr : numpy.ndarray
        One correlation matrix ``(p, p)`` or a stack ``(B, p, p)``.
    x_idx : list of int
        Positions of the predictors.
    y_idx : int
        Position of the outcome.

    Returns
    -------
    numpy.ndarray
        Shape ``(k,)`` or ``(B, k)``.
    """
    k = len(x_idx)
    if k > MAX_DRIVERS:
        raise InputError("drivers.error.too_many_drivers", k=k, max=MAX_DRIVERS)
    stack = corr[None] if corr.ndim == 2 else corr
    weights = lmg_weights(k)
    chunk = max(1, _MAX_R2_CELLS // 2**k)
    out = np.concatenate(
        [subset_r2(stack[i : i + chunk], x_idx, y_idx) @ weights for i in range(0, len(stack), chunk)]
    )
    return out[0] if corr.ndim == 2 else out


def relative_weights(corr: np.ndarray, x_idx: list[int], y_idx: int) -> np.ndarray:
    """Return Johnson's (2000) relative weights (in R² units, summing to the full R²).

    The predictors are replaced by their closest orthogonal counterparts
    Z = X R^(-1/2); the weight of predictor j is ``sum_m (R^(1/2))_jm² beta_m²``
    where beta regresses the outcome on Z.

    Parameters
    ----------
    corr : numpy.ndarray
        Correlation matrix ``(p, p)``.
    x_idx : list of int
        Positions of the predictors.
    y_idx : int
        Position of the outcome.

    Returns
    -------
    numpy.ndarray
        Shape ``(k,)``.
    """
    r_xx = corr[np.ix_(x_idx, x_idx)]
    r_xy = corr[x_idx, y_idx]
    values, vectors = np.linalg.eigh(r_xx)
    root = vectors @ np.diag(np.sqrt(np.clip(values, 0, None))) @ vectors.T
    beta = np.linalg.lstsq(root, r_xy, rcond=None)[0]
    return (root**2) @ (beta**2)


def standardized_betas(corr: np.ndarray, x_idx: list[int], y_idx: int) -> np.ndarray:
    """Return the standardised regression coefficients ``R_xx⁻¹ r_xy`` (batched)."""
    x_idx = np.asarray(x_idx)
    stack = corr[None] if corr.ndim == 2 else corr
    out = solve_vectors(stack[:, x_idx[:, None], x_idx[None, :]], stack[:, y_idx, x_idx])
    return out[0] if corr.ndim == 2 else out


@dataclass
class Importance:
    """Relative importance of predictors for one target.

    Parameters
    ----------
    target : str
        Name of the explained variable (e.g. ``trust``).
    drivers : list of str
        Predictor names, in model order.
    r2 : float
        R² of the full model.
    share : numpy.ndarray
        LMG share of R² per driver, in percent (sums to 100).
    sign : numpy.ndarray
        +1 or -1: sign of the driver's full-model coefficient.
    relative_weight : numpy.ndarray
        Johnson's relative weights as percent of R².
    ci_low, ci_high : numpy.ndarray or None
        95% bootstrap percentile interval of ``share`` (None without bootstrap).
    p_top : numpy.ndarray or None
        Share of bootstrap replicates in which the driver has the largest share.
    n : int
        Respondents used.
    n_boot : int
        Bootstrap replicates (0 = none).
    """

    target: str
    drivers: list[str]
    r2: float
    share: np.ndarray
    sign: np.ndarray
    relative_weight: np.ndarray
    ci_low: np.ndarray | None = None
    ci_high: np.ndarray | None = None
    p_top: np.ndarray | None = None
    n: int = 0
    n_boot: int = 0

    @property
    def signed_share(self) -> np.ndarray:
        """Share carrying the direction of the effect (negative for a harmful driver)."""
        return self.share * self.sign

    def ranking(self) -> list[str]:
        """Return the drivers from most to least important."""
        return [self.drivers[i] for i in np.argsort(-self.share, kind="stable")]

    def to_frame(self) -> pd.DataFrame:
        """Return one row per driver, most important first."""
        frame = pd.DataFrame(
            {
                "driver": self.drivers,
                "share": self.share,
                "signed_share": self.signed_share,
                "sign": self.sign.astype(int),
                "ci_low": self.ci_low if self.ci_low is not None else np.nan,
                "ci_high": self.ci_high if self.ci_high is not None else np.nan,
                "p_top": self.p_top if self.p_top is not None else np.nan,
                "relative_weight": self.relative_weight,
            }
        )
        return frame.sort_values("share", ascending=False, kind="stable").reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return jsonable(
            {
                "target": self.target,
                "r2": self.r2,
                "n": self.n,
                "n_boot": self.n_boot,
                "ranking": self.ranking(),
                "drivers": self.to_frame().to_dict(orient="records"),
            }
        )


def importance_from_moments(
    full: Moments, boot: Moments | None, names: list[str], x_idx: list[int], y_idx: int, target: str, n: int
) -> Importance:
    """Compute LMG shares, relative weights and bootstrap summaries from precomputed moments.

    Parameters
    ----------
    full : Moments
        Moments of the analysed sample.
    boot : Moments or None
        Moments of the bootstrap resamples, or None for no intervals.
    names : list of str
        Predictor names, matching ``x_idx``.
    x_idx : list of int
        Positions of the predictors in the moment matrices.
    y_idx : int
        Position of the target.
    target : str
        Target name.
    n : int
        Sample size.

    Returns
    -------
    Importance
    """
    corr = full.corr()
    parts = lmg(corr, x_idx, y_idx)
    r2 = float(parts.sum())
    weights = relative_weights(corr, x_idx, y_idx)
    sign = np.where(standardized_betas(corr, x_idx, y_idx) < 0, -1, 1)
    result = Importance(
        target=target,
        drivers=list(names),
        r2=r2,
        share=100 * parts / r2,
        sign=sign,
        relative_weight=100 * weights / weights.sum(),
        n=n,
    )
    if boot is not None and len(boot.cov):
        boot_parts = lmg(boot.corr(), x_idx, y_idx)
        valid = np.all(np.isfinite(boot_parts), axis=1)
        boot_share = 100 * boot_parts[valid] / boot_parts[valid].sum(axis=1, keepdims=True)
        result.ci_low, result.ci_high = percentile_ci(boot_share)
        result.p_top = np.bincount(np.argmax(boot_share, axis=1), minlength=len(names)) / max(valid.sum(), 1)
        result.n_boot = int(valid.sum())
    return result


def relative_importance(
    X: np.ndarray, y: np.ndarray, names: list[str], target: str = "y", bootstrap: int = 1000, seed: int = 0
) -> Importance:
    """Relative importance of the columns of ``X`` for ``y``, with bootstrap intervals.

    Parameters
    ----------
    X : numpy.ndarray
        Predictors, shape ``(n, k)``, no missing values.
    y : numpy.ndarray
        Target, shape ``(n,)``.
    names : list of str
        Predictor names.
    target : str
        Target name, for the result.
    bootstrap : int
        Bootstrap replicates (0 for none).
    seed : int
        Random seed.

    Returns
    -------
    Importance
    """
    data = np.column_stack([np.asarray(X, dtype=float), np.asarray(y, dtype=float)])
    k = data.shape[1] - 1
    boot = bootstrap_moments(data, bootstrap, seed) if bootstrap else None
    return importance_from_moments(sample_moments(data), boot, names, list(range(k)), k, target, len(data))
