"""Per-segment runs and the comparison table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty.drivers import diagnose_segments
from loyalty.schema import SEGMENT

from .conftest import make_survey


def test_segments_below_min_n_are_skipped_and_the_rest_compared():
    survey = make_survey(900, seed=51)
    survey[SEGMENT] = np.where(np.arange(900) < 420, "B2B", np.where(np.arange(900) < 860, "B2C", "Gov"))
    survey.loc[5, SEGMENT] = None
    survey.loc[0:19, "service"] = np.nan  # 20 B2B respondents incomplete
    result = diagnose_segments(survey, SEGMENT, min_n=100, bootstrap=50, robustness=False)
    assert sorted(result.results) == ["B2B", "B2C"]
    assert result.skipped == {"Gov": {"n": 40, "reason": "too_small"}}
    assert (
        result.results["B2B"].n_used == 419 - 20 + 1
    )  # rows 0-419 minus the unlabelled row 5 (incomplete anyway)
    table = result.comparison()
    assert list(table.columns) == [
        "segment",
        "n",
        "rank",
        "driver",
        "share",
        "signed_share",
        "ci_low",
        "ci_high",
        "p_top",
    ]
    assert len(table) == 10
    sums = table.groupby("segment")["share"].sum()
    assert np.allclose(sums, 100.0)
    assert table.query("rank == 1")["driver"].tolist() == ["consistency", "consistency"]
    assert isinstance(result.to_dict()["segments"]["B2C"]["n"], int)


def test_a_segment_with_a_constant_answer_is_reported_not_fatal():
    survey = make_survey(400, seed=52)
    survey[SEGMENT] = np.where(np.arange(400) < 200, "a", "b")
    survey.loc[:199, "reputation"] = 4.0
    result = diagnose_segments(survey, SEGMENT, min_n=50, bootstrap=0, robustness=False)
    assert list(result.results) == ["b"]
    assert result.skipped["a"]["reason"] == "drivers.error.constant"
    assert isinstance(result.comparison(), pd.DataFrame)
