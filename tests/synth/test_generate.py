"""API, determinism and table layout of the synthetic sample generator."""

from __future__ import annotations

import json

import numpy as np
import pytest

from loyalty.schema import (
    AMOUNT,
    BUSINESS_TYPE,
    COMMENT,
    COUNTRY,
    CUSTOMER_ID,
    DATE,
    DRIVERS,
    ORDER_ID,
    RECOMMEND,
    REPURCHASE_INTENT,
    SEGMENT,
    SIGNUP_DATE,
    TRUST,
)
from loyalty.synth import PROFILES, generate, write_sample

SEGMENTS = {"nl_webshop": ["channel"], "pl_retail": ["store", "region"], "en_b2b": ["tier", "industry"]}


def _bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_profiles_are_the_three_documented_ones():
    assert list(PROFILES) == ["nl_webshop", "pl_retail", "en_b2b"]
    assert [PROFILES[p]["business_type"] for p in PROFILES] == ["B2C", "B2C", "B2B"]
    assert [PROFILES[p]["currency"] for p in PROFILES] == ["EUR", "PLN", "USD"]


def test_same_arguments_give_byte_identical_files(tmp_path):
    a = write_sample(tmp_path / "a", "pl_retail", customers=300, seed=11, locale="pl")
    write_sample(tmp_path / "b", "pl_retail", customers=300, seed=11, locale="pl")
    assert sorted(p.name for p in a.values()) == [
        "customers.csv",
        "survey.csv",
        "transactions.csv",
        "truth.json",
    ]
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")


def test_a_different_seed_gives_different_files(tmp_path):
    write_sample(tmp_path / "a", "nl_webshop", customers=300, seed=11)
    write_sample(tmp_path / "b", "nl_webshop", customers=300, seed=12)
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert all(a[name] != b[name] for name in a)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_tables_use_the_canonical_columns(profile):
    s = generate(profile, customers=200, seed=3)
    segs = SEGMENTS[profile]
    assert list(s.transactions.columns) == [CUSTOMER_ID, DATE, AMOUNT, ORDER_ID, *segs]
    rated = [RECOMMEND, TRUST, *DRIVERS, REPURCHASE_INTENT]
    assert list(s.survey.columns) == [CUSTOMER_ID, DATE, *rated, COMMENT, *segs]
    extra = (["company"] if profile == "en_b2b" else []) + ["name", "email"]
    assert list(s.customers.columns) == [
        CUSTOMER_ID,
        SIGNUP_DATE,
        SEGMENT,
        BUSINESS_TYPE,
        COUNTRY,
        *segs[1:],
        *extra,
    ]
    assert s.customers[CUSTOMER_ID].is_unique and s.customers["email"].is_unique
    assert set(s.transactions[CUSTOMER_ID]) == set(s.customers[CUSTOMER_ID])  # every customer bought
    assert s.transactions[DATE].is_monotonic_increasing and s.survey[DATE].is_monotonic_increasing


@pytest.mark.parametrize("profile", list(PROFILES))
def test_rating_scales_differ_by_profile_and_recommend_is_0_to_10(profile):
    s = generate(profile, customers=3000, seed=5)
    low, high = PROFILES[profile]["scale"]["min"], PROFILES[profile]["scale"]["max"]
    items = s.survey[[TRUST, *DRIVERS, REPURCHASE_INTENT]]
    assert (items.max() == high).all() and (items.min() >= low).all()
    assert items.min().min() == low
    assert s.survey[RECOMMEND].min() == 0 and s.survey[RECOMMEND].max() == 10


def test_locale_changes_only_comments_and_names():
    base, polish = generate("nl_webshop", customers=400), generate("nl_webshop", customers=400, locale="pl")
    assert base.transactions.equals(polish.transactions)
    assert base.survey.drop(columns=COMMENT).equals(polish.survey.drop(columns=COMMENT))
    assert polish.truth["faker_locale"] == "pl_PL" and polish.truth["language"] == "pl"
    assert polish.survey[COMMENT].dropna().str.contains("ą|ę|ł|ó|ś|ż|ź|ć|ń", regex=True).mean() > 0.5
    assert not base.customers["name"].equals(polish.customers["name"])


def test_truth_is_json_serialisable_and_describes_both_coefficient_scales():
    truth = generate("en_b2b", customers=50).truth
    assert json.loads(json.dumps(truth, sort_keys=True)) == truth
    assert set(truth["trust"]) == {"latent", "observed", "discretisation"}
    assert truth["trust"]["observed"]["n_population"] == 200_000
    assert truth["trust"]["latent"]["coefficients"] == PROFILES["en_b2b"]["drivers"]["coefficients"]
    assert len(truth["per_customer"]["customer_id"]) == 50


def test_profiles_rank_drivers_differently_with_a_clear_top_and_near_ties():
    def betas(p):
        return sorted(PROFILES[p]["drivers"]["coefficients"].values(), reverse=True)

    tops = {
        p: max(PROFILES[p]["drivers"]["coefficients"], key=PROFILES[p]["drivers"]["coefficients"].get)
        for p in PROFILES
    }
    assert len(set(tops.values())) == 3
    assert betas("pl_retail")[0] - betas("pl_retail")[1] >= 0.2  # clear top driver
    assert betas("en_b2b")[0] - betas("en_b2b")[2] <= 0.03  # three near-tied drivers


@pytest.mark.parametrize("bad", [{"customers": 0}, {"customers": 2.5}, {"seed": -1}, {"locale": "de"}])
def test_bad_arguments_are_rejected(bad):
    with pytest.raises(ValueError):
        generate("nl_webshop", **bad)


def test_unknown_profile_is_rejected():
    with pytest.raises(ValueError, match="nl_webshop"):
        generate("de_shop")


def test_tiny_samples_still_work():
    s = generate("en_b2b", customers=1, seed=1)
    assert len(s.customers) == 1 and len(s.transactions) >= 1
    assert np.isfinite(s.truth["realised"]["share_alive_at_end"])
