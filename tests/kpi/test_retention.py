"""Retention: both per-period rates, cohort tables, the inactivity threshold and churn."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from loyalty.errors import InputError
from loyalty.kpi.retention import (
    churn_by_inactivity,
    cohort_table,
    inactivity_threshold_default,
    retention_rates,
)

from .conftest import frame


def _quarters():
    # Q1: A, B, C active. Q2: A and new D (C only has a refund: not active; D's zero
    # amount is a purchase). Q3: A, B (back after a gap), D and new E.
    return frame(
        [
            ("A", "2024-01-10", 20),
            ("A", "2024-04-05", 15),
            ("A", "2024-07-01", 30),
            ("B", "2024-02-01", 50),
            ("B", "2024-08-15", 10),
            ("C", "2024-03-03", 40),
            ("C", "2024-05-01", -20),
            ("D", "2024-05-20", 25),
            ("D", "2024-06-01", 0),
            ("D", "2024-09-09", 35),
            ("E", "2024-08-08", 60),
        ]
    )


def test_both_retention_definitions_on_a_hand_computed_frame():
    rates = retention_rates(_quarters(), period="quarter")
    assert list(rates["period"]) == ["2024Q2", "2024Q3"]
    assert list(rates["active_start"]) == [3, 2]  # S
    assert list(rates["active_end"]) == [2, 4]  # E
    assert list(rates["new"]) == [1, 1]  # N
    assert list(rates["active_both"]) == [1, 2]
    # Q2: (2 - 1)/3 and 1/3. Q3: (4 - 1)/2 = 1.5 (B's return after a gap counts), but 2/2 strictly.
    assert rates["rate_common"].tolist() == pytest.approx([1 / 3, 1.5])
    assert rates["rate_both"].tolist() == pytest.approx([1 / 3, 1.0])


def test_retention_reproduces_cdnow_q3_to_q4_1997(cdnow_prepared):
    rates = retention_rates(cdnow_prepared, period="quarter").set_index("period")
    assert round(rates.loc["1997Q4", "rate_common"], 3) == 0.990
    assert round(rates.loc["1997Q4", "rate_both"], 3) == 0.484
    assert rates["complete"].all()  # CDNOW ends on 1998-06-30, a quarter end


def test_retention_window_keeps_overlapping_periods_and_flags_a_partial_last_one():
    rates = retention_rates(_quarters(), period="month", start="2024-05-15", end="2024-07-02")
    assert list(rates["period"]) == ["2024-05", "2024-06", "2024-07"]
    last = retention_rates(_quarters(), period="month").iloc[-1]
    assert last["period"] == "2024-09" and not last["complete"]  # data end on 9 September


def _months():
    # January cohort: A (Jan, Feb, Apr), B (Jan, Mar), C (Jan only).
    # February cohort: D (Feb, Mar), E (Feb; a March refund is not activity). Data end in April.
    return frame(
        [
            ("A", "2024-01-05", 10),
            ("A", "2024-02-07", 10),
            ("A", "2024-04-01", 10),
            ("B", "2024-01-20", 10),
            ("B", "2024-03-03", 10),
            ("C", "2024-01-31", 10),
            ("D", "2024-02-01", 10),
            ("D", "2024-03-15", 10),
            ("E", "2024-02-29", 10),
            ("E", "2024-03-10", -10),
        ]
    )


def test_cohort_table_on_a_hand_computed_frame():
    table = cohort_table(_months(), period="month")
    assert list(table.shares.index) == ["2024-01", "2024-02"]
    assert list(table.sizes) == [3, 2]
    jan, feb = table.shares.loc["2024-01"], table.shares.loc["2024-02"]
    assert jan.tolist() == pytest.approx([1.0, 1 / 3, 1 / 3, 1 / 3])
    assert feb.iloc[:3].tolist() == pytest.approx([1.0, 0.5, 0.0])  # April observed: a real 0%
    assert math.isnan(feb.iloc[3])  # May is after the data: unknown, not 0%
    assert table.counts.loc["2024-01"].tolist() == [3, 1, 1, 1]


def test_cohort_table_options_and_long_form():
    table = cohort_table(_months(), period="month", max_periods=1)
    assert list(table.shares.columns) == [0, 1]
    long = cohort_table(_months(), period="month").to_long()
    assert len(long) == 7  # 4 + 3 observed cells
    assert set(long.columns) == {"cohort", "periods_since", "share", "active", "size"}
    only_feb = cohort_table(_months(), period="month", start="2024-02-01")
    assert list(only_feb.shares.index) == ["2024-02"]
    json.dumps(table.to_dict())  # JSON-friendly
    with pytest.raises(InputError):
        cohort_table(_months(), period="fortnight")


def test_cohort_month_one_retention_on_cdnow(cdnow_prepared):
    shares = cohort_table(cdnow_prepared, period="month").shares
    month_one = shares.loc[["1997-01", "1997-02", "1997-03"], 1]
    assert [round(100 * v, 1) for v in month_one] == [14.7, 15.5, 14.2]
    assert cohort_table(cdnow_prepared).sizes.sum() == 23_570


def test_inactivity_threshold_is_the_90th_percentile_of_gaps():
    # Ten customers with one gap each: 10, 20, ..., 100 days -> 90th percentile 91 days.
    rows = []
    for i, gap in enumerate(range(10, 101, 10)):
        rows += [(f"c{i}", "2024-01-01", 5), (f"c{i}", str(np.datetime64("2024-01-01") + gap), 5)]
    assert inactivity_threshold_default(frame(rows)) == 91
    one_timers = frame([("a", "2024-01-01", 5), ("b", "2024-02-01", 5)])
    assert inactivity_threshold_default(one_timers, fallback=180) == 180


def test_churn_by_inactivity_counts_strictly_longer_silences():
    data = frame(
        [
            ("recent", "2024-06-20", 10),  # 10 days before as_of
            ("edge", "2024-04-01", 10),  # exactly 90 days: not churned
            ("gone", "2024-01-01", 10),  # 181 days
            ("gone", "2024-02-01", -10),  # a refund is not activity
            ("late", "2024-07-15", 10),  # after as_of: ignored
        ]
    )
    result = churn_by_inactivity(data, threshold_days=90, as_of="2024-06-30")
    assert (result.churned, result.active, result.customers) == (1, 2, 3)
    assert result.share == pytest.approx(1 / 3)
    assert result.to_dict()["as_of"].startswith("2024-06-30")
    # Default as_of = last purchase (15 July): "edge" is now 105 days quiet as well.
    default = churn_by_inactivity(data, threshold_days=90)
    assert (default.customers, default.churned) == (4, 2)
    with pytest.raises(InputError):
        churn_by_inactivity(data, threshold_days=-1)
