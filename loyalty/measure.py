"""The five loyalty KPIs in one place, for the Measure page and ``python -m loyalty measure``.

This module only orchestrates: every number comes from :mod:`loyalty.kpi` and
:mod:`loyalty.clv`. It fixes the choices the page and the command line share:

* **The window.** KPIs are measured over ``[start, end]`` (inclusive days; by default
  all the data). ``as_of`` caps ``end``: rows after it are ignored everywhere.
* **Current and previous period.** The *current* period is the last calendar month,
  quarter or year that has ended by ``end``; the *previous* one comes right before it.
  Each card compares the KPI in those two periods (a partial period would understate
  activity, so a period still running never counts as current).
* **Segments.** A filter ``(column, value)`` keeps the rows whose own column has that
  value; when only the customers table has the column, it keeps the customers that
  have it.

Each ``*_kpi`` function computes one card, so the app can cache them separately. All
results are plain JSON-friendly dicts: rates are fractions, NPS runs from −100 to 100.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loyalty.clv import TIME_UNITS, ClvResult, ModelStatus, fit_clv, predict_clv
from loyalty.errors import InputError
from loyalty.i18n import t
from loyalty.kpi.feedback import driver_summary, theme_summary
from loyalty.kpi.nps import nps, nps_by_segment, nps_change, nps_trend
from loyalty.kpi.periods import (
    DateLike,
    Period,
    PreparedTransactions,
    check_period,
    day_numbers,
    jsonable,
    period_bounds,
    period_labels,
    period_ordinals,
    prepare,
)
from loyalty.kpi.repeat import order_summary, repeat_purchase_rate, repeat_rate_by_segment, wilson_interval
from loyalty.kpi.retention import churn_by_inactivity, inactivity_threshold_default, retention_rates
from loyalty.kpi.rfm import rfm_segments, rfm_table
from loyalty.kpi.value import clv_summary, historical_clv
from loyalty.schema import (
    AMOUNT,
    BUSINESS_TYPE,
    COMMENT,
    COUNTRY,
    CUSTOMER_ID,
    DATE,
    DRIVERS,
    RECOMMEND,
    SEGMENT,
    TRUST,
)
from loyalty.text import tag_comments

#: Share of customers whose revenue share the CLV card reports.
TOP_FRACTION = 0.10
#: Segment columns with more distinct values than this are not offered as filters.
MAX_SEGMENT_VALUES = 60
#: Customer-table columns that can segment the KPIs, besides the extra columns ingestion kept.
CUSTOMER_SEGMENT_FIELDS: tuple[str, ...] = (SEGMENT, BUSINESS_TYPE, COUNTRY)

Segment = tuple[str, str] | None


# --- window and periods --------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """One calendar period.

    Parameters
    ----------
    label : str
        "2024Q4", "2024-11" or "2024".
    first, last : pandas.Timestamp
        Its first and last day.
    partial : bool
        The data start after its first day, so part of it is not observed.
    """

    label: str
    first: pd.Timestamp
    last: pd.Timestamp
    partial: bool = False


@dataclass(frozen=True)
class Window:
    """The days the KPIs are measured over, and the two periods the cards compare.

    Parameters
    ----------
    start, end : pandas.Timestamp or None
        First and last day (inclusive); None when there are no dated rows.
    period : {"month", "quarter", "year"}
        Granularity of trends and of the current/previous comparison.
    current, previous : Span or None
        The last period ended by ``end`` and the one before it (None when the data do
        not reach back that far).
    limited : bool
        The user narrowed the data (start, end or as_of). Survey answers without a
        date then drop out, since they cannot be placed inside the window.
    """

    start: pd.Timestamp | None
    end: pd.Timestamp | None
    period: Period
    current: Span | None = None
    previous: Span | None = None
    limited: bool = False

    def key(self) -> tuple:
        """Return a small hashable key (for caches)."""
        return (
            _iso(self.start),
            _iso(self.end),
            self.period,
            self.current.label if self.current else None,
            self.previous.label if self.previous else None,
            self.limited,
        )

    def spans(self) -> tuple[Span | None, Span | None]:
        """Return (current, previous)."""
        return self.current, self.previous


def _iso(value: pd.Timestamp | None) -> str | None:
    return None if value is None or pd.isna(value) else value.strftime("%Y-%m-%d")


def _day(value: DateLike, name: str) -> pd.Timestamp | None:
    """Return a date-like value as a midnight Timestamp; InputError when it is no date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InputError("measure.error.date", name=name, value=str(value)) from None
    if pd.isna(stamp):
        return None
    return stamp.tz_localize(None).normalize() if stamp.tz else stamp.normalize()


