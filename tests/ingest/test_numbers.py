"""Numbers as people type them: decimal commas, grouping, currencies, signs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from loyalty.ingest.numbers import detect_separators, parse_numbers


def cells(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype="str")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.234,56", 1234.56),
        ("1 234,56", 1234.56),
        ("1 234,56 zł", 1234.56),
        ("1\u00a0234,56 zł", 1234.56),  # Excel's no-break space
        ("€ 12,50", 12.5),
        ("€12,50", 12.5),
        ("12,50 EUR", 12.5),
        ("PLN 12,50", 12.5),
        ("$1,234.56", 1234.56),
        ("1,234.56 USD", 1234.56),
        ("£ 7.99", 7.99),
        ("1.234.567", 1234567.0),
        ("1,234,567.5", 1234567.5),
        ("12,-", 12.0),  # Dutch "twelve euros, no cents"
        ("1 250,-", 1250.0),
        ("-49,95", -49.95),
        ("(12.50)", -12.5),  # accounting negative
        ("12.50-", -12.5),  # SAP-style trailing minus
        ("- € 5,00", -5.0),
        ("0,00", 0.0),
        (",5", 0.5),
        ("1234,5", 1234.5),
    ],
)
def test_real_world_amounts_parse(text, expected):
    assert parse_numbers(cells(text), ",")[0] == pytest.approx(expected)


@pytest.mark.parametrize("text", ["abc", "12 appels", "1,2,3.4.5", "euroland", "", "--", "1.23.4"])
def test_non_numbers_are_nan(text):
    assert math.isnan(parse_numbers(cells(text), ",")[0])


def test_missing_cells_stay_missing_and_the_index_is_kept():
    series = pd.Series(["1,5", None, "2"], index=[10, 20, 30], dtype="str")
    out = parse_numbers(series, ",")
    assert out.index.tolist() == [10, 20, 30]
    assert out[10] == 1.5 and math.isnan(out[20]) and out[30] == 2.0


def test_a_value_like_1_234_is_read_with_the_files_decimal_mark():
    # Alone, "1.234" is 1234 in a decimal-comma file and 1.234 in a decimal-point file.
    assert parse_numbers(cells("1.234"), ",")[0] == 1234.0
    assert parse_numbers(cells("1.234"), ".")[0] == 1.234
    # Values that say what they are ignore the file's mark.
    assert parse_numbers(cells("1.234,5"), ".")[0] == 1234.5
    assert parse_numbers(cells("1,25"), ".")[0] == 1.25


def test_plain_numbers_take_the_fast_path_and_give_the_same_values():
    series = cells("-12.5", "3", " 7.25 ", None, ".5")
    assert parse_numbers(series, ".").tolist()[:3] == [-12.5, 3.0, 7.25]
    assert math.isnan(parse_numbers(series, ".")[3]) and parse_numbers(series, ".")[4] == 0.5


def test_strict_mode_uses_the_given_marks_for_every_value():
    series = cells("1.234", "2.500", "1.234,5")
    assert parse_numbers(series, ",", strict=True, thousands=".").tolist() == [1234.0, 2500.0, 1234.5]
    dotted = parse_numbers(cells("1.234", "1,5"), ".", strict=True, thousands=None)
    assert dotted[0] == 1.234 and math.isnan(dotted[1])


@pytest.mark.parametrize(
    "values, hint, expected",
    [
        (("1.234,56", "12,50", "3"), ".", (",", ".")),
        (("1,234.56", "12.50"), ",", (".", ",")),
        (("1 234,56 zł", "5,00"), ".", (",", " ")),
        (("12,50", "7,25"), ".", (",", None)),
        (("12.50", "7.25"), ",", (".", None)),
        (("1", "2", "3"), ",", (",", None)),  # no evidence: the hint decides
        (("1", "2", "3"), ".", (".", None)),
    ],
)
def test_separators_are_detected_from_the_cells(values, hint, expected):
    assert detect_separators(cells(*values), hint) == expected


def test_phone_numbers_and_dates_are_not_taken_for_grouped_numbers():
    noise = cells("020 123 4567", "+31 6 12345678", "05.03.2024", "13.04.2024", "12,50")
    assert detect_separators(noise, ",") == (",", None)


def test_a_decimal_override_alone_still_reads_grouped_thousands():
    series = cells("1.234,56", "12,5", "€ 1.234.567,8", "1,234.5")
    assert parse_numbers(series, ",", strict=True).tolist()[:3] == [1234.56, 12.5, 1234567.8]
    assert math.isnan(parse_numbers(series, ",", strict=True)[3])
    # Under a decimal point "1,5" is no number: refused, never read as 15.
    point = parse_numbers(cells("1,5", "1,234.5", "7.25"), ".", strict=True)
    assert math.isnan(point[0]) and point[1:].tolist() == [1234.5, 7.25]
