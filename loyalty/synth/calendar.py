"""The observation window and its seasonal purchase intensity.

Purchases follow a Poisson process in *seasonal time*: a day's intensity is
its month weight times its weekday weight, scaled to average 1 over the window.
The cumulative intensity, in effective years, lets us draw event times by
inverting it, which is exact for a piecewise-constant intensity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

DAYS_PER_YEAR = 365.25
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class Calendar:
    """Daily grid of one profile's window.

    Parameters
    ----------
    start : numpy.datetime64
        First day of the window (day 0).
    days : int
        Number of days, the end day included.
    acquisition_days : int
        Number of days (from day 0) in which new customers arrive.
    weight : numpy.ndarray
        Relative purchase intensity of each day (mean 1).
    cumulative : numpy.ndarray
        Effective years elapsed at the start of each day, length ``days + 1``.
    """

    start: np.datetime64
    days: int
    acquisition_days: int
    weight: np.ndarray
    cumulative: np.ndarray


def build_calendar(profile: dict[str, Any]) -> Calendar:
    """Build the daily grid and intensity of a profile.

    Parameters
    ----------
    profile : dict
        Profile parameters (``period`` and ``seasonality`` blocks).

    Returns
    -------
    Calendar
        The window with its seasonal intensity.
    """
    period = profile["period"]
    start = np.datetime64(period["start"], "D")
    days = int((np.datetime64(period["end"], "D") - start).astype(int)) + 1
    acquisition_days = int((np.datetime64(period["acquisition_end"], "D") - start).astype(int)) + 1
    dates = start + np.arange(days)
    months = dates.astype("datetime64[M]").astype(int) % 12
    # 1970-01-01 was a Thursday: shift so that 0 means Monday.
    weekdays = (dates.astype(int) + 3) % 7
    season = profile["seasonality"]
    weight = np.asarray(season["month"])[months] * np.asarray(season["weekday"])[weekdays]
    weight = weight / weight.mean()
    cumulative = np.concatenate([[0.0], np.cumsum(weight)]) / DAYS_PER_YEAR
    return Calendar(start, days, acquisition_days, weight, cumulative)


def draw_days(calendar: Calendar, low: np.ndarray, high: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one day per entry from the seasonal intensity between day ``low`` and ``high``.

    Parameters
    ----------
    calendar : Calendar
        The window.
    low, high : numpy.ndarray
        Integer day bounds; the interval is ``[low, high)`` with ``high > low``.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        Integer day indices, each with probability proportional to the day's weight.
    """
    c_low, c_high = calendar.cumulative[low], calendar.cumulative[high]
    target = c_low + rng.random(len(low)) * (c_high - c_low)
    day = np.searchsorted(calendar.cumulative, target, side="right") - 1
    return np.clip(day, low, high - 1)


def draw_seconds(profile: dict[str, Any], size: int, rng: np.random.Generator) -> np.ndarray:
    """Draw times of day (seconds after midnight) from the profile's hourly profile.

    Parameters
    ----------
    profile : dict
        Profile parameters (``seasonality.hour``: 24 weights).
    size : int
        Number of draws.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        Integer seconds in ``[0, 86400)``.
    """
    hours = np.asarray(profile["seasonality"]["hour"], dtype=float)
    hour = rng.choice(24, size=size, p=hours / hours.sum())
    return hour * 3600 + rng.integers(0, 3600, size=size)
