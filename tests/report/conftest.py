"""Shared report fixtures: the smallest sample (en_b2b) loaded once, its content built once per language."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty.ingest import load_file
from loyalty.report import content_from_results

from ..conftest import ROOT

SAMPLE = ROOT / "sample_data" / "en_b2b"
#: Few bootstrap replicates: the tests check the report, not the intervals.
BOOTSTRAP = 50


def load_sample(kinds: tuple[str, ...] = ("transactions", "survey")) -> dict:
    """Return kind -> LoadResult of the en_b2b sample."""
    return {k: load_file((SAMPLE / f"{k}.csv").read_bytes(), f"{k}.csv", kind=k) for k in kinds}


@pytest.fixture(scope="session")
def results() -> dict:
    return load_sample()


@pytest.fixture(scope="session")
def content_en(results):
    return content_from_results(results, lang="en", bootstrap=BOOTSTRAP)


@pytest.fixture(scope="session")
def content_pl(results):
    return content_from_results(results, lang="pl", bootstrap=BOOTSTRAP)


MALICIOUS = '=HYPERLINK("http://evil.example/x","click me")'


@pytest.fixture(scope="session")
def malicious_content():
    """Content whose rejected rows, extra column and plan all carry formula injections."""
    transactions = (
        "customer_id,date,amount,=cmd|' /C calc'!A0,store\n"
        "C1,2024-01-05,10.00,a,Ann\n"
        "C1,2024-03-05,-12.50,b,Bob\n"
        "C2,2024-02-07,30.00,c,Cy\n"
        "C3,2024-05-07,15.00,d,Di\n"
        f'C4,not a date,20.00,e,"{MALICIOUS.replace(chr(34), chr(34) * 2)}"\n'
        f'C5,2024-06-01,25.00,"@SUM(1+1)","+1+2"\n'
    )
    tx = load_file(transactions.encode(), "tx.csv", kind="transactions")
    plan = pd.DataFrame(
        {
            "strategy_id": ["crm", "crm"],
            "action": ["+cmd|' /C calc'!A0", "Call every customer"],
            "owner": [MALICIOUS, "-Ann"],
            "start": pd.to_datetime(["2025-01-01", "2025-02-01"]),
            "due": pd.to_datetime(["2025-03-01", "2025-04-01"]),
            "kpi": ["retention_rate", "nps"],
            "target": [0.6, -5.0],
        }
    )
    return content_from_results({"transactions": tx}, lang="en", strategies=["crm"], plan=plan, bootstrap=0)
