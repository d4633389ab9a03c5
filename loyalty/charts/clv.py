"""Charts of the predictive CLV engine: holdout checks, P(alive) map, CLV distribution.

Data are pre-aggregated in pandas (bins, grids), so every spec stays small
whatever the number of customers (and Altair's 5,000-row limit never bites).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from loyalty.charts.theme import FIT_WIDTH, PALETTE, SEQUENTIAL, TEXT, title
from loyalty.clv.bgnbd import BGNBDFit
from loyalty.clv.holdout import HoldoutCheck
from loyalty.i18n import format_number, t

_HEATMAP_RECENCY_BINS = 30
_HEATMAP_MAX_FREQUENCY = 30
_HISTOGRAM_BINS = 30
_HISTOGRAM_CAP_QUANTILE = 0.99


def _series_colour(lang: str) -> alt.Color:
    """Actual vs predicted, in fixed theme colours and a translated legend."""
    actual, predicted = t("clv.series.actual", lang), t("clv.series.predicted", lang)
    return alt.Color(
        "series:N",
        title=t("clv.series.legend", lang),
        scale=alt.Scale(domain=[actual, predicted], range=[PALETTE[0], PALETTE[1]]),
    )


def _long(frame: pd.DataFrame, keys: list[str], lang: str) -> pd.DataFrame:
    """Melt ``actual``/``predicted`` columns into (series, value) rows with translated labels."""
    labels = {"actual": t("clv.series.actual", lang), "predicted": t("clv.series.predicted", lang)}
    out = frame.melt(id_vars=keys, value_vars=["actual", "predicted"], var_name="series", value_name="value")
    return out.assign(series=out["series"].map(labels))


def holdout_frequency_chart(holdout: HoldoutCheck, lang: str = "en") -> alt.Chart:
    """Return mean holdout repeat purchases per calibration frequency group, actual vs predicted.

    Parameters
    ----------
    holdout : HoldoutCheck
        From :func:`loyalty.clv.holdout_check`.
    lang : str
        Language of titles and labels.

    Returns
    -------
    alt.Chart
        Lines with points; x is the group (0 … 7+), tooltips give the group size.
    """
    data = _long(holdout.by_frequency, ["group", "n_customers"], lang)
    order = list(holdout.by_frequency["group"])
    return (
        alt.Chart(data, title=title(t("clv.chart.holdout.title", lang)))
        .mark_line(point=True)
        .encode(
            x=alt.X("group:O", sort=order, title=t("clv.chart.holdout.x", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=t("clv.chart.holdout.y", lang)),
            color=_series_colour(lang),
            tooltip=[
                alt.Tooltip("group:O", title=t("clv.chart.holdout.x", lang)),
                alt.Tooltip("series:N", title=t("clv.series.legend", lang)),
                alt.Tooltip("value:Q", format=".2f", title=t("clv.chart.holdout.y", lang)),
                alt.Tooltip("n_customers:Q", title=t("clv.chart.holdout.customers", lang)),
            ],
        )
        .properties(height=320, autosize=FIT_WIDTH)
    )


def cumulative_chart(holdout: HoldoutCheck, lang: str = "en") -> alt.LayerChart:
    """Return cumulative repeat purchases over calibration + holdout, with the calibration end marked.

    Parameters
    ----------
    holdout : HoldoutCheck
        Must carry a ``cumulative`` frame.
    lang : str
        Language of titles and labels.

    Returns
    -------
    alt.LayerChart
        Actual (solid) and predicted (dashed) lines plus a vertical rule.
    """
    if holdout.cumulative is None:
        raise ValueError("holdout check has no cumulative curve")
    data = _long(holdout.cumulative, ["date"], lang)
    predicted = t("clv.series.predicted", lang)
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            # ISO-like year-month ticks: Vega's month names would be English in every language.
            x=alt.X("date:T", title=t("clv.chart.cumulative.x", lang), axis=alt.Axis(format="%Y-%m")),
            y=alt.Y("value:Q", title=t("clv.chart.cumulative.y", lang)),
            color=_series_colour(lang),
            strokeDash=alt.condition(alt.datum.series == predicted, alt.value([6, 4]), alt.value([1, 0])),
            tooltip=[
                alt.Tooltip("date:T", title=t("clv.chart.cumulative.x", lang)),
                alt.Tooltip("series:N", title=t("clv.series.legend", lang)),
                alt.Tooltip("value:Q", format=",.0f", title=t("clv.chart.cumulative.y", lang)),
            ],
        )
    )
    marker = pd.DataFrame(
        {"date": [holdout.calibration_end], "label": [t("clv.chart.cumulative.calibration_end", lang)]}
    )
    rule = alt.Chart(marker).mark_rule(color=TEXT, strokeDash=[2, 2]).encode(x="date:T")
    text = (
        alt.Chart(marker)
        .mark_text(align="left", dx=4, dy=-6, baseline="top", color=TEXT, y=0)
        .encode(x="date:T", text="label:N")
    )
    return (lines + rule + text).properties(
        title=title(t("clv.chart.cumulative.title", lang)), height=320, autosize=FIT_WIDTH
    )


def p_alive_grid(
    bgnbd: BGNBDFit, T: float, max_frequency: int, bins: int = _HEATMAP_RECENCY_BINS
) -> pd.DataFrame:
    """Return P(alive) on a frequency (1 … max) × recency (bins over 0 … T) grid at age ``T``.

    Frequency 0 is left out: the BG/NBD model gives non-repeaters P(alive) = 1
    whatever their age, which would only paint a misleading full row.
    """
    edges = np.linspace(0.0, T, bins + 1)
    mid = (edges[:-1] + edges[1:]) / 2
    freq = np.arange(1, max(max_frequency, 1) + 1)
    f, m = np.meshgrid(freq, mid, indexing="ij")
    lo, hi = np.meshgrid(freq, edges[:-1], indexing="ij")[1], np.meshgrid(freq, edges[1:], indexing="ij")[1]
    return pd.DataFrame(
        {
            "frequency": f.ravel(),
            "recency_start": lo.ravel(),
            "recency_end": hi.ravel(),
            "recency": m.ravel(),
            "p_alive": bgnbd.p_alive(f.ravel(), m.ravel(), T),
        }
    )


def p_alive_heatmap(
    bgnbd: BGNBDFit, summary: pd.DataFrame, lang: str = "en", max_frequency: int | None = None
) -> alt.Chart:
    """Return a heat map of P(alive) over frequency × recency for the longest-standing customers.

    Parameters
    ----------
    bgnbd : BGNBDFit
        The fitted purchase model.
    summary : pd.DataFrame
        Its summary; sets the age T (the maximum) and the frequency range.
    lang : str
        Language of titles and labels.
    max_frequency : int, optional
        Highest frequency row; default the 99th percentile of repeaters' frequency.

    Returns
    -------
    alt.Chart
        Rectangles coloured on the theme's sequential ramp (0 … 1).
    """
    T = float(summary["T"].max())
    if max_frequency is None:
        repeat = summary.loc[summary["frequency"] > 0, "frequency"]
        max_frequency = int(np.ceil(repeat.quantile(0.99))) if len(repeat) else 1
    grid = p_alive_grid(bgnbd, T, min(max_frequency, _HEATMAP_MAX_FREQUENCY))
    unit = t(f"clv.unit.{bgnbd.time_unit}", lang)
    heading = title(
        t("clv.chart.p_alive.title", lang),
        t("clv.chart.p_alive.subtitle", lang, T=format_number(T, lang, 1), unit=unit),
    )
    return (
        alt.Chart(grid, title=heading)
        .mark_rect()
        .encode(
            x=alt.X(
                "recency_start:Q",
                title=t("clv.chart.p_alive.x", lang, unit=unit),
                scale=alt.Scale(domain=[0, T]),
            ),
            x2="recency_end:Q",
            y=alt.Y("frequency:O", sort="descending", title=t("clv.chart.p_alive.y", lang)),
            color=alt.Color(
                "p_alive:Q",
                title=t("clv.chart.p_alive.legend", lang),
                scale=alt.Scale(domain=[0, 1], range=SEQUENTIAL),
            ),
            tooltip=[
                alt.Tooltip("frequency:O", title=t("clv.chart.p_alive.y", lang)),
                alt.Tooltip("recency:Q", format=".1f", title=t("clv.chart.p_alive.x", lang, unit=unit)),
                alt.Tooltip("p_alive:Q", format=".0%", title=t("clv.chart.p_alive.legend", lang)),
            ],
        )
        .properties(height=340, autosize=FIT_WIDTH)
    )


def clv_histogram_bins(
    clv: pd.Series | np.ndarray, bins: int = _HISTOGRAM_BINS
) -> tuple[pd.DataFrame, float]:
    """Return histogram bins of CLV with the top 1% folded into the last bin, and the cap used."""
    values = np.asarray(clv, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return pd.DataFrame({"start": [], "end": [], "customers": []}), float("nan")
    cap = float(np.quantile(values, _HISTOGRAM_CAP_QUANTILE))
    if cap <= values.min():
        cap = float(values.max())
    counts, edges = np.histogram(
        np.minimum(values, cap), bins=bins, range=(min(values.min(), 0.0), max(cap, 1e-9))
    )
    return pd.DataFrame({"start": edges[:-1], "end": edges[1:], "customers": counts}), cap


def clv_histogram(
    predictions: pd.DataFrame, lang: str = "en", *, horizon: float, time_unit: str
) -> alt.Chart:
    """Return the distribution of predicted CLV over customers.

    Parameters
    ----------
    predictions : pd.DataFrame
        With a ``clv`` column (from :func:`loyalty.clv.predict_clv`).
    lang : str
        Language of titles and labels.
    horizon : float
        The prediction horizon, for the title.
    time_unit : str
        Unit of ``horizon``.

    Returns
    -------
    alt.Chart
        Pre-binned bars; the top 1% of customers are counted in the last bar.
    """
    data, cap = clv_histogram_bins(predictions["clv"])
    unit = t(f"clv.unit.{time_unit}", lang)
    heading = title(
        t("clv.chart.clv_hist.title", lang, horizon=format_number(horizon, lang, 0), unit=unit),
        t("clv.chart.clv_hist.subtitle", lang, cap=format_number(cap, lang, 0)),
    )
    return (
        alt.Chart(data, title=heading)
        .mark_bar(color=PALETTE[0], stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("start:Q", bin="binned", title=t("clv.chart.clv_hist.x", lang)),
            x2="end:Q",
            y=alt.Y("customers:Q", title=t("clv.chart.clv_hist.y", lang)),
            tooltip=[
                alt.Tooltip("start:Q", format=",.0f"),
                alt.Tooltip("end:Q", format=",.0f"),
                alt.Tooltip("customers:Q", title=t("clv.chart.clv_hist.y", lang)),
            ],
        )
        .properties(height=300, autosize=FIT_WIDTH)
    )
