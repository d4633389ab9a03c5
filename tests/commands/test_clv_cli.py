"""``python -m loyalty clv``: the published CDNOW fit, the holdout check, and bad input."""

from __future__ import annotations

import pytest

from loyalty.clv import TIME_UNITS, units_per_year
from loyalty.commands import clv as command

from ..conftest import ROOT

CDNOW = str(ROOT / "sample_data" / "cdnow" / "transactions.csv")
# Fader, Hardie & Lee (2005) and Fader & Hardie (2013), REFERENCE.md §4.
BG_NBD = {"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259, "log_likelihood": -9582.4}
GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@pytest.fixture(scope="module")
def cdnow_run():
    # Module-scoped, so capsys is not available: capture by redirecting stdout.
    import contextlib
    import io
    import json

    from loyalty.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(
            [
                "clv",
                "--transactions",
                CDNOW,
                "--calibration-end",
                "1997-09-30",
                "--time-unit",
                "week",
                "--json",
            ]
        )
    assert code == 0
    return json.loads(buffer.getvalue())


@pytest.mark.parametrize("name", list(BG_NBD))
def test_cdnow_bg_nbd_matches_the_published_fit(cdnow_run, name):
    assert cdnow_run["bg_nbd"][name] == pytest.approx(BG_NBD[name], rel=0.01)


@pytest.mark.parametrize("name", list(GAMMA_GAMMA))
def test_cdnow_gamma_gamma_matches_the_published_fit(cdnow_run, name):
    assert cdnow_run["gamma_gamma"][name] == pytest.approx(GAMMA_GAMMA[name], rel=0.01)


def test_cdnow_counts_holdout_and_clv(cdnow_run):
    out = cdnow_run
    assert (out["customers"], out["repeaters"]) == (2357, 946)
    assert out["model_status"] == "ok" and out["time_unit"] == "week" and out["horizon"] == 52
    assert (out["calibration_end"], out["observation_end"]) == ("1997-09-30", "1998-06-30")
    holdout = out["holdout"]
    # Repeat purchase days of the 2,357 customers in the 39 holdout weeks: counted, and forecast.
    assert holdout["actual"] == 1882
    assert holdout["predicted"] == pytest.approx(
        sum(g["n_customers"] * g["predicted"] for g in holdout["by_frequency"])
    )
    assert 0.8 < holdout["predicted"] / holdout["actual"] < 1.0
    assert out["predicted_clv_mean"] > 0 and 0 < out["p_alive_mean"] < 1
    assert out["predicted_clv_total"] == pytest.approx(out["predicted_clv_mean"] * 2357)
    assert out["spend_frequency_correlation"]["n"] == 946
    assert out["data"]["transactions"]["customers"] == 2357


def test_a_longer_horizon_and_a_month_unit(run_cli):
    run = run_cli(
        "clv", "--transactions", CDNOW, "--time-unit", "month", "--horizon", "24", "--discount-rate", "0"
    )
    assert run.code == 0, run.err
    out = run.out
    assert out["holdout"] is None and out["calibration_end"] == out["observation_end"] == "1998-06-30"
    assert (out["time_unit"], out["horizon"], out["discount_rate"]) == ("month", 24, 0)
    # The same fit in weeks over one year (the default horizon) forecasts fewer purchases.
    weeks = run_cli("clv", "--transactions", CDNOW)
    assert (
        weeks.out["horizon"] == 52 and weeks.out["expected_purchases_mean"] < out["expected_purchases_mean"]
    )
    assert command.TIME_UNITS == TIME_UNITS
    assert {u: round(units_per_year(u)) for u in TIME_UNITS} == command.ONE_YEAR


def test_data_the_model_cannot_use_is_reported_not_an_error(run_cli, tmp_path):
    path = tmp_path / "few.csv"
    path.write_text(
        "customer_id,date,amount\nA,2024-01-01,10\nA,2024-02-01,12\nB,2024-01-05,30\n", encoding="utf-8"
    )
    run = run_cli("clv", "--transactions", str(path))
    assert run.code == 0, run.err
    out = run.out
    assert out["model_status"] == "too_few_customers" and "customers" in out["message"]
    assert out["bg_nbd"] is None and out["gamma_gamma"] is None and out["predicted_clv_mean"] is None
    assert (out["customers"], out["repeaters"]) == (2, 1)


@pytest.mark.parametrize(
    "extra, needle",
    [
        (["--time-unit", "year"], "invalid choice"),
        (["--horizon", "-5"], "horizon"),
        (["--horizon", "abc"], "abc"),
        (["--discount-rate", "-1.5"], "discount"),
        (["--calibration-end", "soon"], "soon"),
        (["--calibration-end", "1990-01-01"], "1990-01-01"),
        (["--map", "amount=nope"], "nope"),
    ],
)
def test_bad_options_exit_2_with_one_line(run_cli, extra, needle):
    run = run_cli("clv", "--transactions", CDNOW, *extra)
    assert run.code == 2
    assert run.err.count("\n") == 1 and run.err.startswith("error: ") and needle in run.err


def test_missing_file_exits_2(run_cli, tmp_path):
    run = run_cli("clv", "--transactions", str(tmp_path / "nope.csv"))
    assert run.code == 2 and run.err.count("\n") == 1
