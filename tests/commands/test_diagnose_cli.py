"""``python -m loyalty diagnose``: the JSON keys of issue 4, known truth, multi-item scales, exit code 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import pandas as pd
import pytest

from loyalty.cli import main
from loyalty.schema import DRIVERS

from ..conftest import ROOT

SAMPLE = ROOT / "sample_data" / "en_b2b"


def cli(*args: str) -> subprocess.CompletedProcess:
    """Run the real entry point in a new interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "loyalty", *args], cwd=ROOT, capture_output=True, text=True, timeout=180
    )


def run(*args: str) -> tuple[int, str, str]:
    """Run ``main`` in this process (a new interpreter costs seconds of imports per call)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def diagnose_json(*args: str) -> dict:
    code, out, err = run("diagnose", *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.slow
def test_default_run_has_every_key_of_the_issue():
    survey, transactions = str(SAMPLE / "survey.csv"), str(SAMPLE / "transactions.csv")
    proc = cli("diagnose", "--survey", survey, "--transactions", transactions, "--bootstrap", "100", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for key in ("n", "missing", "scales", "mediator_model", "outcome_model", "importance", "mediation"):
        assert key in out
    assert {"quadrants", "warnings", "trust_pays"} <= set(out)
    # en_b2b: 283 answers, 200 complete on the five drivers, trust and recommend.
    assert (out["n"], out["missing"]) == (200, 83)
    assert out["drivers"] == list(DRIVERS) and out["mediator"] == "trust" and out["outcome"] == "recommend"
    assert set(out["scales"]) == {*DRIVERS, "trust", "recommend"}
    assert out["scales"]["service"] == {"items": ["service"], "alpha": None, "range": [1.0, 10.0]}
    for model in ("mediator_model", "outcome_model"):
        assert 0 < out[model]["r2"] < 1
        for row in out[model]["coefficients"].values():
            assert set(row) >= {"beta", "beta_std", "ci95", "p", "vif"}
            assert row["ci95"][0] < row["beta"] < row["ci95"][1]
    assert list(out["outcome_model"]["coefficients"])[0] == "trust"
    assert sum(v["share"] for v in out["importance"].values()) == pytest.approx(1.0)
    assert sum(v["p_top"] for v in out["importance"].values()) == pytest.approx(1.0)
    for effects in out["mediation"].values():
        assert set(effects) >= {"indirect", "direct", "total", "proportion_mediated"}
        assert all(len(effects[k]["ci95"]) == 2 for k in ("indirect", "direct", "total"))
        assert effects["indirect"]["estimate"] + effects["direct"]["estimate"] == pytest.approx(
            effects["total"]["estimate"]
        )
    assert set(out["quadrants"]) == set(DRIVERS)
    # At n = 200 the ranking is flagged as indicative, in plain words.
    assert any("read the ranking as indicative" in w for w in out["warnings"])
    pays = out["trust_pays"]
    assert pays["n_matched"] > 200 and pays["n_matched"] <= pays["n_surveyed"]
    metrics = {row["metric"] for row in pays["groups"]}
    assert {"repeat", "revenue", "clv", "p_alive"} <= metrics


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A fresh synthetic sample written by the CLI (its default seed), with its truth.json."""
    out = tmp_path_factory.mktemp("sample")
    code, _, err = run("sample", "--out", str(out), "--profile", "pl_retail", "--customers", "6000")
    assert code == 0, err
    return out


