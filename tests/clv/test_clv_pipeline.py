"""fit_clv: the one call of the app and CLI. Never raises for data problems."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from loyalty.clv import ModelStatus, fit_clv
from loyalty.errors import InputError
from loyalty.i18n import LANGS, has_key, t
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE

from .conftest import CALIBRATION_END
from .simulate import steady_weekly_buyers


@pytest.fixture(scope="module")
def cdnow_result(cdnow):
    return fit_clv(cdnow, calibration_end=CALIBRATION_END, time_unit="week", horizon=52)


def _assert_graceful(result, status):
    assert result.status is status
    for lang in LANGS:
        text = result.message(lang)
        assert text and "{" not in text  # every placeholder filled
    json.dumps(result.to_dict())


def test_cdnow_end_to_end(cdnow_result):
    res = cdnow_result
    _assert_graceful(res, ModelStatus.OK)
    assert res.bgnbd.r == pytest.approx(0.243, rel=0.01)
    assert res.gg.p == pytest.approx(6.25, rel=0.01)
    assert res.holdout is not None and res.holdout.cumulative is not None
    assert res.predictions.shape == (2357, 4)
    assert res.predictions["clv"].notna().all() and (res.predictions["clv"] >= 0).all()
    r, _, n = res.correlation
    assert n == 946 and abs(r) < 0.3
    assert res.options["calibration_end"] == pd.Timestamp(CALIBRATION_END)
    assert res.options["observation_end"] == pd.Timestamp("1998-06-30")


def test_all_single_purchase_customers():
    tx = pd.DataFrame(
        {
            CUSTOMER_ID: [f"c{i}" for i in range(100)],
            DATE: pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(100), unit="D"),
            AMOUNT: 10.0,
        }
    )
    res = fit_clv(tx)
    _assert_graceful(res, ModelStatus.TOO_FEW_REPEATERS)
    assert res.bgnbd is None and res.predictions is None
    assert "0" in res.message("en")


def test_three_customers():
    tx = pd.DataFrame(
        {
            CUSTOMER_ID: ["a", "a", "b", "c", "c", "c"],
            DATE: pd.to_datetime(
                ["2024-01-01", "2024-02-01", "2024-01-05", "2024-01-02", "2024-03-01", "2024-04-01"]
            ),
            AMOUNT: [5.0, 6, 7, 8, 9, 10],
        }
    )
    res = fit_clv(tx)
    _assert_graceful(res, ModelStatus.TOO_FEW_CUSTOMERS)
    assert "3" in res.message("pl")


def test_customers_who_never_stop_buying():
    res = fit_clv(steady_weekly_buyers(), time_unit="week")
    _assert_graceful(res, ModelStatus.NO_DROPOUT_PATTERN)
    assert res.bgnbd is not None and res.bgnbd.probability_of_dropout() < 1e-3
    assert res.predictions is None


def test_empty_and_unusable_data():
    empty = pd.DataFrame(
        {
            CUSTOMER_ID: pd.Series([], dtype=str),
            DATE: pd.Series([], dtype="datetime64[ns]"),
            AMOUNT: pd.Series([], dtype=float),
        }
    )
    _assert_graceful(fit_clv(empty), ModelStatus.NO_DATA)
    missing = fit_clv(empty.drop(columns=[AMOUNT]))
    assert missing.status is ModelStatus.NO_DATA and missing.message_key == "clv.error.missing_columns"
    assert AMOUNT in missing.message("nl")


def test_calibration_before_any_purchase(cdnow):
    _assert_graceful(fit_clv(cdnow, calibration_end="1990-01-01"), ModelStatus.NO_DATA)


def test_spend_model_failure_keeps_the_purchase_model(cdnow):
    res = fit_clv(cdnow.assign(**{AMOUNT: 0.0}), calibration_end=CALIBRATION_END)
    _assert_graceful(res, ModelStatus.GAMMA_GAMMA_FAILED)
    assert res.status.has_purchase_model and not res.status.has_clv
    assert res.predictions["p_alive"].notna().all() and res.predictions["clv"].isna().all()


def test_spend_that_depends_on_frequency_is_flagged(cdnow):
    # Give every occasion an amount that grows with the customer's number of occasions.
    days = cdnow.assign(day=cdnow[DATE].dt.normalize()).drop_duplicates([CUSTOMER_ID, "day"])
    occasions = days.groupby(CUSTOMER_ID)[DATE].transform("size")
    rng = np.random.default_rng(0)
    tx = days.assign(**{AMOUNT: 5.0 * occasions + rng.gamma(5, 1, len(days))}).drop(columns="day")
    res = fit_clv(tx, calibration_end=CALIBRATION_END)
    _assert_graceful(res, ModelStatus.SPEND_FREQUENCY_CORRELATED)
    assert res.status.has_clv and res.predictions["clv"].notna().all()
    assert res.correlation[0] > 0.3
    assert "0,30" in res.message("nl") and "0.30" in res.message("en")  # numbers written per language


def test_invalid_options_raise_input_errors(cdnow):
    with pytest.raises(InputError):
        fit_clv(cdnow, horizon=0)
    with pytest.raises(InputError):
        fit_clv(cdnow, time_unit="fortnight")
    with pytest.raises(InputError):
        fit_clv(cdnow, margin=-1)
    with pytest.raises(InputError):
        fit_clv(cdnow, calibration_end="not a date")


def test_every_status_has_a_message_in_every_language():
    for status in ModelStatus:
        assert has_key(status.message_key)
        for lang in LANGS:
            assert t(status.message_key, lang).strip()
    assert ModelStatus.OK.level == "success"
    assert ModelStatus.SPEND_FREQUENCY_CORRELATED.level == "warning"
    assert ModelStatus.NO_DROPOUT_PATTERN.level == "error"


def test_failed_purchase_fit_is_a_status_not_an_exception(cdnow, monkeypatch):
    import loyalty.clv.pipeline as pipeline

    def explode(*args, **kwargs):
        raise FloatingPointError("overflow")

    monkeypatch.setattr(pipeline, "fit_bgnbd", explode)
    _assert_graceful(fit_clv(cdnow), ModelStatus.NOT_CONVERGED)


def test_unconverged_purchase_fit_is_reported(cdnow, monkeypatch):
    import dataclasses

    import loyalty.clv.pipeline as pipeline

    real = pipeline.fit_bgnbd
    monkeypatch.setattr(
        pipeline, "fit_bgnbd", lambda *a, **k: dataclasses.replace(real(*a, **k), converged=False)
    )
    res = fit_clv(cdnow)
    _assert_graceful(res, ModelStatus.NOT_CONVERGED)
    assert res.bgnbd is not None and res.predictions is None
