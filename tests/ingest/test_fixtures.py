"""Real-world-shaped exports end to end: a Dutch webshop CSV, a Polish cp1250 survey,
an Excel workbook with two sheets and a Shopify order export.

Every expected value below was worked out by hand from the fixture files.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from loyalty.errors import InputError
from loyalty.ingest import load_file, load_path

from .conftest import FIXTURES, workbook_bytes

# --- Dutch webshop: ';', decimal comma, dd-mm-yyyy, UTF-8 with BOM --------------------------


@pytest.fixture(scope="module")
def dutch():
    return load_path(FIXTURES / "nl_webshop.csv")


def test_dutch_fixture_really_is_a_bom_semicolon_file():
    data = (FIXTURES / "nl_webshop.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert (
        data.splitlines()[0]
        .decode("utf-8-sig")
        .startswith("Ordernummer;Klantnummer;Besteldatum;Totaalbedrag")
    )


def test_dutch_export_format_is_detected(dutch):
    fmt = dutch.format
    assert (fmt.file_type, fmt.delimiter, fmt.encoding) == ("csv", ";", "utf-8-sig")
    assert (fmt.decimal, fmt.thousands, fmt.date_format) == (",", ".", "dd-mm-yyyy")


def test_dutch_headers_map_with_full_confidence(dutch):
    assert dutch.kind == "transactions"
    assert dutch.mapping == {
        "customer_id": "Klantnummer",
        "date": "Besteldatum",
        "amount": "Totaalbedrag",
        "order_id": "Ordernummer",
    }
    assert dutch.confidence == {"customer_id": 1.0, "date": 1.0, "amount": 1.0, "order_id": 1.0}


def test_dutch_amounts_dates_refund_and_zero_purchase(dutch):
    frame = dutch.frame
    # "€ 1.234,56", "49,95", "12,50", "-49,95", "0,00", "1 250,-"
    assert frame["amount"].tolist() == [1234.56, 49.95, 12.5, -49.95, 0.0, 1250.0]
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-05",
        "2024-03-06",
        "2024-03-17",
        "2024-04-01",
        "2024-04-03",
        "2024-04-13",
    ]
    summary = dutch.summary()
    # A negative amount is a refund, a zero amount is still a purchase.
    assert (summary["purchases"], summary["refunds"]) == (5, 1)
    assert summary["revenue"] == pytest.approx(1234.56 + 49.95 + 12.5 - 49.95 + 0 + 1250)
    assert summary["customers"] == 4


def test_dutch_rows_are_used_or_rejected_with_the_line_they_are_on(dutch):
    assert (dutch.rows_read, dutch.rows_used) == (9, 6)
    assert dutch.by_reason == {"unparseable_date": 1, "duplicate_row": 1, "missing_customer_id": 1}
    # Header on line 1: 31-02-2024 is on line 5, the repeated order 1003 on 7, the empty id on 8.
    got = dutch.rejected[["row", "reason"]].values.tolist()
    assert got == [[5, "unparseable_date"], [7, "duplicate_row"], [8, "missing_customer_id"]]
    assert dutch.rejected["Besteldatum"].iloc[0] == "31-02-2024"


def test_dutch_email_column_is_dropped_everywhere(dutch):
    assert dutch.dropped_columns == ["E-mailadres"]
    assert "E-mailadres" not in dutch.frame.columns
    assert "E-mailadres" not in dutch.rejected.columns
    assert dutch.segment_columns == ["Kanaal"]


def test_dutch_summary_is_the_inspect_json(dutch):
    summary = json.loads(json.dumps(dutch.summary()))
    assert summary["format"]["delimiter"] == ";" and summary["format"]["date_format"] == "dd-mm-yyyy"
    assert summary["rows"] == {
        "read": 9,
        "used": 6,
        "rejected": 3,
        "by_reason": {"unparseable_date": 1, "duplicate_row": 1, "missing_customer_id": 1},
    }
    assert (summary["first_date"], summary["last_date"]) == ("2024-03-05", "2024-04-13")


# --- Polish survey: cp1250, ';', dd.mm.yyyy ---------------------------------------------------


@pytest.fixture(scope="module")
def polish():
    return load_path(FIXTURES / "pl_survey.csv")


def test_polish_fixture_really_is_cp1250():
    data = (FIXTURES / "pl_survey.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1250")
    assert text.startswith("ID klienta;Data;Polecenie (0-10);Zaufanie;")
    assert "Obsługa klienta" in text and "Łódź, Gdańsk" in text
    assert "ł".encode("cp1250") in data


def test_polish_survey_format_and_kind(polish):
    fmt = polish.format
    assert polish.kind == "survey"
    assert (fmt.delimiter, fmt.encoding, fmt.decimal, fmt.date_format) == (";", "cp1250", ",", "dd.mm.yyyy")


def test_polish_headers_map_every_field(polish):
    assert polish.mapping == {
        "customer_id": "ID klienta",
        "date": "Data",
        "recommend": "Polecenie (0-10)",
        "trust": "Zaufanie",
        "consistency": "Spójność",
        "communication": "Komunikacja",
        "service": "Obsługa klienta",
        "data_security": "Bezpieczeństwo danych",
        "reputation": "Opinie w internecie",
        "comment": "Komentarz",
    }
    assert set(polish.confidence.values()) == {1.0}


def test_polish_scores_rejections_and_no_answers(polish):
    # P003 answered 11 (outside 0-10), P008 wrote "dziewięć": both rejected.
    assert (polish.rows_read, polish.rows_used) == (8, 6)
    assert polish.by_reason == {"score_out_of_range": 1, "non_numeric_score": 1}
    assert polish.rejected[["row", "reason", "ID klienta"]].values.tolist() == [
        [4, "score_out_of_range", "P003"],
        [9, "non_numeric_score", "P008"],
    ]
    frame = polish.frame.set_index("customer_id")
    # An empty recommend and a "nie wiem" trust are no answers (NaN), not rejections.
    assert pd.isna(frame.loc["P006", "recommend"]) and pd.isna(frame.loc["P007", "trust"])
    assert frame.loc["P001", "recommend"] == 9 and frame.loc["P004", "communication"] == 1


def test_polish_comments_keep_their_diacritics(polish):
    comments = polish.frame.set_index("customer_id")["comment"]
    assert comments["P001"] == "Świetna obsługa, szybka dostawa"
    assert comments["P004"] == "Nie polecam, żółć i gęś"
    assert comments["P007"] == "Łódź, Gdańsk"


def test_polish_scales_are_detected_per_column(polish):
    assert polish.scales["recommend"] == (0, 10)
    assert {polish.scales[f] for f in ("trust", "consistency", "service", "reputation")} == {(1, 5)}
    assert polish.summary()["scales"]["trust"] == [1, 5]


def test_polish_survey_read_as_cp1252_when_the_user_says_so():
    data = (FIXTURES / "pl_survey.csv").read_bytes()
    result = load_file(data, "pl_survey.csv", kind="survey", encoding="cp1252")
    assert result.format.encoding == "cp1252"
    # The override is honoured: the same bytes give Western letters instead of Polish ones.
    assert "Obs³uga klienta" in result.source_columns


# --- Excel: two sheets, native dates, a title above the header ---------------------------


def _workbook() -> bytes:
    return workbook_bytes(
        {
            "Zamówienia": [
                ["Eksport zamówień, marzec 2024"],
                [],
                ["ID klienta", "Data zamówienia", "Kwota", "Sklep"],
                ["K1", dt.datetime(2024, 3, 5, 14, 30), 1234.56, "Kraków"],
                ["K2", dt.datetime(2024, 3, 6), 12.5, "Gdańsk"],
                ["K1", 45400, -12.5, "Kraków"],  # a cell that lost its date format: Excel day 45400
                [None, dt.datetime(2024, 3, 8), 7, "Gdańsk"],
            ],
            "Ankieta": [
                ["ID klienta", "Polecenie (0-10)", "Zaufanie"],
                ["K1", 9, 5],
                ["K2", 4, 2],
                ["K3", 10, 4],
            ],
        }
    )


def test_excel_first_sheet_is_read_by_default_below_its_title_rows():
    result = load_file(_workbook(), "eksport.xlsx")
    fmt = result.format
    assert (fmt.file_type, fmt.sheet, fmt.sheets) == ("xlsx", "Zamówienia", ["Zamówienia", "Ankieta"])
    assert fmt.delimiter is None and fmt.encoding is None
    assert result.kind == "transactions"
    assert result.mapping == {"customer_id": "ID klienta", "date": "Data zamówienia", "amount": "Kwota"}
    assert result.frame["amount"].tolist() == [1234.56, 12.5, -12.5]
    assert result.frame["date"].tolist() == [
        pd.Timestamp("2024-03-05 14:30"),
        pd.Timestamp("2024-03-06"),
        pd.Timestamp("2024-04-18"),  # Excel serial 45400
    ]
    # Rows are sheet row numbers: the header is on row 3, the row without a customer on row 7.
    assert result.rejected[["row", "reason"]].values.tolist() == [[7, "missing_customer_id"]]
    assert result.segment_columns == ["Sklep"]


def test_excel_sheet_choice_reads_the_other_sheet():
    result = load_file(_workbook(), "eksport.xlsx", sheet="Ankieta")
    assert result.format.sheet == "Ankieta" and result.kind == "survey"
    assert result.mapping == {
        "customer_id": "ID klienta",
        "recommend": "Polecenie (0-10)",
        "trust": "Zaufanie",
    }
    assert result.frame["recommend"].tolist() == [9.0, 4.0, 10.0]
    assert result.scales == {"recommend": (0, 10), "trust": (1, 5)}


def test_excel_sheet_choice_ignores_case_and_rejects_unknown_names():
    assert load_file(_workbook(), "eksport.xlsx", sheet=" ankieta ").format.sheet == "Ankieta"
    with pytest.raises(InputError) as err:
        load_file(_workbook(), "eksport.xlsx", sheet="Klienci")
    assert err.value.key == "ingest.error.no_sheet"
    message = err.value.message("pl")
    assert "eksport.xlsx" in message and "Zamówienia, Ankieta" in message


def test_excel_with_an_empty_first_sheet_reads_the_next_and_says_so():
    data = workbook_bytes(
        {
            "Leeg": [],
            "Orders": [["Klantnummer", "Besteldatum", "Totaalbedrag"], ["1", dt.date(2024, 1, 2), 10]],
        }
    )
    result = load_file(data, "orders.xlsx")
    assert result.format.sheet == "Orders"
    assert ("ingest.warning.first_sheet_empty", {"sheet": "Orders"}) in result.warnings


# --- Shopify order export -------------------------------------------------------------------


@pytest.fixture(scope="module")
def shopify():
    return load_path(FIXTURES / "shopify_orders.csv")


def test_shopify_columns_map_and_email_becomes_a_pseudonym(shopify):
    assert shopify.mapping == {
        "customer_id": "Email",
        "date": "Created at",
        "amount": "Total",
        "order_id": "Name",
    }
    assert shopify.pseudonymised == ["Email"]
    ids = shopify.frame["customer_id"]
    assert not ids.str.contains("@").any()
    # Bob@Example.com and bob@example.com are one customer.
    assert ids.nunique() == 2 and shopify.summary()["customers"] == 2


def test_shopify_line_items_fold_into_their_orders(shopify):
    assert shopify.frame["order_id"].tolist() == ["#1001", "#1002", "#1003", "#1004"]
    assert shopify.frame["amount"].tolist() == [64.85, 19.95, 120.0, 35.0]
    assert shopify.by_reason == {"order_line": 3, "missing_customer_id": 1}
    assert ("ingest.warning.order_lines", {"count": 3}) in shopify.warnings


def test_shopify_timestamps_keep_the_shop_local_time(shopify):
    # "2024-03-31 23:59:59 +0200" stays on 31 March: the offset is dropped, not applied.
    assert shopify.format.date_format == "yyyy-mm-dd hh:mm:ss"
    assert shopify.frame["date"].iloc[2] == pd.Timestamp("2024-03-31 23:59:59")


def test_shopify_personal_columns_are_dropped(shopify):
    for column in (
        "Billing Name",
        "Billing Street",
        "Billing Zip",
        "Billing Phone",
        "Shipping Name",
        "Phone",
    ):
        assert column in shopify.dropped_columns
        assert column not in shopify.frame.columns and column not in shopify.rejected.columns
    # "Name" holds order numbers (#1001), so it is kept as the order id, not dropped as a person's name.
    assert "Name" not in shopify.dropped_columns
