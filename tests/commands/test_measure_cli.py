"""``python -m loyalty measure``: the JSON keys and values on a small hand-computed log, and bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from loyalty.commands import measure as command
from loyalty.kpi.periods import PERIODS

from ..conftest import ROOT

# The log of tests/test_measure.py, as an export. By hand: 5 customers, 10 purchase rows,
# net revenue 445 (a refund of 10), repeat buyers A, B, E; 2024Q2 vs 2024Q1: S = 3, E = 4,
# N = 1, active in both = 2.
TRANSACTIONS = """customer_id,date,amount
A,2024-01-10,100
A,2024-01-10,50
A,2024-04-05,30
B,2024-02-01,20
B,2024-05-01,40
B,2024-05-20,-10
B,2024-06-10,15
C,2024-03-15,60
D,2024-06-30,80
E,2023-12-01,25
E,2024-05-05,35
"""
# Promoters 5, passives 2, detractors 3 of 10 -> NPS 20; service ratings mean 3.5 on 1-5.
SURVEY = """customer_id,date,recommend,trust,service
A,2024-02-10,10,5,5
B,2024-02-10,9,4,5
C,2024-02-10,8,4,4
A,2024-02-10,3,2,1
B,2024-05-10,10,5,4
D,2024-05-10,10,5,5
E,2024-05-10,9,4,5
A,2024-05-10,7,3,3
C,2024-05-10,6,2,2
D,2024-05-10,0,1,1
"""


@pytest.fixture
def files(tmp_path):
    tx, sv = tmp_path / "orders.csv", tmp_path / "answers.csv"
    tx.write_text(TRANSACTIONS, encoding="utf-8")
    sv.write_text(SURVEY, encoding="utf-8")
    return str(tx), str(sv)


def test_measure_prints_every_kpi_with_hand_computed_values(run_cli, files):
    tx, sv = files
    run = run_cli("measure", "--transactions", tx, "--survey", sv, "--json")
    assert run.code == 0, run.err
    out = run.out
    nps = out["nps"]
    assert {k: nps[k] for k in ("value", "n", "promoters", "passives", "detractors")} == {
        "value": pytest.approx(20),
        "n": 10,
        "promoters": 5,
        "passives": 2,
        "detractors": 3,
    }
    # Adjusted Wald by hand: n' = 13, p = 5.75/13, d = 3.75/13 -> 15.38 ± 45.71.
    assert nps["ci95"] == pytest.approx([-30.33, 61.10], abs=0.01)
    retention = out["retention_rate"]
    assert retention["value"] == pytest.approx(1.0) and retention["value_both_periods"] == pytest.approx(
        2 / 3
    )
    assert (retention["period"], retention["previous_period"]) == ("2024Q2", "2024Q1")
    repeat = out["repeat_purchase_rate"]
    assert (repeat["value"], repeat["customers"], repeat["repeat_customers"]) == (pytest.approx(0.6), 5, 3)
    assert out["purchase_frequency"] == pytest.approx(2.0) and out["aov"] == pytest.approx(44.5)
    clv = out["clv"]
    assert clv["historical_mean"] == pytest.approx(89) and clv["predicted_mean"] is None
    assert (clv["horizon"], clv["time_unit"], clv["model_status"]) == (52, "week", "too_few_customers")
    feedback = out["feedback"]
    assert feedback["responses"] == 10 and feedback["driver_means"] == {"service": pytest.approx(3.5)}
    assert feedback["themes"] == {}  # no comment column
    assert out["data"]["transactions"]["revenue"] == pytest.approx(445)
    assert out["data"]["transactions"]["rows"]["used"] == 11
    assert out["data"]["survey"]["responses"] == 10 and out["data"]["survey"]["scales"]["service"] == [1, 5]


def test_comment_themes_are_counted_with_their_nps_impact(run_cli, files, tmp_path):
    tx, _ = files
    lines = SURVEY.strip().splitlines()
    comments = [
        "The delivery was slow",
        "",
        "",
        "Slow delivery again",
        "",
        "",
        "",
        "",
        "",
        "Delivery took weeks",
    ]
    survey = tmp_path / "comments.csv"
    survey.write_text(
        "\n".join(
            [lines[0] + ",comment"] + [f"{row},{c}" for row, c in zip(lines[1:], comments, strict=True)]
        ),
        encoding="utf-8",
    )
    run = run_cli("measure", "--transactions", tx, "--survey", str(survey))
    assert run.code == 0, run.err
    delivery = run.out["feedback"]["themes"]["delivery"]
    # Mentioned by the answers 10, 3 and 0: the other seven (9, 8, 10, 10, 9, 7, 6: P 4, D 1) have NPS
    # 300/7; all ten have 20.
    assert delivery["count"] == 3 and delivery["nps_impact"] == pytest.approx(20 - 300 / 7)


def test_period_and_as_of_move_the_comparison(run_cli, files):
    tx, _ = files
    run = run_cli("measure", "--transactions", tx, "--period", "month", "--as-of", "2024-05-31")
    assert run.code == 0, run.err
    out = run.out
    assert out["nps"] is None and out["missing"]["nps"]["needs"] == "survey"
    assert (out["retention_rate"]["period"], out["retention_rate"]["previous_period"]) == (
        "2024-05",
        "2024-04",
    )
    # Nothing after 2024-05-31: D (2024-06-30) and B's 2024-06-10 purchase are out.
    assert out["repeat_purchase_rate"]["customers"] == 4
    assert out["data"]["transactions"]["rows"]["used"] == 11  # the inspect summary describes the file


def test_map_renames_columns_and_can_target_one_file(run_cli, tmp_path):
    tx = tmp_path / "tx.csv"
    tx.write_text(TRANSACTIONS.replace("customer_id,date,amount", "who,when,paid"), encoding="utf-8")
    sv = tmp_path / "sv.csv"
    sv.write_text(SURVEY.replace("customer_id,date,", "client,answered,"), encoding="utf-8")
    run = run_cli(
        "measure",
        "--transactions",
        str(tx),
        "--survey",
        str(sv),
        "--map",
        "transactions.customer_id=who",
        "--map",
        "transactions.date=when",
        "--map",
        "amount=paid",
        "--map",
        "survey.date=answered",
        "--map",
        "survey.customer_id=client",
    )
    assert run.code == 0, run.err
    assert run.out["data"]["transactions"]["mapping"]["amount"] == "paid"
    assert run.out["data"]["survey"]["mapping"]["date"] == "answered"
    assert run.out["repeat_purchase_rate"]["repeat_customers"] == 3 and run.out["nps"]["n"] == 10


def test_map_options_are_split_over_the_files():
    maps = command.mappings(
        ["date=Datum", "survey.date=Antwoord", "amount=Bedrag"], ["transactions", "survey"]
    )
    assert maps == {"transactions": {"date": "Datum", "amount": "Bedrag"}, "survey": {"date": "Antwoord"}}
    assert command.mappings(["nonsense=x"], ["transactions"]) == {"transactions": {"nonsense": "x"}}
    assert command.PERIODS == PERIODS


@pytest.mark.parametrize(
    "extra, needle",
    [
        (["--period", "week"], "invalid choice"),
        (["--as-of", "yesterday"], "yesterday"),
        (["--as-of", "2020-01-01"], "empty"),
        (["--map", "no-equals-sign"], "no-equals-sign"),
        (["--map", "colour=amount"], "colour"),
        (["--map", "amount=Bedrag"], "Bedrag"),
    ],
)
def test_bad_options_exit_2_with_one_line(run_cli, files, extra, needle):
    tx, _ = files
    run = run_cli("measure", "--transactions", tx, *extra)
    assert run.code == 2
    assert run.err.count("\n") == 1 and run.err.startswith("error: ") and needle in run.err


def test_unusable_files_exit_2_with_one_line(run_cli, files, tmp_path):
    tx, sv = files
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for args in (
        ["--transactions", str(tmp_path / "missing.csv")],
        ["--transactions", sv],  # a survey has no amounts
        ["--transactions", tx, "--survey", str(empty)],
        ["--survey", sv],  # --transactions is required
    ):
        run = run_cli("measure", *args)
        assert run.code == 2, args
        assert run.err.count("\n") == 1 and run.err.startswith("error: "), args


def test_the_real_entry_point_exits_2_on_bad_input(files):
    tx, _ = files
    proc = subprocess.run(
        [sys.executable, "-m", "loyalty", "measure", "--transactions", tx, "--as-of", "someday", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "someday" in proc.stderr


def test_as_of_after_the_data_is_measured_up_to_the_last_day_with_a_note(run_cli, files):
    tx, _ = files
    run = run_cli("measure", "--transactions", tx, "--as-of", "2030-01-01")
    assert run.code == 0, run.err
    assert run.out["window"]["end"] == "2024-06-30"  # D's purchase is the last row
    assert run.err.count("\n") == 1 and run.err.startswith("note: ")
    assert "2030-01-01" in run.err and "2024-06-30" in run.err
    # Inside the data: no note.
    assert run_cli("measure", "--transactions", tx, "--as-of", "2024-05-31").err == ""


def test_retention_gives_each_rate_its_own_interval(run_cli, files):
    tx, _ = files
    retention = run_cli("measure", "--transactions", tx).out["retention_rate"]
    # E came back after a gap: E - N = 3 > active in both = 2, so (E - N)/S = 1 is no proportion of S.
    assert retention["ci95"] is None and retention["exceeds_one"] is False
    lo, hi = retention["ci95_both_periods"]
    assert lo < 2 / 3 < hi
