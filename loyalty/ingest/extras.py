"""Decide what happens to the columns no canonical field uses.

Kept: low-cardinality text as segments (channel, region, store, B2B/B2C) and
numeric columns as floats (survey items such as ``comp_1``, used later for
multi-item scales). Dropped, with a warning: keys (``Id``, ``Payment ID``: many
distinct values), free text and dates nobody mapped, and empty columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loyalty.ingest.mapping import normalize_header
from loyalty.ingest.profile import ColumnProfile

#: Most distinct values a segment column may have.
MAX_SEGMENT_VALUES = 50
_ID_TOKENS = {
    "id",
    "nr",
    "no",
    "number",
    "nummer",
    "numer",
    "code",
    "kod",
    "sku",
    "ean",
    "ref",
    "reference",
    "uuid",
    "key",
    "token",
    "guid",
}


@dataclass
class ExtraColumns:
    """What to do with each unmapped, non-personal column."""

    segments: list[str] = field(default_factory=list)
    numeric: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)


def is_id_like_header(header: str) -> bool:
    """Whether a header names a key (``Id``, ``Payment ID``, ``Ordernummer``, ``SKU``)."""
    tokens = normalize_header(header).split(" ")
    last = tokens[-1] if tokens else ""
    return last in _ID_TOKENS or last.endswith("nummer") or last.endswith("nr")


def classify_extras(
    columns: list[str], profiles: dict[str, ColumnProfile], frame: pd.DataFrame
) -> ExtraColumns:
    """Sort unmapped, non-personal columns into segments, numeric, unused and empty.

    Parameters
    ----------
    columns : list of str
        The columns to classify, in file order.
    profiles : dict
        Their content profiles (from a sample).
    frame : pandas.DataFrame
        The raw table: a segment's distinct values are counted over all rows.

    Returns
    -------
    ExtraColumns
        The four lists.
    """
    out = ExtraColumns()
    for col in columns:
        prof = profiles[col]
        if prof.filled == 0:
            out.empty.append(col)
        elif _is_key(col, prof):
            out.unused.append(col)
        elif prof.numeric >= 0.95 and prof.date < 0.8:
            out.numeric.append(col)
        elif _is_segment(prof) and frame[col].nunique() <= MAX_SEGMENT_VALUES:
            out.segments.append(col)
        else:
            out.unused.append(col)
    return out


def _is_key(col: str, prof: ColumnProfile) -> bool:
    """Many distinct values that identify rows: useless for analysis, maybe sensitive."""
    mostly_unique = prof.distinct_ratio >= 0.9
    if is_id_like_header(col):
        return mostly_unique or prof.distinct > MAX_SEGMENT_VALUES
    return mostly_unique and prof.distinct > 20 and prof.decimals == 0


def _is_segment(prof: ColumnProfile) -> bool:
    if prof.distinct > MAX_SEGMENT_VALUES or prof.date >= 0.8:
        return False
    return prof.distinct_ratio <= 0.5 or (prof.nonempty < 30 and prof.mean_length <= 25)
