"""Per-customer BTYD summary (frequency, recency, T, monetary value) from transactions.

Conventions, chosen so that the CDNOW sample reproduces Fader, Hardie & Lee (2005):

* A *purchase occasion* is a distinct calendar day with at least one row whose
  amount is >= 0. Zero-amount rows are occasions (something was bought); refund
  rows (amount < 0) never are, but their value still counts as revenue.
* ``frequency`` = occasions in the calibration window - 1 (repeat occasions).
* ``recency`` = days from the first to the last occasion, in ``time_unit``.
* ``T`` = days from the first occasion to ``calibration_end``, in ``time_unit``.
  ``calibration_end`` is an inclusive calendar day, but T is counted to the
  *start* of that day: a customer whose first purchase was 1997-01-01 has
  T = 272 days = 38.86 weeks for a window ending 1997-09-30. This is the
  convention of Hardie's CDNOW files (the spot-check customer has T = 38.86) and
  it is the one that reproduces the published fit (r, alpha, a, b = 0.243, 4.414,
  0.793, 2.426; LL -9582.4). Counting T to the end of 1997-09-30 (T = 39 weeks
  for that customer) gives LL -9589.9 and a = 0.814, 3% off the paper.
* ``monetary_value`` = the mean value of the repeat occasions, same-day rows
  summed. Refunds on a purchase day net into that day; refund-only days after the
  first occasion net into the repeat revenue (a refund lowers what the customer
  is worth, but is not a visit). Floored at 0; 0 for non-repeaters.
* Holdout columns (only when ``calibration_end < observation_end``) count the
  occasions in (calibration_end, observation_end]; all of them are repeats.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty.clv.units import TimeUnit, days_per_unit
from loyalty.errors import InputError
from loyalty.kpi.periods import PreparedTransactions, argsort_ints
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE

#: Key of the summary's ``attrs`` entry with its windows and the daily repeat counts.
ATTRS_KEY = "clv"

_EPOCH = np.datetime64("1970-01-01", "D")


def to_day_number(value: object) -> int:
    """Return a date-like value as whole days since 1970-01-01."""
    return int((pd.Timestamp(value).to_datetime64().astype("datetime64[D]") - _EPOCH).astype(np.int64))


def day_number_to_timestamp(day: int | np.ndarray) -> pd.Timestamp | pd.DatetimeIndex:
    """Inverse of :func:`to_day_number` (scalar or array)."""
    if np.ndim(day) == 0:
        return pd.Timestamp(_EPOCH + np.timedelta64(int(day), "D"))
    return pd.DatetimeIndex(_EPOCH + np.asarray(day, dtype=np.int64).astype("timedelta64[D]"))


def _day_numbers(dates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return (day numbers as int64, valid mask) for any datetime-like column."""
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)  # keep the local calendar day of the shop
    elif not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates, errors="coerce")
    valid = dates.notna().to_numpy()
    # Straight from the column's own resolution to days: no nanosecond copy in between.
    days = dates.to_numpy().astype("datetime64[D]").view(np.int64)
    return days, valid


def _check_columns(transactions: pd.DataFrame) -> None:
    missing = [c for c in (CUSTOMER_ID, DATE, AMOUNT) if c not in transactions.columns]
    if missing:
        raise InputError("clv.error.missing_columns", columns=", ".join(missing))


def _prepared_rows(data: PreparedTransactions, last_day: int | None):
    """:func:`_valid_rows` of already encoded transactions: no second factorisation of the ids."""
    valid = data.rows()
    if last_day is not None:
        valid = valid & (data.day <= last_day)
    codes, days, amounts = data.code, data.day, data.amount
    if not valid.all():
        codes, days, amounts = codes[valid], days[valid], amounts[valid]
    # The prepared arrays are read-only: nan_to_num copies.
    return pd.Index(data.customers).astype(str), codes, days, np.nan_to_num(amounts, nan=0.0)


