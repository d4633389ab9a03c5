"""Shared fixtures of the KPI tests: the real CDNOW master file, read once."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty.kpi.periods import PreparedTransactions, prepare
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE

from ..conftest import ROOT


@pytest.fixture(scope="session")
def cdnow() -> pd.DataFrame:
    """CDNOW master (69,659 rows, 23,570 customers) in canonical columns."""
    frame = pd.read_csv(
        ROOT / "tests" / "data" / "cdnow_master.csv.gz", dtype={"customer_id": str, "date": str}
    )
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame.rename(columns={"customer_id": CUSTOMER_ID, "date": DATE, "dollar_value": AMOUNT})


@pytest.fixture(scope="session")
def cdnow_prepared(cdnow: pd.DataFrame) -> PreparedTransactions:
    """CDNOW master encoded once for the tests that share it."""
    return prepare(cdnow)


def frame(rows: list[tuple], columns: tuple[str, ...] = (CUSTOMER_ID, DATE, AMOUNT)) -> pd.DataFrame:
    """Return a canonical transactions frame from ``(customer, "yyyy-mm-dd", amount, ...)`` tuples."""
    data = pd.DataFrame(rows, columns=list(columns))
    data[DATE] = pd.to_datetime(data[DATE], format="ISO8601")
    data[AMOUNT] = data[AMOUNT].astype(float)
    return data
