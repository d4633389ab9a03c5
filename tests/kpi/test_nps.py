"""NPS: score, adjusted-Wald interval (Rocks 2016), change test, trend, segments, sample sizes."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from loyalty.errors import InputError
from loyalty.kpi.nps import (
    nps,
    nps_by_segment,
    nps_change,
    nps_from_counts,
    nps_margin,
    nps_sample_size,
    nps_sample_size_for_change,
    nps_score,
    nps_trend,
)
from loyalty.schema import DATE, RECOMMEND, SEGMENT


def test_score_is_promoters_minus_detractors_and_ignores_missing_answers():
    # 2 promoters (10, 9), 2 passives (8, 7), 2 detractors (6, 0); NaN is no answer.
    assert nps_score([10, 9, 8, 7, 6, 0, np.nan]) == 0.0
    assert nps_score(pd.Series([10, 10, 9, 7])) == 75.0
    assert nps_score([0, 6, 6, 10]) == -50.0


def test_score_without_answers_is_nan():
    assert math.isnan(nps_score([]))
    assert math.isnan(nps_score([np.nan, None]))


def test_out_of_scale_answer_is_a_user_error():
    with pytest.raises(InputError) as err:
        nps([5, 11])
    assert err.value.key == "kpi.error.nps_range"


def test_adjusted_wald_interval_matches_a_hand_computation():
    # P = 180, passives = 180, D = 90, n = 450.
    # n' = 453, p = 180.75/453 = 0.399007, d = 90.75/453 = 0.200331
    # Var = (0.599338 - 0.198675²)/453 = 0.0012359; 1.96·√Var = 0.068905
    # centre (adjusted NPS) = 100·(p - d) = 19.868 -> CI = [12.977, 26.758]
    result = nps_from_counts(promoters=180, passives=180, detractors=90)
    assert result.value == pytest.approx(20.0)
    assert result.adjusted == pytest.approx(19.868, abs=1e-3)
    assert result.variance == pytest.approx(0.0012359, rel=1e-4)
    assert result.ci95 == pytest.approx((12.977, 26.758), abs=1e-3)
    assert result.margin == pytest.approx(6.8905, abs=1e-3)
    # The interval is centred on the adjusted score, not on the raw 20.0.
    assert sum(result.ci95) / 2 == pytest.approx(result.adjusted)
    assert result.shares == {"promoters": 0.4, "passives": 0.4, "detractors": 0.2}


def test_interval_at_small_n_is_pulled_inward_and_clipped_to_the_scale():
    # 10 of 10 promoters: raw NPS 100, but p = 10.75/13, d = 0.75/13 -> adjusted 76.92,
    # Var = (0.884615 - 0.769231²)/13 = 0.0225306, half-width 29.42 -> [47.50, 106.34] -> hi clipped.
    result = nps([10] * 10)
    assert result.value == 100.0
    assert result.adjusted == pytest.approx(76.923, abs=1e-3)
    assert result.ci95[0] == pytest.approx(47.50, abs=0.01)
    assert result.ci95[1] == 100.0


def test_distribution_counts_every_score_from_0_to_10():
    result = nps([0, 0, 5, 7, 9, 10, 10, 10, np.nan])
    assert result.distribution == (2, 0, 0, 0, 0, 1, 0, 1, 0, 1, 3)
    assert (result.n, result.promoters, result.passives, result.detractors) == (8, 4, 1, 3)


def test_adjusted_wald_covers_about_95_percent_at_n_20():
    # Known truth: 50% promoters, 20% detractors, true NPS 30. Rocks (2016) reports
    # 93-96% coverage even at small n; the plain Wald interval falls well short.
    rng = np.random.default_rng(7)
    groups = rng.multinomial(20, [0.5, 0.3, 0.2], size=4000)
    hits = 0
    for promoters, passives, detractors in groups:
        lo, hi = nps_from_counts(int(promoters), int(passives), int(detractors)).ci95
        hits += lo <= 30.0 <= hi
    assert 0.92 <= hits / len(groups) <= 0.975


def test_change_reproduces_the_worked_example():
    # Q1: P = 180, D = 90, n = 450; Q2: P = 210, D = 80, n = 460 -> +8.2, z ≈ 1.67, p ≈ 0.095.
    q1 = nps_from_counts(promoters=180, passives=180, detractors=90)
    q2 = nps_from_counts(promoters=210, passives=170, detractors=80)
    delta, z, p_value = nps_change(q1, q2)
    assert round(delta, 1) == 8.2
    assert z == pytest.approx(1.67, abs=0.005)
    assert p_value == pytest.approx(0.095, abs=0.001)
    back = nps_change(q2, q1)
    assert back.delta == pytest.approx(-delta) and back.z == pytest.approx(-z)
    assert back.p_value == pytest.approx(p_value)


def test_change_accepts_raw_answers_and_is_nan_without_answers():
    same = nps_change([10, 9, 0], [10, 9, 0])
    assert same.delta == 0.0 and same.p_value == pytest.approx(1.0)
    assert math.isnan(nps_change([], [10]).z)


def test_sample_size_for_a_margin_matches_the_reference():
    assert nps_sample_size(5) == 1534  # worst case, Var = 1
    assert nps_sample_size(5, promoters_share=0.4, detractors_share=0.2) == 858


def test_sample_size_is_the_inverse_of_the_margin():
    n = nps_sample_size(5, 0.4, 0.2)
    assert nps_margin(n, 0.4, 0.2) <= 5.0 < nps_margin(n - 1, 0.4, 0.2)
    # ±7.3 at n = 400 with 40/20 (reference); ±19.3 at n = 100 in the worst case with
    # n' = n + 3 (the reference's 19.6 is the plain Wald figure, 196·√(1/100)).
    assert round(nps_margin(400, 0.4, 0.2), 1) == 7.3
    assert round(nps_margin(100), 1) == 19.3


def test_sample_size_for_a_change_of_10_points():
    # (1.96 + 0.8416)²·2·0.56/0.1² - 3 = 876.1 -> 877 per group at 40/20, α = 0.05, power 80%.
    assert nps_sample_size_for_change(10, promoters_share=0.4, detractors_share=0.2) == 877
    assert nps_sample_size_for_change(10) == 1567  # worst case


def test_sample_size_rejects_bad_inputs():
    with pytest.raises(InputError):
        nps_sample_size(0)
    with pytest.raises(InputError):
        nps_sample_size(5, promoters_share=0.4)  # both shares or neither
    with pytest.raises(InputError):
        nps_sample_size(5, promoters_share=0.8, detractors_share=0.4)


def _survey() -> pd.DataFrame:
    rows = [
        (10, "2024-01-15", "a"),
        (9, "2024-02-01", "a"),
        (3, "2024-03-31", "b"),
        (8, "2024-04-01", "b"),
        (0, "2024-05-05", "a"),
        (np.nan, "2024-05-06", "a"),  # no answer
        (10, None, "b"),  # no date: in segments, not in the trend
    ]
    survey = pd.DataFrame(rows, columns=[RECOMMEND, DATE, SEGMENT])
    survey[DATE] = pd.to_datetime(survey[DATE])
    return survey


def test_trend_groups_answers_by_calendar_period():
    trend = nps_trend(_survey(), period="quarter", min_n=2)
    assert list(trend["period"]) == ["2024Q1", "2024Q2"]
    assert list(trend["n"]) == [3, 2]
    # Q1: 10, 9, 3 -> (2 - 1)/3; Q2: 8, 0 -> (0 - 1)/2.
    assert trend["value"].tolist() == pytest.approx([100 / 3, -50.0])
    assert list(trend["too_small"]) == [False, False]
    assert (trend["lo"] <= trend["hi"]).all()
    monthly = nps_trend(_survey(), period="month")
    assert list(monthly["period"]) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert monthly["too_small"].all()  # fewer than 30 answers each
    assert list(nps_trend(_survey(), period="year")["period"]) == ["2024"]


def test_trend_window_and_bad_period():
    trend = nps_trend(_survey(), period="month", start="2024-02-01", end="2024-03-31")
    assert list(trend["period"]) == ["2024-02", "2024-03"]
    with pytest.raises(InputError) as err:
        nps_trend(_survey(), period="week")
    assert err.value.key == "kpi.error.period"


def test_segment_below_min_n_is_flagged_and_not_ranked():
    rng = np.random.default_rng(3)
    survey = pd.DataFrame(
        {
            RECOMMEND: np.r_[np.full(40, 10.0), np.full(35, 0.0), rng.integers(0, 11, 5).astype(float)],
            SEGMENT: ["high"] * 40 + ["low"] * 35 + ["tiny"] * 5,
        }
    )
    table = nps_by_segment(survey, SEGMENT, min_n=30)
    assert list(table["segment"]) == ["high", "low", "tiny"]
    assert list(table["too_small"]) == [False, False, True]
    assert table["rank"].iloc[:2].tolist() == [1.0, 2.0]
    assert math.isnan(table["rank"].iloc[2])
    assert table["value"].iloc[:2].tolist() == [100.0, -100.0]


def test_segment_column_must_exist():
    with pytest.raises(InputError) as err:
        nps_by_segment(_survey(), "country")
    assert err.value.key == "kpi.error.missing_column"


def test_results_are_json_friendly():
    text = json.dumps(nps([10, 9, 3]).to_dict())
    assert '"ci95": [' in text
    empty = nps([]).to_dict()
    assert empty["value"] is None and empty["n"] == 0
    change = nps_change([10, 0], [10, 10]).to_dict()
    assert set(change) == {"delta", "z", "p_value"}
