"""``python -m loyalty clv``: fit BG/NBD + Gamma-Gamma on a transactions file and predict CLV, as JSON.

With ``--calibration-end`` the models are fitted on the purchases up to that day,
the rest of the data is the holdout check, and the predictions are made as of the
calibration end (so they can be compared with what happened next). Without it the
models use all the data and there is no holdout.

A data set the models cannot describe (too few repeat buyers, no drop-out, no
convergence) is not bad input: the command still prints its JSON, with
``model_status`` and ``message`` saying why, and the parameters it could not fit
as null.
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING

from loyalty.commands.measure import MAP_HELP, load, mappings
from loyalty.errors import InputError
from loyalty.schema import DATE

if TYPE_CHECKING:
    import pandas as pd

    from loyalty.clv import ClvResult

#: ``loyalty.clv.TIME_UNITS``, spelled out so that building the parser imports no scipy
#: (a test checks they agree).
TIME_UNITS: tuple[str, ...] = ("day", "week", "month")
#: Default horizon: one year in each unit (365.25 days = 52.18 weeks = 12 months).
ONE_YEAR: dict[str, int] = {"day": 365, "week": 52, "month": 12}


def _finite_float(text: str) -> float:
    """argparse type: a finite number."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}")
    return value


def _calibration_end(text: str | None, transactions: pd.DataFrame) -> pd.Timestamp | None:
    """Return the calibration end as a day inside the data; InputError otherwise."""
    import pandas as pd

    from loyalty.measure import data_range

    if text is None:
        return None
    try:
        day = pd.Timestamp(text)
    except (ValueError, TypeError):
        day = pd.NaT
    if pd.isna(day):
        raise InputError("clv.error.calibration_end", value=text)
    first, last = data_range(transactions[[DATE]])
    if first is None or not first <= day.normalize() <= last:
        raise InputError("measure.error.calibration_range", value=text, first=_iso(first), last=_iso(last))
    return day.normalize()


def _iso(day: pd.Timestamp | None) -> str | None:
    return None if day is None else day.strftime("%Y-%m-%d")


def report(result: ClvResult, horizon: float, discount_rate: float) -> dict:
    """Return the JSON object of ``clv`` from a fit.

    Returns
    -------
    dict
        ``model_status``, ``message``, ``time_unit``, ``horizon``, ``discount_rate``,
        ``calibration_end``, ``observation_end``, ``customers``, ``repeaters``,
        ``bg_nbd`` {``r``, ``alpha``, ``a``, ``b``, ``log_likelihood``, ...},
        ``gamma_gamma`` {``p``, ``q``, ``gamma``, ...}, ``holdout`` {``predicted``,
        ``actual`` repeat purchases in the holdout window, ``by_frequency``, ...},
        ``spend_frequency_correlation``, ``p_alive_mean``, ``expected_purchases_mean``,
        ``predicted_clv_mean`` and ``predicted_clv_total`` (null when not available).
    """
    from loyalty.kpi.periods import jsonable

    summary, predictions, status = result.summary, result.predictions, result.status
    holdout = None
    if result.holdout is not None:
        check = result.holdout.to_dict()
        holdout = {
            "predicted": check["predicted_total"],
            "actual": check["actual_total"],
            "calibration_end": check["calibration_end"],
            "observation_end": check["observation_end"],
            "by_frequency": check["by_frequency"],
        }
    correlation = None
    if result.correlation is not None:
        r, p, n = result.correlation
        correlation = {"r": r, "p_value": p, "n": n}
    options = result.options
    has_clv = predictions is not None and status.has_clv
    return jsonable(
        {
            "model_status": status.value,
            "message": result.message("en"),
            "time_unit": options.get("time_unit"),
            "horizon": horizon,
            "discount_rate": discount_rate,
            "calibration_end": _iso(options.get("calibration_end")),
            "observation_end": _iso(options.get("observation_end")),
            "customers": len(summary) if summary is not None else 0,
            "repeaters": int((summary["frequency"] > 0).sum()) if summary is not None else 0,
            "bg_nbd": result.bgnbd.to_dict() if result.bgnbd is not None else None,
            "gamma_gamma": result.gg.to_dict() if result.gg is not None else None,
            "holdout": holdout,
            "spend_frequency_correlation": correlation,
            "p_alive_mean": predictions["p_alive"].mean() if predictions is not None else None,
            "expected_purchases_mean": (
                predictions["expected_purchases"].mean() if predictions is not None else None
            ),
            "predicted_clv_mean": predictions["clv"].mean() if has_clv else None,
            "predicted_clv_total": predictions["clv"].sum() if has_clv else None,
        }
    )


def run(args: argparse.Namespace) -> dict:
    """Fit the CLV models on the transactions file named on the command line."""
    from loyalty.clv import fit_clv

    transactions = load(
        "transactions", args.transactions, mappings(args.map, ["transactions"])["transactions"]
    )
    frame = transactions.frame
    unit = args.time_unit
    horizon = args.horizon if args.horizon is not None else ONE_YEAR[unit]
    result = fit_clv(
        frame,
        calibration_end=_calibration_end(args.calibration_end, frame),
        time_unit=unit,
        horizon=horizon,
        annual_discount_rate=args.discount_rate,
    )
    out = report(result, horizon, args.discount_rate)
    out["data"] = {"transactions": transactions.summary()}
    return out


def add(sub: argparse._SubParsersAction) -> None:
    """Register ``clv``."""
    p = sub.add_parser("clv", help="fit BG/NBD + Gamma-Gamma and predict customer lifetime value")
    p.add_argument(
        "--transactions", required=True, metavar="F", help="transactions file (csv, xlsx, parquet)"
    )
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN", help=MAP_HELP)
    p.add_argument(
        "--calibration-end",
        default=None,
        metavar="YYYY-MM-DD",
        help="fit on the purchases up to this day and check the forecast on the rest (holdout)",
    )
    p.add_argument(
        "--time-unit", choices=TIME_UNITS, default="week", help="time unit of the model and the horizon"
    )
    p.add_argument(
        "--horizon",
        type=_finite_float,
        default=None,
        metavar="N",
        help="forecast horizon in --time-unit (default: one year, e.g. 52 weeks)",
    )
    p.add_argument(
        "--discount-rate",
        type=_finite_float,
        default=0.10,
        metavar="R",
        help="annual discount rate as a fraction (default 0.10)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    p.set_defaults(func=run)
