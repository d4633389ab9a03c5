"""The Excel workbook read back with openpyxl: its sheets, numeric KPIs, and no cell that starts a formula."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from loyalty.i18n import t
from loyalty.report import build_report

from .conftest import MALICIOUS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _workbook(content):
    return load_workbook(io.BytesIO(build_report(content, "xlsx")))


def _cells(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_workbook_has_a_sheet_per_table_and_numeric_kpis(content_en):
    book = _workbook(content_en)
    names = [
        t(f"report.sheet.{s}", "en") for s in ("summary", "kpis", "cohorts", "drivers", "strategies", "plan")
    ]
    assert names == book.sheetnames[: len(names)]
    kpis = book[t("report.sheet.kpis", "en")]
    rows = {r[0]: r[2] for r in kpis.iter_rows(min_row=2, values_only=True)}
    m = content_en.measure
    assert rows["nps"] == pytest.approx(m["nps"]["value"])
    assert rows["retention_rate"] == pytest.approx(m["retention_rate"]["value_both_periods"])
    assert rows["repeat_purchase_rate"] == pytest.approx(m["repeat_purchase_rate"]["value"])
    assert rows["clv"] == pytest.approx(m["clv"]["historical_mean"])
    assert all(isinstance(v, float) for v in rows.values())
    cohort = book[t("report.sheet.cohorts", "en")]
    first = [c.value for c in next(cohort.iter_rows(min_row=2, max_row=2))]
    assert first[1] == pytest.approx(1.0)  # month 0: the whole cohort is active by definition
    drivers = book[t("report.sheet.drivers", "en")]
    shares = [r[2] for r in drivers.iter_rows(min_row=2, values_only=True)]
    assert sum(shares) == pytest.approx(1.0, abs=1e-6)


def test_no_cell_can_start_a_formula_while_numbers_stay_numeric(malicious_content):
    book = _workbook(malicious_content)
    cells = list(_cells(book))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [v for v in texts if v.startswith(_FORMULA_START)]
    assert "'" + MALICIOUS in texts  # the plan owner, kept readable
    assert "'=cmd|' /C calc'!A0" in texts  # a malicious column name in the rejected rows
    plan = book[t("report.sheet.plan", "en")]
    targets = [r[-1] for r in plan.iter_rows(min_row=2, values_only=True)]
    assert targets == [0.6, -5.0]  # negative numbers are numbers, not neutralised text
    rejected = book[t("report.sheet.rejected", "en", kind=t("kind.transactions", "en"))]
    assert rejected.max_row >= 2


def test_plan_csv_is_neutralised_and_opens_in_excel(malicious_content):
    data = build_report(malicious_content, "plan.csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    # Only numbers may start with a sign: Excel reads "-5.00" as the number it is.
    assert [c for c in cells if c.startswith(_FORMULA_START)] == ["-5.00"]
    assert "'" + MALICIOUS in cells and "'+cmd|' /C calc'!A0" in cells and "'-Ann" in cells
