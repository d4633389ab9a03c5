"""The snapshot builders hold exactly what ``measure`` and ``diagnose`` report, and survive a save."""

from __future__ import annotations

import json

import pytest

from loyalty import diagnose as service
from loyalty.cli import main
from loyalty.drivers.simulate import simulate_survey
from loyalty.ingest import load_file
from loyalty.store import fingerprint
from loyalty.store.compare import compare, kpi_value
from loyalty.store.snapshot import (
    diagnosis_snapshot,
    fingerprints_snapshot,
    kpi_snapshot,
    mappings_snapshot,
    raw_frames,
)
from tests.conftest import ROOT
from tests.store.conftest import make_assessment

SAMPLE = ROOT / "sample_data" / "nl_webshop"


@pytest.fixture(scope="module")
def loaded():
    return {
        kind: load_file((SAMPLE / f"{kind}.csv").read_bytes(), f"{kind}.csv", kind=kind)
        for kind in ("transactions", "survey")
    }


def test_kpi_snapshot_is_the_measure_json(loaded, capsys):
    snapshot = kpi_snapshot(loaded["transactions"], loaded["survey"])
    code = main(["measure", "--transactions", str(SAMPLE / "transactions.csv"),
                 "--survey", str(SAMPLE / "survey.csv")])  # fmt: skip
    assert code == 0
    assert json.loads(json.dumps(snapshot)) == json.loads(capsys.readouterr().out)
    assert kpi_value(snapshot, "nps") == snapshot["nps"]["value"]
    assert kpi_value(snapshot, "clv") == snapshot["clv"]["historical_mean"]


def test_kpi_snapshot_without_a_survey(loaded):
    snapshot = kpi_snapshot(loaded["transactions"])
    assert snapshot["nps"] is None and kpi_value(snapshot, "nps") is None
    assert kpi_value(snapshot, "retention_rate") == snapshot["retention_rate"]["value_both_periods"]


def test_diagnosis_snapshot_summarises_the_report():
    survey = simulate_survey(600, seed=3)
    options = service.default_options(service.survey_availability(survey), bootstrap=50, seed=1)
    diagnosis = service.run_diagnosis(survey, options, robustness=False)
    report = service.diagnosis_report(diagnosis)
    summary = diagnosis_snapshot(diagnosis, lang="pl")
    assert summary["n"] == report["n"] == 600
    assert summary["r2"] == pytest.approx(diagnosis.importance.r2)
    assert summary["performance"] == report["performance"]
    assert summary["quadrants"] == report["quadrants"]
    assert set(summary["importance"]) == set(diagnosis.drivers)
    assert sum(v["share"] for v in summary["importance"].values()) == pytest.approx(1.0)
    for driver, values in summary["importance"].items():
        assert values == {key: report["importance"][driver][key] for key in ("share", "ci95", "p_top")}
    json.dumps(summary, allow_nan=False)  # storable as is
    # compare() reads the summary it produced.
    rows = compare(make_assessment(diagnosis=summary), make_assessment(diagnosis=summary))["drivers"]
    assert {r["driver"] for r in rows} == set(diagnosis.drivers)
    assert all(r["importance_old"] == r["importance_new"] is not None for r in rows)


def test_mappings_fingerprints_and_raw(loaded, store):
    assert mappings_snapshot(loaded)["survey"] == loaded["survey"].mapping
    data = (SAMPLE / "survey.csv").read_bytes()
    prints = fingerprints_snapshot(loaded, {"survey": data})
    assert prints["survey"] == fingerprint(data)
    assert prints["transactions"] == fingerprint(loaded["transactions"].frame)
    a = make_assessment(kpis=kpi_snapshot(loaded["transactions"], loaded["survey"]), raw=raw_frames(loaded))
    saved = store.get(store.save(a, store_raw=True))
    assert saved.kpis == json.loads(json.dumps(a.kpis))
    original_ids = set(loaded["survey"].frame["customer_id"].dropna())
    assert not original_ids & set(saved.raw["survey"]["customer_id"].dropna())
    assert len(saved.raw["transactions"]) == len(loaded["transactions"].frame)
