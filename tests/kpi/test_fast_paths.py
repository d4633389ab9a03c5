"""Sort-free shortcuts agree with the plain sorting they replace (random data, many ties)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.kpi.periods import argsort_ints, prepare, purchase_days
from loyalty.kpi.repeat import _first_purchase_rows
from loyalty.kpi.rfm import _dense_rank, _split_distinct
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE


def _sorted_dense_rank(values: np.ndarray) -> np.ndarray:
    ordered = np.unique(values)
    return np.searchsorted(ordered, values)


@pytest.mark.parametrize("span", [3, 40, 10**9])
def test_dense_rank_by_counting_matches_sorting(span):
    values = np.random.default_rng(span).integers(-span, span, 2_000)
    ranks = _dense_rank(values)
    np.testing.assert_array_equal(ranks, _sorted_dense_rank(values))
    np.testing.assert_array_equal(_dense_rank(values.astype(float)), ranks)  # the sorting path


def test_first_purchase_row_is_the_earliest_day_then_the_first_row():
    rng = np.random.default_rng(11)
    n = 3_000
    data = pd.DataFrame(
        {
            CUSTOMER_ID: rng.choice(list("ABCDEFGHIJ"), n),
            DATE: pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 20, n), unit="D"),
            AMOUNT: rng.choice([-5.0, 0.0, 10.0, 25.0], n),  # refunds are never the first purchase
        }
    )
    prepared = prepare(data)
    for start, end in ((None, None), ("2024-01-05", "2024-01-12")):
        days = purchase_days(prepared, start, end)
        rows = _first_purchase_rows(prepared, start, end, days)
        purchases = data[prepared.purchases(start, end)]
        expected = purchases.sort_values([DATE], kind="stable").groupby(CUSTOMER_ID, sort=False).head(1)
        by_id = dict(zip(expected[CUSTOMER_ID], expected.index, strict=True))
        assert list(rows) == [by_id[c] for c in days.customers]


def _argsort_split(key: np.ndarray, bins: int) -> np.ndarray:
    """The scores as the argsort of the keys gives them: position * bins // n + 1."""
    position = np.empty(key.size, dtype=np.int64)
    position[np.argsort(key)] = np.arange(key.size)
    return position * bins // key.size + 1


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 99, 1_001, 25_003])
@pytest.mark.parametrize("bins", [2, 3, 5])
def test_split_by_boundaries_matches_the_argsort(n, bins):
    key = np.random.default_rng(n).permutation(np.arange(n, dtype=np.int64) * 7 - 3 * n)
    np.testing.assert_array_equal(_split_distinct(key, bins), _argsort_split(key, bins))


@pytest.mark.parametrize("span", [1, 5, 1_000, 10**9, 2**62])
def test_argsort_by_packed_positions_is_a_stable_argsort(span):
    keys = np.random.default_rng(span).integers(-span, span, 20_001)
    np.testing.assert_array_equal(argsort_ints(keys), np.argsort(keys, kind="stable"))
    np.testing.assert_array_equal(
        argsort_ints(keys.astype(np.int32 if span < 2**31 else np.int64)), np.argsort(keys, kind="stable")
    )
    assert argsort_ints(keys[:1]).tolist() == [0] and argsort_ints(keys[:0]).size == 0
