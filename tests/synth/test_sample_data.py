"""The committed sample_data folders are exactly what the generator writes now."""

from __future__ import annotations

import re

import pytest

from loyalty.synth import PROFILES, write_sample

from ..conftest import ROOT

FILES = ("transactions.csv", "survey.csv", "customers.csv", "truth.json")
MIN_SURVEY = {"nl_webshop": 400, "pl_retail": 400, "en_b2b": 200}


@pytest.mark.parametrize("profile", list(PROFILES))
def test_committed_folder_is_reproduced_byte_for_byte(profile, tmp_path):
    write_sample(tmp_path, profile, seed=7)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (ROOT / "sample_data" / profile / name).read_bytes(), name


@pytest.mark.parametrize("profile", list(PROFILES))
def test_committed_folder_is_small_but_large_enough_to_analyse(profile):
    folder = ROOT / "sample_data" / profile
    assert sum((folder / name).stat().st_size for name in FILES) < 2_000_000
    survey_rows = (folder / "survey.csv").read_text(encoding="utf-8").count(
        "\n"
    ) - 1  # no newlines in comments
    assert survey_rows >= MIN_SURVEY[profile]


@pytest.mark.parametrize("profile", list(PROFILES))
def test_csv_format_is_plain_utf8_with_iso_dates_and_two_decimals(profile):
    folder = ROOT / "sample_data" / profile
    tx = (folder / "transactions.csv").read_bytes()
    assert b"\r" not in tx and tx.endswith(b"\n")
    rows = tx.decode("utf-8").splitlines()[1:]
    assert all(
        re.fullmatch(r"[^,]+,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},-?\d+\.\d{2},[^,]+(,[^,]+)+", r)
        for r in rows
    )
    survey = (folder / "survey.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert all(re.match(r"[^,]*,\d{4}-\d{2}-\d{2},", r) for r in survey)
    customers = (folder / "customers.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert all(re.match(r"[^,]+,\d{4}-\d{2}-\d{2},", r) for r in customers)
