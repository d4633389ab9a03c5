"""Property tests: whatever bytes arrive, ingestion returns a table or one clear InputError.

Unexpected exceptions are turned into an "unreadable" InputError by ``load_file``
as a last line of defence; these tests call the function behind that net, so a
bug cannot hide as a polite message.
"""

from __future__ import annotations

import logging
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty.errors import InputError
from loyalty.i18n import LANGS, catalog
from loyalty.ingest import LoadResult, loader, rejected_to_csv

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays reproducible
    suppress_health_check=[HealthCheck.too_slow],
)
_KEYLIKE = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")

NAMES = st.sampled_from(["upload.csv", "upload.txt", "upload.tsv", "upload.xlsx", "upload.parquet", "upload"])
HEADERS = st.sampled_from(
    [
        "Klantnummer",
        "Besteldatum",
        "Totaalbedrag",
        "ID klienta",
        "Data zamówienia",
        "Kwota",
        "Polecenie (0-10)",
        "Zaufanie",
        "customer_id",
        "order_date",
        "dollar_value",
        "E-mail",
        "Name",
        "Order",
        "",
        "x",
    ]
)
CELLS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        [
            "",
            " ",
            "1.234,56",
            "1 234,56 zł",
            "€ 12,50",
            "$1,234.56",
            "-5",
            "0",
            "11",
            "9",
            "n.v.t.",
            "2024-01-13",
            "13-01-2024",
            "01/13/2024",
            "20240113",
            "0001-01-01",
            "01-01-0001",
            "45000",
            "2958466",
            "2024-03-31 23:59:59 +0200",
            "31-02-2024",
            "#1001",
            "jan@example.nl",
            "+31 6 12345678",
            "=1+1",
            '"',
            '"a;b"',
            "a\nb",
            "1e308",
            "NaN",
            "inf",
        ]
    ),
)


def check(data: bytes, name: str) -> None:
    """Load the bytes: a usable result, or an InputError that renders in every language."""
    defaults = {
        "delimiter": None,
        "encoding": None,
        "decimal": None,
        "thousands": None,
        "date_format": None,
        "dayfirst": None,
        "sheet": None,
        "keep_personal": False,
        "scales": None,
    }
    try:
        result = loader._load(data, name, None, None, **defaults)
    except InputError as err:
        assert_clear(err, name)
        return
    assert isinstance(result, LoadResult)
    assert result.rows_used >= 1
    assert result.rows_used + sum(result.by_reason.values()) == result.rows_read
    assert len(result.rejected) == result.rows_read - result.rows_used
    assert rejected_to_csv(result).startswith(b"\xef\xbb\xbf")
    assert isinstance(result.summary(), dict)


def assert_clear(err: InputError, name: str) -> None:
    keys = set(catalog())
    assert err.key in keys, err.key
    for lang in LANGS:
        message = err.message(lang)
        assert message and "\n" not in message.strip() or err.key == "ingest.error.unreadable"
        assert not [k for k in _KEYLIKE.findall(message) if k in keys], message
        assert not re.search(r"\{[a-z_]+\}", message), message
        if "file" in err.params:
            assert name in message


@SETTINGS
@given(data=st.binary(max_size=3000), name=NAMES)
def test_arbitrary_bytes_give_a_table_or_a_clear_error(data, name):
    check(data, name)


@SETTINGS
@given(
    header=st.lists(HEADERS, min_size=1, max_size=6),
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=7), min_size=0, max_size=15),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1250", "cp1252"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_arbitrary_delimited_text_gives_a_table_or_a_clear_error(header, rows, delimiter, encoding, newline):
    text = newline.join(delimiter.join(r) for r in [header, *rows])
    check(text.encode(encoding, errors="replace"), "export.csv")


@SETTINGS
@given(
    header=st.lists(HEADERS, min_size=1, max_size=4),
    rows=st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=1, max_size=6),
)
def test_arbitrary_workbooks_give_a_table_or_a_clear_error(header, rows):
    from .conftest import workbook_bytes

    clean = [[c.replace("\x00", "") if isinstance(c, str) else c for c in r] for r in [header, *rows]]
    try:
        data = workbook_bytes({"Sheet1": clean})
    except Exception:  # noqa: BLE001 - openpyxl refuses some control characters: not our input then
        return
    check(data, "export.xlsx")


def test_the_guard_itself_turns_a_bug_into_an_unreadable_message(monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(logging.getLogger(loader.__name__), "disabled", True)
    monkeypatch.setattr(loader, "_load", broken)
    with pytest.raises(InputError) as err:
        loader.load_file(b"a,b\n1,2\n", "x.csv")
    assert err.value.key == "ingest.error.unreadable"
    assert "x.csv" in err.value.message("pl")


def test_a_parquet_file_round_trips():
    import io

    frame = pd.DataFrame(
        {"customer_id": ["a", "b"], "order_date": ["2024-01-01", "2024-01-02"], "total": [1.5, 2.0]}
    )
    buf = io.BytesIO()
    frame.to_parquet(buf)
    check(buf.getvalue(), "orders.parquet")
