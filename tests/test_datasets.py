"""The sample registry points at real files and every sample loads through ingestion."""

from __future__ import annotations

import pytest

from loyalty.datasets import DEFAULT_SAMPLE_FOR_LANG, get_sample, load_sample, load_truth, samples
from loyalty.errors import InputError
from loyalty.i18n import LANGS


def test_every_registered_file_exists_and_is_small():
    for sample in samples().values():
        for path in sample.files.values():
            assert path.exists(), path
        assert sum(p.stat().st_size for p in sample.files.values()) < 2_000_000


def test_each_language_has_a_default_sample():
    assert set(DEFAULT_SAMPLE_FOR_LANG) == set(LANGS)
    assert all(name in samples() for name in DEFAULT_SAMPLE_FOR_LANG.values())


@pytest.mark.parametrize("name", ["nl_webshop", "pl_retail", "en_b2b"])
def test_synthetic_samples_load_and_carry_their_truth(name):
    loaded = load_sample(name)
    assert set(loaded) == {"transactions", "survey", "customers"}
    assert loaded["survey"].scales["recommend"] == (0, 10)
    # The customers file has fake names and e-mails: ingestion must drop them.
    assert loaded["customers"].dropped_columns
    assert load_truth(name) is not None and get_sample(name).synthetic


def test_cdnow_is_real_data_without_truth():
    loaded = load_sample("cdnow")
    summary = loaded["transactions"].summary()
    assert summary["customers"] == 2357
    assert summary["revenue"] == pytest.approx(244091.94) and summary["rows"]["read"] == 6919
    assert load_truth("cdnow") is None and not get_sample("cdnow").synthetic


def test_unknown_sample_is_a_clear_input_error():
    with pytest.raises(InputError) as err:
        get_sample("nope")
    assert "nope" in err.value.message("en") and "cdnow" in err.value.message("en")
