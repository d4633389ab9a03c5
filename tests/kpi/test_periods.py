"""Shared groundwork: prepared arrays, purchase days, windows and calendar periods."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.errors import InputError
from loyalty.kpi.periods import (
    day_numbers,
    jsonable,
    period_bounds,
    period_labels,
    period_ordinals,
    prepare,
    purchase_days,
)
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE

from .conftest import frame


def test_purchase_days_merge_same_day_rows_and_drop_refunds_and_unknowns():
    data = frame(
        [
            ("a", "2024-01-01 08:00", 5),
            ("a", "2024-01-01 20:00", 7),
            ("a", "2024-01-03", -7),  # refund
            ("b", "2024-01-02", 0),  # zero is a purchase
            ("c", "2024-01-02", float("nan")),  # unknown amount: neither
        ]
    )
    days = purchase_days(data)
    assert list(days.customers) == ["a", "b"]
    assert days.occasions("days").tolist() == [1, 1]
    assert days.occasions("rows").tolist() == [2, 1]
    assert days.first_day().tolist() == days.last_day().tolist()


def test_rows_without_customer_or_date_are_ignored():
    data = pd.DataFrame(
        {
            CUSTOMER_ID: ["a", None, "b"],
            DATE: pd.to_datetime(["2024-01-01", "2024-01-02", None]),
            AMOUNT: [1.0] * 3,
        }
    )
    assert list(purchase_days(data).customers) == ["a"]


def test_time_zone_aware_dates_keep_their_local_day():
    stamps = pd.Series(pd.to_datetime(["2024-03-01 23:30"]).tz_localize("Europe/Warsaw"))
    assert day_numbers(stamps)[0] == np.datetime64("2024-03-01", "D").astype(np.int64)


def test_prepared_arrays_are_read_only_and_shared_work_is_reused():
    data = frame([("a", "2024-01-01", 5), ("a", "2024-02-01", 5)])
    prepared = prepare(data)
    assert prepare(prepared) is prepared
    with pytest.raises(ValueError):
        prepared.amount[0] = 100.0
    assert purchase_days(prepared) is purchase_days(prepared)  # memoised per window
    data.loc[0, AMOUNT] = -5.0  # changing the source later does not change the prepared copy
    assert purchase_days(prepared).n_customers == 1 and prepared.amount[0] == 5.0


def test_missing_column_is_a_user_error():
    with pytest.raises(InputError) as err:
        prepare(pd.DataFrame({CUSTOMER_ID: ["a"], DATE: pd.to_datetime(["2024-01-01"])}))
    assert err.value.key == "kpi.error.missing_column" and err.value.params == {"column": AMOUNT}


@given(st.dates(min_value=pd.Timestamp("1900-01-01").date(), max_value=pd.Timestamp("2200-12-31").date()))
def test_period_ordinals_match_pandas_periods(day):
    number = np.array([np.datetime64(day, "D").astype(np.int64)])
    for period, freq in (("month", "M"), ("quarter", "Q"), ("year", "Y")):
        ordinal = period_ordinals(number, period)[0]
        assert ordinal == pd.Period(day, freq=freq).ordinal
        first, last = period_bounds(np.array([ordinal]), period)
        assert first[0] <= number[0] <= last[0]


def test_period_labels_and_bounds():
    labels, starts = period_labels(np.array([pd.Period("1997Q3").ordinal]), "quarter")
    assert labels == ["1997Q3"] and starts[0] == pd.Timestamp("1997-07-01")
    first, last = period_bounds(np.array([pd.Period("2024-02").ordinal]), "month")
    assert last[0] - first[0] == 28  # leap February: 29 days


def test_jsonable_turns_nan_and_numpy_into_plain_json():
    value = {"a": np.float64("nan"), "b": (np.int64(3), np.bool_(True)), "c": pd.Timestamp("2024-01-02")}
    assert json.loads(json.dumps(jsonable(value))) == {"a": None, "b": [3, True], "c": "2024-01-02T00:00:00"}
    assert jsonable(pd.NaT) is None and jsonable(math.inf) is None