def data_range(*frames: pd.DataFrame | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Return the first and last day of the dated rows of all ``frames``."""
    firsts, lasts = [], []
    for frame in frames:
        if frame is None or DATE not in frame.columns:
            continue
        dates = pd.to_datetime(frame[DATE]).dropna()
        if len(dates):
            firsts.append(dates.min().normalize())
            lasts.append(dates.max().normalize())
    if not firsts:
        return None, None
    return min(firsts), max(lasts)


def _span(ordinal: int, period: Period, data_first: pd.Timestamp) -> Span:
    labels, _ = period_labels(np.array([ordinal]), period)
    first, last = period_bounds(np.array([ordinal]), period)
    first_day = pd.Timestamp(np.datetime64(int(first[0]), "D"))
    last_day = pd.Timestamp(np.datetime64(int(last[0]), "D"))
    return Span(labels[0], first_day, last_day, partial=bool(data_first > first_day))


def _comparison(
    end: pd.Timestamp, data_first: pd.Timestamp, period: Period
) -> tuple[Span | None, Span | None]:
    """Return the last period ended by ``end`` and the one before it, if the data reach them."""
    day = int(np.datetime64(end, "D").astype(np.int64))
    ordinal = int(period_ordinals(np.array([day]), period)[0])
    _, last = period_bounds(np.array([ordinal]), period)
    if day < int(last[0]):
        ordinal -= 1  # the period of ``end`` is still running
    spans = []
    for k in (ordinal, ordinal - 1):
        span = _span(k, period, data_first)
        spans.append(span if span.last >= data_first else None)
    current, previous = spans
    return current, previous if current is not None else None


def resolve_window(
    transactions: pd.DataFrame | None,
    survey: pd.DataFrame | None,
    *,
    period: str = "quarter",
    as_of: DateLike = None,
    start: DateLike = None,
    end: DateLike = None,
) -> Window:
    """Turn the user's choices into concrete days and the two periods to compare.

    Parameters
    ----------
    transactions, survey : pandas.DataFrame or None
        Canonical frames; their dates bound the window.
    period : {"month", "quarter", "year"}
        Granularity.
    as_of : date-like, optional
        Reference date: nothing after it is used.
    start, end : date-like, optional
        Window of days (inclusive); default all the data.

    Returns
    -------
    Window
        The resolved window.

    Raises
    ------
    InputError
        For an unknown period, a value that is not a date, or a start after the end.
    """
    period = check_period(period)
    first, last = data_range(transactions, survey)
    start_day, end_day, as_of_day = _day(start, "start"), _day(end, "end"), _day(as_of, "as_of")
    limited = any(v is not None for v in (start_day, end_day, as_of_day))
    if first is None:
        return Window(start_day, end_day, period, limited=limited)
    lo = max(first, start_day) if start_day is not None else first
    hi = min(d for d in (last, end_day, as_of_day) if d is not None)
    if lo > hi:
        raise InputError("measure.error.window", start=_iso(lo), end=_iso(hi))
    current, previous = _comparison(hi, first, period)
    return Window(lo, hi, period, current, previous, limited)


# --- segments --------------------------------------------------------------------------


def segment_columns(
    frames: dict[str, pd.DataFrame | None], extra: dict[str, list[str]] | None = None
) -> dict[str, list[str]]:
    """Return the columns that can segment the KPIs and their values.

    Parameters
    ----------
    frames : dict
        Kind (``transactions``, ``survey``, ``customers``) -> canonical frame or None.
    extra : dict, optional
        Kind -> extra categorical columns kept by ingestion (``LoadResult.segment_columns``).

    Returns
    -------
    dict
        Column -> sorted distinct values (as text), for columns with 2 to
        :data:`MAX_SEGMENT_VALUES` values.
    """
    extra = extra or {}
    candidates: list[tuple[str, str]] = [("customers", c) for c in CUSTOMER_SEGMENT_FIELDS]
    for kind in ("customers", "transactions", "survey"):
        candidates += [(kind, c) for c in extra.get(kind, [])]
    options: dict[str, set[str]] = {}
    for kind, column in candidates:
        frame = frames.get(kind)
        if frame is None or column not in frame.columns:
            continue
        values = frame[column].dropna().astype(str)
        options.setdefault(column, set()).update(values[values.str.strip() != ""].unique())
    return {c: sorted(v) for c, v in options.items() if 2 <= len(v) <= MAX_SEGMENT_VALUES}


def with_column(frame: pd.DataFrame, column: str, customers: pd.DataFrame | None) -> pd.DataFrame | None:
    """Return ``frame`` with ``column``: its own, or the customer's from the customers table.

    Returns None when neither has the column (or ``frame`` has no customer ids to join on).
    """
    if column in frame.columns:
        return frame
    if customers is None or column not in customers.columns or CUSTOMER_ID not in frame.columns:
        return None
    lookup = (
        customers.dropna(subset=[CUSTOMER_ID]).drop_duplicates(CUSTOMER_ID).set_index(CUSTOMER_ID)[column]
    )
    return frame.assign(**{column: frame[CUSTOMER_ID].map(lookup)})


def filter_segment(
    frame: pd.DataFrame, segment: Segment, customers: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, bool]:
    """Keep the rows of one segment.

    Parameters
    ----------
    frame : pandas.DataFrame
        Canonical transactions or survey responses.
    segment : tuple of (column, value) or None
        The filter; None keeps every row.
    customers : pandas.DataFrame, optional
        Customers table, used when ``frame`` lacks the column.

    Returns
    -------
    tuple
        The kept rows and whether the filter could be applied (False: the column is
        in neither ``frame`` nor the customers table, and every row is kept).
    """
    if not segment:
        return frame, True
    column, value = segment
    labelled = with_column(frame, column, customers)
    if labelled is None:
        return frame, False
    keep = labelled[column].astype("str").eq(str(value)).fillna(False).to_numpy(dtype=bool)
    return frame.loc[keep], True


def until(frame: pd.DataFrame, end: pd.Timestamp | None) -> pd.DataFrame:
    """Return the rows dated on or before the day ``end`` (undated rows are dropped)."""
    if end is None:
        return frame
    return frame.loc[pd.to_datetime(frame[DATE]).lt(end + pd.Timedelta(days=1)).fillna(False).to_numpy(bool)]


def prepare_until(transactions: pd.DataFrame, end: pd.Timestamp | None) -> PreparedTransactions:
    """Return the transactions up to ``end``, encoded once for all transaction KPIs."""
    return prepare(until(transactions, end))


def survey_rows(
    survey: pd.DataFrame, first: pd.Timestamp | None, last: pd.Timestamp | None, keep_undated: bool
) -> pd.DataFrame:
    """Return the answers dated within [first, last]; undated answers kept when ``keep_undated``."""
    if DATE not in survey.columns:
        return survey
    days = pd.to_datetime(survey[DATE]).dt.normalize()
    inside = pd.Series(True, index=survey.index)
    if first is not None:
        inside &= days >= first
    if last is not None:
        inside &= days <= last
    inside = inside.fillna(False) | (days.isna() & keep_undated)
    return survey.loc[inside.to_numpy(dtype=bool)]


def window_answers(survey: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Return the answers inside the window (undated ones too while the user has not narrowed it)."""
    return survey_rows(survey, window.start, window.end, keep_undated=not window.limited)


def _span_answers(survey: pd.DataFrame, span: Span | None) -> pd.DataFrame | None:
    if span is None or DATE not in survey.columns:
        return None
    return survey_rows(survey, span.first, span.last, keep_undated=False)


# --- changes between the two periods --------------------------------------------------


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def change(window: Window, current: Any, previous: Any, **extra: Any) -> dict[str, Any]:
    """Return the comparison of a KPI between the current and the previous period.

    Parameters
    ----------
    window : Window
        Gives the period labels.
    current, previous : float or None
        The KPI in each period.
    **extra
        More keys to include (counts, p-value).

    Returns
    -------
    dict
        ``period``, ``previous_period``, ``current``, ``previous``, ``delta``
        (current − previous, None unless both exist), ``partial`` (the previous period
        is only partly covered by the data) and the ``extra`` keys.
    """
    now, before = _number(current), _number(previous)
    return {
        "period": window.current.label if window.current else None,
        "previous_period": window.previous.label if window.previous else None,
        "current": now,
        "previous": before,
        "delta": now - before if now is not None and before is not None else None,
        "partial": bool(window.previous.partial) if window.previous else False,
        **extra,
    }


def _per_span(window: Window, compute) -> tuple[Any, Any]:
    """Return ``compute(span)`` for the current and previous period (None where there is none)."""
    return tuple(compute(span) if span is not None else None for span in window.spans())


# --- the cards -----------------------------------------------------------------------------


def nps_kpi(survey: pd.DataFrame, window: Window) -> dict[str, Any]:
    """Return the NPS of the window with its interval, groups, distribution and period change.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses (already segment-filtered).
    window : Window
        From :func:`resolve_window`.

    Returns
    -------
    dict
        :class:`loyalty.kpi.nps.NPSResult` fields (``value``, ``ci95``, ``n``,
        ``promoters``, ``passives``, ``detractors`` as counts, ``shares`` as fractions,
        ``distribution`` 0..10) plus ``change``: the raw NPS of each period, its
        difference and the two-sided z-test on the adjusted values (``z``, ``p_value``).
    """
    out = nps(window_answers(survey, window)[RECOMMEND]).to_dict()

    def per_period(span: Span):
        answers = _span_answers(survey, span)
        return None if answers is None else nps(answers[RECOMMEND])

    now, before = _per_span(window, per_period)
    test = nps_change(before, now).to_dict() if now is not None and before is not None else {}
    out["change"] = change(
        window,
        now.value if now is not None else None,
        before.value if before is not None and before.n else None,
        n_current=now.n if now is not None else 0,
        n_previous=before.n if before is not None else 0,
        z=test.get("z"),
        p_value=test.get("p_value"),
    )
    return jsonable(out)


def nps_between(survey: pd.DataFrame, period: str, first: str, second: str) -> dict[str, Any]:
    """Compare the NPS of two chosen periods with the z-test of REFERENCE §3.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses with ``date``.
    period : {"month", "quarter", "year"}
        Granularity of the labels.
    first, second : str
        Period labels as in :func:`loyalty.kpi.nps.nps_trend` ("2024Q3").

    Returns
    -------
    dict
        ``first`` and ``second`` (NPS results), ``delta`` (raw second − first),
        ``delta_adjusted``, ``z`` and ``p_value``.
    """
    labels = answer_periods(survey, check_period(period))
    scores = survey[RECOMMEND]
    a, b = nps(scores[labels == first]), nps(scores[labels == second])
    test = nps_change(a, b)
    delta = b.value - a.value if a.n and b.n else math.nan
    return jsonable(
        {
            "first": a,
            "second": b,
            "delta": delta,
            "delta_adjusted": test.delta,
            "z": test.z,
            "p_value": test.p_value,
        }
    )


def answer_periods(survey: pd.DataFrame, period: Period) -> pd.Series:
    """Return the period label of each answer ("" when it has no date)."""
    if DATE not in survey.columns:
        return pd.Series("", index=survey.index, dtype="str")
    dates = pd.to_datetime(survey[DATE])
    days = day_numbers(dates)
    known = dates.notna().to_numpy()
    labels = np.full(len(survey), "", dtype=object)
    if known.any():
        labels[known] = period_labels(period_ordinals(days[known], period), period)[0]
    return pd.Series(labels, index=survey.index, dtype="str")


def _rate_row(rates: pd.DataFrame, span: Span | None) -> pd.Series | None:
    if span is None:
        return None
    rows = rates.loc[rates["period"] == span.label]
    return rows.iloc[0] if len(rows) else None


def retention_kpi(prepared: PreparedTransactions, window: Window) -> dict[str, Any]:
    """Return both retention rates of the current period and the strict rate's change.

    Parameters
    ----------
    prepared : PreparedTransactions
        Transactions up to ``window.end`` (see :func:`prepare_until`).
    window : Window
        From :func:`resolve_window`.

    Returns
    -------
    dict
        ``value`` ((E − N)/S, the common formula) with its ``ci95``, ``value_both_periods``
        (active in both periods, the strict rate the app shows) with its Wilson
        ``ci95_both_periods``, ``exceeds_one`` (the common rate is above 100%),
        ``period`` and ``previous_period`` (retention from the latter into the former),
        S/E/N counts, ``complete`` and ``change`` (strict rate of the current vs the
        previous period).

    Notes
    -----
    ``ci95`` is a Wilson interval only when E − N is a count of S's customers (nobody came
    back after a gap, so both rates agree); otherwise E − N also counts reactivated
    customers, is no binomial count of S, can exceed S, and ``ci95`` is None.
    """
    rates = retention_rates(prepared, window.period)
    now, before = _rate_row(rates, window.current), _rate_row(rates, window.previous)
    # The strict rate is a plain proportion (active_both of S), so it gets the Wilson interval.
    ci_both = ci_common = None
    if now is not None:
        ci_both = tuple(float(v) for v in wilson_interval(now["active_both"], now["active_start"]))
        if now["active_end"] - now["new"] == now["active_both"]:
            ci_common = ci_both
    common = now["rate_common"] if now is not None else None
    out = {
        "value": common,
        "ci95": ci_common,
        "value_both_periods": now["rate_both"] if now is not None else None,
        "ci95_both_periods": ci_both,
        "exceeds_one": bool(common is not None and np.isfinite(common) and common > 1),
        "period": window.current.label if window.current else None,
        "previous_period": window.previous.label if window.previous else None,
        "formula": "(E - N) / S",
        "active_start": now["active_start"] if now is not None else None,
        "active_end": now["active_end"] if now is not None else None,
        "new": now["new"] if now is not None else None,
        "active_both": now["active_both"] if now is not None else None,
        "complete": bool(now["complete"]) if now is not None else False,
        "change": change(
            window,
            now["rate_both"] if now is not None else None,
            before["rate_both"] if before is not None else None,
            value_common_previous=before["rate_common"] if before is not None else None,
        ),
    }
    return jsonable(out)


def repeat_kpi(prepared: PreparedTransactions, window: Window) -> dict[str, Any]:
    """Return the repeat purchase rate of the window (distinct purchase days) and its change.

    Returns
    -------
    dict
        ``value``, ``customers``, ``repeat_customers``, ``ci95`` (Wilson), ``occasions``
        and ``change`` (the rate within the current vs the previous period).
    """
    out = repeat_purchase_rate(prepared, window.start, window.end).to_dict()
    now, before = _per_span(window, lambda s: repeat_purchase_rate(prepared, s.first, s.last))
    out["change"] = change(
        window,
        now.value if now is not None else None,
        before.value if before is not None else None,
        customers_current=now.customers if now is not None else 0,
        customers_previous=before.customers if before is not None else 0,
    )
    return jsonable(out)


def orders_kpi(prepared: PreparedTransactions, window: Window) -> dict[str, Any]:
    """Return customers, orders, net revenue, purchase frequency and AOV of the window.

    Returns
    -------
    dict
        :class:`loyalty.kpi.repeat.OrderSummary` fields plus ``frequency_change`` and
        ``aov_change`` between the current and the previous period.
    """
    out = order_summary(prepared, window.start, window.end).to_dict()
    now, before = _per_span(window, lambda s: order_summary(prepared, s.first, s.last))
    for name in ("frequency", "aov"):
        out[f"{name}_change"] = change(
            window,
            getattr(now, name) if now is not None else None,
            getattr(before, name) if before is not None else None,
        )
    return jsonable(out)


def historical_clv_kpi(prepared: PreparedTransactions, window: Window, margin: float = 1.0) -> dict[str, Any]:
    """Return historical CLV (net revenue × margin per customer) over the window.

    Returns
    -------
    dict
        ``customers``, ``total``, ``mean``, ``median``, ``quantiles``, ``top_fraction``,
        ``top_share`` (share of value from the top 10% of customers), ``margin`` and
        ``change``: value per active customer in the current vs the previous period.
    """
    table = historical_clv(prepared, margin, window.start, window.end)
    out = clv_summary(table, TOP_FRACTION, margin).to_dict()

    def per_customer(span: Span) -> float | None:
        orders = order_summary(prepared, span.first, span.last)
        return orders.revenue * margin / orders.customers if orders.customers else None

    now, before = _per_span(window, per_customer)
    out["change"] = change(window, now, before)
    return jsonable(out)


def churn_kpi(
    prepared: PreparedTransactions,
    window: Window,
    threshold_days: int | None = None,
    predictions: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Return churn by inactivity at the window's end, and the model's view when available.

    Parameters
    ----------
    prepared : PreparedTransactions
        Transactions up to ``window.end``.
    window : Window
        From :func:`resolve_window`.
    threshold_days : int, optional
        Days without a purchase after which a customer counts as churned; default the
        data's 90th percentile of gaps between purchases.
    predictions : pandas.DataFrame, optional
        From :func:`model_predictions`, for the P(alive) view.

    Returns
    -------
    dict
        ``share``, ``churned``, ``active``, ``customers``, ``threshold_days``,
        ``default_threshold_days``, ``as_of``, and from the model ``p_alive_mean`` and
        ``share_p_alive_below_half`` (None without a model).
    """
    default = inactivity_threshold_default(prepared)
    days = default if threshold_days is None else int(threshold_days)
    out = churn_by_inactivity(prepared, days, window.end).to_dict()
    out["default_threshold_days"] = default
    p_alive = predictions["p_alive"] if predictions is not None else None
    out["p_alive_mean"] = float(p_alive.mean()) if p_alive is not None and len(p_alive) else None
    out["share_p_alive_below_half"] = (
        float((p_alive < 0.5).mean()) if p_alive is not None and len(p_alive) else None
    )
    return jsonable(out)


def default_calibration_end(
    transactions: pd.DataFrame, end: pd.Timestamp | None = None
) -> pd.Timestamp | None:
    """Return the middle day of the purchase history, where the holdout check splits it.

    Fader, Hardie & Lee (2005) fit on the first half of CDNOW (39 of 78 weeks); on the
    CDNOW sample this rule gives their 1997-09-30.
    """
    first, last = data_range(until(transactions, end))
    if first is None or first == last:
        return None
    return first + pd.Timedelta(days=(last - first).days // 2)


def fit_model(
    transactions: pd.DataFrame,
    *,
    end: pd.Timestamp | None = None,
    time_unit: str = "week",
    calibration_end: DateLike = None,
) -> ClvResult:
    """Fit BG/NBD + Gamma-Gamma on the purchases up to ``end`` (never raises for data problems).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Canonical transactions.
    end : pandas.Timestamp, optional
        Last day used (the window's end). The window's start is ignored on purpose: the
        model needs each customer's whole history.
    time_unit : {"day", "week", "month"}
        Unit of the model.
    calibration_end : date-like, optional
        Fit up to this day and check the predictions on the rest (holdout).

    Returns
    -------
    ClvResult
        The fit; its predictions use a 52-week horizon and should be recomputed with
        :func:`model_predictions` for the user's settings.
    """
    return fit_clv(until(transactions, end), calibration_end=calibration_end, time_unit=time_unit)  # type: ignore[arg-type]


def model_predictions(
    result: ClvResult,
    *,
    horizon: float,
    time_unit: str,
    annual_discount_rate: float,
    margin: float,
) -> pd.DataFrame | None:
    """Return P(alive), expected purchases and discounted CLV per customer for the user's settings.

    Returns
    -------
    pandas.DataFrame or None
        From :func:`loyalty.clv.predict_clv`; None when the purchase model could not be fitted.
    """
    _check_clv_options(horizon, time_unit, annual_discount_rate, margin)
    if not result.status.has_purchase_model or result.bgnbd is None or result.summary is None:
        return None
    return predict_clv(
        result.bgnbd,
        result.gg,
        result.summary,
        horizon=horizon,
        time_unit=time_unit,  # type: ignore[arg-type]
        annual_discount_rate=annual_discount_rate,
        margin=margin,
    )


def _check_clv_options(horizon: float, time_unit: str, annual_discount_rate: float, margin: float) -> None:
    """Raise InputError for CLV options no data could make sense of."""
    if not (isinstance(margin, int | float) and 0 < margin <= 1):
        raise InputError("kpi.error.margin", value=margin)
    if time_unit not in TIME_UNITS:
        raise InputError("clv.error.time_unit", value=time_unit, allowed=", ".join(TIME_UNITS))
    if not (math.isfinite(horizon) and horizon > 0):
        raise InputError("clv.error.horizon", value=horizon)
    if not (math.isfinite(annual_discount_rate) and annual_discount_rate > -1):
        raise InputError("clv.error.discount_rate", value=annual_discount_rate)


def clv_kpi(
    historical: dict[str, Any],
    result: ClvResult | None,
    predictions: pd.DataFrame | None,
    *,
    horizon: float,
    time_unit: str,
    lang: str = "en",
) -> dict[str, Any]:
    """Return the CLV card: historical value, the model's forecast and its status in plain words.

    Parameters
    ----------
    historical : dict
        From :func:`historical_clv_kpi`.
    result : ClvResult or None
        From :func:`fit_model`.
    predictions : pandas.DataFrame or None
        From :func:`model_predictions`.
    horizon : float
        Forecast horizon in ``time_unit``.
    time_unit : str
        Unit of the horizon.
    lang : str
        Language of ``model_message``.

    Returns
    -------
    dict
        ``historical_mean``, ``historical_median``, ``top_share``, ``margin``,
        ``predicted_mean`` (None unless the spend model works), ``predicted_total``,
        ``expected_purchases_mean``, ``p_alive_mean``, ``horizon``, ``time_unit``,
        ``model_status``, ``model_level`` and ``model_message``, and ``change``.
    """
    status = result.status if result is not None else ModelStatus.NO_DATA
    has_clv = predictions is not None and status.has_clv
    out = {
        "historical_mean": historical.get("mean"),
        "historical_median": historical.get("median"),
        "historical_total": historical.get("total"),
        "customers": historical.get("customers"),
        "top_fraction": historical.get("top_fraction"),
        "top_share": historical.get("top_share"),
        "margin": historical.get("margin"),
        "predicted_mean": predictions["clv"].mean() if has_clv else None,
        "predicted_total": predictions["clv"].sum() if has_clv else None,
        "expected_purchases_mean": predictions["expected_purchases"].mean()
        if predictions is not None
        else None,
        "p_alive_mean": predictions["p_alive"].mean() if predictions is not None else None,
        "customers_modelled": len(predictions) if predictions is not None else 0,
        "horizon": horizon,
        "time_unit": time_unit,
        "model_status": status.value,
        "model_level": status.level,
        "model_message": result.message(lang) if result is not None else t(status.message_key, lang),
        "change": historical.get("change"),
    }
    return jsonable(out)


def comment_tags(survey: pd.DataFrame) -> pd.DataFrame | None:
    """Return :func:`loyalty.text.tag_comments` of the survey's comments, or None without comments."""
    if COMMENT not in survey.columns:
        return None
    return tag_comments(survey[COMMENT])


def _headline(ratings: pd.DataFrame) -> dict[str, Any]:
    """Return the feedback card's number: trust on 0–100, else the mean of the driver scores."""
    rated = ratings.loc[ratings["n"] > 0] if len(ratings) else ratings
    if TRUST in rated.index:
        row = rated.loc[TRUST]
        return {
            "field": TRUST,
            "score": row["score"],
            "ci95": (row["score_low"], row["score_high"]),
            "n": int(row["n"]),
            "range": None,
        }
    drivers = rated.loc[[d for d in DRIVERS if d in rated.index]]
    if drivers.empty:
        return {"field": None, "score": None, "ci95": None, "n": 0, "range": None}
    return {
        "field": "drivers",
        "score": float(drivers["score"].mean()),
        "ci95": None,
        "n": int(drivers["n"].max()),
        "range": (float(drivers["score"].min()), float(drivers["score"].max())),
    }


def feedback_kpi(
    survey: pd.DataFrame,
    scales: dict[str, tuple[int, int]] | None,
    window: Window,
    tags: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Return the feedback card: ratings with intervals, comment themes and their NPS impact.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses (already segment-filtered).
    scales : dict or None
        Field -> rating scale, as detected by ingestion.
    window : Window
        From :func:`resolve_window`.
    tags : pandas.DataFrame, optional
        :func:`comment_tags` of ``survey`` (or of a survey it is a subset of), to tag once.

    Returns
    -------
    dict
        ``responses``, ``commenters``, ``driver_means`` (driver -> mean rating),
        ``ratings`` (records of :func:`loyalty.kpi.feedback.driver_summary`), ``themes``
        (theme -> ``count``, ``share``, ``nps_impact``, ``n_scored``, ``small_sample``),
        ``headline`` (trust on 0–100 with its interval, else the mean driver score with
        its range) and ``change`` (the headline in the current vs the previous period).
    """
    scales = dict(scales or {})
    rows = window_answers(survey, window)
    ratings = driver_summary(rows, scales)
    headline = _headline(ratings)
    out: dict[str, Any] = {
        "responses": len(rows),
        "commenters": 0,
        "driver_means": {d: ratings.loc[d, "mean"] for d in DRIVERS if d in ratings.index},
        "ratings": ratings.reset_index(),
        "themes": {},
        "headline": headline,
    }
    if tags is not None and COMMENT in rows.columns:
        theme_table = theme_summary(rows, tags=tags.loc[rows.index])
        out["commenters"] = int(rows[COMMENT].fillna("").astype(str).str.strip().ne("").sum())
        out["themes"] = {
            theme: {
                "count": int(row["mentions"]),
                "share": row["share"],
                "nps_impact": row["nps_impact"],
                "n_scored": int(row["n_scored"]),
                "small_sample": bool(row["small_sample"]),
            }
            for theme, row in theme_table.sort_values("mentions", ascending=False, kind="stable").iterrows()
        }

    def score(span: Span) -> float | None:
        answers = _span_answers(survey, span)
        if answers is None or answers.empty:
            return None
        part = _headline(driver_summary(answers, scales))
        return part["score"] if part["field"] == headline["field"] else None

    now, before = _per_span(window, score)
    out["change"] = change(window, now, before, field=headline["field"])
    return jsonable(out)


# --- breakdowns for the page's tabs ---------------------------------------------------------


def breakdown_columns(
    frame: pd.DataFrame, customers: pd.DataFrame | None, options: dict[str, list[str]] | list[str]
) -> list[str]:
    """Return the segment columns of ``options`` that ``frame`` has, itself or through the customers table."""
    joinable = customers is not None and CUSTOMER_ID in frame.columns
    return [
        c
        for c in options
        if c in frame.columns or (joinable and c in customers.columns)  # type: ignore[union-attr]
    ]


def nps_trend_kpi(survey: pd.DataFrame, window: Window, min_n: int = 30) -> pd.DataFrame | None:
    """Return the NPS per period of the window (:func:`loyalty.kpi.nps.nps_trend`); None without dates."""
    if DATE not in survey.columns:
        return None
    return nps_trend(window_answers(survey, window), window.period, min_n=min_n)


def nps_segments(
    survey: pd.DataFrame,
    column: str,
    window: Window,
    customers: pd.DataFrame | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Return the NPS per value of ``column`` over the window's answers.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses (already filtered to the chosen segment, if any).
    column : str
        Segment column of the survey or of the customers table.
    window : Window
        From :func:`resolve_window`.
    customers : pandas.DataFrame, optional
        Customers table, used when the survey lacks ``column``.
    min_n : int
        Segments with fewer answers are flagged and not ranked.

    Returns
    -------
    pandas.DataFrame
        :func:`loyalty.kpi.nps.nps_by_segment` of the window's answers.

    Raises
    ------
    InputError
        When neither the survey nor the customers table has ``column``.
    """
    labelled = with_column(window_answers(survey, window), column, customers)
    if labelled is None:
        raise InputError("measure.error.segment_column", column=column)
    return nps_by_segment(labelled, column, min_n=min_n)


def repeat_segments(
    transactions: pd.DataFrame,
    column: str,
    window: Window,
    customers: pd.DataFrame | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Return the repeat purchase rate per value of ``column`` within the window.

    A customer counts in the segment of their first purchase in the window (see
    :func:`loyalty.kpi.repeat.repeat_rate_by_segment`).

    Raises
    ------
    InputError
        When neither the transactions nor the customers table has ``column``.
    """
    labelled = with_column(until(transactions, window.end), column, customers)
    if labelled is None:
        raise InputError("measure.error.segment_column", column=column)
    return repeat_rate_by_segment(labelled, column, window.start, window.end, min_n=min_n)


def rfm_kpi(prepared: PreparedTransactions, window: Window) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the RFM table of the window (recency measured at its end) and the customers per segment.

    Returns
    -------
    tuple of pandas.DataFrame
        :func:`loyalty.kpi.rfm.rfm_table` and :func:`loyalty.kpi.rfm.rfm_segments`.
    """
    table = rfm_table(prepared, as_of=window.end, start=window.start)
    return table, rfm_segments(table)


# --- the whole picture ----------------------------------------------------------------------


def frame_summary(kind: str, frame: pd.DataFrame | None) -> dict[str, Any] | None:
    """Return a short summary of a canonical frame, for callers without an ingestion summary."""
    if frame is None:
        return None
    first, last = data_range(frame)
    out: dict[str, Any] = {"kind": kind, "rows": {"used": len(frame)}, "first_date": _iso(first)}
    out["last_date"] = _iso(last)
    if CUSTOMER_ID in frame.columns:
        out["customers"] = int(frame[CUSTOMER_ID].nunique())
    if kind == "transactions" and AMOUNT in frame.columns:
        out["revenue"] = round(float(frame[AMOUNT].sum()), 2)
    if kind == "survey":
        out["responses"] = len(frame)
    return out


def _missing(kind: str, lang: str) -> dict[str, str]:
    key = f"measure.missing.{kind}"
    return {"needs": kind, "reason": key, "message": t(key, lang)}


def measure(
    transactions: pd.DataFrame | None,
    survey: pd.DataFrame | None,
    *,
    scales: dict[str, tuple[int, int]] | None = None,
    period: str = "quarter",
    as_of: DateLike = None,
    start: DateLike = None,
    end: DateLike = None,
    segment: Segment = None,
    margin: float = 1.0,
    horizon: float = 52,
    time_unit: str = "week",
    annual_discount_rate: float = 0.10,
    lang: str = "en",
    customers: pd.DataFrame | None = None,
    threshold_days: int | None = None,
    data: dict[str, dict | None] | None = None,
) -> dict[str, Any]:
    """Measure the five loyalty KPIs (the JSON of ``python -m loyalty measure``).

    Parameters
    ----------
    transactions, survey : pandas.DataFrame or None
        Canonical frames; either may be missing.
    scales : dict, optional
        Rating scale per survey field (``LoadResult.scales``).
    period : {"month", "quarter", "year"}
        Granularity of the period comparison.
    as_of, start, end : date-like, optional
        Reference date and window (see :func:`resolve_window`).
    segment : tuple of (column, value), optional
        Keep one segment only.
    margin : float
        Gross margin for CLV, a share in (0, 1]; 1.0 means revenue.
    horizon : float
        CLV forecast horizon, in ``time_unit``.
    time_unit : {"day", "week", "month"}
        Unit of the CLV model and horizon.
    annual_discount_rate : float
        Yearly discount rate of future revenue.
    lang : str
        Language of the messages.
    customers : pandas.DataFrame, optional
        Customers table, for segments defined there.
    threshold_days : int, optional
        Inactivity threshold for churn; default from the data.
    data : dict, optional
        Kind -> ingestion summary (``LoadResult.summary()``) to report under ``data``.

    Returns
    -------
    dict
        ``nps``, ``retention_rate``, ``repeat_purchase_rate``, ``purchase_frequency``,
        ``aov``, ``orders``, ``churn``, ``clv``, ``feedback``, ``data``, ``window`` and
        ``missing`` (why a KPI is None, with the translated message). JSON-friendly.

    Raises
    ------
    InputError
        For invalid options (period, dates, margin, horizon, unit, discount rate), or
        when neither transactions nor a survey is given.
    """
    if transactions is None and survey is None:
        raise InputError("measure.error.no_data")
    # Options are checked before any data is looked at: a bad horizon is a bad horizon even
    # when the data are too thin for the model that would use it.
    _check_clv_options(horizon, time_unit, annual_discount_rate, margin)
    window = resolve_window(transactions, survey, period=period, as_of=as_of, start=start, end=end)
    applied: dict[str, bool] = {}
    out: dict[str, Any] = dict.fromkeys(
        (
            "nps",
            "retention_rate",
            "repeat_purchase_rate",
            "purchase_frequency",
            "aov",
            "orders",
            "churn",
            "clv",
        ),
    )
    out["feedback"] = None
    missing: dict[str, dict[str, str]] = {}
    if transactions is not None:
        tx, applied["transactions"] = filter_segment(transactions, segment, customers)
        out.update(
            _transaction_kpis(
                tx, window, margin, horizon, time_unit, annual_discount_rate, lang, threshold_days
            )
        )
    else:
        missing.update(
            {k: _missing("transactions", lang) for k in ("retention_rate", "repeat_purchase_rate", "clv")}
        )
    if survey is not None:
        sv, applied["survey"] = filter_segment(survey, segment, customers)
        out["nps"] = nps_kpi(sv, window)
        out["feedback"] = feedback_kpi(sv, scales, window, comment_tags(sv))
    else:
        missing.update({k: _missing("survey", lang) for k in ("nps", "feedback")})
    summaries = data or {}
    out["data"] = {
        "transactions": summaries.get("transactions") or frame_summary("transactions", transactions),
        "survey": summaries.get("survey") or frame_summary("survey", survey),
    }
    out["window"] = {
        "start": _iso(window.start),
        "end": _iso(window.end),
        "period": window.period,
        "current_period": window.current.label if window.current else None,
        "previous_period": window.previous.label if window.previous else None,
        "segment": {"column": segment[0], "value": segment[1], "applied": applied} if segment else None,
    }
    out["missing"] = missing
    return jsonable(out)


def _transaction_kpis(
    transactions: pd.DataFrame,
    window: Window,
    margin: float,
    horizon: float,
    time_unit: str,
    annual_discount_rate: float,
    lang: str,
    threshold_days: int | None,
) -> dict[str, Any]:
    """Return the transaction side of :func:`measure`."""
    prepared = prepare_until(transactions, window.end)
    orders = orders_kpi(prepared, window)
    historical = historical_clv_kpi(prepared, window, margin)
    result = fit_model(transactions, end=window.end, time_unit=time_unit)
    predictions = model_predictions(
        result, horizon=horizon, time_unit=time_unit, annual_discount_rate=annual_discount_rate, margin=margin
    )
    return {
        "retention_rate": retention_kpi(prepared, window),
        "repeat_purchase_rate": repeat_kpi(prepared, window),
        "purchase_frequency": orders["frequency"],
        "aov": orders["aov"],
        "orders": orders,
        "churn": churn_kpi(prepared, window, threshold_days, predictions),
        "clv": clv_kpi(historical, result, predictions, horizon=horizon, time_unit=time_unit, lang=lang),
    }
