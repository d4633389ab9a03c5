"""Customer retention in non-contractual data: period rates, cohort tables, inactivity churn.

Without contracts nobody "cancels", so activity has to be defined: a customer is
**active in a period** when they make at least one purchase in it (refunds do not
count). Two retention rates follow from that:

* ``rate_common`` = (E − N)/S, the textbook formula: S = customers active in the
  previous period, E = active in this period, N = new this period (first purchase
  ever). In non-contractual data it also counts customers who come back after a
  gap, so it can sit near 100% while half the customers have lapsed.
* ``rate_both`` = share of S that is active in this period too: the stricter rate,
  the one to show by default. On CDNOW, Q3→Q4 1997 gives 0.990 and 0.484.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loyalty.errors import InputError
from loyalty.kpi.periods import (
    DateLike,
    Period,
    PurchaseDays,
    Transactions,
    check_period,
    day_of,
    jsonable,
    period_bounds,
    period_labels,
    period_ordinals,
    purchase_days,
    sorted_unique,
)
from loyalty.kpi.repeat import purchase_gaps


def _active_pairs(days: PurchaseDays, period: Period) -> tuple[np.ndarray, np.ndarray]:
    """Return distinct (customer code, period ordinal) pairs, sorted by customer then period."""
    ordinals = period_ordinals(days.day, period)
    base = int(ordinals.min()) if len(ordinals) else 0
    span = int(ordinals.max()) - base + 1 if len(ordinals) else 1
    # Purchase days are sorted by customer then day, and periods grow with the day, so
    # the keys are already sorted: dropping repeats of the previous key is enough.
    keys = days.code * span + (ordinals - base)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys
    return keys // span, keys % span + base


def _first_ordinal(codes: np.ndarray, ordinals: np.ndarray) -> np.ndarray:
    """Return each customer's first active period (pairs are sorted within customer)."""
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    return ordinals[starts]


def _complete(ordinals: np.ndarray, period: Period, first_day: int, last_day: int) -> np.ndarray:
    """Return whether each period lies wholly inside the observed days."""
    start_days, end_days = period_bounds(ordinals, period)
    return (start_days >= first_day) & (end_days <= last_day)


