"""RFM scores (recency, frequency, monetary) and named customer segments.

Each customer with a purchase gets three scores from 1 (worst) to 5 (best) by
quantile: recency = days since the last purchase day (fewer is better), frequency =
distinct purchase days, monetary = net revenue (refunds included).

Purchase data is full of ties (half the customers often bought once; many spent 0),
and a plain ``qcut`` then collapses or fails. Two tie policies:

* ``ties="split"`` (default): equal-size bins, all five non-empty. Customers are
  ordered by the measure, ties broken by the other two measures and then by customer
  id, so the order is meaningful and repeatable; equal values on a bin edge can get
  neighbouring scores.
* ``ties="keep"``: equal values always share a score, the score of the share of
  customers strictly worse. Bins a large tie spans stay empty (e.g. with 51% one-time
  buyers frequency scores jump from 1 to 3).

Segments come from the recency × frequency grid below. A one-time buyer is named by
recency only (New, Hibernating, Lost), so a tie-broken frequency score never calls
someone with a single purchase "loyal".
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from loyalty.errors import InputError
from loyalty.i18n import t
from loyalty.kpi.periods import DateLike, Transactions, argsort_ints, day_of, prepare, purchase_days
from loyalty.schema import CUSTOMER_ID

Ties = Literal["split", "keep"]

#: Segment keys, best first; labels are catalog keys ``kpi.rfm.segment.<key>``.
SEGMENTS: tuple[str, ...] = (
    "champions",
    "loyal",
    "potential_loyalists",
    "new",
    "at_risk",
    "cant_lose",
    "hibernating",
    "lost",
)

# Recency score (rows, 5 = most recent) × frequency score (columns 1..5).
_GRID: dict[int, tuple[str, ...]] = {
    5: ("new", "potential_loyalists", "potential_loyalists", "champions", "champions"),
    4: ("new", "potential_loyalists", "potential_loyalists", "loyal", "loyal"),
    3: ("hibernating", "hibernating", "at_risk", "loyal", "loyal"),
    2: ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),
    1: ("lost", "lost", "at_risk", "at_risk", "cant_lose"),
}
#: "111" .. "555" by their integer value (only valid score triples are ever looked up).
_RFM_CODES = pd.array([str(i) for i in range(556)], dtype="str")
_SEGMENT_KEYS = pd.array(list(SEGMENTS), dtype="str")
# One-time buyers by recency score only.
_ONE_TIME: dict[int, str] = {5: "new", 4: "new", 3: "hibernating", 2: "hibernating", 1: "lost"}


def segment_label(key: str, lang: str = "en") -> str:
    """Return the display name of segment ``key`` in ``lang``."""
    return t(f"kpi.rfm.segment.{key}", lang)


def _dense_rank(values: np.ndarray) -> np.ndarray:
    """Return 0-based dense ranks (equal values share a rank, no gaps).

    Integers over a narrow range (recency in days, purchase days) are ranked by
    counting, without a sort; anything else by a stable argsort.
    """
    if values.size and np.issubdtype(values.dtype, np.integer):
        low = int(values.min())
        if int(values.max()) - low < 4 * values.size:
            present = np.bincount(values - low) > 0
            return (np.cumsum(present) - 1)[values - low]
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    ranks = np.empty(values.size, dtype=np.int64)
    ranks[order] = np.cumsum(np.r_[0, ordered[1:] != ordered[:-1]])
    return ranks


def _combined(keys: tuple[np.ndarray, ...]) -> np.ndarray | None:
    """Return one int64 key ordering like ``keys`` (main key first), or None when it would overflow."""
    sizes = [int(k.max()) + 1 for k in keys]
    if np.prod(np.array(sizes, dtype=float)) >= 2.0**62:
        return None
    combined = np.zeros(keys[0].size, dtype=np.int64)
    for key, size in zip(keys, sizes, strict=True):
        combined = combined * size + key
    return combined


def _tie_ranks(ranks: tuple[np.ndarray, ...], ids: pd.Index) -> np.ndarray:
    """Return, per customer, the rank of its id among customers sharing all of ``ranks`` (0 elsewhere).

    Only the tied customers' ids are sorted: sorting millions of id strings was the
    costliest step of :func:`rfm_table`, and most customers have no twin.
    """
    key = _combined(ranks)
    order = np.lexsort(tuple(reversed(ranks))) if key is None else argsort_ints(key)
    ordered = np.column_stack([r[order] for r in ranks])
    same = np.all(ordered[1:] == ordered[:-1], axis=1)
    tied = np.zeros(order.size, dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    members = order[tied]
    out = np.zeros(order.size, dtype=np.int64)
    out[members[np.asarray(pd.Index(ids[members].astype(str)).argsort())]] = np.arange(members.size)
    return out


def _split_scores(keys: tuple[np.ndarray, ...], bins: int) -> np.ndarray:
    """Return equal-size quantile scores 1..bins, ordering by ``keys`` (dense ranks, main key first).

    The last key must make every customer distinct (see :func:`_tie_ranks`), so
    the order, and hence the split, is the same whatever the row order of the input.
    """
    combined = _combined(keys)
    if combined is not None:
        return _split_distinct(combined, bins)
    order = np.lexsort(tuple(reversed(keys)))
    position = np.empty(order.size, dtype=np.int64)
    position[order] = np.arange(order.size)
    return position * bins // order.size + 1


def _split_distinct(key: np.ndarray, bins: int) -> np.ndarray:
    """Scores ``position * bins // n + 1`` of distinct int64 keys, by their position in sorted order.

    A key's score counts the bin boundaries at or below it, and the boundaries are
    the keys at positions ``ceil(j * n / bins)``: one sort of the keys (numpy sorts
    int64 by radix) instead of an argsort and its inverse permutation.
    """
    n = key.size
    ordered = np.sort(key)
    scores = np.ones(n, dtype=np.int64)
    for j in range(1, bins):
        at = -(-j * n // bins)  # ceil(j * n / bins): the first position of score j + 1
        if at < n:
            scores += key >= ordered[at]
    return scores


def _keep_scores(primary: np.ndarray, bins: int) -> np.ndarray:
    """Return scores 1..bins from the share of customers strictly below (ties share a score)."""
    below = np.searchsorted(np.sort(primary), primary, side="left")
    return below * bins // len(primary) + 1


def _scores(measures: dict[str, np.ndarray], ids: pd.Index, ties: Ties, bins: int) -> dict[str, np.ndarray]:
    """Return r, f and m scores; each measure is oriented so that higher is better."""
    if ties == "keep":
        return {name: _keep_scores(values, bins) for name, values in measures.items()}
    r, f, m = (_dense_rank(measures[name]) for name in ("r", "f", "m"))
    # Ties on one measure are broken by the other two, which is meaningful, not arbitrary;
    # customers equal on all three are ordered by id.
    by_id = _tie_ranks((r, f, m), ids)
    return {
        "r": _split_scores((r, f, m, by_id), bins),
        "f": _split_scores((f, m, r, by_id), bins),
        "m": _split_scores((m, f, r, by_id), bins),
    }


def _segments(r: np.ndarray, f: np.ndarray, frequency: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Return the segment key of each customer from the grid (5-point scores), as a ``str`` array.

    Positions into the eight keys, then one take: building a million strings from
    Python objects cost more than the whole scoring.
    """
    position = {key: i for i, key in enumerate(SEGMENTS)}
    grid = np.array([[position[_GRID[row][col]] for col in range(5)] for row in range(1, 6)])
    one_time = np.array([position[_ONE_TIME[s]] for s in range(1, 6)])
    return _SEGMENT_KEYS.take(np.where(frequency <= 1, one_time[r - 1], grid[r - 1, f - 1]))


