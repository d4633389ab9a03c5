"""The rejected-rows download: opens cleanly in Excel and cannot run formulas."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from loyalty.ingest import load_file, rejected_to_csv
from loyalty.ingest.export import neutralise

from .conftest import csv_bytes, workbook_bytes


@pytest.mark.parametrize(
    "cell, safe",
    [
        ('=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")'),
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-", "'-"),
        # Numbers stay numbers: a refund must not become text.
        ("-12,50", "-12,50"),
        ("-49.95", "-49.95"),
        ("+5", "+5"),
        ("-1.234,56", "-1.234,56"),
        ("1e5", "1e5"),
        # Ordinary text is untouched.
        ("Jan", "Jan"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_cells_get_a_leading_apostrophe(cell, safe):
    assert neutralise(pd.Series([cell], dtype="str"))[0] == safe


def test_missing_cells_and_number_columns_pass_through():
    out = neutralise(pd.Series(["=1", None], dtype="str"))
    assert out[0] == "'=1" and pd.isna(out[1])
    numbers = pd.Series([-1, 2], dtype="int64")
    assert neutralise(numbers).tolist() == [-1, 2]


DUTCH = csv_bytes(
    "Klantnummer;Besteldatum;Totaalbedrag;Opmerking\n"
    "1;05-03-2024;12,50;ok\n"
    '2;31-02-2024;-7,50;=HYPERLINK("http://x")\n'
    ";06-03-2024;3,00;@evil\n"
    "3;07-03-2024;1.234,56;fine\n",
    encoding="utf-8-sig",
)


def test_rejected_csv_uses_the_source_delimiter_a_bom_and_crlf():
    result = load_file(DUTCH, "bestellingen.csv")
    data = rejected_to_csv(result)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel then reads it as UTF-8
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "row;reason;Klantnummer;Besteldatum;Totaalbedrag;Opmerking"
    # CSV quoting wraps the cell; Excel unwraps it and sees the apostrophe first.
    assert lines[1] == '3;unparseable_date;2;31-02-2024;-7,50;"\'=HYPERLINK(""http://x"")"'
    assert lines[2] == "4;missing_customer_id;;06-03-2024;3,00;'@evil"
    assert lines[3] == ""


def test_rejected_csv_reads_back_with_the_same_rows():
    result = load_file(DUTCH, "bestellingen.csv")
    back = pd.read_csv(io.BytesIO(rejected_to_csv(result)), sep=";", dtype=str, encoding="utf-8-sig")
    assert back["row"].tolist() == ["3", "4"]
    assert back["reason"].tolist() == ["unparseable_date", "missing_customer_id"]


def test_rejected_csv_of_an_excel_upload_uses_commas():
    data = workbook_bytes(
        {
            "Orders": [
                ["Customer", "Date", "Total"],
                ["A", "2024-01-01", 5],
                ["B", "never", 6],
                ["C", "2024-01-03", 7],
            ]
        }
    )
    result = load_file(data, "orders.xlsx")
    text = rejected_to_csv(result).decode("utf-8-sig")
    assert text.splitlines()[0] == "row,reason,Customer,Date,Total"
    assert text.splitlines()[1] == "3,unparseable_date,B,never,6"


def test_no_rejected_rows_give_a_header_only_file():
    result = load_file(csv_bytes("customer_id,date,amount\n1,2024-01-01,5\n"), "x.csv")
    assert rejected_to_csv(result).decode("utf-8-sig").strip() == "row,reason,customer_id,date,amount"
