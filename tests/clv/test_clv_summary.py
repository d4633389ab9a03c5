"""Summary (frequency, recency, T, monetary value): hand-computed frames, a naive reference, CDNOW."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.clv import summary_data_from_transactions
from loyalty.clv.summary import ATTRS_KEY
from loyalty.errors import InputError
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE

from .conftest import CDNOW_MASTER, read_cdnow

# Calibration through 2024-01-20 (inclusive), holdout to 2024-01-31.
_ROWS = [
    ("A", "2024-01-01", 10.0),
    ("A", "2024-01-01", 5.0),  # same day: one occasion
    ("A", "2024-01-08", 20.0),
    ("A", "2024-01-10", -5.0),  # refund-only day: revenue, not an occasion
    ("A", "2024-01-15", 0.0),  # zero amount: an occasion
    ("A", "2024-01-25", 12.0),
    ("A", "2024-01-25", 8.0),  # holdout: one occasion of 20
    ("A", "2024-01-28", -4.0),  # holdout refund
    ("B", "2024-01-05", -30.0),  # only a refund: never a customer
    ("C", "2024-01-03", 40.0),  # one purchase
    ("D", "2024-01-22", 50.0),  # first purchase after calibration: left out
    ("E", "2024-01-02", 30.0),
    ("E", "2024-01-02", -10.0),  # refund nets into its day
    ("E", "2024-01-06", 10.0),
    ("E", "2024-01-06", -10.0),  # net 0 but a purchase happened
    ("F", "2024-01-04 09:00", 25.0),
    ("F", "2024-01-04 18:30", 5.0),  # intraday: one occasion
]


@pytest.fixture
def tiny() -> pd.DataFrame:
    frame = pd.DataFrame(_ROWS, columns=[CUSTOMER_ID, DATE, AMOUNT])
    return frame.assign(**{DATE: pd.to_datetime(frame[DATE], format="ISO8601")})


def test_hand_computed_summary_in_days(tiny):
    s = summary_data_from_transactions(
        tiny, calibration_end="2024-01-20", observation_end="2024-01-31", time_unit="day"
    )
    assert list(s.index) == ["A", "C", "E", "F"]
    assert s.index.name == CUSTOMER_ID
    a = s.loc["A"]
    assert a["frequency"] == 2  # 01-08 and 01-15; the refund day is no occasion
    assert a["recency"] == 14  # 01-01 -> 01-15
    assert a["T"] == 19  # 01-01 -> 01-20
    assert a["monetary_value"] == pytest.approx((20 - 5 + 0) / 2)
    assert a["frequency_holdout"] == 1
    assert a["monetary_value_holdout"] == pytest.approx(20 - 4)
    assert a["duration_holdout"] == 11
    c = s.loc["C"]
    assert (c["frequency"], c["recency"], c["T"], c["monetary_value"]) == (0, 0, 17, 0)
    e = s.loc["E"]
    assert (e["frequency"], e["recency"], e["T"], e["monetary_value"]) == (1, 4, 18, 0)
    assert s.loc["F", "frequency"] == 0


def test_time_units_are_explicit(tiny):
    weeks = summary_data_from_transactions(tiny, calibration_end="2024-01-20", time_unit="week")
    months = summary_data_from_transactions(tiny, calibration_end="2024-01-20", time_unit="month")
    assert weeks.loc["A", "recency"] == pytest.approx(2.0)
    assert weeks.loc["A", "T"] == pytest.approx(19 / 7)
    assert months.loc["A", "T"] == pytest.approx(19 / (365.25 / 12))
    assert weeks.attrs[ATTRS_KEY]["time_unit"] == "week"


def test_without_calibration_end_all_data_is_calibration(tiny):
    s = summary_data_from_transactions(tiny, time_unit="day")
    assert "frequency_holdout" not in s.columns
    assert s.loc["A", "frequency"] == 3  # 01-08, 01-15, 01-25
    assert s.loc["A", "T"] == 27  # to the last date in the data, 01-28
    assert s.loc["D", "frequency"] == 0


def test_integer_ids_and_tz_aware_dates_are_accepted():
    frame = pd.DataFrame(
        {
            CUSTOMER_ID: [7, 7, 8],
            DATE: pd.to_datetime(["2024-03-01 23:30", "2024-03-03 08:00", "2024-03-02 12:00"]).tz_localize(
                "Europe/Amsterdam"
            ),
            AMOUNT: [1.0, 2.0, 3.0],
        }
    )
    s = summary_data_from_transactions(frame, time_unit="day")
    assert list(s.index) == ["7", "8"]
    assert s.loc["7", "recency"] == 2  # local calendar days, not UTC


def test_missing_column_is_an_input_error(tiny):
    with pytest.raises(InputError) as info:
        summary_data_from_transactions(tiny.drop(columns=[AMOUNT]))
    assert info.value.key == "clv.error.missing_columns"


def _naive_summary(tx: pd.DataFrame, cal: pd.Timestamp, obs: pd.Timestamp, unit_days: float) -> pd.DataFrame:
    """The documented rules, written the slow and obvious way."""
    tx = tx.assign(day=tx[DATE].dt.normalize())
    tx = tx[tx["day"] <= obs]
    cells = tx.groupby([CUSTOMER_ID, "day"])[AMOUNT].agg(value="sum", occ=lambda v: bool((v >= 0).any()))
    rows = {}
    for cid, g in cells.groupby(level=0):
        g = g.droplevel(0)
        cal_g = g[g.index <= cal]
        occ = cal_g[cal_g["occ"]]
        if occ.empty:
            continue
        first, last = occ.index.min(), occ.index.max()
        freq = len(occ) - 1
        repeat_value = cal_g.loc[cal_g.index > first, "value"].sum()
        hold = g[g.index > cal]
        n_hold = int(hold["occ"].sum())
        rows[cid] = {
            "frequency": freq,
            "recency": (last - first).days / unit_days,
            "T": (cal - first).days / unit_days,
            "monetary_value": max(repeat_value / freq, 0.0) if freq else 0.0,
            "frequency_holdout": n_hold,
            "monetary_value_holdout": max(hold["value"].sum() / n_hold, 0.0) if n_hold else 0.0,
        }
    return pd.DataFrame.from_dict(rows, orient="index").sort_index()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_summary_matches_naive_reference(seed):
    rng = np.random.default_rng(seed)
    n = 600
    amounts = np.round(rng.gamma(2, 15, n), 2)
    amounts[rng.random(n) < 0.1] *= -1  # refunds
    amounts[rng.random(n) < 0.05] = 0.0
    tx = pd.DataFrame(
        {
            CUSTOMER_ID: rng.integers(0, 80, n).astype(str),
            DATE: pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 200 * 24, n), unit="h"),
            AMOUNT: amounts,
        }
    )
    cal, obs = pd.Timestamp("2023-05-15"), pd.Timestamp("2023-07-10")
    got = summary_data_from_transactions(tx, calibration_end=cal, observation_end=obs, time_unit="week")
    want = _naive_summary(tx, cal, obs, 7.0)
    got = got.sort_index()
    assert list(got.index) == list(want.index)
    for col in want.columns:
        np.testing.assert_allclose(
            got[col].to_numpy(float), want[col].to_numpy(float), atol=1e-9, err_msg=col
        )


def test_cdnow_sample_summary_matches_hardie_files(cdnow_summary):
    s = cdnow_summary
    assert len(s) == 2357
    assert int((s["frequency"] > 0).sum()) == 946
    # Hardie's cdnowSummary: ID 1 (customer 00004) has x = 2, t_x = 30.43, T = 38.86.
    assert s.loc["00004", ["frequency", "recency", "T"]].tolist() == pytest.approx(
        [2, 30.43, 38.86], abs=0.005
    )
    assert s["T"].max() == pytest.approx(272 / 7)  # first cohort day 1997-01-01 -> 1997-09-30
    assert s["duration_holdout"].iloc[0] == pytest.approx(39.0)  # 1997-10-01 .. 1998-06-30
    repeats = s.attrs[ATTRS_KEY]["repeat_occasions_by_day"]
    assert repeats.sum() == s["frequency"].sum() + s["frequency_holdout"].sum()


def test_cdnow_master_repeat_rate_counts_distinct_days():
    # REFERENCE §2: distinct purchase days give a repeat purchase rate of 48.86% on CDNOW master.
    s = summary_data_from_transactions(read_cdnow(CDNOW_MASTER), time_unit="day")
    assert len(s) == 23570
    assert (s["frequency"] > 0).mean() == pytest.approx(0.4886, abs=5e-5)
