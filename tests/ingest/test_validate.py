"""Validation: every row is used or rejected with one reason, and the counts add up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.errors import InputError
from loyalty.ingest import CHECK_ORDER, load_file
from loyalty.ingest.validate import detect_scale, duplicated_rows, order_lines
from loyalty.schema import REJECT_REASONS

from .conftest import csv_bytes


def assert_accounted(result) -> None:
    """Every row read is either in the frame or in the rejected rows, exactly once."""
    assert result.rows_used + len(result.rejected) == result.rows_read
    assert sum(result.by_reason.values()) == len(result.rejected)
    assert result.rejected["reason"].value_counts().to_dict() == result.by_reason


def test_reject_codes_are_the_schema_reasons():
    assert set(CHECK_ORDER) == set(REJECT_REASONS)


def test_each_transaction_reason_with_its_line_number():
    data = csv_bytes(
        "order_id,customer_id,date,amount\n"
        "A1,1,2024-01-05,10.00\n"  # line 2: used
        "A2,,2024-01-06,5.00\n"  # line 3: missing customer id
        "A3,2,someday,5.00\n"  # line 4: unparseable date
        "A4,2,2024-01-07,five\n"  # line 5: non-numeric amount
        "A1,1,2024-01-05,10.00\n"  # line 6: exact duplicate of line 2
        "A5,3,2024-01-08,\n"  # line 7: empty amount
        "A6,3,2024-01-09,-4.50\n"  # line 8: refund, used
        "A7,3,2024-01-10,0\n"  # line 9: zero amount, a purchase
    )
    result = load_file(data, "orders.csv")
    assert_accounted(result)
    assert result.rejected[["row", "reason"]].values.tolist() == [
        [3, "missing_customer_id"],
        [4, "unparseable_date"],
        [5, "non_numeric_amount"],
        [6, "duplicate_row"],
        [7, "non_numeric_amount"],
    ]
    assert result.frame["amount"].tolist() == [10.0, -4.5, 0.0]
    summary = result.summary()
    assert (summary["purchases"], summary["refunds"], summary["revenue"]) == (2, 1, 5.5)


def test_the_first_failing_check_names_the_reason():
    # No customer id AND a bad date: the customer check comes first.
    data = csv_bytes("customer_id,date,amount\n1,2024-01-01,5\n,never,x\n")
    result = load_file(data, "x.csv")
    assert result.by_reason == {"missing_customer_id": 1}


def test_identical_rows_without_an_order_id_or_time_are_separate_purchases():
    # CDNOW has such rows: the same customer buying twice on one day for the same amount.
    data = csv_bytes("customer_id,date,amount\n1,2024-01-01,5\n1,2024-01-01,5\n2,2024-01-02,6\n")
    result = load_file(data, "x.csv")
    assert result.rows_used == 3 and result.by_reason == {}
    assert ("ingest.warning.identical_rows_kept", {"count": 1}) in result.warnings


def test_identical_rows_with_a_time_of_day_are_duplicates():
    data = csv_bytes(
        "customer_id,date,amount\n1,2024-01-01 10:00,5\n1,2024-01-01 10:00,5\n1,2024-01-01 11:00,5\n"
    )
    result = load_file(data, "x.csv")
    assert result.by_reason == {"duplicate_row": 1} and result.rejected["row"].tolist() == [3]


def test_survey_reasons_and_no_answers():
    data = csv_bytes(
        "customer_id,date,recommend,trust\n"
        "c1,2024-01-01,9,4\n"  # used
        "c2,2024-01-02,11,2\n"  # recommend above 10
        "c3,2024-01-03,7.5,3\n"  # recommend not whole
        "c4,2024-01-04,-1,3\n"  # recommend below 0
        "c5,2024-01-05,x,1\n"  # not a number
        "c6,2024-01-06,n.v.t.,5\n"  # "no answer": kept, NaN
        "c7,2024-01-07,,\n"  # empty answers: kept, NaN
        "c8,2024-01-08,10 - Extremely likely,5\n"  # a labelled answer counts as 10
        "c9,soon,8,4\n"  # unreadable survey date
        "c1,2024-01-01,9,4\n"  # duplicate of c1
    )
    result = load_file(data, "survey.csv", kind="survey")
    assert_accounted(result)
    assert result.by_reason == {
        "score_out_of_range": 3,
        "non_numeric_score": 1,
        "unparseable_date": 1,
        "duplicate_row": 1,
    }
    frame = result.frame.set_index("customer_id")
    assert list(frame.index) == ["c1", "c6", "c7", "c8"]
    assert np.isnan(frame.loc["c6", "recommend"]) and np.isnan(frame.loc["c7", "trust"])
    assert frame.loc["c8", "recommend"] == 10


def test_a_survey_rating_outside_its_given_scale_is_rejected():
    data = csv_bytes("customer_id,recommend,trust\nc1,9,4\nc2,8,6\nc3,7,5\n")
    detected = load_file(data, "x.csv")
    assert detected.scales["trust"] == (1, 7) and detected.rows_used == 3
    given = load_file(data, "x.csv", scales={"trust": (1, 5)})
    assert given.scales["trust"] == (1, 5) and given.by_reason == {"score_out_of_range": 1}
    with pytest.raises(InputError) as err:
        load_file(data, "x.csv", scales={"trust": (5, 1)})
    assert err.value.key == "ingest.error.bad_scale"


@pytest.mark.parametrize(
    "values, scale",
    [
        ([1, 2, 3, 4, 5], (1, 5)),
        ([1, 4, 6, 7], (1, 7)),
        ([1, 5, 8, 10], (1, 10)),
        ([0, 5, 10], (0, 10)),
        ([2, 3, 4], (1, 5)),  # the smallest scale that holds the answers
        ([], None),
    ],
)
def test_scale_detection(values, scale):
    assert detect_scale(pd.Series(values, dtype="float64")) == scale


def test_every_rating_column_gets_its_own_scale():
    rows = [f"c{i},{i % 11},{1 + i % 5},{1 + i % 7},{1 + i % 10},{i % 11}" for i in range(30)]
    data = csv_bytes("customer_id,recommend,trust,consistency,service,reputation\n" + "\n".join(rows) + "\n")
    result = load_file(data, "x.csv")
    assert result.scales == {
        "recommend": (0, 10),
        "trust": (1, 5),
        "consistency": (1, 7),
        "service": (1, 10),
        "reputation": (0, 10),
    }
    assert result.summary()["scales"]["consistency"] == [1, 7]


def test_a_recommend_column_on_a_five_point_scale_is_questioned():
    rows = [f"c{i},{1 + i % 5}" for i in range(25)]
    result = load_file(csv_bytes("customer_id,nps\n" + "\n".join(rows) + "\n"), "x.csv")
    assert ("ingest.warning.recommend_scale", {"column": "nps"}) in result.warnings


def test_a_file_with_no_usable_row_gets_one_message_naming_the_problem():
    data = csv_bytes("customer_id,recommend\nc1,11\nc2,12\nc3,15\n")
    with pytest.raises(InputError) as err:
        load_file(data, "x.csv", kind="survey")
    assert err.value.key == "ingest.error.all_rejected.score_out_of_range"
    assert err.value.params == {"file": "x.csv", "rows": 3, "row": 2}
    for lang in ("en", "nl", "pl"):
        message = err.value.message(lang)
        assert "x.csv" in message and "score_out_of_range" not in message and "0" in message


def test_a_named_date_column_with_unreadable_cells_rejects_rows_not_the_file():
    data = csv_bytes("customer_id,date,amount\n1,soon,5\n2,later,6\n3,2024-01-01,7\n")
    result = load_file(data, "x.csv")
    assert result.mapping["date"] == "date" and result.confidence["date"] < 0.6
    assert result.by_reason == {"unparseable_date": 2} and result.rows_used == 1
    assert result.warnings[0][0] == "ingest.warning.low_confidence"


def test_all_rejected_messages_exist_for_every_reason():
    from loyalty.i18n import catalog

    assert all(f"ingest.error.all_rejected.{r}" in catalog() for r in CHECK_ORDER)


def test_order_lines_are_continuation_rows_of_a_priced_order():
    order = pd.Series(["#1", "#1", "#2", "#3", None], dtype="str")
    amount = pd.Series(["10", None, "5", None, None], dtype="str")
    # #1's second row is a line item; #3 has no priced row, so it is not a continuation.
    assert order_lines(order, amount).tolist() == [False, True, False, False, False]


def test_duplicated_rows_compares_whole_rows():
    frame = pd.DataFrame({"a": ["1", "1", "1", None, None], "b": ["x", "x", "y", None, None]}, dtype="str")
    assert duplicated_rows(frame).tolist() == [False, True, False, False, True]


def test_empty_rows_in_the_middle_are_counted_and_trailing_ones_ignored():
    data = csv_bytes("customer_id,date,amount\n1,2024-01-01,5\n;;\n,,\n2,2024-01-02,6\n,,\n\n")
    result = load_file(data, "x.csv")
    assert result.rows_read == 4
    assert result.by_reason.get("empty_row") == 1


def test_a_column_of_distinct_values_means_no_duplicates():
    frame = pd.DataFrame({"order": ["1", "2", "3"], "b": ["x", "x", "x"]}, dtype="str")
    assert not duplicated_rows(frame).any()


def shop_rows() -> pd.DataFrame:
    """Orders #1 (refunded by a second row), #2 (exported twice) and #3; row 5 has no order id."""
    return pd.DataFrame(
        {
            "order": ["#1", "#2", "#1", "#2", "#3", None, None],
            "customer": ["a", "b", "a", "b", "a", "c", "c"],
            "when": ["t1", "t2", "t3", "t2", "t1", "t4", "t4"],
            "amount": ["10", "5", "-10", "5", "10", "7", "7"],
        },
        dtype="str",
    )


