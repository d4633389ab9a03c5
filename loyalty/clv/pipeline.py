"""One call from transactions to predictive CLV, with a status instead of exceptions.

:func:`fit_clv` is what the app and the CLI use. Data problems (too few
customers, no repeat buyers, no drop-out pattern, a failed fit) come back as a
:class:`~loyalty.clv.status.ModelStatus` with a translatable message; only
invalid options (a negative horizon, an unknown unit) raise ``InputError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from loyalty.clv.bgnbd import BGNBDFit, fit_bgnbd
from loyalty.clv.gamma_gamma import GammaGammaFit, fit_gamma_gamma, spend_frequency_correlation
from loyalty.clv.holdout import HoldoutCheck, holdout_check
from loyalty.clv.predict import predict_clv
from loyalty.clv.settings import settings
from loyalty.clv.status import ModelStatus
from loyalty.clv.summary import ATTRS_KEY, summary_data_from_transactions
from loyalty.clv.units import TIME_UNITS, TimeUnit
from loyalty.errors import InputError
from loyalty.i18n import format_number, t

# Numerical failures a hostile data set can provoke inside scipy/numpy.
_NUMERIC_ERRORS = (ValueError, ArithmeticError, np.linalg.LinAlgError)


@dataclass
class ClvResult:
    """Everything :func:`fit_clv` found out, usable or not.

    Parameters
    ----------
    status : ModelStatus
        Outcome code; ``status.has_clv`` says whether ``predictions['clv']`` is filled.
    message_key : str
        Catalog key of the status message.
    message_params : dict
        Values for the message's placeholders.
    summary : pd.DataFrame or None
        Per-customer frequency/recency/T/monetary value (calibration window).
    bgnbd, gg : fits or None
        The purchase and spend models, when they were fitted.
    predictions : pd.DataFrame or None
        ``p_alive``, ``expected_purchases``, ``expected_spend``, ``clv`` per customer.
    holdout : HoldoutCheck or None
        Predicted vs actual, when a holdout window was given.
    correlation : tuple or None
        (Pearson r, p-value, n) of frequency and mean spend among repeaters.
    options : dict
        time_unit, horizon, annual_discount_rate, margin, calibration_end, observation_end.
    """

    status: ModelStatus
    message_key: str
    message_params: dict[str, Any] = field(default_factory=dict)
    summary: pd.DataFrame | None = None
    bgnbd: BGNBDFit | None = None
    gg: GammaGammaFit | None = None
    predictions: pd.DataFrame | None = None
    holdout: HoldoutCheck | None = None
    correlation: tuple[float, float, int] | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """Return the status message in ``lang``, numbers written the language's way (0,35 in nl/pl)."""
        params = {k: _localised(v, lang) for k, v in self.message_params.items()}
        return t(self.message_key, lang, **params)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready headline values (no per-customer rows)."""
        out: dict[str, Any] = {
            "status": self.status.value,
            "message": self.message("en"),
            "bgnbd": self.bgnbd.to_dict() if self.bgnbd else None,
            "gamma_gamma": self.gg.to_dict() if self.gg else None,
            "holdout": self.holdout.to_dict() if self.holdout else None,
            "correlation": None,
            "options": {
                k: (str(v.date()) if isinstance(v, pd.Timestamp) else v) for k, v in self.options.items()
            },
        }
        if self.correlation:
            r, p, n = self.correlation
            out["correlation"] = {"r": _finite(r), "p_value": _finite(p), "n": n}
        if self.predictions is not None:
            clv = self.predictions["clv"]
            out["n_customers"] = int(len(self.predictions))
            out["total_clv"] = _finite(clv.sum(min_count=1))
            out["mean_clv"] = _finite(clv.mean())
            out["mean_p_alive"] = _finite(self.predictions["p_alive"].mean())
        return out


def _localised(value: Any, lang: str) -> Any:
    """Format numbers for a message: ints with thousands separators, floats with two decimals."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return value
    is_int = isinstance(value, (int, np.integer))
    return format_number(float(value), lang, 0 if is_int else 2)


def _finite(value: float) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def _validate_options(time_unit: str, horizon: float, annual_discount_rate: float, margin: float) -> None:
    """Raise InputError for options no data could make sense of."""
    if time_unit not in TIME_UNITS:
        raise InputError("clv.error.time_unit", value=time_unit, allowed=", ".join(TIME_UNITS))
    if not np.isfinite(horizon) or horizon <= 0:
        raise InputError("clv.error.horizon", value=horizon)
    if not np.isfinite(annual_discount_rate) or annual_discount_rate <= -1:
        raise InputError("clv.error.discount_rate", value=annual_discount_rate)
    if not np.isfinite(margin) or margin < 0:
        raise InputError("clv.error.margin", value=margin)


def _result(status: ModelStatus, **kwargs: Any) -> ClvResult:
    params = kwargs.pop("params", {})
    return ClvResult(status=status, message_key=status.message_key, message_params=params, **kwargs)


def _data_check(summary: pd.DataFrame) -> tuple[ModelStatus | None, dict[str, Any]]:
    """Return a failing status (or None) from customer and repeater counts alone."""
    cfg = settings()
    n = int(len(summary))
    repeaters = int((summary["frequency"] > 0).sum())
    params = {
        "n_customers": n,
        "n_repeaters": repeaters,
        "min_customers": cfg["min_customers"],
        "min_repeaters": cfg["min_repeaters"],
        "min_share": round(100 * cfg["min_repeater_share"]),
    }
    if n == 0:
        return ModelStatus.NO_DATA, params
    if n < cfg["min_customers"]:
        return ModelStatus.TOO_FEW_CUSTOMERS, params
    if repeaters < cfg["min_repeaters"] or repeaters < cfg["min_repeater_share"] * n:
        return ModelStatus.TOO_FEW_REPEATERS, params
    return None, params