def rfm_table(
    transactions: Transactions,
    as_of: DateLike = None,
    start: DateLike = None,
    ties: Ties = "split",
) -> pd.DataFrame:
    """Return RFM measures, scores and segment per customer.

    Parameters
    ----------
    transactions : pandas.DataFrame or PreparedTransactions
        Canonical transactions.
    as_of : date-like, optional
        Reference date for recency; rows after it are ignored. Defaults to the last
        purchase date.
    start : date-like, optional
        First day of the window the measures are taken over.
    ties : {"split", "keep"}
        Tie policy (see the module notes).

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``recency_days``, ``frequency`` (purchase days),
        ``monetary`` (net revenue), ``r``, ``f``, ``m`` (1–5), ``rfm`` (e.g. "545")
        and ``segment`` (a key of :data:`SEGMENTS`).
    """
    if ties not in ("split", "keep"):
        raise InputError("kpi.error.ties", value=ties)
    data = prepare(transactions)
    days = purchase_days(data, start, as_of)
    columns = ["recency_days", "frequency", "monetary", "r", "f", "m", "rfm", "segment"]
    if days.n_customers == 0:
        return pd.DataFrame(columns=[CUSTOMER_ID, *columns])
    reference = day_of(as_of) if day_of(as_of) is not None else int(days.day.max())
    recency = reference - days.last_day()
    frequency = days.occasions("days")
    rows = data.rows(start, as_of)
    amounts = np.nan_to_num(data.amount[rows])
    monetary = np.bincount(data.code[rows], weights=amounts, minlength=len(data.customers))[days.source_code]
    measures = {"r": -recency, "f": frequency, "m": monetary}
    scores = _scores(measures, days.customers, ties, bins=5)
    table = pd.DataFrame(
        {
            CUSTOMER_ID: days.customers,
            "recency_days": recency,
            "frequency": frequency,
            "monetary": monetary,
            "r": scores["r"],
            "f": scores["f"],
            "m": scores["m"],
        }
    )
    # One lookup into the 125 possible codes instead of three string casts and two joins.
    digits = scores["r"] * 100 + scores["f"] * 10 + scores["m"]
    table["rfm"] = _RFM_CODES.take(digits)
    table["segment"] = _segments(scores["r"], scores["f"], frequency)
    return table


def rfm_segments(table: pd.DataFrame) -> pd.DataFrame:
    """Return customers and revenue per segment, in :data:`SEGMENTS` order.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`rfm_table`.

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``customers``, ``share`` (of customers), ``revenue``,
        ``revenue_share``, and the mean ``recency_days``, ``frequency`` and
        ``monetary``; every segment is listed, empty ones with zeros.
    """
    grouped = table.groupby("segment", sort=False).agg(
        customers=(CUSTOMER_ID, "size"),
        revenue=("monetary", "sum"),
        recency_days=("recency_days", "mean"),
        frequency=("frequency", "mean"),
        monetary=("monetary", "mean"),
    )
    summary = grouped.reindex(list(SEGMENTS)).rename_axis("segment").reset_index()
    summary[["customers", "revenue"]] = summary[["customers", "revenue"]].fillna(0)
    summary["customers"] = summary["customers"].astype(np.int64)
    total_customers, total_revenue = summary["customers"].sum(), summary["revenue"].sum()
    summary.insert(2, "share", summary["customers"] / total_customers if total_customers else np.nan)
    summary.insert(4, "revenue_share", summary["revenue"] / total_revenue if total_revenue else np.nan)
    return summary
