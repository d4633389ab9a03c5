"""Customer-feedback KPI: intervals, top box, theme counts and NPS impact on hand-computed cases."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from loyalty.charts.feedback import driver_chart, nps_impact_chart, theme_chart
from loyalty.errors import InputError
from loyalty.kpi.feedback import (
    driver_summary,
    feedback_summary,
    mean_interval,
    nps_groups,
    theme_summary,
    top_box_threshold,
    verbatims,
    wilson_interval,
)
from loyalty.schema import COMMENT, RECOMMEND, SERVICE, TRUST
from loyalty.text import tag_columns, themes

# --- Wilson interval -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe(successes: int, n: int, low: float, high: float) -> None:
    assert wilson_interval(successes, n) == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_by_hand_for_8_of_10() -> None:
    # centre = (0.8 + 1.96²/20) / (1 + 1.96²/10) = 0.716738;
    # half = 1.96/1.38416 · √(0.016 + 1.96²/400) = 0.226581.
    assert wilson_interval(8, 10) == pytest.approx((0.490157, 0.943319), abs=1e-6)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


# --- driver summary --------------------------------------------------------------------


def test_top_box_definition_per_scale() -> None:
    assert [top_box_threshold(s) for s in [(1, 5), (1, 7), (1, 10), (0, 10)]] == [5, 6, 9, 9]


def test_driver_summary_on_a_1_to_5_scale_by_hand() -> None:
    survey = pd.DataFrame({TRUST: [5, 4, 4, 3, 5, 2, np.nan]})
    row = driver_summary(survey, {TRUST: (1, 5)}).loc[TRUST]
    # n = 6, mean = 23/6, s² = 6.8333/5 = 1.366667, s = 1.169045, t(0.975, 5) = 2.570582,
    # half-width = 2.570582 · 1.169045/√6 = 1.226838.
    assert (row["n"], row["n_missing"]) == (6, 1)
    assert row["mean"] == pytest.approx(23 / 6)
    assert (row["mean_low"], row["mean_high"]) == pytest.approx(
        (23 / 6 - 1.226838, 23 / 6 + 1.226838), abs=1e-5
    )
    # 0–100: (3.8333 − 1)/4 · 100 = 70.833; the interval is rescaled the same way.
    assert row["score"] == pytest.approx(70.8333, abs=1e-4)
    assert row["score_low"] == pytest.approx((23 / 6 - 1.226838 - 1) / 4 * 100, abs=1e-3)
    # Top box on 1–5 is the 5s: 2 of 6.
    assert (row["top_box_from"], row["top_box_n"]) == (5, 2)
    assert row["top_box"] == pytest.approx(1 / 3)
    assert (row["top_box_low"], row["top_box_high"]) == pytest.approx(wilson_interval(2, 6))
    assert bool(row["small_sample"]) is True


def test_driver_summary_on_a_1_to_7_scale_by_hand() -> None:
    survey = pd.DataFrame({SERVICE: [7, 6, 5, 6, 1, 7, 4, 3]})
    row = driver_summary(survey, {SERVICE: (1, 7)}).loc[SERVICE]
    # mean = 39/8 = 4.875; Σ(x − mean)² = 30.875, s = √(30.875/7) = 2.100170;
    # t(0.975, 7) = 2.364624, half-width = 2.364624 · 2.100170/√8 = 1.755786.
    assert row["mean"] == pytest.approx(4.875)
    assert (row["mean_low"], row["mean_high"]) == pytest.approx(
        (4.875 - 1.755786, 4.875 + 1.755786), abs=1e-5
    )
    assert row["score"] == pytest.approx((4.875 - 1) / 6 * 100)
    # Top box on 1–7 is 6–7: four of eight answers. Wilson: centre 0.5,
    # half = 1.96/1.4802 · √(0.03125 + 1.96²/256) = 0.284787.
    assert (row["top_box_from"], row["top_box_n"], row["top_box"]) == (6, 4, 0.5)
    assert (row["top_box_low"], row["top_box_high"]) == pytest.approx((0.215213, 0.784787), abs=1e-6)


def test_driver_summary_skips_absent_fields_flags_small_samples_and_infers_scales() -> None:
    survey = pd.DataFrame({TRUST: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0] * 5})
    table = driver_summary(survey, {})
    assert table.index.tolist() == [TRUST]
    assert (table.loc[TRUST, "scale_min"], table.loc[TRUST, "scale_max"]) == (1, 7)
    assert bool(table.loc[TRUST, "small_sample"]) is False  # n = 35 ≥ 30


def test_driver_summary_rejects_values_outside_the_scale() -> None:
    with pytest.raises(InputError) as err:
        driver_summary(pd.DataFrame({TRUST: [1, 6]}), {TRUST: (1, 5)})
    assert err.value.key == "feedback.error.out_of_scale"
    with pytest.raises(InputError):
        driver_summary(pd.DataFrame({TRUST: [-3, 40]}), {})


def test_mean_interval_of_one_answer_has_no_bounds() -> None:
    mean, low, high = mean_interval(np.array([4.0]))
    assert mean == 4.0 and math.isnan(low) and math.isnan(high)


# --- themes and NPS impact --------------------------------------------------------------

#: Scores and comments of eight respondents. Base (has a score): rows 0-6, P = 3, D = 3, NPS = 0.
SURVEY = pd.DataFrame(
    {
        RECOMMEND: [10, 9, 3, 5, 8, 10, 2, np.nan],
        COMMENT: [
            "Fast delivery, great.",
            "Great product.",
            "Delivery was late.",
            "The parcel never arrived.",
            None,
            "",
            "Rude staff.",
            "Late delivery again.",
        ],
    },
    index=[f"r{i}" for i in range(8)],
)


def _hand_tags() -> pd.DataFrame:
    """The tags a careful reader gives SURVEY, so the NPS arithmetic is tested on its own."""
    tags = pd.DataFrame(False, index=SURVEY.index, columns=list(themes()))
    for column in tag_columns()[len(themes()) : -1]:
        tags[column] = 0
    tags.loc[["r0", "r2", "r3", "r7"], "delivery"] = True
    tags.loc[["r0", "r2", "r3", "r7"], "delivery_sentiment"] = [1, -1, -1, -1]
    tags.loc["r1", ["product", "product_sentiment"]] = [True, 1]
    tags.loc["r6", ["service", "service_sentiment"]] = [True, -1]
    tags["language"] = "en"
    return tags


def test_nps_impact_by_hand() -> None:
    table = theme_summary(SURVEY, tags=_hand_tags())
    delivery = table.loc["delivery"]
    # Mentions: r0, r2, r3, r7 (r7 has no score) of 6 commenters.
    assert (delivery["mentions"], delivery["positive"], delivery["negative"]) == (4, 1, 3)
    assert delivery["share"] == pytest.approx(4 / 6)
    # Scored mentioners r0, r2, r3 = 10, 3, 5: P = 1, D = 2, NPS = −33.3.
    assert delivery["n_scored"] == 3
    assert delivery["nps_mentioners"] == pytest.approx(-100 / 3)
    # Others with a score r1, r4, r5, r6 = 9, 8, 10, 2: P = 2, D = 1, NPS = 25; impact = 0 − 25.
    assert delivery["nps_others"] == pytest.approx(25.0)
    assert delivery["nps_impact"] == pytest.approx(-25.0)
    # Product: others 10, 3, 5, 8, 10, 2 → (2 − 3)/6 = −16.7, impact +16.7. Service mirrors it.
    assert table.loc["product", "nps_impact"] == pytest.approx(100 / 6)
    assert table.loc["service", "nps_impact"] == pytest.approx(-100 / 6)
    # A theme nobody mentions leaves the NPS as it is.
    assert table.loc["price", "nps_impact"] == pytest.approx(0.0)
    assert (table["n_base"] == 7).all()
    assert table["small_sample"].all()


def test_theme_summary_tags_the_comments_itself_with_the_same_result() -> None:
    automatic = theme_summary(SURVEY, lang="en")
    by_hand = theme_summary(SURVEY, tags=_hand_tags())
    pd.testing.assert_frame_equal(automatic, by_hand)


def test_nps_groups() -> None:
    groups = nps_groups(pd.Series([0, 6, 7, 8, 9, 10, np.nan]))
    assert groups.tolist()[:6] == ["detractor", "detractor", "passive", "passive", "promoter", "promoter"]
    assert pd.isna(groups.iloc[6])


def test_verbatims_filter_by_theme_and_nps_group() -> None:
    every = verbatims(SURVEY, tags=_hand_tags())
    assert every.index.tolist() == ["r0", "r1", "r2", "r3", "r6", "r7"]  # rows with a comment
    assert every.loc["r0", "themes"] == "delivery"
    detractors = verbatims(
        SURVEY, theme="delivery", nps_group="detractor", tags=_hand_tags(), label_lang="nl"
    )
    assert detractors.index.tolist() == ["r2", "r3"]
    assert detractors["sentiment"].tolist() == [-1, -1]
    assert detractors["themes"].tolist() == ["Levering", "Levering"]
    assert verbatims(SURVEY, nps_group="promoter", tags=_hand_tags()).index.tolist() == ["r0", "r1"]


def test_verbatims_reject_unknown_filters() -> None:
    with pytest.raises(InputError) as err:
        verbatims(SURVEY, theme="weather")
    assert err.value.key == "feedback.error.unknown_theme"
    with pytest.raises(InputError):
        verbatims(SURVEY, nps_group="fans")


def test_feedback_summary_is_json_ready() -> None:
    survey = SURVEY.assign(**{TRUST: [5, 4, 4, 3, 5, 2, np.nan, 1]})
    summary = feedback_summary(survey, {TRUST: (1, 5)}, lang="en")
    json.dumps(summary)  # plain data only
    assert (summary["responses"], summary["with_recommend"], summary["commenters"]) == (8, 7, 6)
    assert summary["nps"] == pytest.approx(0.0)
    assert summary["languages"] == {"en": 6}
    assert [d["field"] for d in summary["drivers"]] == [TRUST]
    assert summary["themes"][0]["theme"] == "delivery"  # most mentioned first
    assert summary["themes"][0]["nps_impact"] == pytest.approx(-25.0)


# --- charts ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl", "pl"])
def test_charts_build_valid_specs_with_translated_titles(lang: str) -> None:
    drivers = driver_summary(
        pd.DataFrame({TRUST: [5, 4, 4, 3, 5, 2], SERVICE: [7, 6, 5, 6, 1, 7]}),
        {TRUST: (1, 5), SERVICE: (1, 7)},
    )
    table = theme_summary(SURVEY, tags=_hand_tags())
    specs = [
        json.dumps(c.to_dict(), ensure_ascii=False)
        for c in (driver_chart(drivers, lang), theme_chart(table, lang), nps_impact_chart(table, lang))
    ]
    titles = {"en": "NPS impact per theme", "nl": "NPS-impact per thema", "pl": "Wpływ tematów na NPS"}
    assert titles[lang] in specs[2]
    assert {"en": "Delivery", "nl": "Levering", "pl": "Dostawa"}[lang] in specs[1]
