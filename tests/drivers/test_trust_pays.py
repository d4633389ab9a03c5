"""Linking answers to behaviour: do promoters and high-trust customers buy more."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.drivers.trust_pays import mean_interval, nps_group, trust_pays, trust_tertile, wilson_interval
from loyalty.errors import InputError
from loyalty.schema import CUSTOMER_ID, DATE, RECOMMEND, TRUST


def test_wilson_interval_matches_published_values():
    # Wilson (1927) / Newcombe (1998) example: 81 of 263 -> 0.2553 to 0.3662.
    low, high = wilson_interval(81, 263)
    assert low == pytest.approx(0.2553, abs=1e-4) and high == pytest.approx(0.3662, abs=1e-4)
    low, high = wilson_interval(0, 10)
    assert low == pytest.approx(0.0, abs=1e-12) and high == pytest.approx(0.2775, abs=1e-4)


def test_mean_interval_is_the_t_interval():
    low, high = mean_interval(np.array([1.0, 2.0, 3.0, 4.0]))
    half = 3.182446305284263 * np.std([1, 2, 3, 4], ddof=1) / 2  # t(0.975, 3) * s / sqrt(4)
    assert (low, high) == pytest.approx((2.5 - half, 2.5 + half))


def test_groups_and_tertiles():
    assert nps_group(pd.Series([0, 6, 7, 8, 9, 10, np.nan])).tolist()[:6] == [
        "detractor",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]
    tertiles = trust_tertile(pd.Series([1, 2, 3, 4, 5, 6, np.nan, 7, 8, 9]))
    assert tertiles.tolist()[:6] == ["low", "low", "low", "middle", "middle", "middle"]
    assert pd.isna(tertiles.iloc[6]) and tertiles.tolist()[7:] == ["high"] * 3


def test_known_differences_between_groups_are_found_and_matches_counted():
    rng = np.random.default_rng(0)
    n = 3000
    recommend = rng.integers(0, 11, n).astype(float)
    trust = recommend / 2 + rng.normal(size=n)
    ids = [f"K{i}" for i in range(n)]
    survey = pd.DataFrame({CUSTOMER_ID: ids, RECOMMEND: recommend, TRUST: trust})
    # Truth: promoters repeat with probability 0.6, everyone else 0.3; revenue = 100 + 10 * score.
    repeat = rng.random(n) < np.where(recommend >= 9, 0.6, 0.3)
    revenue = 100 + 10 * recommend + rng.normal(scale=20, size=n)
    metrics = pd.DataFrame({"repeat": repeat, "revenue": revenue, "segment": "x"}, index=ids)
    metrics = metrics.iloc[:2500]  # 500 surveyed customers never bought
    table = trust_pays(survey, metrics)
    assert table.attrs == {"n_matched": 2500, "n_surveyed": 3000}
    assert set(table["metric"]) == {"repeat", "revenue"}  # the text column is ignored
    rows = table.set_index(["grouping", "group", "metric"])
    promoters, detractors = (
        rows.loc[("nps_group", "promoter", "repeat")],
        rows.loc[("nps_group", "detractor", "repeat")],
    )
    assert promoters["kind"] == "proportion" and promoters["ci_low"] <= 0.6 <= promoters["ci_high"]
    assert (
        detractors["ci_low"] <= 0.3 <= detractors["ci_high"] and detractors["ci_high"] < promoters["ci_low"]
    )
    assert (
        rows.loc[("trust_tertile", "high", "revenue"), "ci_low"]
        > rows.loc[("trust_tertile", "low", "revenue"), "ci_high"]
    )
    assert rows.xs("nps_group")["n"].groupby("metric").sum().tolist() == [2500, 2500]


def test_a_customer_who_answered_twice_counts_once_with_the_latest_answer():
    survey = pd.DataFrame(
        {
            CUSTOMER_ID: ["a", "a", "b", "c"],
            RECOMMEND: [2, 10, 9, 5],
            DATE: pd.to_datetime(["2024-05-01", "2024-01-01", "2024-02-01", "2024-03-01"]),
        }
    )
    metrics = pd.DataFrame({"revenue": [10.0, 20.0, 30.0]}, index=["a", "b", "c"])
    table = trust_pays(survey, metrics).set_index(["group", "metric"])
    assert table.loc[("detractor", "revenue"), "n"] == 2  # a (latest answer 2) and c
    assert table.loc[("promoter", "revenue"), "n"] == 1


def test_no_overlap_or_no_ids_are_input_errors():
    survey = pd.DataFrame({CUSTOMER_ID: ["a"], RECOMMEND: [9]})
    with pytest.raises(InputError) as err:
        trust_pays(survey, pd.DataFrame({"revenue": [1.0]}, index=["z"]))
    assert err.value.key == "drivers.error.no_match"
    with pytest.raises(InputError) as err:
        trust_pays(survey.drop(columns=[CUSTOMER_ID]), pd.DataFrame({"revenue": [1.0]}, index=["a"]))
    assert err.value.key == "drivers.error.no_customer_id"
