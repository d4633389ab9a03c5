"""Fast paths of ingestion give exactly what the general routes give.

Dates spelled in the format's fixed width are decoded from their bytes, bare
numbers are cast by pyarrow, and text cells skip the number parser: each is
checked here against the general route on tricky inputs, by hand and with
Hypothesis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty.ingest import dates, numbers
from loyalty.ingest.dates import DateFormat, fixed_width_dates, parse_dates
from loyalty.ingest.numbers import parse_numbers
from loyalty.ingest.profile import profile_column, sample_cells
from loyalty.ingest.validate import duplicated_rows

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays reproducible
    suppress_health_check=[HealthCheck.too_slow],
)


def cells(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def general_dates(values: pd.Series, fmt: DateFormat) -> pd.Series:
    """The route every cell took before the fixed-width decoder."""
    return dates._parse_general(values, fmt)


def same_dates(values: pd.Series, fmt: DateFormat) -> None:
    fast, slow = parse_dates(values, fmt), general_dates(values, fmt)
    assert fast.dtype == slow.dtype == "datetime64[ns]"
    assert fast.index.equals(values.index)
    pd.testing.assert_series_equal(fast, slow)


FORMATS = [
    DateFormat("ymd", time="hh:mm:ss"),
    DateFormat("ymd", time="hh:mm"),
    DateFormat("ymd"),
    DateFormat("ymd", sep="/", time="hh:mm:ss"),
    DateFormat("dmy", sep="-", time="hh:mm:ss"),
    DateFormat("dmy", sep="."),
    DateFormat("dmy", sep="/", time="hh:mm"),
    DateFormat("mdy", sep="/", time="hh:mm:ss"),
    DateFormat("mdy", sep="-"),
    DateFormat("compact", sep=""),
    DateFormat("compact", sep="", time="hh:mm"),
    DateFormat("dmy", sep=" "),
]

TRICKY = [
    "2024-03-05 14:22:11",
    "2024-03-05T14:22:11",
    "2024-03-05t14:22:11",
    "2024/03/05T14:22:11",
    "05-03-2024T14:22:11",
    "2024-02-29 00:00:00",  # leap day
    "2023-02-29 00:00:00",  # not a leap year
    "2100-02-29 00:00:00",  # not a leap year either
    "2000-02-29 12:00:00",  # but 2000 is
    "2024-04-31 10:00:00",
    "2024-13-01 10:00:00",
    "2024-00-10 10:00:00",
    "2024-01-00 10:00:00",
    "2024-01-10 24:00:00",
    "2024-01-10 23:60:00",
    "2024-01-10 23:59:60",
    "1899-12-31 23:59:59",  # outside the plausible years
    "1900-01-01 00:00:00",
    "2100-12-31 23:59:59",
    "2101-01-01 00:00:00",
    "0001-01-01 00:00:00",
    " 2024-03-05 14:22:11",
    "2024-03-05 14:22:11 ",
    "2024-3-5 4:22:11",
    "2024-03-05 14:22:11+0100",
    "2024-03-05 14:22",
    "2024-03-05",
    "05-03-2024 14:22:11",
    "05.03.2024",
    "03/05/2024 14:22:11",
    "20240305",
    "20240305 14:22",
    "21000101",
    "05 03 2024",
    "45000",
    "２０２４-03-05 14:22:11",  # full-width digits: same width in characters, not in bytes
    "2024-03-05 14:22:1١",
    "not a date",
    "",
    None,
]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.label)
def test_fixed_width_dates_match_the_general_route_on_tricky_cells(fmt):
    same_dates(cells(*TRICKY), fmt)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.label)
def test_fixed_width_dates_match_on_a_long_column_of_chunks(fmt):
    # pd.concat keeps pyarrow chunks apart, iloc slices them at an offset, and the
    # index is not the default one: the decoder must follow all three.
    good = pd.Series(pd.date_range("1999-12-25", periods=700, freq="31h")).dt.strftime(fmt.strftime)
    parts = [cells(*good), cells(*TRICKY), cells(*good[::-1])]
    values = pd.concat(parts, ignore_index=True)
    values.index = np.arange(len(values)) * 3
    assert values.array._pa_array.num_chunks == 3
    same_dates(values, fmt)
    same_dates(values.iloc[5:-7], fmt)
    same_dates(values.iloc[::-1], fmt)


def test_the_decoder_reads_a_plain_timestamp_column_by_itself():
    values = cells("2024-03-05 14:22:11", None, "2024-02-29 23:59:59", "2024-02-30 10:00:00")
    stamps, done = fixed_width_dates(values, DateFormat("ymd", time="hh:mm:ss"))
    assert done.tolist() == [True, False, True, False]
    assert stamps[[0, 2]].astype(str).tolist() == [
        "2024-03-05T14:22:11.000000000",
        "2024-02-29T23:59:59.000000000",
    ]


def test_formats_without_a_fixed_width_take_the_general_route():
    values = cells("13-01-24", "5 March 2024", "45000")
    for fmt in (DateFormat("dmy", two_digit_year=True), DateFormat("mixed"), DateFormat("serial")):
        assert fixed_width_dates(values, fmt) is None
        same_dates(values, fmt)
    assert fixed_width_dates(pd.Series(["2024-03-05"], dtype=object), DateFormat("ymd")) is None


DIGIT = st.sampled_from("0123456789")
SEPARATORS = st.sampled_from(["-", "/", ".", " ", "T", "t", ":", "x"])


@st.composite
def near_dates(draw) -> str:
    """Strings shaped like fixed-width dates, with digits and separators drawn freely."""
    shape = draw(st.sampled_from(["YYYY-MM-DD hh:mm:ss", "DD-MM-YYYY", "YYYYMMDD", "MM/DD/YYYY hh:mm"]))
    out = []
    for char in shape:
        if char.isalpha() and char != "T":
            out.append(draw(DIGIT) if draw(st.integers(0, 30)) else draw(st.sampled_from("a٣ ")))
        else:
            out.append(draw(SEPARATORS) if not draw(st.integers(0, 5)) else char)
    return "".join(out)


@st.composite
def calendar_dates(draw) -> str:
    """Real and almost-real calendar dates in one of the formats' spellings."""
    year = draw(st.sampled_from([1899, 1900, 1999, 2000, 2023, 2024, 2100, 2101]))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    hour, minute, second = draw(st.integers(0, 25)), draw(st.integers(0, 60)), draw(st.integers(0, 60))
    return draw(
        st.sampled_from(
            [
                f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}",
                f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}",
                f"{day:02d}.{month:02d}.{year:04d}",
                f"{month:02d}/{day:02d}/{year:04d} {hour:02d}:{minute:02d}",
                f"{year:04d}{month:02d}{day:02d}",
            ]
        )
    )


