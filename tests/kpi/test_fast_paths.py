"""Sort-free shortcuts agree with the plain sorting they replace (random data, many ties)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.kpi.periods import prepare, purchase_days
from loyalty.kpi.repeat import _first_purchase_rows
from loyalty.kpi.rfm import _dense_rank
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
