"""Per-customer CLV from a BG/NBD and a Gamma-Gamma fit, discounted step by step.

The horizon and the step are read in an explicit time unit and converted into
the model's unit; the discount factor of each step comes from the *annual* rate
and the step's length in days (1 year = 365.25 days). A 1-year horizon therefore
gives the same CLV from a daily and a weekly model, up to the discount timing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty.clv._optimize import unique_rows
from loyalty.clv.bgnbd import BGNBDFit
from loyalty.clv.gamma_gamma import GammaGammaFit
from loyalty.clv.summary import ATTRS_KEY
from loyalty.clv.units import DAYS_PER_YEAR, TimeUnit, convert, days_per_unit

PREDICTION_COLUMNS: tuple[str, ...] = ("p_alive", "expected_purchases", "expected_spend", "clv")


def step_ends(horizon: float, step: float) -> np.ndarray:
    """Return the end of each step in (0, horizon]; a shorter last step closes a non-multiple horizon."""
    n_full = int(np.floor(horizon / step + 1e-9))
    ends = step * np.arange(1, n_full + 1, dtype=float)
    if horizon - (ends[-1] if n_full else 0.0) > 1e-9 * max(horizon, 1.0):
        ends = np.append(ends, horizon)
    return ends


def discount_factors(ends: np.ndarray, time_unit: TimeUnit, annual_discount_rate: float) -> np.ndarray:
    """Return 1/(1+d)^years for step ends given in ``time_unit``."""
    years = ends * days_per_unit(time_unit) / DAYS_PER_YEAR
    return (1.0 + annual_discount_rate) ** -years


def _purchases_if_alive(
    bgnbd: BGNBDFit, x: np.ndarray, T: np.ndarray, ends: np.ndarray, factors: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return E[Y(horizon) | alive] and Σ_k factor_k · ΔE[Y | alive] over the steps, per customer.

    The hypergeometric part is evaluated once per distinct (x, T) and step, not per customer.
    """
    (ux, uT), _, inverse = unique_rows(x, T)
    cumulative = bgnbd.expected_purchases_if_alive(ends[None, :], ux[:, None], uT[:, None])
    increments = np.diff(cumulative, axis=1, prepend=0.0)
    # einsum, not @: multi-threaded BLAS is erratic under CPU contention (see _optimize.wsum).
    discounted = np.einsum("ij,j->i", increments, factors)
    return cumulative[:, -1][inverse], discounted[inverse]


def predict_clv(
    bgnbd: BGNBDFit,
    gg: GammaGammaFit | None,
    summary: pd.DataFrame,
    *,
    horizon: float,
    time_unit: TimeUnit,
    annual_discount_rate: float = 0.10,
    margin: float = 1.0,
    step: float = 1,
) -> pd.DataFrame:
    """Predict P(alive), purchases, spend and discounted CLV per customer.

    Parameters
    ----------
    bgnbd : BGNBDFit
        Purchase model; the summary must be in its time unit.
    gg : GammaGammaFit or None
        Spend model; without a usable one, ``expected_spend`` and ``clv`` are NaN.
    summary : pd.DataFrame
        ``frequency``, ``recency``, ``T``, ``monetary_value`` per customer.
    horizon : float
        How far ahead, in ``time_unit``.
    time_unit : {"day", "week", "month"}
        Unit of ``horizon`` and ``step`` (need not be the model's unit).
    annual_discount_rate : float
        Yearly discount rate, e.g. 0.10.
    margin : float
        Gross margin applied to revenue (1.0 = revenue CLV).
    step : float
        Discounting step, in ``time_unit``.

    Returns
    -------
    pd.DataFrame
        Index as ``summary``; columns ``p_alive``, ``expected_purchases`` (in the
        horizon, undiscounted), ``expected_spend`` (per purchase) and ``clv``
        (margin × spend × discounted purchases).
    """
    if horizon <= 0 or step <= 0:
        raise ValueError("horizon and step must be positive")
    summary_unit = summary.attrs.get(ATTRS_KEY, {}).get("time_unit", bgnbd.time_unit)
    if summary_unit != bgnbd.time_unit:
        raise ValueError(f"summary is in {summary_unit!r} but the model in {bgnbd.time_unit!r}")
    model_horizon = convert(horizon, time_unit, bgnbd.time_unit)
    ends = step_ends(model_horizon, convert(step, time_unit, bgnbd.time_unit))
    factors = discount_factors(ends, bgnbd.time_unit, annual_discount_rate)

    x = summary["frequency"].to_numpy(float)
    t_x = summary["recency"].to_numpy(float)
    T = summary["T"].to_numpy(float)
    p_alive = bgnbd.p_alive(x, t_x, T)
    if_alive, discounted_if_alive = _purchases_if_alive(bgnbd, x, T, ends, factors)
    expected, discounted = p_alive * if_alive, p_alive * discounted_if_alive
    if gg is not None and gg.usable:
        spend = gg.conditional_expected_spend(x, summary["monetary_value"].to_numpy(float))
    else:
        spend = np.full(x.size, np.nan)
    return pd.DataFrame(
        {
            "p_alive": p_alive,
            "expected_purchases": expected,
            "expected_spend": spend,
            "clv": margin * spend * discounted,
        },
        index=summary.index,
    )
