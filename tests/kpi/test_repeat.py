"""Repeat purchase rate, purchase frequency, AOV and purchase gaps."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from loyalty.errors import InputError
from loyalty.kpi.repeat import (
    aov,
    order_summary,
    purchase_frequency,
    purchase_gaps,
    repeat_purchase_rate,
    repeat_rate_by_cohort,
    repeat_rate_by_segment,
    wilson_interval,
)
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE, ORDER_ID, SEGMENT

from .conftest import frame


def _shop() -> pd.DataFrame:
    return frame(
        [
            ("A", "2024-03-01 09:00", 10),  # two receipts on one day: one occasion
            ("A", "2024-03-01 17:30", 5),
            ("B", "2024-03-01", 20),
            ("B", "2024-03-05", 20),
            ("C", "2024-03-01", 30),
            ("C", "2024-03-03", -30),  # a refund is not an occasion
            ("D", "2024-03-02", 0),  # zero amounts are purchases
            ("D", "2024-03-04", 0),
            ("E", "2024-03-02", -15),  # refund only: not a customer of the window
        ]
    )


def test_repeat_rate_counts_distinct_purchase_days_by_default():
    result = repeat_purchase_rate(_shop())
    assert (result.customers, result.repeat_customers) == (4, 2)  # B and D
    assert result.value == 0.5
    rows = repeat_purchase_rate(_shop(), occasions="rows")
    assert rows.repeat_customers == 3 and rows.value == 0.75  # A's same-day receipts count twice


def test_repeat_rate_interval_is_wilson():
    # 2 of 4, z = 1.96: centre 0.5, half-width 1.96/1.9604·√(0.0625 + 3.8416/64) = 0.34997.
    assert repeat_purchase_rate(_shop()).ci95 == pytest.approx((0.15003, 0.84997), abs=1e-4)
    lo, hi = wilson_interval(np.array([0, 10]), np.array([10, 10]))
    assert lo[0] == 0.0 and hi[1] == 1.0 and 0 < hi[0] < 0.35


def test_repeat_rate_in_a_window():
    result = repeat_purchase_rate(_shop(), start="2024-03-02", end="2024-03-04")
    assert (result.customers, result.repeat_customers) == (1, 1)  # only D, twice
    with pytest.raises(InputError):
        repeat_purchase_rate(_shop(), occasions="orders")


def test_repeat_rate_on_cdnow(cdnow_prepared):
    assert round(100 * repeat_purchase_rate(cdnow_prepared).value, 2) == 48.86
    assert round(100 * repeat_purchase_rate(cdnow_prepared, occasions="rows").value, 2) == 49.48


def test_frequency_and_aov_on_cdnow(cdnow_prepared):
    summary = order_summary(cdnow_prepared)
    assert summary.customers == 23_570
    assert summary.orders == 69_659
    assert summary.revenue == pytest.approx(2_500_315.63, abs=0.005)
    assert round(summary.frequency, 3) == 2.955
    assert round(summary.aov, 2) == 35.89


def test_orders_use_order_id_when_present():
    data = frame(
        [
            ("A", "2024-01-01", 10, "o1"),
            ("A", "2024-01-01", 5, "o1"),  # second line of order o1
            ("A", "2024-01-09", 20, "o2"),
            ("B", "2024-01-02", 40, None),  # no order id: an order of its own
            ("B", "2024-01-03", -40, "r1"),  # refund: not an order, lowers revenue
        ],
        columns=(CUSTOMER_ID, DATE, AMOUNT, ORDER_ID),
    )
    summary = order_summary(data)
    assert (summary.customers, summary.orders, summary.revenue) == (2, 3, 35.0)
    assert purchase_frequency(data) == 1.5
    assert aov(data) == pytest.approx(35 / 3)
    without_ids = order_summary(data.drop(columns=ORDER_ID))
    assert without_ids.orders == 4  # every purchase row
    json.dumps(summary.to_dict())


def test_purchase_gaps_are_days_between_distinct_purchase_days():
    gaps = purchase_gaps(_shop())
    assert sorted(gaps.tolist()) == [2, 4]  # D: 2 → 4 March, B: 1 → 5 March
    assert gaps.name == "gap_days"


def test_repeat_rate_by_cohort_with_and_without_a_horizon():
    data = frame(
        [
            ("A", "2024-01-05", 10),
            ("A", "2024-01-20", 10),  # back after 15 days
            ("B", "2024-01-10", 10),
            ("B", "2024-06-10", 10),  # back after 152 days
            ("C", "2024-02-01", 10),
            ("C", "2024-02-02", 10),
            ("D", "2024-02-15", 10),
        ]
    )
    table = repeat_rate_by_cohort(data, period="month", min_n=2)
    assert list(table["cohort"]) == ["2024-01", "2024-02"]
    assert list(table["customers"]) == [2, 2]
    assert table["value"].tolist() == [1.0, 0.5]
    within = repeat_rate_by_cohort(data, period="month", horizon_days=30, min_n=2)
    assert within["value"].tolist() == [0.5, 0.5]  # B's return is outside 30 days
    # Data end 10 June: the January cohort has 131 days after 31 January, February 102.
    assert within["min_observed_days"].tolist() == [131, 102]


def test_repeat_rate_by_segment_uses_the_first_purchase_row():
    data = frame(
        [
            ("A", "2024-01-01", 10, "web"),
            ("A", "2024-01-05", 10, "store"),  # later label does not move A
            ("B", "2024-01-02", 10, "store"),
            ("C", "2024-01-03", 10, "web"),
            ("C", "2024-01-04", 10, "web"),
            ("D", "2024-01-03", 10, None),  # no label: left out
        ],
        columns=(CUSTOMER_ID, DATE, AMOUNT, SEGMENT),
    )
    table = repeat_rate_by_segment(data, SEGMENT, min_n=2)
    assert list(table["segment"]) == ["store", "web"]
    assert list(table["customers"]) == [1, 2]
    assert table["value"].tolist() == [0.0, 1.0]
    assert list(table["too_small"]) == [True, False]
    with pytest.raises(InputError):
        repeat_rate_by_segment(data, "country")
