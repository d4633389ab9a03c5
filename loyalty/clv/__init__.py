"""Predictive customer lifetime value: BG/NBD purchases, P(alive), Gamma-Gamma spend.

Typical use is one call::

    from loyalty.clv import fit_clv
    result = fit_clv(transactions, calibration_end="1997-09-30", time_unit="week", horizon=52)
    result.status, result.message("nl"), result.predictions

The building blocks (summary, fits, predictions, holdout check) are public too.
Time units are explicit everywhere: ``"day"``, ``"week"`` (7 days) or
``"month"`` (365.25/12 days).
"""

from loyalty.clv.bgnbd import BGNBDFit, fit_bgnbd
from loyalty.clv.gamma_gamma import GammaGammaFit, fit_gamma_gamma, spend_frequency_correlation
from loyalty.clv.holdout import HoldoutCheck, cumulative_tracking, holdout_check
from loyalty.clv.pipeline import ClvResult, fit_clv, has_no_dropout
from loyalty.clv.predict import PREDICTION_COLUMNS, predict_clv
from loyalty.clv.status import ModelStatus
from loyalty.clv.summary import summary_data_from_transactions
from loyalty.clv.units import TIME_UNITS, TimeUnit, convert, days_per_unit, units_per_year

__all__ = [
    "PREDICTION_COLUMNS",
    "TIME_UNITS",
    "BGNBDFit",
    "ClvResult",
    "GammaGammaFit",
    "HoldoutCheck",
    "ModelStatus",
    "TimeUnit",
    "convert",
    "cumulative_tracking",
    "days_per_unit",
    "fit_bgnbd",
    "fit_clv",
    "fit_gamma_gamma",
    "has_no_dropout",
    "holdout_check",
    "predict_clv",
    "spend_frequency_correlation",
    "summary_data_from_transactions",
    "units_per_year",
]
