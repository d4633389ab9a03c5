"""Export rejected rows as a CSV that opens cleanly in Excel and cannot run formulas."""

from __future__ import annotations

import pandas as pd

from loyalty.ingest.result import LoadResult

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = r"[+-]?(?:\d[\d.,]*|[.,]\d+)(?:[eE][+-]?\d+)?"


def neutralise(series: pd.Series) -> pd.Series:
    """Prefix formula-like text cells with an apostrophe; numbers (``-12,50``) stay numbers."""
    if not (pd.api.types.is_string_dtype(series.dtype) or pd.api.types.is_object_dtype(series.dtype)):
        return series
    text = series.astype("str")
    risky = text.str.startswith(_FORMULA_START) & ~text.str.strip().str.fullmatch(_NUMBER)
    return text.where(~risky.fillna(False).astype(bool), "'" + text)


def rejected_to_csv(result: LoadResult) -> bytes:
    """Return the rejected rows as CSV bytes: UTF-8 with BOM, the source file's delimiter.

    Parameters
    ----------
    result : LoadResult
        A load result.

    Returns
    -------
    bytes
        The CSV, with ``row`` and ``reason`` first and the source cells after.
    """
    frame = result.rejected.copy()
    for col in frame.columns:
        frame[col] = neutralise(frame[col])
    delimiter = (
        result.format.delimiter if result.format.file_type == "csv" and result.format.delimiter else ","
    )
    text = frame.to_csv(index=False, sep=delimiter, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")