def _valid_rows(transactions: pd.DataFrame | PreparedTransactions, last_day: int | None):
    """Return (customer index, codes, day numbers, amounts) of the usable rows."""
    if isinstance(transactions, PreparedTransactions):
        return _prepared_rows(transactions, last_day)
    days, valid = _day_numbers(transactions[DATE])
    # Factorise the whole column once (missing ids get code -1) instead of copying a
    # filtered string column first: factorising is the single costliest step.
    codes, customers = pd.factorize(transactions[CUSTOMER_ID], sort=False)
    # Arrays from pandas are read-only under copy-on-write: build new masks, never `&=`.
    valid = valid & (codes >= 0)
    if last_day is not None:
        valid = valid & (days <= last_day)
    amounts = pd.to_numeric(transactions[AMOUNT], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if not valid.all():  # the common all-valid case skips three full-length copies
        days, codes, amounts = days[valid], codes[valid], amounts[valid]
    # A missing amount still records a visit; count it as a zero-value purchase.
    amounts = np.nan_to_num(amounts, nan=0.0, copy=not amounts.flags.writeable)
    return pd.Index(customers).astype(str), codes, days, amounts


def _daily_occasions(
    transactions: pd.DataFrame | PreparedTransactions, last_day: int | None
) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Collapse rows to (customer, day) cells, sorted by customer then day.

    Memory matters at 10M rows, so full-length temporaries are dropped as soon as
    they are used.

    Returns
    -------
    tuple
        (customer index, cell customer codes, cell day numbers, cell net values,
        cell is-an-occasion flags).
    """
    customers, codes, days, amounts = _valid_rows(transactions, last_day)
    if days.size == 0:
        empty = np.empty(0, dtype=np.int64)
        return customers, empty, empty, np.empty(0), np.empty(0, dtype=bool)
    # One sort on a combined int64 key is cheaper and leaner than lexsort on two keys.
    first_day = int(days.min())
    span = int(days.max()) - first_day + 1
    key = codes.astype(np.int64)
    del codes
    key *= span
    key += days
    key -= first_day
    del days
    order = argsort_ints(key)  # stable, so same-day amounts are summed in file order
    key = key[order]
    amounts = amounts[order]
    del order
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    cell_key = key[starts]
    del key
    values = np.add.reduceat(amounts, starts)
    is_occasion = np.logical_or.reduceat(amounts >= 0, starts)
    return customers, cell_key // span, cell_key % span + first_day, values, is_occasion


def _per_customer_extremes(codes: np.ndarray, days: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last day per customer from cells sorted by (customer, day); -1 when none."""
    first = np.full(n, -1, dtype=np.int64)
    last = np.full(n, -1, dtype=np.int64)
    if codes.size:
        head = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        tail = np.r_[head[1:] - 1, codes.size - 1]
        first[codes[head]] = days[head]
        last[codes[head]] = days[tail]
    return first, last


def _count_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct day numbers and how often each occurs (days span a few thousand values).

    A bincount over the day range; numpy 2.4's hash-based ``np.unique`` is far slower.
    """
    if days.size == 0:
        return days.copy(), np.zeros(0, dtype=np.int64)
    first = int(days.min())
    counts = np.bincount(days - first)
    present = np.flatnonzero(counts)
    return present + first, counts[present]


def summary_data_from_transactions(
    transactions: pd.DataFrame | PreparedTransactions,
    *,
    calibration_end: object | None = None,
    observation_end: object | None = None,
    time_unit: TimeUnit = "week",
) -> pd.DataFrame:
    """Summarise canonical transactions into one BTYD row per customer.

    Parameters
    ----------
    transactions : pd.DataFrame or PreparedTransactions
        Canonical columns ``customer_id``, ``date``, ``amount`` (negative = refund),
        or :func:`loyalty.kpi.periods.prepare` of them: pass the prepared object when
        the KPIs are computed too, so the customer ids are encoded once (at 1M rows
        that encoding is the costliest step of the summary).
    calibration_end : date-like, optional
        Last day (inclusive) of the calibration window. Default: ``observation_end``.
    observation_end : date-like, optional
        Last day (inclusive) of the data used at all. Default: the last date in the data.
    time_unit : {"day", "week", "month"}
        Unit of ``recency``, ``T`` and ``duration_holdout``.

    Returns
    -------
    pd.DataFrame
        Index ``customer_id``; columns ``frequency``, ``recency``, ``T``,
        ``monetary_value`` and, with a holdout window, ``frequency_holdout``,
        ``monetary_value_holdout``, ``duration_holdout``. Only customers whose
        first purchase is on or before ``calibration_end``. ``attrs["clv"]``
        holds the windows, the unit and the daily count of repeat occasions (for
        the holdout tracking plot). Read T as ``summary["T"]``: ``summary.T`` is
        the pandas transpose.

    Raises
    ------
    InputError
        When a canonical column is missing.
    """
    if not isinstance(transactions, PreparedTransactions):
        _check_columns(transactions)
    unit_days = days_per_unit(time_unit)
    obs_end = None if observation_end is None else to_day_number(observation_end)
    customers, codes, days, values, is_occ = _daily_occasions(transactions, obs_end)
    if obs_end is None:
        obs_end = int(days.max()) if days.size else 0
    cal_end = obs_end if calibration_end is None else min(to_day_number(calibration_end), obs_end)

    n = len(customers)
    in_cal = days <= cal_end
    occ_cal = is_occ & in_cal
    first, last = _per_customer_extremes(codes[occ_cal], days[occ_cal], n)
    n_occasions = np.bincount(codes[occ_cal], minlength=n)
    frequency = np.maximum(n_occasions - 1, 0)

    after_first = (first[codes] >= 0) & (days > first[codes])
    repeat_cal = in_cal & after_first
    repeat_value = np.bincount(codes[repeat_cal], weights=values[repeat_cal], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(frequency > 0, repeat_value / np.maximum(frequency, 1), 0.0)

    keep = first >= 0
    out = pd.DataFrame(
        {
            "frequency": frequency[keep].astype(np.int64),
            "recency": (last[keep] - first[keep]) / unit_days,
            "T": (cal_end - first[keep]) / unit_days,
            "monetary_value": np.maximum(monetary[keep], 0.0),
        },
        index=pd.Index(customers[keep], name=CUSTOMER_ID, dtype=str),
    )
    if cal_end < obs_end:
        hold = ~in_cal & (first[codes] >= 0)
        hold_occ = hold & is_occ
        n_hold = np.bincount(codes[hold_occ], minlength=n)
        hold_value = np.bincount(codes[hold], weights=values[hold], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            hold_monetary = np.where(n_hold > 0, hold_value / np.maximum(n_hold, 1), 0.0)
        out["frequency_holdout"] = n_hold[keep].astype(np.int64)
        out["monetary_value_holdout"] = np.maximum(hold_monetary[keep], 0.0)
        out["duration_holdout"] = (obs_end - cal_end) / unit_days

    day_ids, counts = _count_days(days[is_occ & after_first])
    out.attrs[ATTRS_KEY] = {
        "calibration_end": day_number_to_timestamp(cal_end),
        "observation_end": day_number_to_timestamp(obs_end),
        "time_unit": time_unit,
        "repeat_occasions_by_day": pd.Series(counts, index=day_number_to_timestamp(day_ids)),
    }
    return out
