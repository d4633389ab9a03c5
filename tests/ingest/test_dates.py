"""Date formats: detection from the data, day/month order, times, Excel serials, overrides."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty.errors import InputError
from loyalty.ingest import load_file
from loyalty.ingest.dates import DateFormat, detect_date_format, format_from_label, parse_dates

from .conftest import csv_bytes


def cells(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def days(series: pd.Series) -> list[str]:
    return [d.strftime("%Y-%m-%d %H:%M:%S") if pd.notna(d) else "NaT" for d in series]


@pytest.mark.parametrize(
    "values, label, expected",
    [
        (("2024-01-13", "2024-02-01"), "yyyy-mm-dd", ["2024-01-13", "2024-02-01"]),
        (("2024/01/13", "2024/02/01"), "yyyy/mm/dd", ["2024-01-13", "2024-02-01"]),
        (("13-01-2024", "01-02-2024"), "dd-mm-yyyy", ["2024-01-13", "2024-02-01"]),
        (("13/01/2024", "01/02/2024"), "dd/mm/yyyy", ["2024-01-13", "2024-02-01"]),
        (("13.01.2024", "01.02.2024"), "dd.mm.yyyy", ["2024-01-13", "2024-02-01"]),
        (("01/13/2024", "02/01/2024"), "mm/dd/yyyy", ["2024-01-13", "2024-02-01"]),
        (("20240113", "20240201"), "yyyymmdd", ["2024-01-13", "2024-02-01"]),
        (("13-01-24", "01-02-24"), "dd-mm-yy", ["2024-01-13", "2024-02-01"]),
    ],
)
def test_each_date_family_is_detected_and_parsed(values, label, expected):
    fmt = detect_date_format(cells(*values))
    assert fmt is not None and fmt.label == label and not fmt.ambiguous
    assert [d[:10] for d in days(parse_dates(cells(*values), fmt))] == expected


@pytest.mark.parametrize(
    "values, label, expected",
    [
        (
            ("2024-01-13 10:22", "2024-02-01 08:05"),
            "yyyy-mm-dd hh:mm",
            ["2024-01-13 10:22:00", "2024-02-01 08:05:00"],
        ),
        (
            ("2024-01-13T10:22:11", "2024-02-01T08:05:00"),
            "yyyy-mm-dd hh:mm:ss",
            ["2024-01-13 10:22:11", "2024-02-01 08:05:00"],
        ),
        (
            ("13-01-2024 23:59:59", "01-02-2024 00:00:01"),
            "dd-mm-yyyy hh:mm:ss",
            ["2024-01-13 23:59:59", "2024-02-01 00:00:01"],
        ),
        (
            ("13.01.2024 9:05", "14.01.2024 17:30"),
            "dd.mm.yyyy hh:mm",
            ["2024-01-13 09:05:00", "2024-01-14 17:30:00"],
        ),
        (
            ("01/13/2024 2:30 PM", "01/14/2024 12:15 AM"),
            "mm/dd/yyyy hh:mm",
            ["2024-01-13 14:30:00", "2024-01-14 00:15:00"],
        ),
    ],
)
def test_dates_with_a_time_keep_the_time(values, label, expected):
    fmt = detect_date_format(cells(*values))
    assert fmt.label == label
    assert days(parse_dates(cells(*values), fmt)) == expected


def test_a_utc_offset_is_dropped_so_the_local_wall_time_stays():
    values = cells("2024-03-31 23:59:59 +0200", "2024-03-05T14:22:11Z", "2024-04-01 08:00:00 UTC")
    fmt = detect_date_format(values)
    assert days(parse_dates(values, fmt)) == [
        "2024-03-31 23:59:59",
        "2024-03-05 14:22:11",
        "2024-04-01 08:00:00",
    ]


def test_day_month_order_is_decided_from_the_data():
    # 13-01-2024 can only be day first; 01/13/2024 only month first.
    dayfirst = detect_date_format(cells("01-02-2024", "03-04-2024", "13-01-2024"))
    assert dayfirst.family == "dmy" and not dayfirst.ambiguous
    monthfirst = detect_date_format(cells("01/02/2024", "03/04/2024", "01/13/2024"))
    assert monthfirst.family == "mdy" and not monthfirst.ambiguous
    assert days(parse_dates(cells("01/02/2024"), monthfirst))[0][:10] == "2024-01-02"


def test_undecidable_order_defaults_to_day_first_and_warns():
    data = csv_bytes("customer_id,date,amount\n1,01/02/2024,5\n2,03/04/2024,6\n")
    result = load_file(data, "x.csv")
    assert result.format.date_format == "dd/mm/yyyy"
    assert ("ingest.warning.ambiguous_dates", {"column": "date", "format": "dd/mm/yyyy"}) in result.warnings
    assert result.frame["date"].dt.month.tolist() == [2, 4]


@pytest.mark.parametrize(
    "option, label",
    [
        ({"dayfirst": False}, "mm/dd/yyyy"),
        ({"date_format": "mm/dd/yyyy"}, "mm/dd/yyyy"),
        ({"date_format": "%m/%d/%Y"}, "%m/%d/%Y"),
    ],
)
def test_the_user_can_override_the_date_order_or_format(option, label):
    data = csv_bytes("customer_id,date,amount\n1,01/02/2024,5\n2,03/04/2024,6\n")
    result = load_file(data, "x.csv", **option)
    assert result.format.date_format == label
    assert result.frame["date"].tolist() == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-03-04")]
    assert not any(key == "ingest.warning.ambiguous_dates" for key, _ in result.warnings)


def test_a_wrong_date_format_override_rejects_the_rows_it_cannot_read():
    data = csv_bytes("customer_id,date,amount\n1,13-01-2024,5\n2,02-01-2024,6\n")
    result = load_file(data, "x.csv", date_format="mm-dd-yyyy")
    assert result.by_reason == {"unparseable_date": 1}  # there is no month 13
    assert result.frame["date"].tolist() == [pd.Timestamp("2024-02-01")]


@pytest.mark.parametrize("label", ["nonsense", "yyyy-dd", "%Q"])
def test_unusable_date_format_overrides_are_refused(label):
    data = csv_bytes("customer_id,date,amount\n1,2024-01-01,5\n")
    with pytest.raises(InputError) as err:
        load_file(data, "x.csv", date_format=label)
    assert err.value.key == "ingest.error.bad_date_format" and label in err.value.message("nl")


def test_excel_serials_are_dates_only_where_allowed():
    values = cells("45000", "45292")
    assert detect_date_format(values) is None  # a column of five-digit numbers is not a date by itself
    fmt = detect_date_format(values, allow_serial=True)
    assert fmt == DateFormat("serial")
    assert days(parse_dates(values, fmt)) == ["2023-03-15 00:00:00", "2024-01-01 00:00:00"]


def test_a_serial_among_text_dates_is_read_as_an_excel_day():
    values = cells("2024-01-13", "2024-02-01", "45400")
    fmt = detect_date_format(values, allow_serial=True)
    assert fmt.label == "yyyy-mm-dd"
    assert [d[:10] for d in days(parse_dates(values, fmt))] == ["2024-01-13", "2024-02-01", "2024-04-18"]


def test_impossible_and_implausible_dates_are_not_dates():
    values = cells("31-02-2024", "00-01-2024", "01-01-0001", "01-01-2202", "05-03-2024", "morgen")
    fmt = detect_date_format(values)
    assert fmt.label == "dd-mm-yyyy"
    assert days(parse_dates(values, fmt)) == ["NaT", "NaT", "NaT", "NaT", "2024-03-05 00:00:00", "NaT"]


@pytest.mark.parametrize("placeholder", ["0001-01-01", "01-01-0001", "00010101", "9999-12-31 23:59:59"])
def test_a_placeholder_date_rejects_its_row_not_the_file(placeholder):
    data = csv_bytes(f"customer_id,date,amount\n1,{placeholder},5\n2,2024-03-05,6\n3,2024-03-06,7\n")
    result = load_file(data, "erp.csv")
    assert result.by_reason == {"unparseable_date": 1}
    assert result.rejected["row"].tolist() == [2]


def test_stray_spellings_in_a_column_still_parse_when_unambiguous():
    values = cells("05-03-2024", "06-03-2024", "2024-03-07", "20240308")
    fmt = detect_date_format(values)
    assert [d[:10] for d in days(parse_dates(values, fmt))] == [
        "2024-03-05",
        "2024-03-06",
        "2024-03-07",
        "2024-03-08",
    ]


def test_month_names_fall_back_on_the_mixed_parser():
    values = cells("5 March 2024", "6 April 2024")
    fmt = detect_date_format(values)
    assert fmt.label == "auto"
    assert [d[:10] for d in days(parse_dates(values, fmt))] == ["2024-03-05", "2024-04-06"]


def test_columns_of_amounts_or_names_are_not_dates():
    assert detect_date_format(cells("12.50", "3.99", "1.234")) is None
    assert detect_date_format(cells("Jan", "Piet", "Kees")) is None


@pytest.mark.parametrize(
    "label, family, sep, time",
    [
        ("dd-mm-yyyy", "dmy", "-", ""),
        ("DD/MM/YYYY", "dmy", "/", ""),
        ("mm/dd/yyyy hh:mm", "mdy", "/", "hh:mm"),
        ("yyyy.mm.dd hh:mm:ss", "ymd", ".", "hh:mm:ss"),
        ("yyyymmdd", "compact", "-", ""),
        ("excel-serial", "serial", "-", ""),
    ],
)
def test_date_format_labels_round_trip(label, family, sep, time):
    fmt = format_from_label(label)
    assert (fmt.family, fmt.sep, fmt.time) == (family, sep, time)
    assert format_from_label(fmt.label) == fmt


@pytest.mark.parametrize("space", [" ", "\t", "\u00a0", "\u202f", "\u3000", ""])
def test_an_offset_after_any_kind_of_space_is_dropped(space):
    values = cells(f"2024-03-05 14:22:11{space}+0100", f"2024-03-06T09:05{space}Z", None)
    fmt = detect_date_format(values)
    assert days(parse_dates(values, fmt)) == ["2024-03-05 14:22:11", "2024-03-06 09:05:00", "NaT"]


def test_distinct_and_repeating_columns_parse_alike():
    # Timestamps to the second hardly repeat (parsed cell by cell); dates of a busy
    # shop repeat (parsed once per distinct value): both ways give the same dates.
    stamps = [f"2024-01-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{(7 * i) % 60:02d}" for i in range(30_000)]
    distinct = cells(*stamps, None, "not a date", "45000")
    repeating = cells(*[s[:10] for s in stamps], None, "not a date", "45000")
    parsed_distinct = parse_dates(distinct, DateFormat("ymd", time="hh:mm:ss"))
    parsed_repeating = parse_dates(repeating, DateFormat("ymd"))
    assert days(parsed_distinct)[:2] == ["2024-01-01 00:00:00", "2024-01-02 01:01:07"]
    assert days(parsed_distinct)[-3:] == days(parsed_repeating)[-3:] == ["NaT", "NaT", "2023-03-15 00:00:00"]
    assert (parsed_distinct.dt.normalize() == parsed_repeating.dt.normalize()).iloc[:-3].all()


def test_a_long_column_is_detected_from_a_sample_of_its_rows():
    # 300,000 rows of dd/mm/yyyy hh:mm: day-first evidence (days above 12) is everywhere.
    values = cells(*[f"{1 + i % 28:02d}/{1 + i % 12:02d}/2024 {i % 24:02d}:30" for i in range(300_000)])
    fmt = detect_date_format(values)
    assert fmt is not None and fmt.label == "dd/mm/yyyy hh:mm" and not fmt.ambiguous
