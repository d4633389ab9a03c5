"""Explicit time units for the BTYD models.

Every duration the CLV engine reads or writes is in one of these units, stated
by the caller. A month is a twelfth of a Julian year (365.25/12 days), never a
hard-coded 30 days, so that a horizon and a discount rate mean the same thing
whatever unit the model was fitted in.
"""

from __future__ import annotations

from typing import Literal, get_args

TimeUnit = Literal["day", "week", "month"]
TIME_UNITS: tuple[str, ...] = get_args(TimeUnit)

DAYS_PER_YEAR = 365.25
_DAYS_PER_UNIT: dict[str, float] = {"day": 1.0, "week": 7.0, "month": DAYS_PER_YEAR / 12.0}


def days_per_unit(time_unit: str) -> float:
    """Return the length of one ``time_unit`` in days.

    Parameters
    ----------
    time_unit : {"day", "week", "month"}
        The unit.

    Returns
    -------
    float
        1, 7 or 30.4375.

    Raises
    ------
    ValueError
        For any other unit (a programming error, not a data problem).
    """
    try:
        return _DAYS_PER_UNIT[time_unit]
    except KeyError:
        raise ValueError(f"time_unit must be one of {TIME_UNITS}, not {time_unit!r}") from None


def units_per_year(time_unit: str) -> float:
    """Return how many ``time_unit`` make one year of 365.25 days (52.18 weeks, 12 months)."""
    return DAYS_PER_YEAR / days_per_unit(time_unit)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a duration between units, e.g. ``convert(1, "week", "day") == 7``."""
    return value * days_per_unit(from_unit) / days_per_unit(to_unit)