def retention_rates(
    transactions: Transactions, period: Period = "quarter", start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Return both retention rates for each period after the first.

    Parameters
    ----------
    transactions : pandas.DataFrame or PreparedTransactions
        Canonical transactions.
    period : {"month", "quarter", "year"}
        Calendar period.
    start, end : date-like, optional
        Keep the periods that overlap the window [start, end]. Activity and "new"
        (first purchase ever) are always judged on all the data.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``period``, ``period_start``, ``active_start`` (S, active
        in the previous period), ``active_end`` (E, active in this period), ``new``
        (N), ``active_both`` (active in both), ``rate_common`` ((E − N)/S),
        ``rate_both`` (active_both/S), ``complete`` (this and the previous period lie
        wholly inside the data; a partial first or last period understates activity).
    """
    check_period(period)
    days = purchase_days(transactions)
    if days.n_customers == 0:
        return _empty_rates()
    codes, ordinals = _active_pairs(days, period)
    base, top = int(ordinals.min()), int(ordinals.max())
    size = top - base + 1
    active = np.bincount(ordinals - base, minlength=size)
    new = np.bincount(_first_ordinal(codes, ordinals) - base, minlength=size)
    # Consecutive pairs of one customer one period apart: active in both periods.
    both_mask = (codes[1:] == codes[:-1]) & (ordinals[1:] - ordinals[:-1] == 1)
    both = np.bincount(ordinals[1:][both_mask] - base, minlength=size)
    all_ordinals = np.arange(base, top + 1)
    labels, starts = period_labels(all_ordinals, period)
    whole = _complete(all_ordinals, period, int(days.day.min()), int(days.day.max()))
    with np.errstate(invalid="ignore", divide="ignore"):
        previous = np.r_[0, active[:-1]].astype(float)
        table = pd.DataFrame(
            {
                "period": labels,
                "period_start": starts,
                "active_start": np.r_[0, active[:-1]],
                "active_end": active,
                "new": new,
                "active_both": both,
                "rate_common": np.where(previous > 0, (active - new) / previous, np.nan),
                "rate_both": np.where(previous > 0, both / previous, np.nan),
                # S comes from the previous period, so both must be wholly observed.
                "complete": whole & np.r_[False, whole[:-1]],
            }
        ).iloc[1:]
    return _clip_periods(table, period, start, end).reset_index(drop=True)


def _clip_periods(table: pd.DataFrame, period: Period, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Keep the rows whose period overlaps the days [start, end]."""
    period_days = table["period_start"].to_numpy().astype("datetime64[D]").astype(np.int64)
    keep = np.ones(len(table), dtype=bool)
    if day_of(start) is not None:
        keep &= period_days >= _period_start_day(day_of(start), period)
    if day_of(end) is not None:
        keep &= period_days <= day_of(end)
    return table.loc[keep]


def _period_start_day(day: int, period: Period) -> int:
    """Return the first day number of the period that contains day ``day``."""
    first, _ = period_bounds(period_ordinals(np.array([day]), period), period)
    return int(first[0])


def _empty_rates() -> pd.DataFrame:
    """Return the retention table of data without purchases."""
    columns = ["period", "period_start", "active_start", "active_end", "new", "active_both"]
    return pd.DataFrame(columns=[*columns, "rate_common", "rate_both", "complete"])


@dataclass(frozen=True)
class CohortTable:
    """Share of each acquisition cohort active k periods after its first purchase.

    Parameters
    ----------
    period : str
        Period of cohorts and columns ("month", "quarter", "year").
    shares : pandas.DataFrame
        Index: cohort label (e.g. "1997-01"); columns: periods since first purchase
        0..k; values: share of the cohort active. Column 0 is 1 by definition. Cells
        not yet observed (after the end of the data) are NaN, not 0.
    counts : pandas.DataFrame
        Active customers, same shape as ``shares``.
    sizes : pandas.Series
        Customers acquired per cohort.
    """

    period: str
    shares: pd.DataFrame
    counts: pd.DataFrame
    sizes: pd.Series

    def to_long(self) -> pd.DataFrame:
        """Return one row per observed cell: cohort, periods_since, share, active, size."""
        shares = self.shares.rename_axis(index="cohort", columns="periods_since").stack().rename("share")
        counts = self.counts.rename_axis(index="cohort", columns="periods_since").stack().rename("active")
        long = pd.concat([shares, counts], axis=1).dropna(subset=["share"]).reset_index()
        long["active"] = long["active"].astype(np.int64)
        long["size"] = long["cohort"].map(self.sizes).astype(np.int64)
        return long

    def to_dict(self) -> dict[str, Any]:
        """Return the table as JSON-friendly Python: cohorts, sizes and a shares matrix."""
        return {
            "period": self.period,
            "cohorts": list(self.shares.index),
            "sizes": jsonable(self.sizes.to_numpy()),
            "periods_since": [int(c) for c in self.shares.columns],
            "shares": jsonable(self.shares.to_numpy()),
        }


def cohort_table(
    transactions: Transactions,
    period: Period = "month",
    max_periods: int | None = None,
    start: DateLike = None,
    end: DateLike = None,
) -> CohortTable:
    """Return the acquisition-cohort retention table.

    Parameters
    ----------
    transactions : pandas.DataFrame or PreparedTransactions
        Canonical transactions.
    period : {"month", "quarter", "year"}
        Period of the cohorts and of the columns.
    max_periods : int, optional
        Keep columns 0..max_periods only.
    start, end : date-like, optional
        Keep cohorts acquired in this window (first purchase in all the data).

    Returns
    -------
    CohortTable
        Shares, counts and cohort sizes. On CDNOW (monthly) month-1 retention is
        14.7%, 15.5% and 14.2% for the January, February and March 1997 cohorts.
    """
    check_period(period)
    if max_periods is not None and max_periods < 0:
        raise InputError("kpi.error.negative", name="max_periods", value=max_periods)
    days = purchase_days(transactions)
    codes, ordinals = _active_pairs(days, period)
    if len(codes) == 0:
        empty = pd.DataFrame(index=pd.Index([], name="cohort", dtype=str))
        return CohortTable(period, empty, empty.copy(), pd.Series(dtype=np.int64, name="size"))
    first = _first_ordinal(codes, ordinals)
    cohort_of_pair = first[codes]
    last_observed = int(ordinals.max())
    cohorts, _ = sorted_unique(first)
    cohorts = cohorts[_in_window(cohorts, period, start, end)]
    width = last_observed - int(cohorts.min()) + 1 if len(cohorts) else 1
    if max_periods is not None:
        width = min(width, max_periods + 1)
    keep = np.isin(cohort_of_pair, cohorts) & (ordinals - cohort_of_pair < width)
    row = np.searchsorted(cohorts, cohort_of_pair[keep])
    col = (ordinals - cohort_of_pair)[keep]
    counts = np.bincount(row * width + col, minlength=len(cohorts) * width).reshape(len(cohorts), width)
    sizes = counts[:, 0].astype(np.int64)
    # Cells after the last observed period have not happened yet: NaN, not a 0% retention.
    observed = cohorts[:, None] + np.arange(width)[None, :] <= last_observed
    labels, _ = period_labels(cohorts, period)
    index = pd.Index(labels, name="cohort")
    columns = pd.Index(range(width), name="periods_since")
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(observed, counts / sizes[:, None], np.nan)
    return CohortTable(
        period=period,
        shares=pd.DataFrame(shares, index=index, columns=columns),
        counts=pd.DataFrame(np.where(observed, counts, np.nan), index=index, columns=columns),
        sizes=pd.Series(sizes, index=index, name="size"),
    )


def _in_window(ordinals: np.ndarray, period: Period, start: DateLike, end: DateLike) -> np.ndarray:
    """Return which period ordinals fall in the window of days [start, end]."""
    keep = np.ones(len(ordinals), dtype=bool)
    if day_of(start) is not None:
        keep &= ordinals >= period_ordinals(np.array([day_of(start)]), period)[0]
    if day_of(end) is not None:
        keep &= ordinals <= period_ordinals(np.array([day_of(end)]), period)[0]
    return keep


def inactivity_threshold_default(
    transactions: Transactions, quantile: float = 0.9, fallback: int = 365
) -> int:
    """Return a data-driven inactivity threshold in days.

    It is the ``quantile`` (90th percentile) of the gaps between a customer's
    consecutive purchase days, rounded up to a whole day: 90% of returning customers
    come back within it, so a longer silence is unusual for this business.

    Parameters
    ----------
    transactions : pandas.DataFrame or PreparedTransactions
        Canonical transactions.
    quantile : float
        Share of observed gaps the threshold must cover.
    fallback : int
        Days returned when no customer has bought twice (there is no gap to learn from).

    Returns
    -------
    int
        Threshold in days.
    """
    if not 0 < quantile < 1:
        raise InputError("kpi.error.probability")
    gaps = purchase_gaps(transactions)
    if gaps.empty:
        return int(fallback)
    return int(math.ceil(float(np.quantile(gaps.to_numpy(), quantile))))


@dataclass(frozen=True)
class ChurnResult:
    """Customers churned by inactivity at a date.

    Parameters
    ----------
    share : float
        Churned customers ÷ customers (NaN without customers).
    churned, active, customers : int
        Counts: last purchase more than ``threshold_days`` before ``as_of``, the
        others, and all customers with a purchase up to ``as_of``.
    threshold_days : int
        Inactivity threshold.
    as_of : pandas.Timestamp
        Reference date.
    """

    share: float
    churned: int
    active: int
    customers: int
    threshold_days: int
    as_of: pd.Timestamp

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-friendly Python."""
        return jsonable(self)


def churn_by_inactivity(
    transactions: Transactions, threshold_days: int, as_of: DateLike = None
) -> ChurnResult:
    """Return the share of customers whose last purchase is over ``threshold_days`` old.

    Parameters
    ----------
    transactions : pandas.DataFrame or PreparedTransactions
        Canonical transactions; rows after ``as_of`` are ignored.
    threshold_days : int
        Days without a purchase after which a customer counts as churned (strictly
        more than this many days).
    as_of : date-like, optional
        Reference date; the last purchase date in the data by default.

    Returns
    -------
    ChurnResult
        Share and counts.
    """
    if threshold_days is None or threshold_days < 0:
        raise InputError("kpi.error.negative", name="threshold_days", value=threshold_days)
    days = purchase_days(transactions, end=as_of)
    customers = days.n_customers
    last_seen = int(days.day.max()) if customers else None
    reference = day_of(as_of) if as_of is not None else last_seen
    churned = int(np.sum(reference - days.last_day() > threshold_days)) if customers else 0
    return ChurnResult(
        share=churned / customers if customers else math.nan,
        churned=churned,
        active=customers - churned,
        customers=customers,
        threshold_days=int(threshold_days),
        as_of=pd.NaT if reference is None else pd.Timestamp(np.datetime64(reference, "D")),
    )
