"""Parse the mapped columns and give every row exactly one fate: used, or one reject reason.

Checks run in this order and the first that fails names the reason:

1. ``empty_row``: every cell of the row is empty.
2. ``order_line``: a line-item row of a multi-line order export (Shopify): it
   has an order id, no amount, and another row of the same order carries the
   order total. Not an error: it is folded into its order and counted.
3. ``duplicate_row``: an exact copy of an earlier row of the file. Checked only
   where rows identify something (customers; transactions with an order id or
   a time of day; surveys with a customer id or date): identical rows of a
   plain customer/date/amount file are separate purchases (CDNOW has 21).
4. ``missing_customer_id``: transactions and customers, empty after stripping.
5. ``unparseable_date``: a non-empty date that does not parse (for
   transactions an empty date too).
6. ``non_numeric_amount``: an amount that is empty or not a number.
7. ``non_numeric_score``: a non-empty score that is not a number and not a
   "no answer" cell (``n.v.t.``, ``nie wiem``, ``-``).
8. ``score_out_of_range``: recommend not a whole number from 0 to 10, or a
   rating outside its scale.

Empty survey answers are not rejections: they stay NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyalty.errors import InputError
from loyalty.ingest.dates import DateFormat, detect_date_format, format_from_label, parse_dates
from loyalty.ingest.mapping import is_missing_answer
from loyalty.ingest.numbers import parse_numbers
from loyalty.schema import AMOUNT, CUSTOMER_ID, FIELDS, NPS_SCALE, ORDER_ID, RATING_SCALES, RECOMMEND

#: Check order (see module docstring); codes are positions + 1, 0 = used.
CHECK_ORDER: tuple[str, ...] = (
    "empty_row",
    "order_line",
    "duplicate_row",
    "missing_customer_id",
    "unparseable_date",
    "non_numeric_amount",
    "non_numeric_score",
    "score_out_of_range",
)
_LEADING_SCORE = r"^\s*(\d{1,2})\s*[-–=:(.]\s*\D"


@dataclass
class Parsed:
    """Parsed field values for all rows, and what was learned on the way."""

    text: dict[str, pd.Series] = field(default_factory=dict)
    values: dict[str, pd.Series] = field(default_factory=dict)
    date_formats: dict[str, DateFormat | None] = field(default_factory=dict)
    scales: dict[str, tuple[int, int]] = field(default_factory=dict)
    warnings: list[tuple[str, dict]] = field(default_factory=list)


def stripped(series: pd.Series) -> pd.Series:
    """Cells stripped of surrounding spaces, empty ones NA."""
    out = series.astype("str").str.strip()
    empty = (out == "").to_numpy(dtype=bool, na_value=False)
    return out.where(~empty) if empty.any() else out


def parse_fields(
    frame: pd.DataFrame,
    kind: str,
    mapping: dict[str, str],
    *,
    decimal: str,
    strict_numbers: bool,
    thousands: str | None,
    date_format: str | None,
    dayfirst: bool | None,
    scales: dict[str, tuple[int, int]] | None,
    file_name: str,
) -> Parsed:
    """Parse every mapped column by its field type."""
    out = Parsed()
    for spec in FIELDS[kind]:  # type: ignore[index]
        if spec.name not in mapping:
            continue
        text = stripped(frame[mapping[spec.name]])
        out.text[spec.name] = text
        if spec.type == "datetime":
            out.values[spec.name] = _parse_date_field(
                text, spec.name, mapping, date_format, dayfirst, out, file_name
            )
        elif spec.type == "money":
            out.values[spec.name] = parse_numbers(text, decimal, strict=strict_numbers, thousands=thousands)
        elif spec.type in ("nps", "rating"):
            out.values[spec.name] = parse_scores(text, decimal)
            given = (scales or {}).get(spec.name)
            scale = (
                NPS_SCALE
                if spec.type == "nps"
                else _checked_scale(given, spec.name) or detect_scale(out.values[spec.name])
            )
            if scale:
                out.scales[spec.name] = scale
    _warn_recommend_scale(out, mapping)
    return out


def _parse_date_field(
    text: pd.Series,
    name: str,
    mapping: dict[str, str],
    date_format: str | None,
    dayfirst: bool | None,
    out: Parsed,
    file_name: str,
) -> pd.Series:
    if date_format:
        fmt = format_from_label(date_format, dayfirst)
        if fmt is None:
            raise InputError("ingest.error.bad_date_format", file=file_name, format=date_format)
    else:
        # The column is the date by mapping: the best-fitting format wins however few
        # cells fit it, and the cells that do not are rejected row by row.
        fmt = detect_date_format(text, dayfirst=dayfirst, allow_serial=True, min_share=0.0)
    out.date_formats[name] = fmt
    if fmt is None:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if fmt.ambiguous:
        out.warnings.append(
            ("ingest.warning.ambiguous_dates", {"column": mapping[name], "format": fmt.label})
        )
    try:
        return parse_dates(text, fmt)
    except ValueError:  # a user pattern pandas cannot use
        raise InputError(
            "ingest.error.bad_date_format", file=file_name, format=date_format or fmt.label
        ) from None


def parse_scores(text: pd.Series, decimal: str) -> pd.Series:
    """Scores as floats; ``"10 - Extremely likely"`` counts as 10."""
    values = parse_numbers(text, decimal)
    failed = text.notna() & values.isna()
    if failed.any():
        lead = text[failed].str.extract(_LEADING_SCORE)[0]
        values[failed] = pd.to_numeric(lead, errors="coerce")
    return values


def _checked_scale(given: object, name: str) -> tuple[int, int] | None:
    if given is None:
        return None
    try:
        lo, hi = (int(v) for v in given)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise InputError("ingest.error.bad_scale", field=name, scale=str(given)) from None
    if lo >= hi:
        raise InputError("ingest.error.bad_scale", field=name, scale=str(given))
    return lo, hi


def detect_scale(values: pd.Series) -> tuple[int, int] | None:
    """The smallest of ``RATING_SCALES`` holding every value from 0 to 10 (None when there are none)."""
    valid = values[values.between(0, 10)]
    if valid.empty:
        return None
    lo, hi = float(valid.min()), float(valid.max())
    for scale in RATING_SCALES:
        if scale[0] <= lo and hi <= scale[1]:
            return scale
    return NPS_SCALE


def _warn_recommend_scale(out: Parsed, mapping: dict[str, str]) -> None:
    values = out.values.get(RECOMMEND)
    if values is not None and values.notna().sum() >= 20 and values.max() <= 5:
        out.warnings.append(("ingest.warning.recommend_scale", {"column": mapping[RECOMMEND]}))


def duplicates_apply(kind: str, mapping: dict[str, str], parsed: Parsed) -> bool:
    """Whether identical rows are an error in this table (see module docstring, check 3)."""
    if kind == "customers":
        return True
    timed = any(fmt is not None and fmt.time for fmt in parsed.date_formats.values())
    if kind == "transactions":
        return ORDER_ID in mapping or timed
    return CUSTOMER_ID in mapping or bool(parsed.date_formats)


def reject_reasons(frame: pd.DataFrame, kind: str, mapping: dict[str, str], parsed: Parsed) -> np.ndarray:
    """Return a reason code per row: 0 = used, else position in :data:`CHECK_ORDER` + 1."""
    n = len(frame)
    reason = np.zeros(n, dtype=np.int8)

    def mark(name: str, mask: pd.Series | np.ndarray) -> None:
        mask = np.asarray(mask, dtype=bool)
        reason[(reason == 0) & mask] = CHECK_ORDER.index(name) + 1

    mark("empty_row", _empty_rows(frame))
    if kind == "transactions" and ORDER_ID in mapping:
        mark("order_line", order_lines(parsed.text[ORDER_ID], parsed.text[AMOUNT]))
    if duplicates_apply(kind, mapping, parsed):
        stand_ins = [v.to_numpy(dtype="datetime64[ns]").view(np.int64) for v in _date_values(kind, parsed)]
        mark("duplicate_row", duplicated_rows(frame, _nearly_unique_first(kind, mapping), stand_ins))
    if kind in ("transactions", "customers") and CUSTOMER_ID in mapping:
        mark("missing_customer_id", parsed.text[CUSTOMER_ID].isna())
    for spec in FIELDS[kind]:  # type: ignore[index]
        if spec.type == "datetime" and spec.name in mapping:
            text, values = parsed.text[spec.name], parsed.values[spec.name]
            bad = values.isna() if kind == "transactions" and spec.required else text.notna() & values.isna()
            mark("unparseable_date", bad)
    if AMOUNT in mapping:
        mark("non_numeric_amount", parsed.values[AMOUNT].isna())
    scores = [s.name for s in FIELDS[kind] if s.type in ("nps", "rating") and s.name in mapping]  # type: ignore[index]
    for name in scores:
        text, values = parsed.text[name], parsed.values[name]
        failed = text.notna() & values.isna()
        if failed.any():
            failed &= ~is_missing_answer(text.where(failed))
        mark("non_numeric_score", failed)
    for name in scores:
        mark("score_out_of_range", out_of_range(parsed.values[name], name, parsed.scales.get(name)))
    return reason


def _date_values(kind: str, parsed: Parsed) -> list[pd.Series]:
    """Parsed dates: one value per cell, so identical rows have identical dates (NaT included)."""
    return [parsed.values[s.name] for s in FIELDS[kind] if s.type == "datetime" and s.name in parsed.values]  # type: ignore[index]


def _nearly_unique_first(kind: str, mapping: dict[str, str]) -> list[str]:
    """Mapped columns most likely to be nearly unique (see :func:`duplicated_rows`), best first."""
    fields = [ORDER_ID] + [s.name for s in FIELDS[kind] if s.type == "datetime"]  # type: ignore[index]
    return [mapping[f] for f in fields if f in mapping]


def out_of_range(values: pd.Series, name: str, scale: tuple[int, int] | None) -> pd.Series:
    """Scores outside their scale; recommend must also be a whole number."""
    lo, hi = NPS_SCALE if name == RECOMMEND else scale or NPS_SCALE
    bad = values.notna() & ((values < lo) | (values > hi))
    if name == RECOMMEND:
        bad |= values.notna() & (values != values.round())
    return bad


def order_lines(order: pd.Series, amount_text: pd.Series) -> pd.Series:
    """Continuation rows of an order: same order id, no amount, and the order's total is on another row."""
    has_amount = amount_text.notna().to_numpy(dtype=bool)
    candidates = order.notna().to_numpy(dtype=bool) & ~has_amount
    if not candidates.any():  # the common case: every row carries an amount
        return pd.Series(candidates, index=order.index)
    # Factorised codes instead of Series.isin: isin on pyarrow strings loops in
    # Python and takes half a minute on a million rows.
    codes, uniques = pd.factorize(order)
    priced = np.zeros(len(uniques) + 1, dtype=bool)
    priced[codes[has_amount & (codes >= 0)] + 1] = True
    return pd.Series(candidates & priced[codes + 1], index=order.index)


