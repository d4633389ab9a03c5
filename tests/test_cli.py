"""The command line: JSON out, exit code 2 and one line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT

DUTCH = (
    "\ufeffKlantnummer;Besteldatum;Totaalbedrag\n"
    "1001;03-01-2024;1.234,56\n1001;15-02-2024;12,50\n1002;31-01-2024;-5,00\n1003;??;20,00\n"
).encode("utf-8")


def cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loyalty", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_inspect_reports_format_mapping_rows_and_totals(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(DUTCH)
    proc = cli("inspect", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["kind"] == "transactions"
    assert out["format"]["delimiter"] == ";" and out["format"]["decimal"] == ","
    assert out["format"]["encoding"] == "utf-8-sig"
    assert out["format"]["date_format"].startswith("dd-mm-yyyy")
    assert out["mapping"] == {"customer_id": "Klantnummer", "date": "Besteldatum", "amount": "Totaalbedrag"}
    assert out["rows"] == {"read": 4, "used": 3, "rejected": 1, "by_reason": {"unparseable_date": 1}}
    assert out["customers"] == 2 and out["purchases"] == 2 and out["refunds"] == 1
    assert out["revenue"] == pytest.approx(1242.06)
    assert (out["first_date"], out["last_date"]) == ("2024-01-03", "2024-02-15")


def test_inspect_map_option_overrides_the_auto_mapping(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("who,when,paid,ref\nA,2024-01-01,10,X1\nB,2024-01-02,20,X2\n", encoding="utf-8")
    proc = cli(
        "inspect",
        str(path),
        "--kind",
        "transactions",
        "--map",
        "customer_id=who",
        "--map",
        "date=when",
        "--map",
        "amount=paid",
        "--map",
        "order_id=ref",
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["mapping"] == {"customer_id": "who", "date": "when", "amount": "paid", "order_id": "ref"}
    assert out["revenue"] == 30


def test_inspect_detects_a_survey_and_its_scales():
    proc = cli("inspect", "sample_data/nl_webshop/survey.csv", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["kind"] == "survey"
    assert out["scales"]["recommend"] == [0, 10]
    assert out["responses"] == out["rows"]["used"] > 100


@pytest.mark.parametrize(
    "content, name",
    [(b"", "empty.csv"), (b"\x00\x01\x02\xff" * 50, "blob.csv"), (b"not a zip at all", "fake.xlsx")],
)
def test_bad_input_exits_2_with_one_line(tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    proc = cli("inspect", str(path), "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("inspect", "does-not-exist.csv"),
        ("inspect", "x.csv", "--kind", "nope"),
        ("frobnicate",),
        ("inspect", "sample_data/cdnow/transactions.csv", "--map", "oops"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args):
    proc = cli(*args)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_sample_is_byte_identical_for_the_same_arguments(tmp_path):
    args = ("--profile", "pl_retail", "--customers", "300", "--seed", "11", "--locale", "pl")
    assert cli("sample", "--out", str(tmp_path / "a"), *args).returncode == 0
    assert cli("sample", "--out", str(tmp_path / "b"), *args).returncode == 0
    names = ["transactions.csv", "survey.csv", "customers.csv", "truth.json"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    other = tmp_path / "c"
    assert (
        cli(
            "sample", "--out", str(other), "--profile", "pl_retail", "--customers", "300", "--seed", "12"
        ).returncode
        == 0
    )
    assert (other / "transactions.csv").read_bytes() != (tmp_path / "a" / "transactions.csv").read_bytes()


def test_committed_samples_are_what_the_cli_regenerates(tmp_path):
    for profile in ("nl_webshop", "pl_retail", "en_b2b"):
        out = tmp_path / profile
        proc = cli("sample", "--out", str(out), "--profile", profile, "--seed", "7")
        assert proc.returncode == 0, proc.stderr
        for name in ("transactions.csv", "survey.csv", "customers.csv", "truth.json"):
            assert (out / name).read_bytes() == (ROOT / "sample_data" / profile / name).read_bytes(), (
                profile,
                name,
            )


def test_sample_into_a_place_it_cannot_write_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("a file where the folder should go")
    result = cli("sample", "--out", str(blocker), "--customers", "10")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert str(blocker) in lines[0] and "cannot write" in lines[0]
