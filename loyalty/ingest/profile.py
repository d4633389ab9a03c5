"""What a column's content looks like, from a sample of its cells.

Auto-mapping, privacy and the extra-column rules all ask the same questions
(is it numeric? dates? e-mail addresses? how many distinct values?), so the
answers are computed once per column here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loyalty.ingest.dates import detect_date_format, parse_dates
from loyalty.ingest.numbers import parse_numbers

_SAMPLE = 1000
EMAIL_RE = r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"
# International (+31 6 1234 5678, 0048...), Dutch (06-12345678, 020 123 4567)
# and Polish mobile (601 234 567) numbers; dates and amounts never match.
PHONE_RE = (
    r"(?:\+|00)\d[\d \-()/.]{7,18}\d"
    r"|0\d{1,3}[ \-]?\d{3}[ \-]?\d{2}[ \-]?\d{2,3}"
    r"|0\d{1,3}[ \-]\d{6,8}"
    r"|\d{3}[ \-]\d{3}[ \-]\d{3}"
)
ORDER_NUMBER_RE = r"#\s?\d+|[A-Za-z]{0,5}[-#]?\d{3,}"


@dataclass(frozen=True)
class ColumnProfile:
    """Shares (0..1) of the non-empty sampled cells with a property, plus counts.

    Parameters
    ----------
    filled : float
        Share of all rows that are non-empty.
    numeric : float
        Share that parse as numbers.
    integer_0_10 : float
        Share that are whole numbers from 0 to 10.
    decimals : float
        Share of numbers with a fractional part.
    date : float
        Share that parse as dates (Excel serials excluded).
    email, phone, order_number : float
        Shares matching those patterns.
    distinct : int
        Distinct values among the sampled cells.
    distinct_ratio : float
        ``distinct`` / sampled cells.
    mean_length : float
        Mean text length of the sampled cells.
    max_value : float
        Largest number (NaN when none).
    nonempty : int
        Non-empty rows in the whole column.
    """

    filled: float
    numeric: float
    integer_0_10: float
    decimals: float
    date: float
    email: float
    phone: float
    order_number: float
    distinct: int
    distinct_ratio: float
    mean_length: float
    max_value: float
    nonempty: int = 0


def sample_cells(series: pd.Series, size: int = _SAMPLE) -> pd.Series:
    """Non-empty stripped cells, evenly spread over the column, at most ``size``.

    Long columns are thinned before cleaning, so a million rows cost the same as
    a few thousand.
    """
    return _sample_present(series, np.flatnonzero(series.notna().to_numpy(dtype=bool)), size)


def _sample_present(series: pd.Series, present: np.ndarray, size: int) -> pd.Series:
    """:func:`sample_cells` given the positions of the non-missing cells."""
    if len(present) > 4 * size:
        present = present[:: len(present) // (2 * size)]
    # Positions, not dropna(): a copy of a million strings only to keep a few thousand.
    cells = series.iloc[present].astype("str").str.strip()
    cells = cells[cells != ""]
    if len(cells) > size:
        cells = cells.iloc[:: len(cells) // size].iloc[:size]
    return cells.reset_index(drop=True)


def profile_column(series: pd.Series, decimal: str = ".") -> ColumnProfile:
    """Profile one column of raw string cells."""
    present = np.flatnonzero(series.notna().to_numpy(dtype=bool))
    cells = _sample_present(series, present, _SAMPLE)
    n_rows = max(len(series), 1)
    nonempty = len(present) if len(cells) else 0
    if cells.empty:
        return ColumnProfile(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, 0.0, float("nan"), 0)
    numbers = parse_numbers(cells, decimal)
    is_num = numbers.notna()
    whole = is_num & (numbers == numbers.round())
    # A low bar: a share is measured, not a verdict; callers apply their own thresholds.
    fmt = detect_date_format(cells, min_share=0.2)
    date_share = 0.0
    if fmt is not None:
        date_share = float(parse_dates(cells, fmt).notna().mean())
    distinct = int(cells.nunique())
    return ColumnProfile(
        filled=nonempty / n_rows,
        numeric=float(is_num.mean()),
        integer_0_10=float((whole & numbers.between(0, 10)).mean()),
        decimals=float((is_num & ~whole).mean()),
        date=date_share,
        email=float(cells.str.fullmatch(EMAIL_RE).mean()),
        phone=float(cells.str.fullmatch(PHONE_RE).mean()),
        order_number=float(cells.str.fullmatch(ORDER_NUMBER_RE).mean()),
        distinct=distinct,
        distinct_ratio=distinct / len(cells),
        mean_length=float(cells.str.len().mean()),
        max_value=float(numbers.max()) if is_num.any() else float("nan"),
        nonempty=nonempty,
    )


def profile_frame(frame: pd.DataFrame, decimal: str = ".") -> dict[str, ColumnProfile]:
    """Profile every column of a raw table."""
    return {col: profile_column(frame[col], decimal) for col in frame.columns}
