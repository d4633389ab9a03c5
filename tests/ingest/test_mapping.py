"""Auto-mapping of English, Dutch and Polish headers, with a confidence; kind detection; overrides."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty.errors import InputError
from loyalty.ingest import auto_map, detect_kind, load_file, normalize_header
from loyalty.ingest.mapping import MIN_CONFIDENCE, header_score, synonyms
from loyalty.schema import FIELDS

from .conftest import csv_bytes


@pytest.mark.parametrize(
    "columns, kind, expected",
    [
        (
            ["Klantnummer", "Besteldatum", "Totaalbedrag"],
            "transactions",
            {"customer_id": "Klantnummer", "date": "Besteldatum", "amount": "Totaalbedrag"},
        ),
        (
            ["ID klienta", "Data zamówienia", "Kwota"],
            "transactions",
            {"customer_id": "ID klienta", "date": "Data zamówienia", "amount": "Kwota"},
        ),
        (
            ["customer_id", "order_date", "dollar_value"],
            "transactions",
            {"customer_id": "customer_id", "date": "order_date", "amount": "dollar_value"},
        ),
        (
            ["ID klienta", "Data", "Polecenie (0-10)", "Zaufanie"],
            "survey",
            {
                "customer_id": "ID klienta",
                "date": "Data",
                "recommend": "Polecenie (0-10)",
                "trust": "Zaufanie",
            },
        ),
        (
            ["Klantnummer", "Datum", "Aanbevelen (0-10)", "Vertrouwen", "Klantenservice", "Opmerking"],
            "survey",
            {
                "customer_id": "Klantnummer",
                "date": "Datum",
                "recommend": "Aanbevelen (0-10)",
                "trust": "Vertrouwen",
                "service": "Klantenservice",
                "comment": "Opmerking",
            },
        ),
    ],
)
def test_headers_in_three_languages_map_with_full_confidence(columns, kind, expected):
    mapping, confidence = auto_map(columns, kind)
    assert mapping == expected
    assert confidence == {field: 1.0 for field in expected}


def test_headers_that_only_contain_a_synonym_map_with_lower_confidence():
    columns = ["Totaalbedrag incl. verzending", "Klant", "Datum bestelling"]
    mapping, confidence = auto_map(columns, "transactions")
    assert mapping["amount"] == "Totaalbedrag incl. verzending"
    assert MIN_CONFIDENCE <= confidence["amount"] < 1.0
    assert confidence["customer_id"] == 1.0 and confidence["date"] == 1.0


def test_long_question_headers_still_find_the_recommend_field():
    for header in ("How likely are you to recommend us to a friend?", "Czy poleciłbyś nas znajomym?"):
        assert 0.6 <= header_score(header, "recommend") < 1.0
    assert header_score("Q1. Zou je ons aanbevelen?", "recommend") == 1.0  # the "Q1." prefix is ignored


@pytest.mark.parametrize(
    "header, normalised",
    [
        ("Polecenie (0-10)", "polecenie"),
        ("Data_zamówienia", "data zamowienia"),
        ("Łączna kwota", "laczna kwota"),
        ("  Customer-ID  ", "customer id"),
        ("Q3. How likely?", "how likely"),
        ("(0-10)", "0 10"),  # a header that is only a note keeps it
    ],
)
def test_header_normalisation(header, normalised):
    assert normalize_header(header) == normalised


def test_content_vetoes_a_header_that_does_not_fit():
    frame = pd.DataFrame(
        {
            "Datum": ["Jan", "Piet", "Kees"],  # names under a date header
            "Besteldatum": ["05-03-2024", "06-03-2024", "07-03-2024"],
            "Bedrag": ["12,50", "7,00", "1.234,56"],
            "Klantnummer": ["1", "2", "3"],
        }
    )
    mapping, _ = auto_map(list(frame.columns), "transactions", frame)
    assert mapping == {"customer_id": "Klantnummer", "date": "Besteldatum", "amount": "Bedrag"}


def test_content_alone_proposes_mappings_with_low_confidence():
    frame = pd.DataFrame(
        {
            "a": ["x1", "x2", "x3"],
            "b": ["2024-01-01", "2024-01-02", "2024-01-03"],
            "c": ["10.50", "3.25", "7.10"],
        }
    )
    mapping, confidence = auto_map(list(frame.columns), "transactions", frame)
    assert mapping == {"date": "b", "amount": "c"}
    assert all(c < 0.6 for c in confidence.values())


def test_each_column_serves_one_field_and_each_field_takes_one_column():
    mapping, _ = auto_map(["Datum", "Besteldatum", "Klantnummer", "Bedrag", "Totaal"], "transactions")
    assert len(set(mapping.values())) == len(mapping)
    assert mapping["date"] in ("Datum", "Besteldatum")


def test_synonym_file_covers_every_canonical_field_and_normalises():
    fields = synonyms()["fields"]
    assert {spec.name for specs in FIELDS.values() for spec in specs} <= set(fields)
    assert "klantnummer" in fields["customer_id"]["exact"] and "data zamowienia" in fields["date"]["exact"]


@pytest.mark.parametrize(
    "columns, kind",
    [
        (["Klantnummer", "Besteldatum", "Totaalbedrag"], "transactions"),
        (["ID klienta", "Data", "Polecenie (0-10)", "Zaufanie"], "survey"),
        (["customer_id", "signup_date", "segment", "country"], "customers"),
        (["Klantnummer", "Klantgroep", "Land"], "customers"),
    ],
)
def test_kind_is_detected_from_the_headers(columns, kind):
    assert detect_kind(columns) == kind


def test_an_amount_without_a_date_is_named_as_the_missing_date_not_as_nothing_recognised():
    """Regression: "customer_id,amount" said no column was recognised, though two were."""
    with pytest.raises(InputError) as err:
        load_file(b"customer_id,amount\nA,10\nB,12.5\n", "nodate.csv")
    assert err.value.key != "ingest.error.unknown_kind"
    assert "nodate.csv" in err.value.message("en") and "date" in err.value.message("en")


def test_kind_detection_fails_with_a_message_listing_the_columns():
    with pytest.raises(InputError) as err:
        detect_kind(["foo", "bar"], file_name="mystery.csv")
    assert err.value.key == "ingest.error.unknown_kind"
    assert "foo, bar" in err.value.message("nl") and "mystery.csv" in err.value.message("nl")


def test_a_named_field_whose_cells_do_not_fit_is_named_in_the_error():
    data = csv_bytes("customer_id,date,amount\n1,soon,10\n2,later,5\n")
    with pytest.raises(InputError) as err:
        load_file(data, "orders.csv")
    assert err.value.key == "ingest.error.missing.date"
    bad_amounts = csv_bytes("Klantnummer;Besteldatum;Totaalbedrag\n1;2024-01-01;veel\n2;2024-01-02;weinig\n")
    with pytest.raises(InputError) as err:
        load_file(bad_amounts, "orders.csv")
    assert err.value.key == "ingest.error.missing.amount"  # not silently read as a customer list


# --- mapping= and kind= overrides ---------------------------------------------------------

FILE = csv_bytes("who,when,paid,ref,mail\nA,2024-01-01,10,X1,a@x.nl\nB,2024-01-02,20,X2,b@x.nl\n")


def test_mapping_override_maps_what_the_headers_do_not_say():
    result = load_file(
        FILE,
        "x.csv",
        kind="transactions",
        mapping={"customer_id": "who", "amount": "paid", "order_id": "ref"},
    )
    assert result.mapping == {"customer_id": "who", "date": "when", "amount": "paid", "order_id": "ref"}
    assert result.confidence["customer_id"] == 1.0  # the user's choice is certain
    assert result.frame["amount"].tolist() == [10.0, 20.0]


def test_mapping_override_can_unmap_and_take_a_column_from_another_field():
    base = csv_bytes("Klantnummer,Besteldatum,Totaalbedrag,Ordernummer\n1,2024-01-01,5,A\n2,2024-01-02,6,B\n")
    result = load_file(base, "x.csv", mapping={"order_id": None})
    assert "order_id" not in result.mapping
    swapped = load_file(base, "x.csv", mapping={"customer_id": "Ordernummer"})
    assert swapped.mapping["customer_id"] == "Ordernummer" and "order_id" not in swapped.mapping
    assert swapped.frame["customer_id"].tolist() == ["A", "B"]


@pytest.mark.parametrize(
    "mapping, key",
    [
        ({"favourite_colour": "who"}, "ingest.error.unknown_field"),
        ({"customer_id": "nobody"}, "ingest.error.no_column"),
    ],
)
def test_bad_mapping_overrides_are_refused(mapping, key):
    with pytest.raises(InputError) as err:
        load_file(FILE, "x.csv", kind="transactions", mapping=mapping)
    assert err.value.key == key


def test_unmapping_a_required_field_names_it():
    with pytest.raises(InputError) as err:
        load_file(FILE, "x.csv", kind="transactions", mapping={"customer_id": "who", "amount": ""})
    assert err.value.key == "ingest.error.missing.amount"
    assert "who, when, paid, ref, mail" in err.value.message("en")


def test_kind_override_and_unknown_kinds():
    survey_like = csv_bytes("customer_id,date,recommend,amount\n1,2024-01-01,9,5\n2,2024-01-02,7,6\n")
    assert load_file(survey_like, "x.csv").kind == "survey"
    assert load_file(survey_like, "x.csv", kind="transactions").kind == "transactions"
    with pytest.raises(InputError) as err:
        load_file(survey_like, "x.csv", kind="orders")
    assert err.value.key == "ingest.error.bad_kind"
