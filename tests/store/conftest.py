"""Fixtures: a fresh SQLite database under tmp_path and a hand-made assessment."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from loyalty.store import Action, Assessment, Store


@pytest.fixture
def db_url(tmp_path) -> str:
    """URL of a database file that does not exist yet (only tests create it)."""
    return f"sqlite:///{tmp_path / 'assessments.sqlite'}"


@pytest.fixture
def store(db_url):
    store = Store(db_url)
    yield store
    store.close()


def make_assessment(client: str = "Bakkerij Jansen", title: str = "Q1 workshop", **changes) -> Assessment:
    """Return an assessment with every field filled, nested dicts and dated actions included."""
    values = {
        "client": client,
        "title": title,
        "created": datetime(2025, 3, 14, 9, 30, 15),
        "lang": "nl",
        "business_type": "b2c",
        "mappings": {"transactions": {"customer_id": "Klantnummer", "amount": "Bedrag"}},
        "fingerprints": {"transactions": "ab" * 32},
        "kpis": {
            "nps": {"value": 20.0, "n": 450, "promoters": 180, "passives": 180, "detractors": 90},
            "retention_rate": {"value": 0.9, "value_both_periods": 0.4, "ci95": [0.3, 0.5]},
            "repeat_purchase_rate": {"value": 0.25},
            "clv": {"historical_mean": 120.0, "predicted_mean": None},
            "feedback": {"headline": {"field": "trust", "score": 60.0}},
        },
        "diagnosis": {
            "n": 450,
            "r2": 0.42,
            "importance": {
                "service": {"share": 0.5, "ci95": [0.4, 0.6], "p_top": 0.9},
                "reputation": {"share": 0.3, "ci95": [0.2, 0.4], "p_top": 0.1},
                "communication": {"share": 0.2, "ci95": [0.1, 0.3], "p_top": 0.0},
            },
            "performance": {"service": 55.0, "reputation": 70.0, "communication": 40.0},
            "quadrants": {
                "service": "fix_first",
                "reputation": "keep_it_up",
                "communication": "low_priority",
            },
            "warnings": ["Small sample: rankings may flip."],
        },
        "strategies": ["complaint_sla", "transparent_pricing"],
        "actions": [
            Action(
                "complaint_sla",
                "Reply to complaints within 24 h",
                "Anna",
                date(2025, 4, 1),
                date(2025, 6, 30),
                "nps",
                30.0,
                "doing",
            ),  # fmt: skip
            Action("transparent_pricing", "Show full prices before checkout", due=date(2025, 5, 1)),
            Action("complaint_sla", "Train the team", status="done"),
        ],
        "assumptions": {"budget": 5000, "margin": 0.35, "nested": {"a": [1, 2, {"b": None}]}},
        "notes": "Eerste sessie — ‘vertrouwen’ is laag.",
    }
    values.update(changes)
    return Assessment(**values)


def raw_frames() -> dict[str, pd.DataFrame]:
    """Raw tables with recognisable customer ids."""
    return {
        "transactions": pd.DataFrame(
            {
                "customer_id": pd.Series(["CUST-0001", "CUST-0002", "CUST-0001"], dtype="str"),
                "date": pd.to_datetime(["2025-01-02", "2025-01-05", "2025-02-01"]),
                "amount": [10.5, 20.0, 7.25],
            }
        ),
        "survey": pd.DataFrame(
            {"customer_id": pd.Series(["CUST-0002", None], dtype="str"), "recommend": [9.0, float("nan")]}
        ),
    }
