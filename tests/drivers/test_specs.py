"""Variable specs, composite scales and Cronbach's alpha."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.drivers.specs import build_scales, cronbach_alpha, infer_scale, parse_spec, resolve_scales
from loyalty.errors import InputError


def test_parse_spec_reads_composites_and_bare_names():
    assert parse_spec("COMP=comp_1+comp_2+comp_3,LIKE=like_1") == {
        "COMP": ["comp_1", "comp_2", "comp_3"],
        "LIKE": ["like_1"],
    }
    assert parse_spec(" service , TRUST = t1 + t2 ") == {"service": ["service"], "TRUST": ["t1", "t2"]}


@pytest.mark.parametrize("text", ["", "A=a1,,B=b1", "A=a1+,B=b1", "A=a1,A=a2", "=a1"])
def test_parse_spec_rejects_malformed_text(text):
    with pytest.raises(InputError) as err:
        parse_spec(text)
    assert err.value.key == "drivers.error.bad_spec"


def test_cronbach_alpha_matches_a_hand_computation():
    # Each item has variance 1; the item sums 4, 8, 9 have variance 7.
    # alpha = k/(k-1) * (1 - sum of item variances / variance of sums) = 3/2 * (1 - 3/7) = 6/7.
    items = pd.DataFrame({"a": [1, 2, 3], "b": [1, 3, 2], "c": [2, 3, 4]})
    assert cronbach_alpha(items) == pytest.approx(6 / 7)


def test_cronbach_alpha_uses_complete_rows_only():
    items = pd.DataFrame({"a": [1, 2, 3, np.nan], "b": [1, 3, 2, 5], "c": [2, 3, 4, 1]})
    assert cronbach_alpha(items) == pytest.approx(6 / 7)


def test_alpha_is_one_for_identical_items_and_none_for_a_single_item():
    same = pd.DataFrame({"a": [1, 2, 3, 5], "b": [1, 2, 3, 5]})
    assert cronbach_alpha(same) == pytest.approx(1.0)
    assert cronbach_alpha(same[["a"]]) is None


def test_build_scales_averages_answered_items_and_reports_alpha():
    survey = pd.DataFrame(
        {"comp_1": [1, 2, np.nan, 4, 5], "comp_2": [2, 2, np.nan, 5, 5], "like_1": ["3", "4", "x", "5", "1"]}
    )
    values, reliability = build_scales(survey, "COMP=comp_1+comp_2,like_1")
    assert values["COMP"].tolist()[:2] == [1.5, 2.0]
    assert np.isnan(values["COMP"].iloc[2])  # nothing answered -> missing
    assert values["like_1"].tolist()[:2] == [3.0, 4.0] and np.isnan(values["like_1"].iloc[2])
    assert reliability["COMP"]["items"] == ["comp_1", "comp_2"]
    assert reliability["COMP"]["alpha"] == pytest.approx(cronbach_alpha(survey[["comp_1", "comp_2"]]))
    assert reliability["like_1"]["alpha"] is None


def test_build_scales_names_the_missing_column():
    with pytest.raises(InputError) as err:
        build_scales(pd.DataFrame({"a": [1]}), "X=a+b")
    assert err.value.params == {"column": "b"}


def test_scales_are_inferred_or_taken_from_the_caller():
    survey = pd.DataFrame({"a": [1, 3, 5], "b": [2, 6, 7], "recommend": [3, 4, 5]})
    assert infer_scale("a", survey["a"]) == (1, 5)
    assert infer_scale("b", survey["b"]) == (1, 7)
    assert infer_scale("recommend", survey["recommend"]) == (0, 10)
    scales = resolve_scales(survey, {"AB": ["a", "b"], "a": ["a"]}, {"a": (0, 10)})
    assert scales == {"AB": (0.0, 10.0), "a": (0, 10)}
    assert resolve_scales(survey, {"AB": ["a", "b"]}, None) == {"AB": (1.0, 7.0)}
