"""Privacy: personal columns are found by header (en/nl/pl) or content, dropped and reported."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty.ingest import load_file
from loyalty.ingest.mapping import personal_category
from loyalty.ingest.privacy import PSEUDONYM_PREFIX, pseudonymise

from .conftest import csv_bytes


@pytest.mark.parametrize(
    "header, category",
    [
        ("Name", "name"),
        ("First name", "name"),
        ("Voornaam", "name"),
        ("Achternaam", "name"),
        ("Imię i nazwisko", "name"),
        ("E-mail", "email"),
        ("E-mailadres", "email"),
        ("Adres e-mail", "email"),
        ("Billing Email", "email"),
        ("Phone", "phone"),
        ("Telefoonnummer", "phone"),
        ("Numer telefonu", "phone"),
        ("Shipping Phone", "phone"),
        ("Street", "address"),
        ("Postcode", "address"),
        ("Straat", "address"),
        ("Ulica", "address"),
        ("Kod pocztowy", "address"),
        ("Billing Address1", "address"),
        ("IBAN", "other"),
        ("Geboortedatum", "other"),
        ("Klantnummer", None),
        ("Kanaal", None),
        ("Totaalbedrag", None),
    ],
)
def test_personal_headers_in_three_languages(header, category):
    assert personal_category(header) == category


def test_personal_columns_are_dropped_by_default_and_reported():
    data = csv_bytes(
        "Klantnummer;Besteldatum;Totaalbedrag;Voornaam;Achternaam;E-mailadres;Telefoon;Straat;Postcode;Kanaal\n"
        "1;05-03-2024;12,50;Jan;Jansen;jan@x.nl;0612345678;Kerkstraat 1;1234 AB;web\n"
        "2;06-03-2024;;Piet;Pietersen;piet@x.nl;0687654321;Dorpsweg 2;2345 BC;app\n"
    )
    result = load_file(data, "orders.csv")
    personal = ["Voornaam", "Achternaam", "E-mailadres", "Telefoon", "Straat", "Postcode"]
    assert result.dropped_columns == personal
    for column in personal:
        assert column not in result.frame.columns
        assert column not in result.rejected.columns  # the downloadable rejects are clean too
    assert result.summary()["dropped_columns"] == personal
    assert "Kanaal" in result.frame.columns


def test_content_gives_away_unlabelled_emails_and_phone_numbers():
    data = csv_bytes(
        "customer_id,date,amount,contact,info\n"
        "1,2024-01-01,5,+31 6 12345678,a@b.nl\n"
        "2,2024-01-02,6,+48 601 234 567,c@d.pl\n"
        "3,2024-01-03,7,020 123 4567,e@f.com\n"
    )
    result = load_file(data, "x.csv")
    assert result.dropped_columns == ["contact", "info"]


def test_keep_personal_keeps_everything_as_it_is():
    data = csv_bytes("customer_id,date,amount,email\n1,2024-01-01,5,a@b.nl\n")
    result = load_file(data, "x.csv", keep_personal=True)
    assert result.dropped_columns == [] and result.frame.columns[-1] == "email"


def test_an_email_that_is_the_customer_id_is_pseudonymised_not_dropped():
    data = csv_bytes(
        "email,date,amount\nJan@X.nl,2024-01-01,5\n jan@x.nl ,2024-01-02,6\nb@x.nl,2024-01-03,7\n"
    )
    result = load_file(data, "x.csv")
    assert result.mapping["customer_id"] == "email" and result.pseudonymised == ["email"]
    ids = result.frame["customer_id"]
    assert ids.str.startswith(PSEUDONYM_PREFIX).all() and not ids.str.contains("@").any()
    assert ids[0] == ids[1] != ids[2]  # case and spaces do not split a customer


def test_pseudonyms_are_stable_across_files_and_keep_missing_values():
    first = pseudonymise(pd.Series(["a@b.nl", None, "c@d.nl"], dtype="str"))
    second = pseudonymise(pd.Series(["C@D.NL"], dtype="str"))
    assert first[2] == second[0]
    assert pd.isna(first[1])
    assert len(first[0]) == len(PSEUDONYM_PREFIX) + 12


def test_a_comment_mentioning_an_address_is_kept():
    data = csv_bytes("customer_id,recommend,comment\n1,9,mail me at a@b.nl\n2,7,call 0612345678\n3,8,ok\n")
    result = load_file(data, "survey.csv")
    assert result.mapping["comment"] == "comment" and result.dropped_columns == []