def has_no_dropout(bgnbd: BGNBDFit, summary: pd.DataFrame) -> bool:
    """True when the fit says nobody ever leaves (a → 0 or b → ∞): the lifetime part is not identified.

    Parameters
    ----------
    bgnbd : BGNBDFit
        A converged fit.
    summary : pd.DataFrame
        The summary it was fitted on.

    Returns
    -------
    bool
        Mean drop-out probability a/(a+b) below the threshold, or P(alive)
        near 1 for every repeat customer.
    """
    cfg = settings()
    if bgnbd.probability_of_dropout() < cfg["no_dropout_max_dropout_probability"]:
        return True
    repeat = summary[summary["frequency"] > 0]
    p_alive = bgnbd.p_alive(repeat["frequency"], repeat["recency"], repeat["T"])
    return bool(p_alive.size and np.min(p_alive) >= cfg["no_dropout_min_p_alive"])


def _fit_purchases(
    summary: pd.DataFrame, time_unit: TimeUnit, params: dict
) -> tuple[ModelStatus | None, BGNBDFit | None]:
    try:
        bgnbd = fit_bgnbd(summary, time_unit=time_unit)
    except _NUMERIC_ERRORS:
        return ModelStatus.NOT_CONVERGED, None
    if not bgnbd.converged or not np.isfinite(bgnbd.log_likelihood):
        return ModelStatus.NOT_CONVERGED, bgnbd
    if has_no_dropout(bgnbd, summary):
        return ModelStatus.NO_DROPOUT_PATTERN, bgnbd
    return None, bgnbd


def _fit_spend(summary: pd.DataFrame) -> GammaGammaFit | None:
    x, m = summary["frequency"], summary["monetary_value"]
    if int(((x > 0) & (m > 0)).sum()) < settings()["min_gamma_gamma_repeaters"]:
        return None
    try:
        return fit_gamma_gamma(x, m)
    except _NUMERIC_ERRORS:
        return None


def fit_clv(
    transactions: pd.DataFrame,
    *,
    calibration_end: object | None = None,
    time_unit: TimeUnit = "week",
    horizon: float = 52,
    annual_discount_rate: float = 0.10,
    margin: float = 1.0,
) -> ClvResult:
    """Fit BG/NBD + Gamma-Gamma on transactions and predict each customer's CLV.

    Parameters
    ----------
    transactions : pd.DataFrame
        Canonical ``customer_id``, ``date``, ``amount``.
    calibration_end : date-like, optional
        Fit on data up to this day (inclusive) and check predictions against the
        rest. Default: fit on everything, no holdout check.
    time_unit : {"day", "week", "month"}
        Unit of the model and of ``horizon``.
    horizon : float
        Prediction horizon in ``time_unit`` (52 weeks ≈ one year).
    annual_discount_rate : float
        Yearly discount rate for future revenue.
    margin : float
        Gross margin (1.0 = revenue).

    Returns
    -------
    ClvResult
        Never raises for data problems: see ``status``.

    Raises
    ------
    InputError
        For invalid options (unit, horizon, discount rate, margin, calibration end).
    """
    _validate_options(time_unit, horizon, annual_discount_rate, margin)
    if calibration_end is not None:
        try:
            calibration_end = pd.Timestamp(calibration_end)
        except (ValueError, TypeError):
            raise InputError("clv.error.calibration_end", value=str(calibration_end)) from None
    options = {
        "time_unit": time_unit,
        "horizon": horizon,
        "annual_discount_rate": annual_discount_rate,
        "margin": margin,
    }
    try:
        summary = summary_data_from_transactions(
            transactions, calibration_end=calibration_end, time_unit=time_unit
        )
    except InputError as err:
        return ClvResult(ModelStatus.NO_DATA, err.key, dict(err.params), options=options)
    meta = summary.attrs[ATTRS_KEY]
    options.update(calibration_end=meta["calibration_end"], observation_end=meta["observation_end"])
    status, params = _data_check(summary)
    if status is not None:
        return _result(status, params=params, summary=summary, options=options)

    status, bgnbd = _fit_purchases(summary, time_unit, params)
    if status is not None:
        return _result(status, params=params, summary=summary, bgnbd=bgnbd, options=options)
    holdout = holdout_check(bgnbd, summary) if "frequency_holdout" in summary.columns else None
    gg = _fit_spend(summary)
    predictions = predict_clv(
        bgnbd,
        gg,
        summary,
        horizon=horizon,
        time_unit=time_unit,
        annual_discount_rate=annual_discount_rate,
        margin=margin,
    )
    correlation = spend_frequency_correlation(summary)
    common = {
        "summary": summary,
        "bgnbd": bgnbd,
        "gg": gg,
        "predictions": predictions,
        "holdout": holdout,
        "correlation": correlation,
        "options": options,
    }
    if gg is None or not gg.usable:
        return _result(ModelStatus.GAMMA_GAMMA_FAILED, params=params, **common)
    r = correlation[0]
    params.update(corr=float(r), max_corr=float(settings()["max_spend_frequency_abs_r"]))
    if np.isfinite(r) and abs(r) > settings()["max_spend_frequency_abs_r"]:
        return _result(ModelStatus.SPEND_FREQUENCY_CORRELATED, params=params, **common)
    return _result(ModelStatus.OK, params=params, **common)
