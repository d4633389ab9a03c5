"""Reading raw tables: headers, ragged and quoted rows, row positions, Excel and Parquet, big files."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest

from loyalty.ingest import load_file, read_table
from loyalty.ingest import reader as reader_module
from loyalty.ingest.reader import clean_header, read_raw
from loyalty.ingest.sniff import SAMPLE_BYTES

from .conftest import workbook_bytes


def test_header_cells_are_cleaned_named_and_numbered():
    assert clean_header(["\ufeffKlant ", "", None, "Bedrag", "bedrag", "  a   b "]) == [
        "Klant",
        "column_2",
        "column_3",
        "Bedrag",
        "bedrag (2)",
        "a b",
    ]


def test_a_file_without_a_header_is_read_as_data_and_says_so():
    raw = read_raw(b"1;2024-01-01;3,5\n2;2024-01-02;4,5\n", "x.csv")
    assert list(raw.frame.columns) == ["column_1", "column_2", "column_3"]
    assert len(raw.frame) == 2 and raw.rows.tolist() == [1, 2]
    assert ("ingest.warning.no_header", {}) in raw.warnings


def test_trailing_delimiters_leave_no_empty_columns():
    frame, _ = read_table(b"a;b;\n1;2;\n3;4;\n", "x.csv")
    assert list(frame.columns) == ["a", "b"]
    frame, _ = read_table(b"a;;b\n1;;2\n", "x.csv")
    assert list(frame.columns) == ["a", "b"]
    frame, _ = read_table(b"a;;b\n1;x;2\n", "x.csv")  # an unnamed column with data is kept
    assert list(frame.columns) == ["a", "column_2", "b"]


def test_ragged_rows_widen_the_table_instead_of_failing():
    frame, _ = read_table(b"a,b\n1,2,3\n4,5\n6\n", "x.csv")
    assert list(frame.columns) == ["a", "b", "column_3"]
    assert frame.fillna("").values.tolist() == [["1", "2", "3"], ["4", "5", ""], ["6", "", ""]]


def test_an_unclosed_quote_is_read_literally_with_a_warning():
    raw = read_raw(b'a,b\n1,"unclosed\n2,3\n', "x.csv")
    assert raw.frame["b"].tolist() == ['"unclosed', "3"]
    assert ("ingest.warning.broken_quotes", {}) in raw.warnings


def test_row_numbers_count_quoted_line_breaks_and_blank_lines():
    raw = read_raw(b'a,b\n1,"two\nlines"\n2,z\n\n3,w\n', "x.csv")
    assert raw.frame["b"].tolist()[0] == "two\nlines"
    # Line 1 header, lines 2-3 the first record, 4 the second, 5 blank, 6 the third.
    assert raw.rows.tolist() == [2, 4, 5, 6]


def test_empty_lines_at_the_end_are_not_rows():
    frame, _ = read_table(b"a,b\n1,2\n,\n , \n\n\n", "x.csv")
    assert len(frame) == 1


def test_cells_are_strings_and_empty_cells_missing():
    frame, _ = read_table(b"a,b,c\n007,NA,\n1.50,null, x \n", "x.csv")
    assert frame["a"].tolist() == ["007", "1.50"]  # leading zeros of ids survive
    assert frame["b"].tolist() == ["NA", "null"]  # not guessed to be missing
    assert pd.isna(frame["c"][0]) and frame["c"][1] == " x "


# --- Excel ------------------------------------------------------------------------------


def test_excel_cells_become_text_the_way_a_person_reads_them():
    data = workbook_bytes(
        {
            "S": [
                ["id", "when", "time", "amount", "count", "flag"],
                [1001, dt.datetime(2024, 3, 5, 14, 30), dt.time(9, 15), 12.5, 3.0, True],
                [1002, dt.date(2024, 3, 6), None, 0.1, 4, False],
            ]
        }
    )
    frame, fmt = read_table(data, "x.xlsx")
    assert fmt.file_type == "xlsx" and fmt.sheet == "S"
    assert frame.fillna("").values.tolist() == [
        ["1001", "2024-03-05 14:30:00", "09:15:00", "12.5", "3", "TRUE"],
        ["1002", "2024-03-06", "", "0.1", "4", "FALSE"],
    ]


def test_excel_title_rows_above_the_header_are_skipped_and_rows_are_sheet_rows():
    data = workbook_bytes(
        {
            "Export": [
                ["Sales report"],
                ["made 2024-03-31"],
                [],
                ["Customer", "Date", "Total"],
                ["A", "2024-01-01", 5],
            ]
        }
    )
    raw = read_raw(data, "x.xlsx")
    assert list(raw.frame.columns) == ["Customer", "Date", "Total"]
    assert raw.rows.tolist() == [5]


def test_excel_header_with_a_blank_cell_still_reads():
    # Found by the property tests: a data column without a header made the header NaN.
    data = workbook_bytes({"S": [["Klantnummer", None, "Bedrag"], ["1", "x", 5], ["2", "y", 6]]})
    frame, _ = read_table(data, "x.xlsx")
    assert list(frame.columns) == ["Klantnummer", "column_2", "Bedrag"]


# --- Parquet ----------------------------------------------------------------------------


def test_parquet_types_become_text_and_load():
    typed = pd.DataFrame(
        {
            "customer_id": pd.Series([7, 8], dtype="int64"),
            "order_date": pd.to_datetime(["2024-01-01 00:00", "2024-01-02 10:30"]),
            "total": [1.5, float("nan")],
            "store": ["A", None],
        }
    )
    buf = io.BytesIO()
    typed.to_parquet(buf)
    frame, fmt = read_table(buf.getvalue(), "orders.parquet")
    assert fmt.file_type == "parquet"
    assert frame["customer_id"].tolist() == ["7", "8"]
    assert frame["order_date"].tolist() == ["2024-01-01 00:00:00", "2024-01-02 10:30:00"]
    assert frame["total"][0] == "1.5" and pd.isna(frame["total"][1]) and pd.isna(frame["store"][1])
    result = load_file(buf.getvalue(), "orders.parquet")
    assert result.by_reason == {"non_numeric_amount": 1} and result.rejected["row"].tolist() == [2]


# --- big files ----------------------------------------------------------------------------


def _big_dutch_csv(rows: int) -> bytes:
    rng = np.random.default_rng(3)
    days = rng.integers(1, 28, rows)
    cents = rng.integers(-5000, 500000, rows)
    lines = [
        f"{i};K{i % 997};{d:02d}-03-2024;{c // 100:,}".replace(",", ".") + f",{abs(c) % 100:02d}"
        for i, (d, c) in enumerate(zip(days, cents, strict=True))
    ]
    return ("\ufeffOrdernummer;Klantnummer;Besteldatum;Totaalbedrag\n" + "\n".join(lines) + "\n").encode(
        "utf-8"
    )


def test_a_file_bigger_than_the_sniff_sample_reads_whole():
    data = _big_dutch_csv(40_000)
    assert len(data) > 1_000_000 > SAMPLE_BYTES  # past the sample, and on the pyarrow path
    result = load_file(data, "big.csv")
    assert result.rows_read == 40_000 and result.rows_used == 40_000
    assert result.format.delimiter == ";" and result.format.decimal == ","
    last = data.decode("utf-8-sig").strip().splitlines()[-1].split(";")
    assert result.frame["order_id"].iloc[-1] == last[0]


def test_the_fast_and_the_careful_csv_engines_agree(monkeypatch):
    data = _big_dutch_csv(40_000)
    fast = load_file(data, "big.csv")
    monkeypatch.setattr(reader_module, "_PYARROW_MIN_BYTES", 10**12)  # force the C engine
    careful = load_file(data, "big.csv")
    pd.testing.assert_frame_equal(fast.frame, careful.frame)
    assert fast.by_reason == careful.by_reason


def test_no_size_limit_below_200_mb_in_the_reader():
    # The 200 MB upload limit is Streamlit's; nothing in the reader may cap below it.
    limits = [v for k, v in vars(reader_module).items() if k.isupper() and isinstance(v, int)]
    assert all(v < 100 or v >= 200 * 1024 * 1024 for v in limits if v > 1_000_000)
    assert SAMPLE_BYTES < 1024 * 1024  # sniffing looks at a sample, reading at everything


@pytest.mark.parametrize("cut", [SAMPLE_BYTES - 3, SAMPLE_BYTES, SAMPLE_BYTES + 5])
def test_the_sniff_sample_ending_inside_a_line_or_character_does_not_matter(cut):
    head = "klant;datum;bedrag;opmerking\n"
    row = "1;05-03-2024;12,50;żółw\n"
    body = head + row * (cut // len(row.encode()) + 20)
    data = body.encode("utf-8")
    frame, fmt = read_table(data, "x.csv")
    assert fmt.encoding == "utf-8" and fmt.delimiter == ";"
    assert len(frame) == body.count("\n") - 1 and frame["opmerking"].eq("żółw").all()


def test_workbook_sheets_lists_the_sheets_or_nothing():
    from loyalty.ingest import workbook_sheets

    data = workbook_bytes({"Orders": [["a"]], "Survey": [["b"]]})
    assert workbook_sheets(data) == ["Orders", "Survey"]
    assert workbook_sheets(b"a,b\n1,2\n") == []
    assert workbook_sheets(b"PK\x03\x04 not a workbook") == []
