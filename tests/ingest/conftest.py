"""Shared helpers for the ingestion tests: fixture paths and tiny file builders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    """A CSV written the way spreadsheet exports are: CRLF line ends."""
    return text.replace("\n", "\r\n").encode(encoding)


def workbook_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """An .xlsx built in memory with openpyxl, one sheet per entry, in order."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="session")
def fixture_bytes():
    """Read a file of ``tests/ingest/fixtures`` as bytes."""

    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read
