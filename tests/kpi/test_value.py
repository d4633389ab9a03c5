"""Historical CLV and the textbook CLV formulas."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from loyalty.errors import InputError
from loyalty.kpi.value import (
    aov_frequency_lifespan_clv,
    clv_summary,
    historical_clv,
    margin_multiple_clv,
    top_share,
)

from .conftest import frame


def _shop() -> pd.DataFrame:
    return frame(
        [
            ("A", "2024-01-01", 100),
            ("A", "2024-02-01", 60),
            ("A", "2024-02-10", -10),  # refund lowers A's value
            ("B", "2024-01-15", 50),
            ("C", "2024-03-01", 0),
            ("D", "2024-03-05", -20),  # refund only: kept so totals add up
        ]
    )


def test_historical_clv_per_customer_nets_refunds_and_applies_the_margin():
    table = historical_clv(_shop(), margin=0.5).set_index("customer_id")
    assert table.loc["A", "revenue"] == 150.0 and table.loc["A", "value"] == 75.0
    assert table.loc["A", "purchases"] == 2
    assert table.loc["A", "first_purchase"] == pd.Timestamp("2024-01-01")
    assert table.loc["A", "last_purchase"] == pd.Timestamp("2024-02-01")  # the refund is not a purchase
    assert table.loc["D", "revenue"] == -20.0 and pd.isna(table.loc["D", "first_purchase"])
    assert table["revenue"].sum() == 180.0
    assert list(table.index) == ["A", "B", "C", "D"]  # highest value first


def test_historical_clv_window_and_margin_check():
    table = historical_clv(_shop(), start="2024-02-01", end="2024-02-28")
    assert table.set_index("customer_id")["revenue"].to_dict() == {"A": 50.0}
    with pytest.raises(InputError) as err:
        historical_clv(_shop(), margin=30)
    assert err.value.key == "kpi.error.margin"


def test_historical_clv_on_cdnow_adds_up_to_the_published_revenue(cdnow_prepared):
    table = historical_clv(cdnow_prepared)
    assert len(table) == 23_570
    assert table["revenue"].sum() == pytest.approx(2_500_315.63, abs=0.01)
    summary = clv_summary(table)
    assert summary.mean == pytest.approx(2_500_315.63 / 23_570)
    assert summary.quantiles["p50"] == summary.median
    assert 0.1 < summary.top_share < 1.0


def test_top_share_counts_the_top_customers_rounded_up():
    values = [100, 50, 25, 25]
    assert top_share(values, 0.25) == 0.5  # one customer of four holds 100 of 200
    assert top_share(values, 0.10) == 0.5  # ⌈0.4⌉ = 1 customer
    assert top_share(values, 0.5) == 0.75
    assert np.isnan(top_share([0, 0], 0.5))
    with pytest.raises(InputError):
        top_share(values, 0)


def test_summary_is_json_friendly():
    summary = clv_summary(historical_clv(_shop()), top=0.25)
    assert summary.customers == 4 and summary.top_share == pytest.approx(150 / 180)
    json.dumps(summary.to_dict())


def test_margin_multiple_equals_the_discounted_series_it_stands_for():
    m, r, d = 100.0, 0.8, 0.1
    assert margin_multiple_clv(m, r, d) == pytest.approx(80 / 0.3)
    periods = np.arange(1, 2000)
    assert margin_multiple_clv(m, r, d) == pytest.approx(np.sum(m * (r / (1 + d)) ** periods))
    assert margin_multiple_clv(m, 0.0, 0.1) == 0.0


def test_margin_multiple_rejects_impossible_inputs():
    with pytest.raises(InputError):
        margin_multiple_clv(100, 1.2, 0.1)
    with pytest.raises(InputError):
        margin_multiple_clv(100, 1.0, 0.0)  # never-ending, undiscounted stream
    with pytest.raises(InputError):
        margin_multiple_clv(100, 0.5, -0.1)


def test_aov_frequency_lifespan():
    # CDNOW-like: $35.89 AOV, 2 orders a year, 3 years, 30% margin.
    assert aov_frequency_lifespan_clv(35.89, 2, 3, margin=0.3) == pytest.approx(64.602)
