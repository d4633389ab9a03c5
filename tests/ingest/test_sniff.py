"""Sniffing: file type, encoding and delimiter from the bytes, and the user's overrides."""

from __future__ import annotations

import pytest

from loyalty.errors import InputError
from loyalty.ingest import load_file, read_table
from loyalty.ingest.sniff import (
    SAMPLE_BYTES,
    _is_utf8,
    detect_delimiter,
    detect_encoding,
    detect_file_type,
    explicit_delimiter,
)

from .conftest import csv_bytes

ROWS = [
    ["customer_id", "order_date", "dollar_value", "note"],
    ["1", "2024-01-13", "10.50", "first"],
    ["2", "2024-02-01", "3.00", "second"],
    ["3", "2024-02-03", "7.25", "third"],
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected_and_the_table_read(delimiter):
    text = "\n".join(delimiter.join(r) for r in ROWS) + "\n"
    assert detect_delimiter(text) == delimiter
    result = load_file(csv_bytes(text), "orders.txt")
    assert result.format.delimiter == delimiter
    assert result.mapping == {"customer_id": "customer_id", "date": "order_date", "amount": "dollar_value"}
    assert result.frame["amount"].tolist() == [10.5, 3.0, 7.25]


def test_quoted_cells_holding_other_delimiters_do_not_fool_the_sniffer():
    text = 'id;name;amount\n1;"Smith, John";"1,50"\n2;"Doe, Jane";"2,75"\n3;"Kowalski, Jan";"9,00"\n'
    assert detect_delimiter(text) == ";"


def test_excel_sep_line_names_the_delimiter_and_is_skipped():
    data = b"sep=;\ncustomer_id;date;amount\n1;2024-01-01;5\n2;2024-01-02;6\n"
    assert explicit_delimiter(data.decode()) == ";"
    frame, fmt = read_table(data, "x.csv")
    assert fmt.delimiter == ";" and list(frame.columns) == ["customer_id", "date", "amount"]
    assert len(frame) == 2


def test_a_single_column_list_is_a_table_but_prose_is_not():
    frame, _fmt = read_table(b"customer_id\nA1\nA2\nA3\n", "ids.csv")
    assert frame["customer_id"].tolist() == ["A1", "A2", "A3"]
    prose = b"Dear customer, thank you for your order. We hope you enjoy it!\nKind regards. The team.\n"
    with pytest.raises(InputError) as err:
        read_table(prose, "letter.txt")
    assert err.value.key == "ingest.error.not_a_table"


# --- encodings ----------------------------------------------------------------------------

DUTCH = "Klantnummer;Besteldatum;Totaalbedrag;Opmerking\n1;05-03-2024;€ 12,50;café crème, naïef\n"
POLISH = "ID klienta;Data zamówienia;Kwota;Uwagi\nA1;05.03.2024;12,50 zł;Zażółć gęślą jaźń, Łódź\n"


@pytest.mark.parametrize(
    "text, encoding, expected",
    [
        (DUTCH, "utf-8", "utf-8"),
        (DUTCH, "utf-8-sig", "utf-8-sig"),
        (DUTCH, "cp1252", "cp1252"),
        (POLISH, "utf-8", "utf-8"),
        (POLISH, "utf-8-sig", "utf-8-sig"),
        (POLISH, "cp1250", "cp1250"),
        (DUTCH, "utf-16", "utf-16"),
    ],
)
def test_encodings_are_detected_and_text_decodes_cleanly(text, encoding, expected):
    data = text.encode(encoding)
    assert detect_encoding(data) == expected
    frame, fmt = read_table(data, "export.csv")
    assert fmt.encoding == expected
    assert frame.iloc[0, 3] == text.splitlines()[1].split(";")[3]


def test_utf8_check_survives_a_character_split_across_chunks():
    data = "zażółć gęślą jaźń".encode()
    assert all(_is_utf8(data, chunk=size) for size in (1, 2, 3, 5))
    assert not _is_utf8(data[:-1], chunk=4)  # a cut-off last character is not UTF-8
    assert not _is_utf8("zażółć".encode("cp1250"), chunk=3)


def test_an_invalid_byte_after_the_sniff_sample_still_rules_out_utf8():
    body = "a,b\n" + "1,2\n" * (SAMPLE_BYTES // 4 + 10)
    data = body.encode() + "é,ł\n".encode("cp1250")
    assert detect_encoding(data) in ("cp1250", "cp1252")


# --- file types and files that are no table ----------------------------------------------


@pytest.mark.parametrize(
    "data, name, key",
    [
        (b"", "empty.csv", "ingest.error.empty"),
        (b"\xef\xbb\xbf\r\n \r\n", "bom_only.csv", "ingest.error.empty"),
        (b"PK\x03\x04 this is no zip", "orders.xlsx", "ingest.error.fake_excel"),
        (b"customer;date\n1;2024-01-01\n", "orders.xlsx", "ingest.error.fake_excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "orders.xls", "ingest.error.old_excel"),
        (b"PAR1 broken", "orders.parquet", "ingest.error.fake_parquet"),
        (b"a,b\n1,2\n", "orders.parquet", "ingest.error.fake_parquet"),
        (bytes(range(256)) * 8, "orders.csv", "ingest.error.binary"),
        (
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            "page.csv",
            "ingest.error.not_a_table",
        ),
        (b'[{"customer": 1, "amount": 5}]', "data.csv", "ingest.error.not_a_table"),
        (b"customer_id,date,amount\n", "header_only.csv", "ingest.error.no_rows"),
    ],
)
def test_unusable_files_get_one_clear_message_naming_the_file(data, name, key):
    with pytest.raises(InputError) as err:
        load_file(data, name)
    assert err.value.key == key
    for lang in ("en", "nl", "pl"):
        message = err.value.message(lang)
        assert name in message and key not in message and "{" not in message


def test_file_type_comes_from_the_content_not_the_name():
    assert detect_file_type(b"PK\x03\x04...", "export.csv") == "xlsx"
    assert detect_file_type(b"PAR1...", "export.csv") == "parquet"
    assert detect_file_type(b"a;b\n1;2\n", "export.txt") == "csv"


# --- overrides ------------------------------------------------------------------------------


def test_delimiter_override_beats_sniffing():
    data = b"customer_id,date;amount\n1,2024-01-01;5\n2,2024-01-02;6\n"
    assert read_table(data, "x.csv")[1].delimiter == ","
    frame, fmt = read_table(data, "x.csv", delimiter=";")
    assert fmt.delimiter == ";" and list(frame.columns) == ["customer_id,date", "amount"]


def test_decimal_override_reads_every_value_with_the_given_mark():
    data = b"customer_id,date,amount\n1,2024-01-01,1.234\n2,2024-01-02,2.500\n"
    # Alone, "1.234" could be either; the comma file default is not used for ',' files.
    assert load_file(data, "x.csv").frame["amount"].tolist() == [1.234, 2.5]
    forced = load_file(data, "x.csv", decimal=",", thousands=".")
    assert forced.format.decimal == "," and forced.format.thousands == "."
    assert forced.frame["amount"].tolist() == [1234.0, 2500.0]


def test_encoding_and_delimiter_overrides_show_in_the_format():
    data = POLISH.encode("cp1250")
    result = load_file(data, "x.csv", kind="transactions", encoding="cp1250", delimiter=";")
    assert (result.format.encoding, result.format.delimiter) == ("cp1250", ";")
    assert result.source_columns[1] == "Data zamówienia"


@pytest.mark.parametrize(
    "option, value",
    [("delimiter", "ab"), ("delimiter", '"'), ("decimal", ";"), ("encoding", "klingon-8")],
)
def test_impossible_overrides_are_refused_with_a_message(option, value):
    with pytest.raises(InputError) as err:
        load_file(b"customer_id,date,amount\n1,2024-01-01,5\n", "x.csv", **{option: value})
    assert err.value.key == "ingest.error.bad_option"
    assert option in err.value.message("en")
