"""CDNOW fixtures for the CLV tests, read with plain pandas (no dependency on ingestion)."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty.clv import fit_bgnbd, fit_gamma_gamma, summary_data_from_transactions
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE

from ..conftest import ROOT

CDNOW_SAMPLE = ROOT / "sample_data" / "cdnow" / "transactions.csv"
CDNOW_MASTER = ROOT / "tests" / "data" / "cdnow_master.csv.gz"
#: Fader, Hardie & Lee (2005): calibration through 1997-09-30, holdout to 1998-06-30.
CALIBRATION_END = "1997-09-30"
OBSERVATION_END = "1998-06-30"


def read_cdnow(path) -> pd.DataFrame:
    """Read a CDNOW csv into canonical columns."""
    raw = pd.read_csv(path, dtype={"customer_id": str})
    return pd.DataFrame(
        {
            CUSTOMER_ID: raw["customer_id"],
            DATE: pd.to_datetime(raw["date"].astype(str), format="%Y%m%d"),
            AMOUNT: raw["dollar_value"].astype(float),
        }
    )


@pytest.fixture(scope="session")
def cdnow() -> pd.DataFrame:
    return read_cdnow(CDNOW_SAMPLE)


@pytest.fixture(scope="session")
def cdnow_summary(cdnow) -> pd.DataFrame:
    return summary_data_from_transactions(
        cdnow, calibration_end=CALIBRATION_END, observation_end=OBSERVATION_END, time_unit="week"
    )


@pytest.fixture(scope="session")
def cdnow_summary_days(cdnow) -> pd.DataFrame:
    return summary_data_from_transactions(
        cdnow, calibration_end=CALIBRATION_END, observation_end=OBSERVATION_END, time_unit="day"
    )


@pytest.fixture(scope="session")
def cdnow_bgnbd(cdnow_summary):
    return fit_bgnbd(cdnow_summary, time_unit="week")


@pytest.fixture(scope="session")
def cdnow_bgnbd_days(cdnow_summary_days):
    return fit_bgnbd(cdnow_summary_days, time_unit="day")


@pytest.fixture(scope="session")
def cdnow_gg(cdnow_summary):
    return fit_gamma_gamma(cdnow_summary["frequency"], cdnow_summary["monetary_value"])
