"""Numbers as people type them: decimal commas, thousands separators, currencies.

``1.234,56``, ``1 234,56``, ``1,234.56``, ``1234,5``, ``€ 1.234,56``, ``PLN 12,50``,
``12,50 zł``, ``12,-``, ``(12.50)`` and ``12.50-`` all parse. Each value decides its
own separators where it can (two different separators, a separator repeated, or
not followed by exactly three digits); only values like ``1.234`` that could be
either read as the file's detected decimal separator says.

Parsing works on the distinct values of a column and maps the result back, and
a plain ``-12.5`` column takes a pyarrow fast path, so a million rows cost well
under a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Currency markers removed before parsing; letters must not touch them, so
# "zł" goes but a word such as "euroland" does not become a number.
_CURRENCY = (
    r"(?<![a-z])(?:eur|euro|euros|pln|usd|gbp|chf|dkk|sek|nok|czk|huf|zl|zł|złotych|kr)(?![a-z])\.?|[€$£¥]"
)
_SPACES = r"[\s\u00a0\u202f']"
_PLAIN = r"^\s*-?(\d+\.?\d*|\.\d+)\s*$"
_NUMBER = r"\d+(?:[.,]\d+)*|[.,]\d+|\d+(?:\.\d+)?[eE][-+]?\d+|\d+[.,]"
_AMBIGUOUS = r"^[1-9]\d{0,2}[.,]\d{3}$"  # 1.234 or 1,234: thousands or decimals?
_GROUPED = r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*(?:[.,]\d+)?$"
#: Bytes a bare number is made of (digits, ".", "-"): see :func:`_plain_numbers`.
_PLAIN_BYTES = np.zeros(256, dtype=bool)
_PLAIN_BYTES[[*b"0123456789.-"]] = True


def to_arrow(series: pd.Series) -> pa.ChunkedArray:
    """Return ``series`` as a pyarrow string array (zero-copy for pandas' str dtype)."""
    arr = getattr(series.array, "_pa_array", None)
    if arr is not None and (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return arr
    return pa.chunked_array([pa.array(series.astype(object).where(series.notna(), None), type=pa.string())])


def detect_separators(values: pd.Series, hint: str = ".") -> tuple[str, str | None]:
    """Detect the decimal and thousands separators from number-like cells.

    Parameters
    ----------
    values : pandas.Series
        Cells as strings (a sample is enough); non-numbers are ignored.
    hint : str
        Decimal separator to assume when the cells give no evidence (``","`` for
        semicolon-delimited files, which come from decimal-comma locales).

    Returns
    -------
    tuple
        ``(decimal, thousands)``; thousands is None when no grouping was seen,
        ``" "`` for any kind of space.
    """
    cells = _clean(values.dropna().astype("str"))
    cells = cells[cells.str.fullmatch(_NUMBER)]
    if cells.empty:
        return hint, None
    dots, commas = cells.str.count(r"\."), cells.str.count(",")
    last_dot, last_comma = cells.str.rfind("."), cells.str.rfind(",")
    tail = cells.str.len() - 1
    both = (dots > 0) & (commas > 0)
    comma_dec = (both & (last_comma > last_dot)) | (
        (dots == 0) & (commas == 1) & ~cells.str.fullmatch(_AMBIGUOUS) & (tail - last_comma != 3)
    )
    dot_dec = (both & (last_dot > last_comma)) | (
        (commas == 0) & (dots == 1) & ~cells.str.fullmatch(_AMBIGUOUS) & (tail - last_dot != 3)
    )
    comma_dec |= (commas == 0) & (dots > 1)  # 1.234.567: dots group, so commas are decimals
    dot_dec |= (dots == 0) & (commas > 1)
    n_comma, n_dot = int(comma_dec.sum()), int(dot_dec.sum())
    decimal = hint if n_comma == n_dot else ("," if n_comma > n_dot else ".")
    return decimal, _thousands(values, decimal)


def _thousands(values: pd.Series, decimal: str) -> str | None:
    """The grouping character seen in the cells, if any."""
    raw = values.dropna().astype("str").str.strip().str.lower()
    bare = raw.str.replace(_CURRENCY, "", regex=True).str.strip().str.replace(r"[.,]-$", "", regex=True)
    bare = bare.str.replace(r"^\((.*)\)$", r"\1", regex=True).str.replace(r"^[-−+]|[-−]$", "", regex=True)
    other = "," if decimal == "." else "."
    # Whole cells only: a phone number (020 123 4567) or a date (05.03.2024)
    # merely contains digit groups, it is not a grouped number.
    spaced = int(bare.str.fullmatch(rf"\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?:\{decimal}\d*)?").sum())
    grouped = int(bare.str.fullmatch(rf"\d{{1,3}}(?:\{other}\d{{3}})+(?:\{decimal}\d*)?").sum())
    if not spaced and not grouped:
        return None
    return " " if spaced > grouped else other


def _clean(cells: pd.Series) -> pd.Series:
    """Lowercase, drop currency markers, spaces, signs, parentheses and a ``,-`` tail."""
    out = cells.str.strip().str.lower()
    out = out.str.replace(_CURRENCY, "", regex=True)
    out = out.str.replace(_SPACES, "", regex=True)
    out = out.str.replace(r"[.,]-$", "", regex=True)  # Dutch "12,-" is twelve euros
    out = out.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    out = out.str.replace(r"^[-−+]|[-−]$", "", regex=True)
    return out


def parse_numbers(
    series: pd.Series,
    decimal: str = ".",
    *,
    strict: bool = False,
    thousands: str | None = None,
) -> pd.Series:
    """Parse number-like strings into floats; what does not parse is NaN.

    Parameters
    ----------
    series : pandas.Series
        Cells as strings (missing cells NA).
    decimal : str
        Decimal separator for ambiguous values (``1.234``), or for all values when ``strict``.
    strict : bool
        Use ``decimal``/``thousands`` for every value (a user override) instead of
        letting each value decide.
    thousands : str or None
        Thousands separator when ``strict`` (None: the other mark, where it forms
        groups of three); spaces are always removed.

    Returns
    -------
    pandas.Series
        float64, same index as ``series``.
    """
    arr = to_arrow(series)
    if not strict and decimal == ".":
        values = _plain_numbers(arr)
        if values is not None:
            return pd.Series(values, index=series.index, dtype="float64", copy=False)
    nonnull = pc.drop_null(arr)
    if not strict and (decimal == "." or not pc.any(pc.match_substring(nonnull, ".")).as_py()):
        plain = pc.match_substring_regex(nonnull, _PLAIN)
        if pc.all(plain).as_py() in (True, None):  # fast path: plain numbers only
            values = pc.cast(pc.utf8_trim_whitespace(arr), pa.float64()).to_numpy(zero_copy_only=False)
            return pd.Series(values, index=series.index, dtype="float64", copy=False)
    codes, uniques = pd.factorize(series)
    uniques = pd.Series(uniques, dtype="str")
    # Every spelling of a number has a digit: text cells (comments, names) skip the
    # dozen regular expressions below. Same regex engine as below, so the same \d.
    digits = uniques.str.contains(r"\d", regex=True).to_numpy(dtype=bool, na_value=False)
    parsed = np.full(len(uniques), np.nan)
    parsed[digits] = _parse_unique(
        uniques[digits].reset_index(drop=True), decimal, strict=strict, thousands=thousands
    ).to_numpy()
    values = np.where(codes >= 0, parsed[np.maximum(codes, 0)], np.nan)
    return pd.Series(values, index=series.index, dtype="float64")


def _plain_numbers(arr: pa.ChunkedArray) -> np.ndarray | None:
    """Floats of a column of bare numbers (``-12.5``), or None when any cell is more than that.

    The fastest case of :func:`parse_numbers`, and its answer for such a column:
    a cell of digits, dots and minus signs only that pyarrow's cast accepts is
    exactly one matching ``-?(\\d+\\.?\\d*|\\.\\d+)``. Checking the bytes of the
    whole column against that alphabet is one table lookup, far cheaper than a
    regular expression per cell.
    """
    for chunk in arr.chunks:
        if not len(chunk) or chunk.buffers()[2] is None:
            continue
        offsets = np.frombuffer(
            chunk.buffers()[1], dtype=np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        )
        cells = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
        cells = cells[offsets[chunk.offset] : offsets[chunk.offset + len(chunk)]]
        if not _PLAIN_BYTES[cells].all():
            return None
    try:
        return pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # "-", ".", "1-2", "": the general route decides
        return None


def _parse_unique(cells: pd.Series, decimal: str, *, strict: bool, thousands: str | None) -> pd.Series:
    """Parse distinct cells (see :func:`parse_numbers`)."""
    if cells.empty:
        return pd.Series([], dtype="float64")
    low = cells.str.strip().str.lower().str.replace(_CURRENCY, "", regex=True)
    low = low.str.replace(_SPACES, "", regex=True).str.replace(r"[.,]-$", "", regex=True)
    paren = low.str.fullmatch(r"\(.*\)")
    low = low.where(~paren, low.str.slice(1, -1))
    lead = low.str.match(r"^[-−]")
    trail = low.str.match(r".*\d[-−]$")
    body = low.str.replace(r"^[-−+]|[-−]$", "", regex=True)
    negative = paren ^ (lead | trail)
    if strict:
        if thousands is None:
            # Only the decimal mark was given: the other mark may still group
            # thousands (1.234,56), but only where it really forms groups of three,
            # so "1,5" under a decimal point is refused rather than read as 15.
            other = "." if decimal == "," else ","
            grouped = body.str.fullmatch(rf"\d{{1,3}}(?:\{other}\d{{3}})+(?:\{decimal}\d*)?")
            text = body.where(~grouped.fillna(False).astype(bool), body.str.replace(other, "", regex=False))
        else:
            text = body.str.replace(thousands, "", regex=False) if thousands.strip() else body
        text = text.str.replace(decimal, ".", regex=False) if decimal != "." else text
        values = pd.to_numeric(text.where(text.str.fullmatch(r"\d+(?:\.\d+)?|\.\d+|\d+\.")), errors="coerce")
        return pd.Series(np.where(negative, -values, values), dtype="float64")
    valid = body.str.fullmatch(_NUMBER)
    dots, commas = body.str.count(r"\."), body.str.count(",")
    last_dot, last_comma = body.str.rfind("."), body.str.rfind(",")
    ambiguous = body.str.fullmatch(_AMBIGUOUS)
    # Which character is the decimal separator of each value ("" = none).
    dec = np.select(
        [
            (dots > 0) & (commas > 0),
            (dots + commas == 0) | ((dots > 1) & (commas == 0)) | ((commas > 1) & (dots == 0)),
            ambiguous,
            dots == 1,
        ],
        [np.where(last_dot > last_comma, ".", ","), "", decimal, "."],
        default=",",
    )
    grouped_ok = ~(((dots > 1) & (commas == 0)) | ((commas > 1) & (dots == 0))) | body.str.fullmatch(_GROUPED)
    point = np.where(dec == ".", body.str.replace(",", "", regex=False), body)
    comma = pd.Series(point, dtype="str").str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    text = pd.Series(np.where(dec == ",", comma, point), dtype="str")
    text = text.where(dec != "", body.str.replace(r"[.,]", "", regex=True))
    values = pd.to_numeric(text.where(valid & grouped_ok), errors="coerce").astype("float64")
    return pd.Series(np.where(negative, -values, values), dtype="float64")
