"""Charts of customer value: historical CLV distribution and RFM segments.

Customer values are binned in pandas on a log scale: value per customer is heavily
skewed (a few customers hold half the revenue), so a linear axis would squeeze
almost everyone into the first bar.
"""

from __future__ import annotations

from typing import Literal

import altair as alt
import numpy as np
import pandas as pd

from loyalty.charts.theme import FIT_WIDTH, PALETTE, rows_height, title
from loyalty.i18n import format_number, t
from loyalty.kpi.rfm import SEGMENTS, segment_label

_HEIGHT = 320
_BINS = 30
_WIDTH = 520


def log_bins(values: pd.Series | np.ndarray, bins: int = _BINS) -> tuple[pd.DataFrame, int]:
    """Return log-spaced histogram bins of the positive values and how many values were not positive.

    Parameters
    ----------
    values : array-like
        Value per customer.
    bins : int
        Number of bars.

    Returns
    -------
    tuple
        Frame ``start``, ``end``, ``customers`` and the count of values ≤ 0 (or NaN),
        which a log axis cannot show.
    """
    array = np.asarray(values, dtype=float)
    positive = array[np.isfinite(array) & (array > 0)]
    left_out = int(array.size - positive.size)
    if positive.size == 0:
        return pd.DataFrame({"start": [], "end": [], "customers": []}), left_out
    low, high = float(positive.min()), float(positive.max())
    if high <= low:
        high = low * 1.01
    edges = np.geomspace(low, high, bins + 1)
    counts, _ = np.histogram(positive, bins=edges)
    return pd.DataFrame({"start": edges[:-1], "end": edges[1:], "customers": counts}), left_out


def clv_distribution_chart(clv: pd.DataFrame, lang: str = "en", column: str = "value") -> alt.Chart:
    """Return the distribution of historical value per customer on a log axis.

    Parameters
    ----------
    clv : pandas.DataFrame
        From :func:`loyalty.kpi.value.historical_clv`.
    lang : str
        Language of titles and labels.
    column : str
        Column to plot: ``value`` (revenue × margin) or ``revenue``.

    Returns
    -------
    alt.Chart
        Pre-binned bars on a log x axis; the subtitle counts customers with a value
        of 0 or less, which a log axis cannot place.
    """
    data, left_out = log_bins(clv[column])
    subtitle = t("kpi.chart.clv.nonpositive", lang, n=format_number(left_out, lang)) if left_out else ""
    heading = title(t("kpi.chart.clv.title", lang), subtitle)
    customers = t("kpi.chart.customers", lang)
    return (
        alt.Chart(data, title=heading)
        # A rect from 0 to the count: bars on a log axis cannot use Vega-Lite's "binned" shortcut.
        .mark_rect(color=PALETTE[0], stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("start:Q", title=t("kpi.chart.clv.x", lang), scale=alt.Scale(type="log")),
            x2="end:Q",
            y=alt.Y("customers:Q", title=customers),
            y2=alt.datum(0),
            tooltip=[
                alt.Tooltip("start:Q", format=",.2f", title=t("kpi.chart.clv.from", lang)),
                alt.Tooltip("end:Q", format=",.2f", title=t("kpi.chart.clv.to", lang)),
                alt.Tooltip("customers:Q", title=customers),
            ],
        )
        .properties(height=_HEIGHT, width=_WIDTH, autosize=FIT_WIDTH)
    )


def rfm_segment_chart(
    segments: pd.DataFrame, lang: str = "en", measure: Literal["customers", "revenue"] = "customers"
) -> alt.LayerChart:
    """Return customers (or revenue) per RFM segment as horizontal bars, best segment on top.

    Parameters
    ----------
    segments : pandas.DataFrame
        From :func:`loyalty.kpi.rfm.rfm_segments`.
    lang : str
        Language of titles and labels.
    measure : {"customers", "revenue"}
        Bar length.

    Returns
    -------
    alt.LayerChart
        Bars with the share printed at their end; segment names translated.
    """
    data = segments[["segment", "customers", "share", "revenue", "revenue_share"]].copy()
    data["label"] = [segment_label(key, lang) for key in data["segment"]]
    share_column = "share" if measure == "customers" else "revenue_share"
    data["text"] = [f"{round(100 * s)}%" if pd.notna(s) else "" for s in data[share_column]]
    order = [segment_label(key, lang) for key in SEGMENTS]
    measure_title = t(f"kpi.chart.{measure}", lang)
    y = alt.Y("label:N", sort=order, title=None)
    base = alt.Chart(data)
    bars = base.mark_bar(color=PALETTE[0]).encode(
        y=y,
        x=alt.X(f"{measure}:Q", title=measure_title),
        tooltip=[
            alt.Tooltip("label:N", title=t("kpi.chart.segment", lang)),
            alt.Tooltip("customers:Q", title=t("kpi.chart.customers", lang)),
            alt.Tooltip("share:Q", format=".1%", title=t("kpi.chart.share", lang)),
            alt.Tooltip("revenue:Q", format=",.0f", title=t("kpi.chart.revenue", lang)),
            alt.Tooltip("revenue_share:Q", format=".1%", title=t("kpi.chart.rfm.revenue_share", lang)),
        ],
    )
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(y=y, x=f"{measure}:Q", text="text:N")
    return (bars + text).properties(
        title=title(t("kpi.chart.rfm.title", lang)), height=rows_height(len(SEGMENTS)), autosize=FIT_WIDTH
    )