@pytest.mark.slow
def test_intervals_contain_the_generators_truth(generated):
    # Each 95% interval misses its truth one time in twenty by design; over eight generator seeds the
    # z-scores of these estimates averaged |z| < 0.3 (no bias), and at the CLI's default seed all hold.
    out = diagnose_json("--survey", str(generated / "survey.csv"), "--bootstrap", "300", "--seed", "1")
    truth = json.loads((generated / "truth.json").read_text(encoding="utf-8"))
    trust_truth = truth["trust"]["observed"]["coefficients"]
    outcome_truth = truth["recommend"]["observed"]["ols_on_trust_and_drivers"]["coefficients"]
    for model, expected in (("mediator_model", trust_truth), ("outcome_model", outcome_truth)):
        for name, row in out[model]["coefficients"].items():
            low, high = row["ci95"]
            assert low <= expected[name] <= high, (model, name, row["ci95"], expected[name])
    ranking = sorted(out["importance"], key=lambda d: -out["importance"][d]["share"])
    assert ranking[:3] == truth["trust"]["observed"]["ranking"][:3]  # service, consistency, reputation
    assert out["importance"]["service"]["p_top"] > 0.95


def _items(rng: np.random.Generator, latent: np.ndarray, k: int, noise: float) -> np.ndarray:
    """k 1-7 items measuring one latent score with the given noise."""
    return np.clip(np.round(4 + latent[:, None] + noise * rng.standard_normal((len(latent), k))), 1, 7)


def _alpha(items: np.ndarray) -> float:
    """Cronbach's alpha by its textbook formula."""
    k = items.shape[1]
    return k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))


@pytest.fixture(scope="module")
def pls_survey(tmp_path_factory) -> tuple[str, pd.DataFrame]:
    """A research-style survey: multi-item scales, no recommend column, a decimal-comma CSV."""
    rng = np.random.default_rng(4)
    n = 400
    comp, like = rng.standard_normal(n), rng.standard_normal(n)
    cusa = np.clip(np.round(4 + 0.6 * comp + 0.3 * like + 0.6 * rng.standard_normal(n)), 1, 7)
    cusl = 0.8 * (cusa - 4) + 0.5 * rng.standard_normal(n)
    frame = pd.DataFrame(
        np.column_stack(
            [_items(rng, comp, 3, 0.6), _items(rng, like, 3, 0.9), cusa, _items(rng, cusl, 3, 0.5)]
        ),
        columns=[
            "comp_1",
            "comp_2",
            "comp_3",
            "like_1",
            "like_2",
            "like_3",
            "cusa",
            "cusl_1",
            "cusl_2",
            "cusl_3",
        ],
    )
    frame.insert(0, "id", [f"R{i}" for i in range(n)])
    frame.loc[[3, 17], "comp_2"] = np.nan
    path = tmp_path_factory.mktemp("pls") / "corporate.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    return str(path), frame


def test_multi_item_specs_average_items_and_report_cronbach_alpha(pls_survey):
    path, frame = pls_survey
    out = diagnose_json(
        "--survey", path,
        "--drivers", "COMP=comp_1+comp_2+comp_3,LIKE=like_1+like_2+like_3",
        "--trust", "CUSA=cusa",
        "--outcome", "CUSL=cusl_1+cusl_2+cusl_3",
        "--bootstrap", "200",
    )  # fmt: skip
    assert out["drivers"] == ["COMP", "LIKE"] and out["mediator"] == "CUSA" and out["outcome"] == "CUSL"
    # Listwise: the two respondents who skipped comp_2 are dropped and counted under COMP.
    assert out["n"] == 398 and out["missing"] == 2
    assert out["missing_by_variable"]["COMP"] == 2
    assert out["scales"]["COMP"]["items"] == ["comp_1", "comp_2", "comp_3"]
    complete = frame[["comp_1", "comp_2", "comp_3"]].dropna().to_numpy()
    assert out["scales"]["COMP"]["alpha"] == pytest.approx(_alpha(complete))
    assert out["scales"]["LIKE"]["alpha"] == pytest.approx(
        _alpha(frame[["like_1", "like_2", "like_3"]].to_numpy())
    )
    assert out["scales"]["COMP"]["alpha"] > 0.7 and out["scales"]["CUSA"]["alpha"] is None
    comp = out["mediator_model"]["coefficients"]["COMP"]
    assert comp["ci95"][0] > 0  # competence clearly raises satisfaction in this design
    assert out["mediation"]["COMP"]["indirect"]["ci95"][0] > 0
    assert out["robustness"] is None  # a composite outcome is not an ordinal score


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--survey", "does/not/exist.csv"], "cannot read file"),
        (
            ["--survey", str(SAMPLE / "survey.csv"), "--drivers", "COMP=comp_1+"],
            "Cannot read the variable definition",
        ),
        (["--survey", str(SAMPLE / "survey.csv"), "--drivers", "nosuchcolumn"], "no column nosuchcolumn"),
        (["--survey", str(SAMPLE / "survey.csv"), "--bootstrap", "-5"], "--bootstrap"),
        (["--survey", str(SAMPLE / "survey.csv"), "--map", "trust"], "--map 'trust'"),
        (["--survey", str(SAMPLE / "survey.csv"), "--map", "loyalty=trust"], "loyalty"),
        ([], "--survey"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, needle):
    extra = [] if "--bootstrap" in args else ["--bootstrap", "0"]
    code, out, err = run("diagnose", *args, *extra)
    assert code == 2, out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], err
    assert out == ""


