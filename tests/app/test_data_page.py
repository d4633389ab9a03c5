"""The Data page's format controls: the detected format is shown and can be overridden,
and a workbook's sheet can be chosen (also when its first sheet could not be used)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from loyalty.i18n import t

from ..ingest.conftest import workbook_bytes as workbook
from .helpers import raw_keys, run_app

AMBIGUOUS = b"customer_id;date;amount\n1;01/02/2024;1.234\n2;03/04/2024;2.500\n3;05/06/2024;7\n"


def upload(at, kind: str, name: str, data: bytes):
    at.file_uploader(key=f"upload_{kind}").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widget(at, kind: str, name: str, collection: str = "selectbox"):
    """The format widget ``name`` of the ``kind`` tab (its key carries the file's digest)."""
    prefix = f"fmt_{name}_{kind}_"
    found = [w for w in getattr(at, collection) if (w.key or "").startswith(prefix)]
    assert len(found) == 1, [w.key for w in getattr(at, collection)]
    return found[0]


def submit(at, kind: str):
    """Press the format form's apply button in the ``kind`` tab and return the reloaded dataset."""
    buttons = [b for b in kind_tab(at, kind).button if b.label == t("data.format.apply", "en")]
    assert len(buttons) == 1, "the format form has one apply button"
    buttons[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at.session_state["datasets"][kind]


@pytest.fixture
def data_page():
    # Not named "page": pytest-playwright owns that fixture name.
    return run_app("en-GB", page="pages/data.py")


def kind_tab(at, kind: str, lang: str = "en"):
    """The outer tab of one kind of data (the page has one per kind, each with its own panels)."""
    return next(tab for tab in at.tabs if tab.label == t(f"kind.{kind}", lang))


def test_detected_format_is_shown_for_an_upload(data_page):
    upload(data_page, "transactions", "orders.csv", AMBIGUOUS)
    metrics = {m.label: m.value for m in kind_tab(data_page, "transactions").metric}
    assert metrics[t("data.format.delimiter", "en")] == ";"
    assert metrics[t("data.format.encoding", "en")] == "utf-8"
    assert metrics[t("data.format.date_format", "en")] == "dd/mm/yyyy"
    assert t("data.format.detected", "en") in [c.value for c in kind_tab(data_page, "transactions").caption]
    options = widget(data_page, "transactions", "date_format").options
    assert {"dd-mm-yyyy", "mm/dd/yyyy", "yyyymmdd", "excel-serial"} <= set(options)


def test_date_format_override_rereads_the_dates(data_page):
    upload(data_page, "transactions", "orders.csv", AMBIGUOUS)
    before = data_page.session_state["datasets"]["transactions"]
    assert before.frame["date"].dt.month.tolist() == [2, 4, 6]  # day first by default
    widget(data_page, "transactions", "date_format").set_value("mm/dd/yyyy")
    result = submit(data_page, "transactions")
    assert result.format.date_format == "mm/dd/yyyy"
    assert result.frame["date"].dt.month.tolist() == [1, 3, 5]
    assert data_page.session_state["files"]["transactions"]["options"] == {"date_format": "mm/dd/yyyy"}
    captions = " ".join(c.value for c in data_page.caption)
    assert "mm/dd/yyyy" in captions and t("data.format.date_pattern", "en") in captions
    # The form shows the setting in use, not "automatic".
    assert widget(data_page, "transactions", "date_format").value == "mm/dd/yyyy"


def test_day_month_order_override(data_page):
    upload(data_page, "transactions", "orders.csv", AMBIGUOUS)
    widget(data_page, "transactions", "order", "radio").set_value("monthfirst")
    result = submit(data_page, "transactions")
    assert result.format.date_format == "mm/dd/yyyy" and result.frame["date"].dt.day.tolist() == [2, 4, 6]


def test_decimal_override_reads_the_amounts_again(data_page):
    upload(data_page, "transactions", "orders.csv", AMBIGUOUS)
    # A ';' file suggests a decimal comma: "1.234" is read as 1234.
    before = data_page.session_state["datasets"]["transactions"]
    assert before.frame["amount"].tolist() == [1234.0, 2500.0, 7.0]
    widget(data_page, "transactions", "decimal").set_value(".")
    result = submit(data_page, "transactions")
    assert result.format.decimal == "." and result.frame["amount"].tolist() == [1.234, 2.5, 7.0]


def test_encoding_and_delimiter_overrides(data_page):
    text = "ID klienta;Data zamówienia;Kwota;Uwagi\nA1;05.03.2024;12,50;Łódź\nA2;06.03.2024;7,00;Gdańsk\n"
    upload(data_page, "transactions", "zamowienia.csv", text.encode("cp1250"))
    assert data_page.session_state["datasets"]["transactions"].format.encoding == "cp1250"
    widget(data_page, "transactions", "encoding").set_value("cp1252")
    widget(data_page, "transactions", "delimiter").set_value(";")
    result = submit(data_page, "transactions")
    assert (result.format.encoding, result.format.delimiter) == ("cp1252", ";")
    assert result.frame["Uwagi"].tolist() == ["£ódŸ", "Gdañsk"]  # what cp1252 makes of Polish bytes


def test_an_override_that_breaks_the_file_keeps_the_data_and_explains(data_page):
    upload(data_page, "transactions", "orders.csv", AMBIGUOUS)
    widget(data_page, "transactions", "delimiter").set_value("|")
    submit(data_page, "transactions")
    assert data_page.session_state["datasets"]["transactions"].format.delimiter == ";"
    assert data_page.error and "orders.csv" in data_page.error[0].value


def test_workbook_sheet_choice(data_page):
    data = workbook(
        {
            "2023": [["Klantnummer", "Besteldatum", "Totaalbedrag"], ["1", dt.date(2023, 5, 1), 10]],
            "2024": [
                ["Klantnummer", "Besteldatum", "Totaalbedrag"],
                ["1", dt.date(2024, 5, 1), 20],
                ["2", dt.date(2024, 6, 1), 30],
            ],
        }
    )
    upload(data_page, "transactions", "orders.xlsx", data)
    result = data_page.session_state["datasets"]["transactions"]
    assert (result.format.sheet, result.rows_used) == ("2023", 1)
    picker = widget(data_page, "transactions", "sheet")
    assert picker.options == ["2023", "2024"] and picker.value == "2023"
    picker.set_value("2024").run()
    assert not data_page.exception
    result = data_page.session_state["datasets"]["transactions"]
    assert (result.format.sheet, result.rows_used) == ("2024", 2)
    assert result.frame["amount"].sum() == 50
    # CSV-only controls are not offered for a workbook.
    assert not [w for w in data_page.selectbox if (w.key or "").startswith("fmt_delimiter_transactions_")]


def test_a_workbook_whose_first_sheet_does_not_fit_offers_the_other_sheets(data_page):
    data = workbook(
        {
            "Orders": [["Customer", "Date", "Total"], ["A", "2024-01-01", 5]],
            "Survey": [["Customer", "NPS", "Trust"], ["A", 9, 4], ["B", 6, 3]],
        }
    )
    upload(data_page, "survey", "export.xlsx", data)
    assert data_page.error and "export.xlsx" in data_page.error[0].value
    before = data_page.session_state["datasets"]["survey"].file_name
    assert before != "export.xlsx"  # the sample's survey is still loaded
    data_page.selectbox(key="retry_sheet_survey").set_value("Survey").run()
    assert not data_page.exception
    result = data_page.session_state["datasets"]["survey"]
    assert (result.file_name, result.format.sheet) == ("export.xlsx", "Survey")
    assert result.frame["recommend"].tolist() == [9.0, 6.0]
    assert not data_page.error


@pytest.mark.parametrize("locale, lang", [("nl-NL", "nl"), ("pl-PL", "pl")])
def test_format_controls_are_translated(locale, lang):
    at = run_app(locale, page="pages/data.py")
    upload(at, "transactions", "orders.csv", AMBIGUOUS)
    assert widget(at, "transactions", "date_format").label == t("data.format.date_pattern", lang)
    labels = [r.label for r in at.radio]
    assert t("data.format.date_order", lang) in labels
    assert raw_keys(at) == []


def test_rejected_rows_download_is_offered_after_an_override(data_page):
    data = b"customer_id;date;amount\n1;01/02/2024;5\n2;13/14/2024;6\n3;03/04/2024;7\n"
    upload(data_page, "transactions", "orders.csv", data)
    assert data_page.session_state["datasets"]["transactions"].by_reason == {"unparseable_date": 1}
    assert any(b.label == t("data.rows.download_rejected", "en") for b in data_page.get("download_button"))
    frame = data_page.session_state["datasets"]["transactions"].rejected
    assert isinstance(frame, pd.DataFrame) and frame["row"].tolist() == [3]
