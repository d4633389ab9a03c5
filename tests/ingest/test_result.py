"""The load result: the inspect JSON summary, typed canonical columns and kept extra columns."""

from __future__ import annotations

import json

import pytest

from loyalty.errors import InputError
from loyalty.ingest import load_file, load_path
from loyalty.ingest.extras import is_id_like_header

from .conftest import csv_bytes


def test_summary_has_the_inspect_keys_and_is_plain_json():
    data = csv_bytes("customer_id,date,amount\n1,2024-01-05,10\n1,2024-02-01,-2.5\n2,2024-01-09,0\n3,x,1\n")
    summary = load_file(data, "orders.csv").summary()
    assert json.loads(json.dumps(summary)) == summary
    assert {"kind", "format", "mapping", "rows", "dropped_columns"} <= set(summary)
    assert {"delimiter", "encoding", "decimal", "date_format"} <= set(summary["format"])
    assert summary["rows"] == {"read": 4, "used": 3, "rejected": 1, "by_reason": {"unparseable_date": 1}}
    assert (summary["customers"], summary["purchases"], summary["refunds"]) == (2, 2, 1)
    assert summary["revenue"] == 7.5
    assert (summary["first_date"], summary["last_date"]) == ("2024-01-05", "2024-02-01")


def test_survey_summary_has_responses_and_scales():
    data = csv_bytes("respondent,nps,trust\nr1,9,4\nr2,3,2\nr3,10,5\n")
    summary = load_file(data, "survey.csv").summary()
    assert summary["kind"] == "survey" and summary["responses"] == 3
    assert summary["scales"] == {"recommend": [0, 10], "trust": [1, 5]}


def test_customer_list_summary():
    data = csv_bytes(
        "customer_id,signup_date,segment,country\n1,2023-01-01,gold,NL\n2,2023-02-01,silver,PL\n"
    )
    result = load_file(data, "customers.csv")
    assert result.kind == "customers" and result.summary()["customers"] == 2
    assert result.frame["signup_date"].dtype == "datetime64[ns]"
    assert result.summary()["format"]["date_format"] == "yyyy-mm-dd"


def test_canonical_columns_are_typed():
    data = csv_bytes('customer_id,date,amount,order_id\n007,2024-01-05 10:00,"1.234,56",A1\n')
    result = load_file(data, "orders.csv")
    frame = result.frame
    assert list(frame.columns[:4]) == ["customer_id", "date", "amount", "order_id"]
    assert frame["customer_id"][0] == "007"  # ids stay text
    assert frame["date"].dtype == "datetime64[ns]" and frame["amount"].dtype == "float64"
    assert frame["amount"][0] == 1234.56


def test_extra_columns_are_kept_as_segments_or_numbers_or_reported_unused():
    channels = ("web", "app", "store")
    rows = "\n".join(
        f"{i},2024-01-{1 + i % 28:02d},{10 + i}.5,{channels[i % 3]},{i % 4},PAY-{1000 + i},note {i}"
        for i in range(40)
    )
    data = csv_bytes("customer_id,date,amount,channel,items,Payment ID,Memo\n" + rows + "\n")
    result = load_file(data, "x.csv")
    assert result.segment_columns == ["channel"]
    assert result.extra_numeric_columns == ["items"]
    assert result.frame["items"].dtype == "float64"
    unused = dict(result.warnings)["ingest.warning.unused_columns"]["columns"]
    assert unused == "Payment ID, Memo"


def test_an_extra_column_named_like_a_canonical_field_is_renamed():
    data = csv_bytes("Klantnummer,Besteldatum,Totaalbedrag,amount\n1,2024-01-01,5,x\n2,2024-01-02,6,y\n")
    result = load_file(data, "x.csv")
    assert result.mapping["amount"] == "Totaalbedrag"
    assert "amount (source)" in result.frame.columns


def test_id_like_headers():
    assert all(is_id_like_header(h) for h in ("Id", "Payment ID", "Ordernummer", "SKU", "klantnr"))
    assert not any(is_id_like_header(h) for h in ("Kanaal", "Region", "Store"))


def test_load_path_reads_a_file_and_names_a_missing_one(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes("customer_id,date,amount\n1,2024-01-01,5\n"))
    assert load_path(path).file_name == "orders.csv"
    with pytest.raises(InputError) as err:
        load_path(tmp_path / "missing.csv")
    assert err.value.key == "ingest.error.cannot_open" and "missing.csv" in err.value.message("pl")
