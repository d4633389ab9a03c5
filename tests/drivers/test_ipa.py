"""Importance-performance quadrants."""

from __future__ import annotations

import pytest

from loyalty.drivers.ipa import importance_performance, ipa_from_diagnosis, rescale


def test_quadrants_on_a_hand_built_case():
    # Mean importance = 25, mean performance = 60: the split lines.
    importance = {"a": 40.0, "b": 35.0, "c": 15.0, "d": 10.0}
    performance = {"a": 45.0, "b": 80.0, "c": 40.0, "d": 75.0}
    result = importance_performance(importance, performance)
    assert result.importance_split == pytest.approx(25.0)
    assert result.performance_split == pytest.approx(60.0)
    assert dict(zip(result.drivers, result.quadrant, strict=True)) == {
        "a": "fix_first",
        "b": "keep_it_up",
        "c": "low_priority",
        "d": "possibly_over_invested",
    }


def test_a_driver_on_the_split_lines_counts_as_important_and_strong():
    result = importance_performance({"a": 50.0, "b": 50.0}, {"a": 70.0, "b": 70.0})
    assert result.quadrant == ["keep_it_up", "keep_it_up"]


def test_negative_signed_importance_counts_by_size():
    result = importance_performance({"a": -60.0, "b": 30.0, "c": 10.0}, {"a": 20.0, "b": 90.0, "c": 90.0})
    assert result.quadrant[0] == "fix_first"


def test_performance_is_the_mean_rescaled_to_0_100():
    assert rescale(4.0, (1, 7)) == pytest.approx(50.0)
    assert rescale(1.0, (1, 5)) == 0.0 and rescale(5.0, (1, 5)) == 100.0
    assert rescale(7.5, (0, 10)) == pytest.approx(75.0)


def test_matrix_from_a_diagnosis(diagnosis_1k):
    result = ipa_from_diagnosis(diagnosis_1k)
    frame = result.to_frame()
    assert list(frame["driver"]) == diagnosis_1k.drivers
    expected = rescale(diagnosis_1k.means["service"], diagnosis_1k.scales["service"])
    assert frame.set_index("driver").at["service", "performance"] == pytest.approx(expected)
    assert result.importance_split == pytest.approx(100 / 5)
