"""Empty windows and refund-only data give empty tables and NaN rates, never a crash."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from loyalty.charts.nps import nps_trend_chart
from loyalty.charts.repeat import purchase_gap_histogram, repeat_rate_chart
from loyalty.charts.retention import cohort_heatmap, retention_trend_chart
from loyalty.charts.value import clv_distribution_chart, rfm_segment_chart
from loyalty.kpi.nps import nps_trend
from loyalty.kpi.repeat import order_summary, purchase_gaps, repeat_purchase_rate, repeat_rate_by_cohort
from loyalty.kpi.retention import (
    churn_by_inactivity,
    cohort_table,
    inactivity_threshold_default,
    retention_rates,
)
from loyalty.kpi.rfm import rfm_segments, rfm_table
from loyalty.kpi.value import clv_summary, historical_clv
from loyalty.schema import DATE, RECOMMEND

from .conftest import frame

EMPTY = frame([])
REFUND_ONLY = frame([("a", "2024-01-01", -5)])


@pytest.mark.parametrize("data", [EMPTY, REFUND_ONLY], ids=["empty", "refund_only"])
def test_transaction_kpis_without_purchases(data):
    assert math.isnan(repeat_purchase_rate(data).value)
    summary = order_summary(data)
    assert summary.customers == 0 and math.isnan(summary.aov)
    assert purchase_gaps(data).empty and repeat_rate_by_cohort(data).empty
    assert retention_rates(data).empty and cohort_table(data).shares.empty
    assert inactivity_threshold_default(data, fallback=120) == 120
    assert math.isnan(churn_by_inactivity(data, 30).share)
    assert math.isnan(clv_summary(historical_clv(data)).top_share)
    assert rfm_segments(rfm_table(data))["customers"].sum() == 0


def test_charts_accept_empty_results():
    survey = pd.DataFrame(
        {RECOMMEND: pd.Series([], dtype=float), DATE: pd.to_datetime(pd.Series([], dtype=str))}
    )
    charts = [
        nps_trend_chart(nps_trend(survey)),
        cohort_heatmap(cohort_table(EMPTY)),
        retention_trend_chart(retention_rates(EMPTY)),
        repeat_rate_chart(repeat_rate_by_cohort(EMPTY)),
        purchase_gap_histogram(purchase_gaps(EMPTY), threshold_days=30),
        clv_distribution_chart(historical_clv(EMPTY)),
        rfm_segment_chart(rfm_segments(rfm_table(EMPTY))),
    ]
    for chart in charts:
        assert "$schema" in chart.to_dict()