def test_unmatched_transactions_are_bad_input(tmp_path):
    other = tmp_path / "orders.csv"
    other.write_text("customer_id,date,amount\nX1,2024-01-01,10\nX2,2024-01-02,20\n", encoding="utf-8")
    proc = cli(
        "diagnose", "--survey", str(SAMPLE / "survey.csv"), "--transactions", str(other), "--bootstrap", "0"
    )
    assert proc.returncode == 2
    assert "None of the surveyed customers appears in the transaction data" in proc.stderr.strip()


@pytest.fixture(scope="module")
def flat_outcome_surveys(tmp_path_factory) -> dict[str, str]:
    """Two surveys: everyone answers recommend 10, and 95% answer 10 (the rest 9)."""
    from loyalty.drivers.simulate import simulate_survey

    out = tmp_path_factory.mktemp("flat")
    survey = simulate_survey(300, seed=5)
    paths = {}
    for name, nines in (("constant", 0), ("near", 15)):
        frame = survey.assign(recommend=10.0)
        frame.loc[: nines - 1, "recommend"] = 9.0
        paths[name] = str(out / f"{name}.csv")
        frame.to_csv(paths[name], index=False)
    return paths


def test_a_constant_outcome_exits_2_and_suggests_another_outcome(flat_outcome_surveys):
    code, out, err = run("diagnose", "--survey", flat_outcome_surveys["constant"], "--bootstrap", "0")
    assert code == 2 and out == ""
    line = err.strip()
    assert "Everyone gave the same answer to “Likelihood to recommend (0–10)”" in line
    assert "Choose another outcome" in line and "Leave" not in line


def test_a_nearly_constant_outcome_runs_with_a_warning(flat_outcome_surveys):
    out = diagnose_json("--survey", flat_outcome_surveys["near"], "--bootstrap", "0")
    assert out["n"] == 300
    assert "low_outcome_variance" in out["warning_codes"]
    text = out["warnings"][out["warning_codes"].index("low_outcome_variance")]
    assert "hardly varies" in text and "95%" in text and "another outcome" in text


def test_a_filled_survey_kit_template_is_read_as_scales_without_any_spec(tmp_path):
    """Survey-kit items ("Service 1..3") become three-item scales in the CLI too, as on the page."""
    from loyalty import surveykit

    from ..test_surveykit import filled_template

    path = tmp_path / surveykit.template_file_name("nl")
    path.write_bytes(filled_template("nl"))
    out = diagnose_json("--survey", str(path), "--bootstrap", "50")
    for name in DRIVERS:  # trust is one question in the kit
        assert len(out["scales"][name]["items"]) == 3, (name, out["scales"][name])
        assert out["scales"][name]["alpha"] > 0.7
    assert max(out["importance"], key=lambda d: out["importance"][d]["share"]) == "service"
