"""``python -m loyalty report``: writes the file named by --out, prints its path; bad input exits 2."""

from __future__ import annotations

import json

import pytest

from loyalty.cli import main

from .conftest import SAMPLE


def test_report_writes_the_file_and_prints_its_path(tmp_path, capsys):
    out = tmp_path / "rapport.html"
    code = main(
        [
            "report",
            "--transactions",
            str(SAMPLE / "transactions.csv"),
            "--survey",
            str(SAMPLE / "survey.csv"),
            "--strategies",
            "crm,trust_marks",
            "--lang",
            "nl",
            "--bootstrap",
            "20",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {"out": str(out), "format": "html"}
    html = out.read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "CRM" in html


def test_report_xlsx_from_transactions_only(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert (
        main(
            [
                "report",
                "--transactions",
                str(SAMPLE / "transactions.csv"),
                "--bootstrap",
                "0",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_bytes()[:2] == b"PK"
    assert json.loads(capsys.readouterr().out)["format"] == "xlsx"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "r.docx"], "report format"),
        (["--strategies", "nope", "--out", "r.html"], "Unknown strategy: nope"),
        (["--lang", "de", "--out", "r.html"], "invalid choice"),
        (["--map", "broken", "--out", "r.html"], ""),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, extra, message):
    args = ["report", "--transactions", str(SAMPLE / "transactions.csv"), *extra]
    args = [str(tmp_path / a) if a.startswith("r.") else a for a in args]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
    assert not list(tmp_path.iterdir())  # nothing written


def test_missing_input_file_exits_2(tmp_path, capsys):
    assert (
        main(["report", "--transactions", str(tmp_path / "none.csv"), "--out", str(tmp_path / "r.pdf")]) == 2
    )
    assert capsys.readouterr().err.count("\n") == 1
