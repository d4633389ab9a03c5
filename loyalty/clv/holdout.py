"""Holdout validation of a BG/NBD fit, as in Fader, Hardie & Lee (2005), figures 2-4.

Two views: mean repeat purchases in the holdout window per calibration frequency
group (predicted E[Y(t*) | x, t_x, T] vs actual), and cumulative repeat purchases
over calibration + holdout, predicted as the cohort sum Σ_s n_s E[X(t − s)] over
the first-purchase days s (n_s customers each).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loyalty.clv.bgnbd import BGNBDFit
from loyalty.clv.settings import settings
from loyalty.clv.summary import ATTRS_KEY, day_number_to_timestamp, to_day_number
from loyalty.clv.units import TimeUnit, days_per_unit


@dataclass(frozen=True)
class HoldoutCheck:
    """Predicted vs actual repeat purchases outside the calibration window.

    Parameters
    ----------
    by_frequency : pd.DataFrame
        One row per calibration frequency group (``0`` … ``7+``): ``group``,
        ``n_customers``, ``actual`` and ``predicted`` mean holdout repeat purchases.
    cumulative : pd.DataFrame or None
        ``date``, ``actual``, ``predicted`` cumulative repeat purchases of the
        calibration customers, one row per tracking period; None when the summary
        carries no daily repeat counts.
    calibration_end, observation_end : pd.Timestamp
        The two window ends (inclusive days).
    actual_total, predicted_total : float
        Repeat purchases in the holdout window, summed over customers.
    """

    by_frequency: pd.DataFrame
    cumulative: pd.DataFrame | None
    calibration_end: pd.Timestamp
    observation_end: pd.Timestamp
    actual_total: float
    predicted_total: float

    def to_dict(self) -> dict:
        """Return plain JSON-ready values (frames as lists of records, dates as ISO text)."""
        cumulative = None
        if self.cumulative is not None:
            cumulative = self.cumulative.assign(date=self.cumulative["date"].dt.strftime("%Y-%m-%d"))
            cumulative = cumulative.to_dict("records")
        return {
            "by_frequency": self.by_frequency.to_dict("records"),
            "cumulative": cumulative,
            "calibration_end": self.calibration_end.strftime("%Y-%m-%d"),
            "observation_end": self.observation_end.strftime("%Y-%m-%d"),
            "actual_total": float(self.actual_total),
            "predicted_total": float(self.predicted_total),
        }


def _by_frequency(summary: pd.DataFrame, predicted: np.ndarray) -> pd.DataFrame:
    """Mean actual vs predicted holdout purchases per frequency group, the last one open (7+)."""
    top = int(settings()["frequency_groups"])
    group = np.minimum(summary["frequency"].to_numpy(), top)
    frame = pd.DataFrame(
        {"g": group, "actual": summary["frequency_holdout"].to_numpy(float), "predicted": predicted}
    )
    out = (
        frame.groupby("g")
        .agg(n_customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean"))
        .reset_index()
    )
    out.insert(0, "group", [f"{g}+" if g == top else str(g) for g in out.pop("g")])
    return out


def _tracking_points(n_days: int, tracking_unit: TimeUnit) -> np.ndarray:
    """Day offsets (0-based, inclusive) at which the cumulative curve is reported."""
    period = max(int(round(days_per_unit(tracking_unit))), 1)
    points = np.arange(period - 1, n_days, period)
    return points if points.size and points[-1] == n_days - 1 else np.append(points, n_days - 1)


def cumulative_tracking(
    bgnbd: BGNBDFit, summary: pd.DataFrame, tracking_unit: TimeUnit = "week"
) -> pd.DataFrame:
    """Return cumulative repeat purchases, actual vs predicted, per tracking period.

    Parameters
    ----------
    bgnbd : BGNBDFit
        The fitted model.
    summary : pd.DataFrame
        A summary whose ``attrs["clv"]`` holds the windows and daily repeat counts.
    tracking_unit : {"day", "week", "month"}
        Spacing of the returned points.

    Returns
    -------
    pd.DataFrame
        ``date`` (end of the period), ``actual``, ``predicted``.
    """
    meta = summary.attrs[ATTRS_KEY]
    cal_end, obs_end = to_day_number(meta["calibration_end"]), to_day_number(meta["observation_end"])
    unit_days = days_per_unit(bgnbd.time_unit)
    first = cal_end - np.rint(summary["T"].to_numpy(float) * unit_days).astype(np.int64)
    origin = int(first.min())
    n_days = obs_end - origin + 1
    cohort_sizes = np.bincount(first - origin, minlength=n_days).astype(float)
    # E[X(t)] depends only on the time since the first purchase: the cohort sum is a convolution.
    ex = bgnbd.expected_purchases_unconditional(np.arange(n_days) / unit_days)
    predicted = np.convolve(cohort_sizes, ex)[:n_days]
    repeats = meta["repeat_occasions_by_day"]
    offsets = np.array([to_day_number(d) for d in repeats.index], dtype=np.int64) - origin
    actual = np.cumsum(np.bincount(offsets, weights=repeats.to_numpy(float), minlength=n_days)[:n_days])
    points = _tracking_points(n_days, tracking_unit)
    return pd.DataFrame(
        {
            "date": day_number_to_timestamp(origin + points),
            "actual": actual[points],
            "predicted": predicted[points],
        }
    )


def holdout_check(
    bgnbd: BGNBDFit,
    summary: pd.DataFrame,
    *,
    tracking_unit: TimeUnit = "week",
) -> HoldoutCheck:
    """Compare a fit's predictions with what happened in the holdout window.

    Parameters
    ----------
    bgnbd : BGNBDFit
        Fitted on the summary's calibration columns.
    summary : pd.DataFrame
        Built with ``calibration_end < observation_end`` (has the holdout columns).
        The cumulative curve needs its ``attrs["clv"]``; it describes all the
        summarised customers, so build the summary from the transactions of the
        customers you want rather than filtering it afterwards.
    tracking_unit : {"day", "week", "month"}
        Spacing of the cumulative curve.

    Returns
    -------
    HoldoutCheck
        Per-group and cumulative comparisons.

    Raises
    ------
    ValueError
        When the summary has no holdout window.
    """
    if "frequency_holdout" not in summary.columns:
        raise ValueError("summary has no holdout window (calibration_end == observation_end)")
    predicted = bgnbd.expected_purchases(
        summary["duration_holdout"].to_numpy(float), summary["frequency"], summary["recency"], summary["T"]
    )
    meta = summary.attrs.get(ATTRS_KEY)
    cumulative = cumulative_tracking(bgnbd, summary, tracking_unit) if meta is not None else None
    return HoldoutCheck(
        by_frequency=_by_frequency(summary, predicted),
        cumulative=cumulative,
        calibration_end=pd.Timestamp(meta["calibration_end"]) if meta else pd.NaT,
        observation_end=pd.Timestamp(meta["observation_end"]) if meta else pd.NaT,
        actual_total=float(summary["frequency_holdout"].sum()),
        predicted_total=float(np.sum(predicted)),
    )