@SETTINGS
@given(
    values=st.lists(st.one_of(near_dates(), calendar_dates(), st.none(), st.text(max_size=12)), max_size=40),
    fmt=st.sampled_from(FORMATS),
)
def test_fixed_width_dates_equal_the_general_route(values, fmt):
    same_dates(cells(*values), fmt)


# --- numbers ------------------------------------------------------------------------------

NUMBER_CELLS = [
    "12.50",
    "-12.5",
    "5.",
    ".5",
    "-.5",
    "-0",
    "00.5",
    "1e5",
    "+1",
    "inf",
    "nan",
    "-",
    ".",
    "1-2",
    "--1",
    "1.2.3",
    " 7",
    "7 ",
    "1,5",
    "1.234,56",
    "€ 12,50",
    "12,-",
    "(12.50)",
    "12.50-",
    "1 234,56 zł",
    "١٢",
    "",
    None,
]


def general_numbers(values: pd.Series, decimal: str) -> pd.Series:
    """The parser without the bare-number cast and without the no-digit shortcut."""
    uniques = values.drop_duplicates().dropna()
    parsed = numbers._parse_unique(
        pd.Series(uniques.tolist(), dtype="str"), decimal, strict=False, thousands=None
    )
    lookup = dict(zip(uniques.tolist(), parsed.tolist(), strict=True))
    return pd.Series(
        [lookup.get(v, np.nan) if isinstance(v, str) else np.nan for v in values], dtype="float64"
    )


@pytest.mark.parametrize("cell", NUMBER_CELLS)
def test_a_column_of_one_kind_of_cell_parses_as_before(cell):
    # A column of only this cell, so the fast path is tried on it alone.
    values = cells(cell, cell, None)
    expected = general_numbers(values, ".")
    pd.testing.assert_series_equal(parse_numbers(values), expected, check_index=False)


def test_bare_numbers_take_the_cast_and_agree_with_the_parser():
    values = cells("12.50", "-3", None, "0.01", "5.", ".5", "-.25", "1234567.891")
    assert numbers._plain_numbers(numbers.to_arrow(values)) is not None
    pd.testing.assert_series_equal(parse_numbers(values), general_numbers(values, "."), check_index=False)


