"""Historical customer lifetime value and the simple CLV formulas.

Historical CLV is what a customer has been worth so far: net revenue to date (refunds
included), optionally times the gross margin. It says nothing about the future; the
predictive models (BG/NBD, Gamma-Gamma) live elsewhere. Two textbook formulas are
given as well, because practice uses them and they disagree:

* margin multiple: CLV = m·r/(1 + d − r), with m the margin per period, r the
  retention rate per period and d the discount rate per period;
* AOV × purchase frequency × lifespan (× margin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loyalty.errors import InputError
from loyalty.kpi.periods import DateLike, Transactions, jsonable, prepare, purchase_days, to_timestamps
from loyalty.schema import CUSTOMER_ID

QUANTILES: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 0.9, 0.99)


def _check_margin(margin: float) -> float:
    """Return ``margin`` when it is a share in (0, 1]; InputError otherwise."""
    if not 0 < margin <= 1:
        raise InputError("kpi.error.margin", value=margin)
    return float(margin)


def historical_clv(
    transactions: Transactions, margin: float = 1.0, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Return each customer's value to date.

    Parameters
    ----------
    transactions : pandas.DataFrame or PreparedTransactions
        Canonical transactions.
    margin : float
        Gross margin as a share of revenue (1.0 = revenue itself).
    start, end : date-like, optional
        Window (inclusive days).

    Returns
    -------
    pandas.DataFrame
        One row per customer with any transaction in the window, highest value first:
        ``customer_id``, ``revenue`` (net, refunds included), ``value`` (revenue ×
        margin), ``purchases`` (purchase rows), ``first_purchase``, ``last_purchase``
        (NaT for a customer with refunds only). ``revenue`` sums to the window's net
        revenue.
    """
    margin = _check_margin(margin)
    data = prepare(transactions)
    rows = data.rows(start, end)
    size = len(data.customers)
    # bincount over customer codes: one pass over a million rows, no Python per customer.
    seen = np.bincount(data.code[rows], minlength=size) > 0
    revenue = np.bincount(data.code[rows], weights=np.nan_to_num(data.amount[rows]), minlength=size)
    purchases = np.bincount(data.code[data.purchases(start, end)], minlength=size)
    first, last = np.full(size, -1, dtype=np.int64), np.full(size, -1, dtype=np.int64)
    days = purchase_days(data, start, end)
    first[days.source_code], last[days.source_code] = days.first_day(), days.last_day()
    # Highest value first, ties in customer order (a stable sort of the negated values);
    # ordering the codes before building the frame takes the id strings once, not twice.
    codes = np.flatnonzero(seen)
    codes = codes[np.argsort(-revenue[codes], kind="stable")]
    return pd.DataFrame(
        {
            CUSTOMER_ID: data.customers[codes],
            "revenue": revenue[codes],
            "value": revenue[codes] * margin,
            "purchases": purchases[codes].astype(np.int64),
            "first_purchase": to_timestamps(first[codes]),
            "last_purchase": to_timestamps(last[codes]),
        }
    )


def top_share(values: pd.Series | np.ndarray, fraction: float = 0.10) -> float:
    """Return the share of the total held by the top ``fraction`` of customers.

    Parameters
    ----------
    values : array-like
        Value per customer.
    fraction : float
        Top share of customers; the top ⌈fraction·n⌉ customers are counted.

    Returns
    -------
    float
        Their share of the total (NaN when the total is not positive).
    """
    if not 0 < fraction <= 1:
        raise InputError("kpi.error.fraction", value=fraction)
    array = np.asarray(values, dtype=float)
    array = array[~np.isnan(array)]
    total = array.sum()
    if array.size == 0 or total <= 0:
        return math.nan
    k = math.ceil(fraction * array.size)
    return float(np.sort(array)[-k:].sum() / total)


@dataclass(frozen=True)
class CLVSummary:
    """Summary of historical CLV across customers.

    Parameters
    ----------
    customers : int
        Customers summarised.
    total, mean, median : float
        Sum, mean and median of the value per customer.
    quantiles : dict
        ``{"p10", "p25", "p50", "p75", "p90", "p99"}`` -> value.
    top_fraction : float
        Share of customers counted as "top" (0.10).
    top_share : float
        Share of the total value held by them.
    margin : float
        Margin the values were computed with.
    """

    customers: int
    total: float
    mean: float
    median: float
    quantiles: dict[str, float]
    top_fraction: float
    top_share: float
    margin: float

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-friendly Python."""
        return jsonable(self)


def clv_summary(clv: pd.DataFrame, top: float = 0.10, margin: float = 1.0) -> CLVSummary:
    """Summarise a :func:`historical_clv` table.

    Parameters
    ----------
    clv : pandas.DataFrame
        Output of :func:`historical_clv` (its ``value`` column is used).
    top : float
        Share of customers for :attr:`CLVSummary.top_share`.
    margin : float
        Margin the table was built with, recorded in the summary.

    Returns
    -------
    CLVSummary
        Mean, median, quantiles and the top customers' share.
    """
    values = clv["value"].to_numpy(dtype=float)
    empty = values.size == 0
    quantiles = {
        f"p{round(q * 100)}": math.nan if empty else float(np.quantile(values, q)) for q in QUANTILES
    }
    return CLVSummary(
        customers=int(values.size),
        total=float(values.sum()),
        mean=math.nan if empty else float(values.mean()),
        median=math.nan if empty else float(np.median(values)),
        quantiles=quantiles,
        top_fraction=top,
        top_share=top_share(values, top),
        margin=margin,
    )


def margin_multiple_clv(margin_per_period: float, retention: float, discount_rate: float) -> float:
    """Return the margin-multiple CLV, m·r/(1 + d − r).

    It is the discounted value of an infinite stream of margins ``m``, each received
    only if the customer is retained (probability ``r`` per period), starting one
    period from now.

    Parameters
    ----------
    margin_per_period : float
        Margin a retained customer brings per period (m).
    retention : float
        Retention rate per period, between 0 and 1 (r).
    discount_rate : float
        Discount rate per period, 0 or more (d), in the same period unit as ``r``.

    Returns
    -------
    float
        CLV in the currency of ``m``.
    """
    if not 0 <= retention <= 1:
        raise InputError("kpi.error.retention_range", value=retention)
    if discount_rate < 0 or (retention == 1 and discount_rate == 0):
        # With r = 1 and d = 0 the stream never ends and never shrinks: no finite value.
        raise InputError("kpi.error.discount_rate", value=discount_rate)
    return margin_per_period * retention / (1 + discount_rate - retention)


def aov_frequency_lifespan_clv(aov: float, frequency: float, lifespan: float, margin: float = 1.0) -> float:
    """Return AOV × purchase frequency × lifespan × margin (no discounting).

    Parameters
    ----------
    aov : float
        Average order value.
    frequency : float
        Orders per customer per period.
    lifespan : float
        Expected customer lifespan in the same periods.
    margin : float
        Gross margin share.

    Returns
    -------
    float
        CLV in the currency of ``aov``.
    """
    margin = _check_margin(margin)
    if frequency < 0 or lifespan < 0:
        raise InputError("kpi.error.negative", name="frequency/lifespan", value=min(frequency, lifespan))
    return aov * frequency * lifespan * margin
