"""Shared groundwork of the transaction KPIs: prepared arrays, windows, purchase days, periods.

Every transaction KPI starts from the same facts, so they are computed here once:

* a **purchase** is a row with ``amount >= 0``. A refund (negative amount) lowers
  revenue but is not a purchase occasion; a zero amount (a free item, a voucher)
  is a purchase. Rows with an unknown amount are neither.
* a **purchase day** is a distinct (customer, calendar day) pair of purchases; several
  rows on one day are one occasion.

:func:`prepare` turns a canonical transactions frame into integer arrays (customer
codes, day numbers, amounts). Every KPI function accepts either the frame or the
prepared object; pass ``prepare(df)`` when computing several KPIs on the same data,
so a million rows are encoded once instead of once per KPI.

Periods are calendar months, quarters or years. Internally they are integer
ordinals counted from January 1970, the same numbers as ``pandas.Period.ordinal``,
so "periods since first purchase" is a plain integer difference.
"""

from __future__ import annotations

import dataclasses
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from loyalty.errors import InputError
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE, ORDER_ID

Period = Literal["month", "quarter", "year"]
PERIODS: tuple[Period, ...] = ("month", "quarter", "year")
# pandas Period aliases (not the offset aliases "ME"/"QE"/"YE", which are for date ranges).
_PANDAS_FREQ: dict[str, str] = {"month": "M", "quarter": "Q", "year": "Y"}

DateLike = str | date | datetime | pd.Timestamp | None


def check_period(period: str) -> Period:
    """Return ``period`` when it is a supported period; InputError otherwise."""
    if period not in PERIODS:
        raise InputError("kpi.error.period", period=period, periods=", ".join(PERIODS))
    return period  # type: ignore[return-value]


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...] | list[str]) -> None:
    """Raise InputError naming the first of ``columns`` that ``frame`` lacks."""
    for column in columns:
        if column not in frame.columns:
            raise InputError("kpi.error.missing_column", column=column)


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Return calendar days since 1970-01-01 as int64; NaT becomes -1 (check ``dates.isna()``).

    Parameters
    ----------
    dates : pandas.Series
        Datetime values, naive or time-zone aware (the local calendar day is used).

    Returns
    -------
    numpy.ndarray
        One integer day number per value.
    """
    values = pd.to_datetime(dates)
    if getattr(values.dt, "tz", None) is not None:
        # Keep the local calendar day: a purchase at 23:30 in Warsaw belongs to that day.
        values = values.dt.tz_localize(None)
    days = values.to_numpy().astype("datetime64[D]").astype(np.int64)
    days[values.isna().to_numpy()] = -1
    return days


def day_of(value: DateLike) -> int | None:
    """Return the day number of one date, or None when no date is given."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return None
    return int(np.datetime64(stamp.tz_localize(None) if stamp.tz else stamp, "D").astype(np.int64))


def to_timestamps(days: np.ndarray) -> pd.DatetimeIndex:
    """Return day numbers as midnight timestamps (negative numbers mark 'no date': NaT)."""
    stamps = np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[us]")
    return pd.DatetimeIndex(np.where(np.asarray(days) < 0, np.datetime64("NaT"), stamps))


