"""Which survey columns make up each analysed variable, and multi-item scales.

A *spec* maps a variable name to the item columns averaged into it::

    parse_spec("COMP=comp_1+comp_2+comp_3,LIKE=like_1")
    # {"COMP": ["comp_1", "comp_2", "comp_3"], "LIKE": ["like_1"]}

A bare name (``service``) is a single column analysed as it is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from loyalty.errors import InputError
from loyalty.schema import NPS_SCALE, RATING_SCALES, RECOMMEND

Spec = dict[str, list[str]]
SpecLike = str | Sequence[str] | Mapping[str, Sequence[str]]

_NAME = re.compile(r"^[\w.\- ]+$")


def parse_spec(text: str) -> Spec:
    """Parse ``"NAME=item1+item2,OTHER=item3,bare"`` into ``{name: [items]}``.

    Parameters
    ----------
    text : str
        Comma-separated entries; each is ``NAME=col+col+...`` or a bare column name.

    Returns
    -------
    dict of str to list of str
        Variable name -> item columns, in the order given.

    Raises
    ------
    InputError
        ``drivers.error.bad_spec`` for an empty entry, a bad name or a repeated name.
    """
    spec: Spec = {}
    for raw in str(text).split(","):
        entry = raw.strip()
        if not entry:
            raise InputError("drivers.error.bad_spec", spec=text)
        name, _, items_text = entry.partition("=")
        name = name.strip()
        items = [item.strip() for item in items_text.split("+")] if items_text else [name]
        if not _NAME.match(name) or not all(items) or name in spec:
            raise InputError("drivers.error.bad_spec", spec=text)
        spec[name] = items
    return spec


def normalize_spec(spec: SpecLike) -> Spec:
    """Accept a spec string, a list of column names or a mapping, and return a mapping.

    Parameters
    ----------
    spec : str, sequence of str or mapping
        ``"A=a1+a2,b"``, ``["service", "reputation"]`` or ``{"A": ["a1", "a2"]}``.

    Returns
    -------
    dict of str to list of str
        Variable name -> item columns.
    """
    if isinstance(spec, str):
        return parse_spec(spec)
    if isinstance(spec, Mapping):
        return {str(name): [str(c) for c in items] for name, items in spec.items()}
    names = [str(s) for s in spec]
    if len(set(names)) != len(names) or not names:
        raise InputError("drivers.error.bad_spec", spec=",".join(names))
    return {name: [name] for name in names}


def cronbach_alpha(items: pd.DataFrame) -> float | None:
    """Return Cronbach's alpha of a multi-item scale on its complete rows.

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the item sum).

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item, numeric.

    Returns
    -------
    float or None
        Alpha, None for a single item or when fewer than two complete rows exist.
    """
    complete = items.dropna()
    k = complete.shape[1]
    if k < 2 or len(complete) < 2:
        return None
    total_var = complete.sum(axis=1).var(ddof=1)
    if not total_var > 0:
        return None
    return float(k / (k - 1) * (1 - complete.var(ddof=1).sum() / total_var))


def numeric_columns(survey: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Return ``columns`` of ``survey`` as floats (unparseable cells become NaN).

    Raises
    ------
    InputError
        ``drivers.error.missing_column`` when a column is not in the survey.
    """
    missing = [c for c in columns if c not in survey.columns]
    if missing:
        raise InputError("drivers.error.missing_column", column=", ".join(missing))
    return pd.DataFrame(
        {c: pd.to_numeric(survey[c], errors="coerce").astype(float) for c in columns}, index=survey.index
    )


def build_scales(survey: pd.DataFrame, spec: SpecLike) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Average each variable's items into a composite score and report its reliability.

    A respondent's composite is the mean of their items, and NaN when any item is
    missing or not a number: the analysis then drops the respondent listwise and
    counts them under the scale's name, so a half-answered scale never passes as a
    full answer and no unreadable cell is lost without being counted.

    Parameters
    ----------
    survey : pandas.DataFrame
        Survey responses, one row per respondent.
    spec : str, sequence or mapping
        See :func:`normalize_spec`.

    Returns
    -------
    composites : pandas.DataFrame
        One column per variable, same index as ``survey``.
    reliability : dict
        Variable name -> ``{"items": [...], "alpha": float or None}``
        (Cronbach's alpha; None for single-item variables).
    """
    parsed = normalize_spec(spec)
    composites: dict[str, pd.Series] = {}
    reliability: dict[str, dict[str, Any]] = {}
    for name, items in parsed.items():
        values = numeric_columns(survey, items)
        composites[name] = values.mean(axis=1, skipna=False)
        reliability[name] = {"items": list(items), "alpha": cronbach_alpha(values)}
    return pd.DataFrame(composites, index=survey.index), reliability


def infer_scale(column: str, values: pd.Series) -> tuple[int, int]:
    """Guess the answer scale of a column from its values (first matching known scale).

    Parameters
    ----------
    column : str
        Column name; the recommend question is always 0-10.
    values : pandas.Series
        Observed answers.

    Returns
    -------
    tuple of int
        ``(low, high)``.
    """
    if column == RECOMMEND:
        return NPS_SCALE
    observed = values.dropna()
    if observed.empty:
        return RATING_SCALES[0]
    low, high = float(observed.min()), float(observed.max())
    for scale in RATING_SCALES:
        if scale[0] <= low and high <= scale[1]:
            return scale
    return math.floor(low), math.ceil(high)


def resolve_scales(
    survey: pd.DataFrame, spec: Spec, scales: Mapping[str, tuple[int, int]] | None
) -> dict[str, tuple[float, float]]:
    """Return the answer scale of each variable in ``spec``.

    A variable named in ``scales`` uses that scale; a composite otherwise spans
    its items' scales (given or inferred from the data).

    Parameters
    ----------
    survey : pandas.DataFrame
        Survey responses.
    spec : dict
        Variable name -> item columns.
    scales : mapping or None
        Known scales, column or variable name -> ``(low, high)``.

    Returns
    -------
    dict of str to tuple
        Variable name -> ``(low, high)``.
    """
    scales = dict(scales or {})
    resolved: dict[str, tuple[float, float]] = {}
    for name, items in spec.items():
        if name in scales:
            resolved[name] = tuple(scales[name])
            continue
        bounds = [
            tuple(scales[c]) if c in scales else infer_scale(c, pd.to_numeric(survey[c], errors="coerce"))
            for c in items
        ]
        resolved[name] = (float(np.min([b[0] for b in bounds])), float(np.max([b[1] for b in bounds])))
    return resolved