@pytest.mark.parametrize("bad", ["1e5", "+1", "inf", "nan", " 7", "-", "1-2", "1,5", "١٢"])
def test_anything_but_a_bare_number_leaves_the_cast(bad):
    values = cells("12.50", bad)
    assert numbers._plain_numbers(numbers.to_arrow(values)) is None


@SETTINGS
@given(
    values=st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet="0123456789.-", max_size=8),
            st.sampled_from(NUMBER_CELLS),
            st.text(max_size=10),
        ),
        max_size=30,
    ),
    decimal=st.sampled_from([".", ","]),
)
def test_numbers_equal_the_general_parser(values, decimal):
    series = cells(*values)
    pd.testing.assert_series_equal(
        parse_numbers(series, decimal), general_numbers(series, decimal), check_index=False
    )


def test_text_cells_are_not_numbers_and_skip_the_parser(monkeypatch):
    seen = []
    parse = numbers._parse_unique

    def spy(cells, *args, **kwargs):
        seen.extend(cells.tolist())
        return parse(cells, *args, **kwargs)

    monkeypatch.setattr(numbers, "_parse_unique", spy)
    values = cells("Great service, fast delivery", "niet goed", "12,50", None, "delivered in 3 days")
    assert parse_numbers(values, ",").isna().tolist() == [True, True, False, True, True]
    assert parse_numbers(values, ",")[2] == 12.5
    assert "niet goed" not in seen and "12,50" in seen


# --- profiling samples --------------------------------------------------------------------


def test_the_profile_sample_is_the_same_spread_of_filled_cells():
    values = pd.Series([None if i % 3 else f" v{i} " for i in range(30_000)], dtype="str")
    legacy = values.dropna()
    legacy = legacy.iloc[:: len(legacy) // 2000].astype("str").str.strip()
    legacy = legacy.iloc[:: len(legacy) // 1000].iloc[:1000].reset_index(drop=True)
    pd.testing.assert_series_equal(sample_cells(values), legacy)
    assert profile_column(values).nonempty == 10_000


# --- duplicate rows -----------------------------------------------------------------------


def _stand_in(column: pd.Series) -> np.ndarray:
    """An integer per cell that is equal for equal cells (as a parsed date is)."""
    return pd.factorize(column, use_na_sentinel=False)[0].astype(np.int64)


def test_a_stand_in_narrows_the_search_without_changing_the_answer():
    frame = pd.DataFrame(
        {
            "when": ["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-03", None, None],
            "order": ["A", "A", "B", "C", "D", "E", "E"],
            "amount": ["1", "1", "2", "2", "3", "4", "4"],
        },
        dtype="str",
    )
    expected = [False, True, False, False, False, False, True]
    assert duplicated_rows(frame).tolist() == expected
    when = pd.to_datetime(frame["when"]).to_numpy().view(np.int64)  # NaT equals NaT here, as cells do
    assert duplicated_rows(frame, ("order",), [when]).tolist() == expected
    assert duplicated_rows(frame.iloc[::-1].reset_index(drop=True), (), [when[::-1]]).tolist() == [
        False,
        True,
        False,
        False,
        False,
        False,
        True,
    ]


def test_a_stand_in_in_any_order_narrows_the_search():
    frame = pd.DataFrame({"a": ["x", "y", "x", "y"], "b": ["1", "2", "1", "3"]}, dtype="str")
    assert duplicated_rows(frame, (), [np.array([5, 1, 5, 1])]).tolist() == [False, False, True, False]
    assert not duplicated_rows(frame, (), [np.array([5, 1, 4, 2])]).any()


ROWS = st.lists(
    st.tuples(st.sampled_from(["a", "b", None]), st.sampled_from(["1", "2"]), st.integers(0, 3)), max_size=25
)


@SETTINGS
@given(rows=ROWS, order=st.sampled_from(["as drawn", "sorted", "reversed"]))
def test_duplicated_rows_with_stand_ins_equal_without(rows, order):
    frame = pd.DataFrame(rows, columns=["x", "y", "z"]).astype({"x": "str", "y": "str", "z": "str"})
    if order != "as drawn":
        frame = frame.sort_values("z", ascending=order == "sorted", kind="stable").reset_index(drop=True)
    stand_ins = [frame["z"].astype(int).to_numpy(), _stand_in(frame["x"])]
    assert duplicated_rows(frame, ("y",), stand_ins).tolist() == duplicated_rows(frame).tolist()
