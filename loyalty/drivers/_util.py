"""Small helpers shared by the driver modules: JSON conversion, labels, thresholds."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from loyalty.i18n import has_key, t


def jsonable(value: Any) -> Any:
    """Convert numpy scalars/arrays, tuples and NaN into plain JSON values.

    Parameters
    ----------
    value : Any
        A nested structure of dicts, lists, numbers and arrays.

    Returns
    -------
    Any
        The same structure with lists, floats, ints, str and None only
        (NaN and infinities become None, because JSON has no NaN).
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else number
    return value


def label(name: str, lang: str = "en") -> str:
    """Return the display name of a variable: its field label when known, else the name itself.

    Parameters
    ----------
    name : str
        Canonical column or composite name (``service``, ``COMP``).
    lang : str
        Language of the label.

    Returns
    -------
    str
        Translated field label, or ``name`` for user-defined composites.
    """
    key = f"field.{name}"
    return t(key, lang) if has_key(key) else name


@lru_cache(maxsize=1)
def thresholds() -> dict[str, Any]:
    """Return the warning thresholds and the small-sample table (``thresholds.json``)."""
    text = (resources.files(__package__) / "thresholds.json").read_text(encoding="utf-8")
    return json.loads(text)


def percentile_ci(draws: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Return percentile bootstrap limits along the first axis, ignoring failed (NaN) replicates.

    Parameters
    ----------
    draws : numpy.ndarray
        Bootstrap replicates, shape ``(B, ...)``.
    level : float
        Coverage of the interval.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper limits, shape ``draws.shape[1:]``.
    """
    tail = 100 * (1 - level) / 2
    low, high = np.nanpercentile(draws, [tail, 100 - tail], axis=0)
    return low, high


def solve_vectors(matrix: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Batched ``matrix⁻¹ rhs`` for vectors; pseudo-inverse when a matrix is singular.

    Parameters
    ----------
    matrix : numpy.ndarray
        Shape ``(..., m, m)``.
    rhs : numpy.ndarray
        Shape ``(..., m)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., m)``.
    """
    try:
        return np.linalg.solve(matrix, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        # A degenerate resample (e.g. a constant column) must not sink the whole batch.
        return (np.linalg.pinv(matrix) @ rhs[..., None])[..., 0]
