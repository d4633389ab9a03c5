"""The notebook tour runs from top to bottom, prints sensible numbers, and is committed without outputs."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "playbook_tour.ipynb"
NUMBER = r"([+-]?\d+(?:\.\d+)?)"


@pytest.fixture(scope="module")
def printed() -> str:
    """Execute the notebook in a fresh python3 kernel (the venv's ipykernel) and return its printed text."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # A failing cell raises CellExecutionError with the cell and its traceback: the test fails on it.
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    return "\n".join(
        output["text"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
    )


def test_the_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) >= 15 and sum(cell.cell_type == "markdown" for cell in notebook.cells) >= 15
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert notebook.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.slow
def test_the_notebook_runs_and_its_key_numbers_make_sense(printed):
    nps = re.search(rf"NPS = {NUMBER} \(95% CI {NUMBER} to {NUMBER}\)", printed)
    value, low, high = map(float, nps.groups())
    assert -100 <= low < value < high <= 100
    params = re.search(rf"BG/NBD: r = {NUMBER}, alpha = {NUMBER}, a = {NUMBER}, b = {NUMBER}", printed)
    assert all(float(p) > 0 for p in params.groups())
    inside, total = map(int, re.search(r"(\d+) of (\d+) true values lie inside", printed).groups())
    assert total == 16 and inside >= 13  # 95% intervals: about 1 miss in 20 is expected
    assert "sanity check, Δ = 0: NPS change +0.0" in printed
    nps_change = float(re.search(rf"NPS {NUMBER} → {NUMBER} \({NUMBER} points", printed).group(3))
    assert nps_change > 0  # raising service, a driver with a positive effect, raises the predicted NPS


@pytest.mark.slow
def test_the_data_security_estimate_follows_the_true_effect_the_student_sets(printed):
    pattern = rf"True effect {NUMBER} → observed-scale truth {NUMBER} → estimated {NUMBER} \(95% CI {NUMBER}"
    rows = [tuple(map(float, m)) for m in re.findall(pattern, printed)]
    assert [row[0] for row in rows] == [0.0, 0.1, 0.25, 0.4]
    estimates = [row[2] for row in rows]
    assert estimates == sorted(estimates) and estimates[-1] - estimates[0] > 0.25  # it moves with the truth
    for _, truth, estimate, _ in rows:
        assert abs(estimate - truth) < 0.05  # and lands near the observed-scale truth each time