def duplicated_rows(
    frame: pd.DataFrame, first: Sequence[str] = (), stand_ins: Sequence[np.ndarray] = ()
) -> np.ndarray:
    """True for rows identical to an earlier row.

    Parameters
    ----------
    frame : pandas.DataFrame
        The raw table.
    first : sequence of str
        Columns to compare first: nearly unique ones (an order id, a timestamp)
        make the check fast. The answer does not depend on the order.
    stand_ins : sequence of numpy.ndarray
        Optional integer arrays, one value per row, that are equal wherever two
        rows are identical (a parsed timestamp of the row's date cell, say).
        They only narrow the search, so they never change the answer.

    Returns
    -------
    numpy.ndarray
        Boolean, one per row.

    Notes
    -----
    A copy repeats every cell, so a row whose order id occurs once cannot be one:
    each column is compared only on the rows that still have a twin in the columns
    before it, which after an order id is a few percent of a shop's rows. Cells are
    factorised and folded into one compact integer key per row, which is exact and
    several times faster than hashing strings. Stand-ins go first: their twins are
    found by sorting integers, which is cheaper still.
    """
    out = np.zeros(len(frame), dtype=bool)
    if frame.empty or not len(frame.columns):
        return out
    rows = np.arange(len(frame))
    for values in stand_ins:
        twin = _twins(np.asarray(values)[rows])
        if not twin.any():
            return out
        rows = rows[twin]
    columns = [c for c in first if c in frame.columns]
    columns += [c for c in frame.columns if c not in columns]
    key = np.zeros(len(rows), dtype=np.int64)
    span = 1  # key values are below span
    for col in columns:
        cells = frame[col] if len(rows) == len(frame) else frame[col].iloc[rows]
        codes, uniques = pd.factorize(cells)
        key = key * (len(uniques) + 1) + (codes + 1)
        span *= len(uniques) + 1
        if span > 2 * len(rows):  # compact (below len(rows)): no overflow, a small bincount
            key, seen = pd.factorize(key)
            span = len(seen)
        twin = np.bincount(key, minlength=span)[key] > 1
        if not twin.any():
            return out
        rows, key = rows[twin], key[twin]
    out[rows] = pd.Series(key).duplicated(keep="first").to_numpy()
    return out


def _twins(values: np.ndarray) -> np.ndarray:
    """Which integers occur more than once.

    By a sort and a binary search rather than a hash table: numpy sorts int64
    several times faster than pandas hashes it, the more so when the values are
    nearly in order already (timestamps of a log).
    """
    ordered = np.sort(values)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if not repeated.size:
        return np.zeros(values.size, dtype=bool)
    at = np.minimum(np.searchsorted(repeated, values), repeated.size - 1)
    return repeated[at] == values


def _empty_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose cells are all empty or blank; each column only looks at rows still in question."""
    empty = np.ones(len(frame), dtype=bool)
    for col in frame.columns:
        rows = np.flatnonzero(empty)
        if not len(rows):
            break
        cells = frame[col].iloc[rows]
        blank = cells.isna() | (cells.astype("str").str.strip() == "")
        empty[rows] = blank.to_numpy(dtype=bool)
    return empty
