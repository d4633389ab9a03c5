"""Truth on the observed scale, measured on a very large generated population.

Rounding and clipping the latent values onto a 1-5 (or 1-7, 1-10) scale
attenuates the slopes, so a regression on the survey items does not recover the
latent betas exactly. To give users a fair target, we draw a large population
with the same model and seed and fit the same regressions on its items.
"""

from __future__ import annotations

from itertools import combinations
from math import factorial
from typing import Any

import numpy as np

from loyalty.schema import DRIVERS, RECOMMEND, TRUST
from loyalty.synth.latent import RATED_ITEMS, draw_latent, observed_items
from loyalty.synth.streams import stream


def ols(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Fit ordinary least squares with an intercept.

    Parameters
    ----------
    x : numpy.ndarray
        Regressors, shape ``(n, k)``.
    y : numpy.ndarray
        Outcome, shape ``(n,)``.

    Returns
    -------
    dict
        ``intercept``, ``coefficients`` (length k), ``std_errors`` (classical, length k) and ``r2``.
    """
    design = np.column_stack([np.ones(len(y)), x])
    params, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ params
    dof = len(y) - design.shape[1]
    sigma2 = float(resid @ resid) / dof
    cov = sigma2 * np.linalg.inv(design.T @ design)
    r2 = 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    return {
        "intercept": float(params[0]),
        "coefficients": params[1:],
        "std_errors": np.sqrt(np.diag(cov))[1:],
        "r2": r2,
    }


def _r2_subset(cov: np.ndarray, subset: tuple[int, ...]) -> float:
    """Return R² of the outcome (last index of ``cov``) on the regressors in ``subset``."""
    if not subset:
        return 0.0
    idx = list(subset)
    c_xy = cov[idx, -1]
    return float(c_xy @ np.linalg.solve(cov[np.ix_(idx, idx)], c_xy) / cov[-1, -1])


def lmg_shares(cov: np.ndarray) -> np.ndarray:
    """Return LMG (Shapley) shares of R², summing to 1, from a joint covariance matrix.

    Parameters
    ----------
    cov : numpy.ndarray
        Covariance of ``[x_1, ..., x_k, y]``, shape ``(k + 1, k + 1)``.

    Returns
    -------
    numpy.ndarray
        Each regressor's average R² gain over all orderings, divided by the full R².
    """
    k = cov.shape[0] - 1
    gains = np.zeros(k)
    for j in range(k):
        others = [i for i in range(k) if i != j]
        for size in range(k):
            weight = factorial(size) * factorial(k - size - 1) / factorial(k)
            for subset in combinations(others, size):
                gains[j] += weight * (_r2_subset(cov, (*subset, j)) - _r2_subset(cov, subset))
    return gains / gains.sum()


def _nps(scores: np.ndarray) -> float:
    """Return the Net Promoter Score (-100..100) of 0-10 answers."""
    return float(100.0 * ((scores >= 9).mean() - (scores <= 6).mean()))


def population_truth(profile: dict[str, Any], seed: int, name: str) -> dict[str, Any]:
    """Draw the large population and measure the observed-scale truth.

    Parameters
    ----------
    profile : dict
        Profile parameters (``population_draws`` gives the size).
    seed : int
        User seed; the population has its own stream under it.
    name : str
        Profile name, part of the stream key.

    Returns
    -------
    dict
        Raw numbers (numpy arrays allowed) used by :mod:`loyalty.synth.truth`.
    """
    n = int(profile["population_draws"])
    latent = draw_latent(profile, n, stream(seed, name, "population"))
    items = {k: v.astype(float) for k, v in observed_items(profile, latent).items()}
    x = np.column_stack([items[d] for d in DRIVERS])
    fit = ols(x, items[TRUST])
    joint = np.cov(np.column_stack([x, items[TRUST]]), rowvar=False)
    rec_fit = ols(np.column_stack([items[TRUST], x]), items[RECOMMEND])
    return {
        "n": n,
        "fit": fit,
        "lmg": lmg_shares(joint),
        "recommend_fit": rec_fit,
        "corr_trust_recommend": float(np.corrcoef(items[TRUST], items[RECOMMEND])[0, 1]),
        "corr_trust_repurchase": float(np.corrcoef(items[TRUST], items["repurchase_intent"])[0, 1]),
        "nps": _nps(items[RECOMMEND]),
        "item_means": {k: float(items[k].mean()) for k in (*RATED_ITEMS, RECOMMEND)},
        "driver_correlation_observed": float(
            np.corrcoef(x, rowvar=False)[np.triu_indices(len(DRIVERS), 1)].mean()
        ),
    }
