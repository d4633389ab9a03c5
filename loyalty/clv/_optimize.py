"""Shared maximum-likelihood helpers: aggregation of identical rows and a guarded optimiser."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.optimize import OptimizeResult, minimize

from loyalty.clv.settings import settings

Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]


def aggregate_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Collapse identical rows of the given columns into unique rows with counts.

    Customers with the same (x, t_x, T) contribute the same likelihood term, so
    fitting on the unique rows weighted by their counts gives the same optimum far
    faster (CDNOW: 2,357 customers, 1,016 unique rows; big shops compress more).

    Returns
    -------
    tuple
        (list of unique columns, counts).
    """
    stacked = np.column_stack([np.asarray(c, dtype=float) for c in columns])
    unique, counts = np.unique(stacked, axis=0, return_counts=True)
    return [unique[:, i] for i in range(unique.shape[1])], counts.astype(float)


def wsum(weights: np.ndarray, values: np.ndarray) -> float:
    """Return Σ weights·values without BLAS.

    ``weights @ values`` goes through multi-threaded OpenBLAS, which under CPU
    contention was measured 300× slower (12 ms vs 0.04 ms for 80k rows); einsum
    stays single-threaded and fast.
    """
    return float(np.einsum("i,i->", weights, values))


def _gradient_small(objective: Objective, x: np.ndarray, bound: float) -> bool:
    """True when the projected gradient is ~0, i.e. a genuine (possibly boundary) optimum."""
    _, grad = objective(x)
    free = np.abs(x) < bound - 1e-6
    return bool(np.all(np.isfinite(grad)) and np.max(np.abs(grad[free]), initial=0.0) < 1e-4)


def minimise(objective: Objective, starts: Sequence[np.ndarray]) -> tuple[OptimizeResult, bool]:
    """Minimise a mean negative log-likelihood over bounded log-parameters.

    Tries L-BFGS-B (analytic gradient) from each start in turn; between starts a
    Nelder-Mead pass (no gradient) escapes regions where the line search stalls.

    Parameters
    ----------
    objective : callable
        ``f(log_params) -> (value, gradient)``; value is the mean negative LL.
    starts : sequence of arrays
        Starting log-parameters, best guess first.

    Returns
    -------
    tuple
        (best result, converged flag).
    """
    bound = float(settings()["log_param_bound"])
    bounds = [(-bound, bound)] * len(starts[0])
    best: OptimizeResult | None = None
    res: OptimizeResult | None = None
    for start in starts:
        candidates = [np.clip(np.asarray(start, dtype=float), -bound, bound)]
        if best is not None:
            nm = minimize(
                lambda v: objective(v)[0],
                candidates[0],
                method="Nelder-Mead",
                bounds=bounds,
                options={"maxiter": 4000, "xatol": 1e-7, "fatol": 1e-10},
            )
            candidates.append(nm.x)
        for x0 in candidates:
            res = minimize(
                objective,
                x0,
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-8},
            )
            if np.isfinite(res.fun) and (best is None or res.fun < best.fun):
                best = res
        if best is not None and (best.success or _gradient_small(objective, best.x, bound)):
            return best, True
    if best is None:  # the likelihood was never finite: report the last attempt, unconverged
        return res, False
    return best, bool(best.success or _gradient_small(objective, best.x, bound))


def at_bound(log_params: np.ndarray, margin: float = 1.0) -> np.ndarray:
    """Mask of log-parameters within ``margin`` of the optimiser's bounds (a → 0, b → ∞ ...)."""
    bound = float(settings()["log_param_bound"])
    return np.abs(np.asarray(log_params)) > bound - margin