@pytest.mark.parametrize("first", [(), ("order",), ("order", "when"), ("when", "amount"), ("absent",)])
def test_duplicated_rows_with_repeated_order_ids_whatever_column_comes_first(first):
    # #1's refund differs in time and amount; #2's second row is a copy; so is the second row
    # without an order id (an empty cell equals an empty cell).
    assert duplicated_rows(shop_rows(), first).tolist() == [False, False, False, True, False, False, True]


def test_duplicated_rows_with_distinct_order_ids_finds_none():
    frame = shop_rows().assign(order=["#1", "#2", "#3", "#4", "#5", "#6", "#7"])
    assert not duplicated_rows(frame, ("order",)).any()
    assert not duplicated_rows(frame).any()


def test_duplicated_rows_without_order_id_starting_from_a_repeating_column():
    frame = shop_rows().drop(columns="order")
    # Rows 0 and 4 share customer, time and amount: without an order id they are copies.
    expected = [False, False, False, True, True, False, True]
    assert duplicated_rows(frame, ("customer",)).tolist() == expected
    assert duplicated_rows(frame, ("when",)).tolist() == expected


def test_a_copied_order_row_is_rejected_as_a_duplicate_and_a_refund_is_not():
    data = csv_bytes(
        "order_id,customer_id,order_date,amount\n"
        "A1,c1,2024-01-02 10:00:00,10.00\n"
        "A2,c2,2024-01-03 11:00:00,5.00\n"
        "A1,c1,2024-02-02 09:00:00,-10.00\n"
        "A2,c2,2024-01-03 11:00:00,5.00\n"
    )
    result = load_file(data, "orders.csv")
    assert result.by_reason == {"duplicate_row": 1}
    assert result.frame["amount"].tolist() == [10.0, 5.0, -10.0]