def sorted_unique(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the sorted distinct values of an int64 array and how often each occurs.

    Sort-based on purpose: numpy 2.4's hash-based ``np.unique`` is about 30× slower on
    a million int64 keys.
    """
    ordered = np.sort(keys)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if ordered.size else np.array([], int)
    counts = np.diff(np.r_[starts, ordered.size])
    return ordered[starts], counts.astype(np.int64)


def argsort_ints(keys: np.ndarray) -> np.ndarray:
    """Return the stable argsort of an integer array, by sorting the keys with their positions packed in.

    numpy sorts plain int64 several times faster than it argsorts them (about 0.5 s
    against 2 s for 10M keys), so when the key range leaves room, each key is
    shifted left and its position put in the low bits: sorting those values sorts
    by key, then by position, which is exactly a stable argsort.
    """
    keys = np.asarray(keys)
    n = keys.size
    if n < 2:
        return np.arange(n, dtype=np.int64)
    low, high = int(keys.min()), int(keys.max())
    bits = (n - 1).bit_length()
    if (high - low) >= 1 << (62 - bits):
        return np.argsort(keys, kind="stable")
    packed = (keys.astype(np.int64) - low) << bits
    packed |= np.arange(n, dtype=np.int64)
    packed.sort()
    packed &= (1 << bits) - 1
    return packed


def _readonly(array: np.ndarray) -> np.ndarray:
    """Return ``array`` flagged read-only, so a prepared object cannot drift from its source."""
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class PreparedTransactions:
    """Canonical transactions as integer arrays, one entry per row.

    Build it with :func:`prepare`. The arrays are read-only copies: changing the
    source frame afterwards does not change the prepared object.

    Parameters
    ----------
    frame : pandas.DataFrame
        The source rows (used for segment columns only).
    customers : pandas.Index
        Distinct customer ids; position ``i`` is customer code ``i``.
    code : numpy.ndarray
        Customer code per row (-1 when the id is missing).
    day : numpy.ndarray
        Day number per row (-1 when the date is missing).
    amount : numpy.ndarray
        Amount per row (NaN when unknown).
    order : numpy.ndarray or None
        Order code per row (-1 when missing); None without an ``order_id`` column.
    """

    frame: pd.DataFrame
    customers: pd.Index
    code: np.ndarray
    day: np.ndarray
    amount: np.ndarray
    order: np.ndarray | None
    # Purchase days per window, memoised: the arrays are read-only, so results never go stale.
    _purchase_days: dict[tuple[int | None, int | None], PurchaseDays] = field(
        default_factory=dict, repr=False, compare=False
    )

    def rows(self, start: DateLike = None, end: DateLike = None) -> np.ndarray:
        """Return a mask of the rows with a customer and a date within ``[start, end]`` (inclusive days)."""
        mask = (self.code >= 0) & (self.day >= 0)
        first, last = day_of(start), day_of(end)
        if first is not None:
            mask &= self.day >= first
        if last is not None:
            mask &= self.day <= last
        return mask

    def purchases(self, start: DateLike = None, end: DateLike = None) -> np.ndarray:
        """Return a mask of the purchase rows (amount >= 0) within ``[start, end]``."""
        return self.rows(start, end) & (self.amount >= 0)


#: What the transaction KPIs accept: a canonical frame or its prepared arrays.
Transactions = pd.DataFrame | PreparedTransactions


def prepare(transactions: Transactions) -> PreparedTransactions:
    """Encode canonical transactions once for all KPI functions.

    Parameters
    ----------
    transactions : pandas.DataFrame or PreparedTransactions
        ``customer_id``, ``date``, ``amount`` and optionally ``order_id``; a prepared
        object is returned as it is.

    Returns
    -------
    PreparedTransactions
        Read-only arrays of the rows.
    """
    if isinstance(transactions, PreparedTransactions):
        return transactions
    require_columns(transactions, (CUSTOMER_ID, DATE, AMOUNT))
    with ThreadPoolExecutor(max_workers=2) as pool:
        # Hashing the id strings is the costliest step (about 4 s per column at 10M
        # rows); pyarrow releases the GIL, so customer and order ids encode side by side.
        customer_job = pool.submit(pd.factorize, transactions[CUSTOMER_ID], sort=False)
        order_job = (
            pool.submit(pd.factorize, transactions[ORDER_ID], sort=False)
            if ORDER_ID in transactions.columns
            else None
        )
        amount = np.array(pd.to_numeric(transactions[AMOUNT], errors="coerce"), dtype=float)
        codes, customers = customer_job.result()
        order = None if order_job is None else _readonly(order_job.result()[0].astype(np.int64))
    return PreparedTransactions(
        frame=transactions,
        customers=pd.Index(customers),
        code=_readonly(codes.astype(np.int64)),
        day=_readonly(day_numbers(transactions[DATE])),
        amount=_readonly(amount),
        order=order,
    )


@dataclass(frozen=True)
class PurchaseDays:
    """Distinct purchase days per customer, sorted by customer then day.

    Parameters
    ----------
    customers : pandas.Index
        Ids of the customers with at least one purchase; position ``i`` is code ``i``.
    source_code : numpy.ndarray
        Each customer's code in the :class:`PreparedTransactions` it came from.
    code : numpy.ndarray
        Customer code of each purchase day.
    day : numpy.ndarray
        Day number (days since 1970-01-01) of each purchase day.
    rows : numpy.ndarray
        Number of purchase rows behind each purchase day.
    """

    customers: pd.Index
    source_code: np.ndarray
    code: np.ndarray
    day: np.ndarray
    rows: np.ndarray

    @property
    def n_customers(self) -> int:
        """Number of customers with at least one purchase."""
        return len(self.customers)

    def occasions(self, by: Literal["days", "rows"] = "days") -> np.ndarray:
        """Return purchase occasions per customer code: distinct days or purchase rows."""
        if by not in ("days", "rows"):
            raise InputError("kpi.error.occasions", value=by)
        weights = None if by == "days" else self.rows
        return np.bincount(self.code, weights=weights, minlength=self.n_customers).astype(np.int64)

    def first_day(self) -> np.ndarray:
        """Return each customer's first purchase day (rows are sorted, so the first per code)."""
        if self.code.size == 0:
            return self.day.copy()
        starts = np.flatnonzero(np.r_[True, self.code[1:] != self.code[:-1]])
        return self.day[starts]

    def last_day(self) -> np.ndarray:
        """Return each customer's last purchase day."""
        if self.code.size == 0:
            return self.day.copy()
        ends = np.flatnonzero(np.r_[self.code[1:] != self.code[:-1], True])
        return self.day[ends]


def purchase_days(transactions: Transactions, start: DateLike = None, end: DateLike = None) -> PurchaseDays:
    """Reduce transactions to distinct (customer, purchase day) pairs.

    Parameters
    ----------
    transactions : pandas.DataFrame or PreparedTransactions
        Canonical transactions.
    start, end : date-like or None
        Optional window (inclusive days).

    Returns
    -------
    PurchaseDays
        Purchase days of the customers with at least one purchase in the window.
    """
    data = prepare(transactions)
    key = (day_of(start), day_of(end))
    if key not in data._purchase_days:
        data._purchase_days[key] = _purchase_days(data, start, end)
    return data._purchase_days[key]


def _purchase_days(data: PreparedTransactions, start: DateLike, end: DateLike) -> PurchaseDays:
    """Compute :func:`purchase_days` of prepared transactions."""
    mask = data.purchases(start, end)
    codes, days = data.code[mask], data.day[mask]
    if codes.size == 0:
        empty = np.array([], dtype=np.int64)
        return PurchaseDays(data.customers[:0], empty, empty, empty, empty)
    # One int64 key per (customer, day) lets numpy sort and deduplicate 1M rows in milliseconds.
    base, span = int(days.min()), int(days.max() - days.min() + 1)
    unique, counts = sorted_unique(codes * span + (days - base))
    source = unique // span
    # Renumber customers 0..k-1 over those with a purchase in the window.
    present = np.flatnonzero(np.bincount(source, minlength=len(data.customers)))
    renumber = np.full(len(data.customers), -1, dtype=np.int64)
    renumber[present] = np.arange(present.size)
    return PurchaseDays(
        customers=data.customers[present],
        source_code=_readonly(present),
        code=_readonly(renumber[source]),
        day=_readonly(unique % span + base),
        rows=_readonly(counts),
    )


def period_ordinals(days: np.ndarray, period: Period) -> np.ndarray:
    """Return the month, quarter or year ordinal (as ``pandas.Period.ordinal``) of day numbers."""
    check_period(period)
    as_dates = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    if period == "year":
        return as_dates.astype("datetime64[Y]").astype(np.int64)
    months = as_dates.astype("datetime64[M]").astype(np.int64)
    return months if period == "month" else months // 3


def period_labels(ordinals: np.ndarray, period: Period) -> tuple[list[str], pd.DatetimeIndex]:
    """Return readable labels ("1997-01", "1997Q3", "1997") and start dates of period ordinals."""
    index = pd.PeriodIndex.from_ordinals(np.asarray(ordinals, dtype=np.int64), freq=_PANDAS_FREQ[period])
    return index.astype(str).tolist(), index.start_time


def period_bounds(ordinals: np.ndarray, period: Period) -> tuple[np.ndarray, np.ndarray]:
    """Return the first and last day numbers of each period ordinal."""
    _, starts = period_labels(ordinals, period)
    _, next_starts = period_labels(np.asarray(ordinals) + 1, period)
    first = starts.to_numpy().astype("datetime64[D]").astype(np.int64)
    return first, next_starts.to_numpy().astype("datetime64[D]").astype(np.int64) - 1


def jsonable(value: Any) -> Any:
    """Convert a result (dataclass, numpy scalar, tuple, NaN) to plain JSON-friendly Python.

    NaN, infinities and NaT become None (JSON has no such numbers), tuples become
    lists, numpy numbers become int/float, dates become ISO strings and DataFrames
    become lists of records.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, np.bool_ | np.integer):
        return value.item()
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    return value
