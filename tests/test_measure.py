"""The Measure service: windows, periods, segments and the five KPI cards, on hand-computed data.

The small log below is worked out by hand in the comments; the synthetic samples are
checked against the ``realised`` block of their ``truth.json``.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from loyalty import measure as M
from loyalty.errors import InputError
from loyalty.schema import AMOUNT, COMMENT, CUSTOMER_ID, DATE, RECOMMEND, SEGMENT, SERVICE, TRUST
from loyalty.text import sentiment_column, themes

from .conftest import ROOT

# Five customers; the data run from 2023-12-01 to 2024-06-30, so 2024Q1 is whole.
#   A: 2024-01-10 100 and 50 (one purchase day), 2024-04-05 30            -> 180, 2 days
#   B: 2024-02-01 20, 2024-05-01 40, 2024-05-20 refund -10, 2024-06-10 15 -> 65, 3 days
#   C: 2024-03-15 60                                                      -> 60, 1 day
#   D: 2024-06-30 80                                                      -> 80, 1 day
#   E: 2023-12-01 25, 2024-05-05 35                                       -> 60, 2 days
ROWS = [
    ("A", "2024-01-10", 100.0),
    ("A", "2024-01-10", 50.0),
    ("A", "2024-04-05", 30.0),
    ("B", "2024-02-01", 20.0),
    ("B", "2024-05-01", 40.0),
    ("B", "2024-05-20", -10.0),
    ("B", "2024-06-10", 15.0),
    ("C", "2024-03-15", 60.0),
    ("D", "2024-06-30", 80.0),
    ("E", "2023-12-01", 25.0),
    ("E", "2024-05-05", 35.0),
]
SEGMENTS = {"A": "north", "B": "north", "C": "south", "D": "south", "E": "north"}


@pytest.fixture
def tx() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=[CUSTOMER_ID, DATE, AMOUNT])
    return frame.assign(**{DATE: pd.to_datetime(frame[DATE])})


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame({CUSTOMER_ID: list(SEGMENTS), SEGMENT: list(SEGMENTS.values())})


@pytest.fixture
def sv() -> pd.DataFrame:
    # 2024Q1: 10, 9, 8, 3 -> P 2, D 1, n 4, NPS 25.  2024Q2: 10, 10, 9, 7, 6, 0 -> P 3, D 2, n 6, NPS 16.7.
    scores = [10, 9, 8, 3, 10, 10, 9, 7, 6, 0]
    dates = ["2024-02-10"] * 4 + ["2024-05-10"] * 6
    return pd.DataFrame(
        {
            CUSTOMER_ID: ["A", "B", "C", "A", "B", "D", "E", "A", "C", "D"],
            DATE: pd.to_datetime(dates),
            RECOMMEND: np.array(scores, dtype=float),
            TRUST: [5, 4, 4, 2, 5, 5, 4, 3, 2, 1],
            SERVICE: [5, 5, 4, 1, 4, 5, 5, 3, 2, 1],
        }
    )


def adjusted_wald(promoters: int, detractors: int, n: int) -> tuple[float, float, float, float]:
    """REFERENCE §3 by hand: adjusted NPS, variance and the 95% interval."""
    n_adj = n + 3
    p, d = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
    var = (p + d - (p - d) ** 2) / n_adj
    half = 1.96 * math.sqrt(var)
    return 100 * (p - d), var, 100 * (p - d - half), 100 * (p - d + half)


# --- window and periods ------------------------------------------------------------------------


def test_window_compares_the_last_complete_period_with_the_one_before(tx):
    window = M.resolve_window(tx, None, period="quarter")
    assert (window.start, window.end) == (pd.Timestamp("2023-12-01"), pd.Timestamp("2024-06-30"))
    assert (window.current.label, window.previous.label) == ("2024Q2", "2024Q1")
    assert not window.previous.partial and not window.limited


def test_a_running_period_is_never_the_current_one(tx):
    window = M.resolve_window(tx, None, period="quarter", as_of="2024-06-15")
    assert window.end == pd.Timestamp("2024-06-15") and window.limited
    assert (window.current.label, window.previous.label) == ("2024Q1", "2023Q4")
    assert window.previous.partial  # the data start on 2023-12-01
    monthly = M.resolve_window(tx, None, period="month")
    assert (monthly.current.label, monthly.previous.label) == ("2024-06", "2024-05")


@pytest.mark.parametrize(
    "kwargs, key",
    [
        ({"period": "week"}, "kpi.error.period"),
        ({"start": "not a date"}, "measure.error.date"),
        ({"start": "2024-06-01", "end": "2024-05-01"}, "measure.error.window"),
        ({"as_of": "2020-01-01"}, "measure.error.window"),
    ],
)
def test_bad_window_options_are_input_errors(tx, kwargs, key):
    with pytest.raises(InputError) as err:
        M.resolve_window(tx, None, **kwargs)
    assert err.value.key == key


def test_neither_transactions_nor_survey_is_an_input_error():
    with pytest.raises(InputError) as err:
        M.measure(None, None)
    assert err.value.key == "measure.error.no_data"


# --- the transaction cards -----------------------------------------------------------------------


def test_retention_both_definitions_and_their_change(tx):
    window = M.resolve_window(tx, None)
    kpi = M.retention_kpi(M.prepare_until(tx, window.end), window)
    # 2024Q2 from 2024Q1: S = {A, B, C}, E = {A, B, D, E}, N = {D}, both = {A, B}.
    assert (kpi["active_start"], kpi["active_end"], kpi["new"], kpi["active_both"]) == (3, 4, 1, 2)
    assert kpi["value"] == pytest.approx((4 - 1) / 3)  # E returns after a gap: (E - N)/S counts her
    assert kpi["value_both_periods"] == pytest.approx(2 / 3)
    # Wilson by hand for 2 of 3: centre 0.5731, half-width 0.3654. E - N = 3 counts E, who was not
    # in S, so the common rate is no proportion of S and gets no interval.
    assert kpi["ci95_both_periods"] == pytest.approx((0.2077, 0.9385), abs=1e-3)
    assert kpi["ci95"] is None and kpi["exceeds_one"] is False
    # 2024Q1 from 2023Q4: S = {E}, nobody of S active in Q1 -> strict rate 0, so the change is +2/3.
    assert kpi["change"]["previous"] == 0 and kpi["change"]["delta"] == pytest.approx(2 / 3)
    assert (kpi["period"], kpi["previous_period"]) == ("2024Q2", "2024Q1")


def test_repeat_rate_counts_purchase_days_and_ignores_refunds(tx):
    window = M.resolve_window(tx, None)
    kpi = M.repeat_kpi(M.prepare_until(tx, window.end), window)
    # A (2 days), B (3: the refund day is no occasion), E (2) of 5 customers.
    assert (kpi["repeat_customers"], kpi["customers"], kpi["value"]) == (3, 5, pytest.approx(0.6))
    # Within 2024Q2 only B bought on two days (of A, B, D, E); within 2024Q1 nobody did.
    assert kpi["change"]["current"] == pytest.approx(0.25) and kpi["change"]["previous"] == 0


def test_orders_frequency_aov_and_historical_clv(tx):
    window = M.resolve_window(tx, None)
    rows = M.prepare_until(tx, window.end)
    orders = M.orders_kpi(rows, window)
    # 10 purchase rows (no order_id column), net revenue 445 after the refund of 10.
    assert (orders["customers"], orders["orders"], orders["revenue"]) == (5, 10, pytest.approx(445))
    assert orders["frequency"] == pytest.approx(2.0) and orders["aov"] == pytest.approx(44.5)
    clv = M.historical_clv_kpi(rows, window, margin=1.0)
    assert clv["mean"] == pytest.approx(89) and clv["median"] == pytest.approx(65)
    assert clv["top_share"] == pytest.approx(180 / 445)  # the top 10% of 5 customers is A
    # Revenue per active customer: 2024Q2 (30 + 45 + 80 + 35) / 4, 2024Q1 (150 + 20 + 60) / 3.
    assert clv["change"]["current"] == pytest.approx(47.5)
    assert clv["change"]["previous"] == pytest.approx(230 / 3)
    assert M.historical_clv_kpi(rows, window, margin=0.4)["mean"] == pytest.approx(0.4 * 89)


def test_a_narrower_window_keeps_only_its_days(tx):
    window = M.resolve_window(tx, None, start="2024-04-01")
    rows = M.prepare_until(tx, window.end)
    kpi = M.repeat_kpi(rows, window)
    assert kpi["customers"] == 4 and kpi["repeat_customers"] == 1  # A, B, D, E; only B twice
    assert M.historical_clv_kpi(rows, window)["total"] == pytest.approx(190)


def test_churn_by_inactivity_at_the_window_end(tx):
    window = M.resolve_window(tx, None)
    churn = M.churn_kpi(M.prepare_until(tx, window.end), window, threshold_days=60)
    # Last purchase days: A 04-05 (86 days before 06-30), B 06-10, C 03-15 (107), D 06-30, E 05-05 (56).
    assert (churn["churned"], churn["customers"], churn["share"]) == (2, 5, pytest.approx(0.4))
    assert churn["p_alive_mean"] is None  # no model predictions given


def test_the_holdout_splits_the_history_in_the_middle_as_the_published_cdnow_check():
    cdnow = pd.read_csv(ROOT / "sample_data" / "cdnow" / "transactions.csv", dtype={CUSTOMER_ID: str})
    cdnow = cdnow.assign(**{DATE: pd.to_datetime(cdnow[DATE].astype(str), format="%Y%m%d")})
    assert M.default_calibration_end(cdnow) == pd.Timestamp("1997-09-30")  # 39 of 78 weeks
    assert M.default_calibration_end(cdnow, pd.Timestamp("1997-03-31")) == pd.Timestamp("1997-02-14")


# --- segments ---------------------------------------------------------------------------------------


def test_segment_from_the_customers_table(tx, customers):
    rows, applied = M.filter_segment(tx, (SEGMENT, "south"), customers)
    assert applied and set(rows[CUSTOMER_ID]) == {"C", "D"}
    rows, applied = M.filter_segment(tx, ("region", "x"), customers)
    assert not applied and len(rows) == len(tx)
    frames = {"transactions": tx, "survey": None, "customers": customers}
    assert M.segment_columns(frames) == {SEGMENT: ["north", "south"]}
    assert M.breakdown_columns(tx, customers, [SEGMENT, "region"]) == [SEGMENT]


def test_repeat_rate_and_nps_by_segment(tx, sv, customers):
    window = M.resolve_window(tx, sv)
    table = M.repeat_segments(tx, SEGMENT, window, customers, min_n=3).set_index("segment")
    assert table.loc["north", "value"] == pytest.approx(1.0)  # A, B, E all bought twice
    assert table.loc["south", "value"] == 0 and bool(table.loc["south", "too_small"])
    nps = M.nps_segments(sv, SEGMENT, window, customers, min_n=5).set_index("segment")
    # north: A, B, A, B, E, A -> 10, 9, 3, 10, 9, 7: P 4, D 1, n 6 -> NPS 50.
    assert nps.loc["north", "value"] == pytest.approx(50) and nps.loc["north", "rank"] == 1
    assert bool(nps.loc["south", "too_small"]) and math.isnan(nps.loc["south", "rank"])
    with pytest.raises(InputError):
        M.nps_segments(sv, "region", window, customers)


# --- the survey cards ----------------------------------------------------------------------------------


def test_nps_card_value_interval_and_change(tx, sv):
    window = M.resolve_window(tx, sv)  # the transactions close 2024Q2 on 2024-06-30
    kpi = M.nps_kpi(sv, window)
    assert (kpi["promoters"], kpi["passives"], kpi["detractors"], kpi["n"]) == (5, 2, 3, 10)
    assert kpi["value"] == pytest.approx(20)
    _, _, lo, hi = adjusted_wald(5, 3, 10)
    assert kpi["ci95"] == pytest.approx([lo, hi])
    change = kpi["change"]
    assert (change["period"], change["previous_period"]) == ("2024Q2", "2024Q1")
    assert change["current"] == pytest.approx(100 / 6) and change["previous"] == pytest.approx(25)
    a1, v1, _, _ = adjusted_wald(2, 1, 4)
    a2, v2, _, _ = adjusted_wald(3, 2, 6)
    assert change["z"] == pytest.approx((a2 - a1) / (100 * math.sqrt(v1 + v2)))
    # The survey alone ends on 2024-05-10: 2024Q2 is still running, and no answer precedes 2024Q1.
    alone = M.nps_kpi(sv, M.resolve_window(None, sv))["change"]
    assert (alone["period"], alone["previous_period"], alone["delta"]) == ("2024Q1", None, None)


def test_nps_between_two_periods_reproduces_the_worked_example():
    # REFERENCE §3: Q1 P 180, D 90, n 450 vs Q2 P 210, D 80, n 460 -> +8.2, z ~ 1.67, p ~ 0.095.
    q1 = [10] * 180 + [7] * 180 + [0] * 90
    q2 = [10] * 210 + [7] * 170 + [0] * 80
    survey = pd.DataFrame(
        {
            RECOMMEND: np.array(q1 + q2, dtype=float),
            DATE: pd.to_datetime(["2024-02-01"] * 450 + ["2024-05-01"] * 460),
        }
    )
    result = M.nps_between(survey, "quarter", "2024Q1", "2024Q2")
    assert result["delta_adjusted"] == pytest.approx(8.2, abs=0.05)
    assert result["z"] == pytest.approx(1.67, abs=0.01) and result["p_value"] == pytest.approx(
        0.095, abs=0.001
    )
    assert list(M.answer_periods(survey, "quarter").unique()) == ["2024Q1", "2024Q2"]


def test_undated_answers_count_until_the_user_narrows_the_window(sv):
    undated = pd.concat([sv, pd.DataFrame({RECOMMEND: [0.0, 0.0], DATE: pd.NaT})], ignore_index=True)
    assert M.nps_kpi(undated, M.resolve_window(None, undated))["n"] == 12
    narrowed = M.resolve_window(None, undated, start="2024-01-01")
    assert M.nps_kpi(undated, narrowed)["n"] == 10


def test_feedback_card_ratings_themes_and_trust_headline(sv):
    window = M.resolve_window(None, sv)
    tags = pd.DataFrame(
        {th: False for th in themes()} | {sentiment_column(th): 0 for th in themes()}, index=sv.index
    ).assign(language="en")
    survey = sv.assign(**{COMMENT: ["slow delivery"] * 3 + [""] * 7})
    tags.loc[[0, 1, 3], "delivery"] = True
    kpi = M.feedback_kpi(survey, {TRUST: (1, 5), SERVICE: (1, 5)}, window, tags)
    assert kpi["responses"] == 10 and kpi["commenters"] == 3
    assert kpi["driver_means"] == {SERVICE: pytest.approx(3.5)}
    # NPS impact = NPS of all (20) - NPS of those who did not mention it (7 answers: P 3, D 2 -> 14.3).
    assert kpi["themes"]["delivery"]["count"] == 3
    assert kpi["themes"]["delivery"]["nps_impact"] == pytest.approx(20 - 100 / 7)
    headline = kpi["headline"]
    assert headline["field"] == TRUST and headline["score"] == pytest.approx((3.5 - 1) / 4 * 100)


# --- the whole picture (JSON of the command line) ---------------------------------------------------------


def test_measure_json_has_every_key_and_explains_the_missing_survey(tx):
    out = M.measure(tx, None, period="quarter")
    json.dumps(out)  # plain JSON, no NaN objects
    assert out["nps"] is None and out["feedback"] is None
    assert out["missing"]["nps"]["needs"] == "survey" and "0–10" in out["missing"]["nps"]["message"]
    assert out["repeat_purchase_rate"]["value"] == pytest.approx(0.6)
    assert out["purchase_frequency"] == pytest.approx(2.0) and out["aov"] == pytest.approx(44.5)
    clv = out["clv"]
    assert clv["historical_mean"] == pytest.approx(89) and clv["predicted_mean"] is None
    assert clv["model_status"] == "too_few_customers" and (clv["horizon"], clv["time_unit"]) == (52, "week")
    assert out["data"]["transactions"]["customers"] == 5 and out["data"]["survey"] is None
    assert out["window"]["current_period"] == "2024Q2"


def test_measure_with_only_a_survey(sv):
    out = M.measure(None, sv)
    assert out["nps"]["value"] == pytest.approx(20) and out["retention_rate"] is None
    assert out["clv"] is None and out["missing"]["clv"]["needs"] == "transactions"
    assert out["feedback"]["driver_means"][SERVICE] == pytest.approx(3.5)


def test_measure_segment_is_reported_and_applied(tx, sv, customers):
    out = M.measure(tx, sv, customers=customers, segment=(SEGMENT, "south"))
    assert out["repeat_purchase_rate"]["customers"] == 2
    assert out["nps"]["n"] == 4  # C (8, 6) and D (10, 0)
    assert out["window"]["segment"] == {
        "column": SEGMENT,
        "value": "south",
        "applied": {"transactions": True, "survey": True},
    }


@pytest.mark.parametrize(
    "option, key",
    [
        ({"margin": 0}, "kpi.error.margin"),
        ({"horizon": -1}, "clv.error.horizon"),
        ({"time_unit": "year"}, "clv.error.time_unit"),
    ],
)
def test_bad_clv_options_are_input_errors(tx, option, key):
    with pytest.raises(InputError) as err:
        M.measure(tx, None, **option)
    assert err.value.key == key


# --- synthetic samples: the KPIs land on the generator's truth -------------------------------------------


def _sample(name: str) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    folder = ROOT / "sample_data" / name
    tx = pd.read_csv(folder / "transactions.csv", parse_dates=[DATE], dtype={CUSTOMER_ID: str})
    sv = pd.read_csv(folder / "survey.csv", parse_dates=[DATE], dtype={CUSTOMER_ID: str})
    return tx, sv, json.loads((folder / "truth.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["nl_webshop", "pl_retail", "en_b2b"])
def test_synthetic_samples_match_their_truth(name):
    tx, sv, truth = _sample(name)
    realised = truth["realised"]
    window = M.resolve_window(tx, sv)
    rows = M.prepare_until(tx, window.end)
    assert M.repeat_kpi(rows, window)["value"] == pytest.approx(realised["repeat_purchase_rate"], abs=1e-6)
    orders = M.orders_kpi(rows, window)
    assert orders["customers"] == truth["customers"] and orders["orders"] == realised["orders"]
    assert orders["revenue"] == pytest.approx(realised["revenue_net"], abs=0.01)
    assert M.historical_clv_kpi(rows, window)["total"] == pytest.approx(realised["revenue_net"], abs=0.01)
    nps = M.nps_kpi(sv, window)
    assert nps["value"] == pytest.approx(realised["nps_respondents"], abs=1e-4)
    assert nps["n"] == round(realised["survey_responses"] * (1 - realised["missing_rates"]["recommend"]))
    # Trust raises the purchase rate in the generator, so trust must show in the data.
    assert M.feedback_kpi(sv, None, window)["headline"]["field"] == TRUST


# --- charts of the page ----------------------------------------------------------------------------------


def test_feedback_charts_keep_every_label_readable(sv):
    """Regression: at Vega-Lite's default 20 px rows half the rating labels were hidden, the rest cut."""
    from loyalty.charts.feedback import driver_chart, nps_impact_chart, theme_chart
    from loyalty.charts.theme import ROW_PX
    from loyalty.kpi.feedback import driver_summary, theme_summary

    ratings = driver_summary(sv, {TRUST: (1, 5), SERVICE: (1, 5)})
    tags = pd.DataFrame(
        {th: False for th in themes()} | {sentiment_column(th): 0 for th in themes()}, index=sv.index
    )
    summary = theme_summary(sv.assign(**{COMMENT: ""}), tags=tags)
    drivers = driver_chart(ratings, "en").to_dict()
    for panel in drivers["hconcat"]:
        assert panel["height"] == {"step": 30}
    assert drivers["hconcat"][0]["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] == 0
    for chart in (theme_chart(summary, "en").to_dict(), nps_impact_chart(summary, "en").to_dict()):
        # One ROW_PX row per theme bar, and the plot area alone holds it (autosize contains padding).
        assert chart["height"] >= ROW_PX * len(summary)
        assert chart["autosize"]["contains"] == "padding"
        encoding = chart["encoding"] if "encoding" in chart else chart["layer"][0]["encoding"]
        assert encoding["y"]["axis"]["labelLimit"] == 0


def test_common_retention_above_100_percent_is_flagged_without_an_interval():
    # Q1: S = {A}. Q2: A again and B back after a gap (bought in 2023Q3), nobody new.
    rows = pd.DataFrame(
        {
            CUSTOMER_ID: ["B", "A", "A", "B"],
            DATE: pd.to_datetime(["2023-08-01", "2024-02-01", "2024-05-01", "2024-06-30"]),
            AMOUNT: [10.0, 20.0, 30.0, 40.0],
        }
    )
    window = M.resolve_window(rows, None)
    kpi = M.retention_kpi(M.prepare_until(rows, window.end), window)
    assert (kpi["active_start"], kpi["active_end"], kpi["new"], kpi["active_both"]) == (1, 2, 0, 1)
    assert kpi["value"] == pytest.approx(2.0) and kpi["exceeds_one"] is True
    assert kpi["ci95"] is None and kpi["ci95_both_periods"][1] == pytest.approx(1.0)
    # Without reactivation both rates agree and so do their intervals.
    plain = rows.iloc[1:3]
    window = M.resolve_window(plain, None)
    kpi = M.retention_kpi(M.prepare_until(plain, window.end), window)
    assert kpi["ci95"] == kpi["ci95_both_periods"] and kpi["exceeds_one"] is False
