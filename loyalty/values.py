"""Small value helpers shared by the library: one definition of "a usable number"."""

from __future__ import annotations

import math
from typing import Any


def finite_or_none(value: Any) -> float | None:
    """Return ``value`` as a finite float, or None for None, NaN, infinity and anything non-numeric.

    Parameters
    ----------
    value : Any
        A number from a JSON snapshot, a frame cell or a widget.

    Returns
    -------
    float or None
        None where a KPI is missing rather than a NaN that would print as "nan".
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
