"""Charts of repeat purchasing: repeat rate by cohort or segment, and the purchase-gap histogram.

Gaps are binned in pandas, so the spec stays small whatever the number of purchases.
"""

from __future__ import annotations

import math
from typing import Literal

import altair as alt
import numpy as np
import pandas as pd

from loyalty.charts.theme import FIT_WIDTH, NEUTRAL, PALETTE, TEXT, rows_height, title
from loyalty.i18n import t

_HEIGHT = 320
_WIDTH = 520
_GAP_BINS = 30
_GAP_CAP_QUANTILE = 0.99


def repeat_rate_chart(
    table: pd.DataFrame, lang: str = "en", by: Literal["cohort", "segment"] = "cohort", min_n: int = 30
) -> alt.LayerChart:
    """Return repeat purchase rates as bars with Wilson 95% intervals.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`loyalty.kpi.repeat.repeat_rate_by_cohort` (``by="cohort"``) or
        :func:`loyalty.kpi.repeat.repeat_rate_by_segment` (``by="segment"``).
    lang : str
        Language of titles and labels.
    by : {"cohort", "segment"}
        Which table it is: cohorts run along x in time order, segments are horizontal bars.
    min_n : int
        The minimum group size used there, for the legend.

    Returns
    -------
    alt.LayerChart
        Bars and interval rules; groups below ``min_n`` in grey.
    """
    data = table[[by, "customers", "repeat_customers", "value", "lo", "hi", "too_small"]].copy()
    enough, small = t("kpi.chart.enough", lang), t("kpi.chart.too_small", lang, min_n=min_n)
    data["status"] = [small if s else enough for s in data["too_small"]]
    group_title = t("kpi.chart.repeat.cohort" if by == "cohort" else "kpi.chart.segment", lang)
    rate_title = t("kpi.chart.repeat.y", lang)
    group_enc = alt.X if by == "cohort" else alt.Y
    rate_enc = alt.Y if by == "cohort" else alt.X
    group = group_enc(f"{by}:N", sort=list(data[by]), title=group_title)
    rate = rate_enc("value:Q", title=rate_title, axis=alt.Axis(format=".0%"), scale=alt.Scale(domain=[0, 1]))
    colour = alt.Color(
        "status:N",
        title=None,
        scale=alt.Scale(domain=[enough, small], range=[PALETTE[0], NEUTRAL]),
        legend=alt.Legend(orient="bottom", labelLimit=0),
    )
    tooltip = [
        alt.Tooltip(f"{by}:N", title=group_title),
        alt.Tooltip("value:Q", format=".1%", title=rate_title),
        alt.Tooltip("lo:Q", format=".1%", title=t("kpi.chart.ci_low", lang)),
        alt.Tooltip("hi:Q", format=".1%", title=t("kpi.chart.ci_high", lang)),
        alt.Tooltip("customers:Q", title=t("kpi.chart.customers", lang)),
    ]
    base = alt.Chart(data)
    if by == "cohort":
        bars = base.mark_bar().encode(x=group, y=rate, color=colour, tooltip=tooltip)
        rules = base.mark_rule(color=TEXT).encode(x=group, y="lo:Q", y2="hi:Q")
    else:
        bars = base.mark_bar().encode(y=group, x=rate, color=colour, tooltip=tooltip)
        rules = base.mark_rule(color=TEXT).encode(y=group, x="lo:Q", x2="hi:Q")
    heading = title(t(f"kpi.chart.repeat_{by}.title", lang))
    if by == "cohort":
        size = {"height": _HEIGHT, "width": max(_WIDTH, 36 * len(data))}
    else:
        size = {"height": rows_height(len(data)), "width": _WIDTH}
    return (bars + rules).properties(title=heading, autosize=FIT_WIDTH, **size)


def gap_bins(
    gaps: pd.Series, bins: int = _GAP_BINS, cap_quantile: float = _GAP_CAP_QUANTILE
) -> tuple[pd.DataFrame, int]:
    """Return histogram bins of purchase gaps with the longest 1% folded into the last bin.

    Parameters
    ----------
    gaps : pandas.Series
        Days between purchase days (:func:`loyalty.kpi.repeat.purchase_gaps`).
    bins : int
        Number of bars.
    cap_quantile : float
        Gaps above this quantile are counted in the last bar.

    Returns
    -------
    tuple
        Frame ``start``, ``end``, ``count`` and the cap in days.
    """
    values = np.asarray(gaps, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return pd.DataFrame({"start": [], "end": [], "count": []}), 0
    cap = max(1, math.ceil(float(np.quantile(values, cap_quantile))))
    counts, edges = np.histogram(np.minimum(values, cap), bins=min(bins, cap), range=(0, cap))
    return pd.DataFrame({"start": edges[:-1], "end": edges[1:], "count": counts}), cap


def purchase_gap_histogram(
    gaps: pd.Series, lang: str = "en", threshold_days: int | None = None
) -> alt.LayerChart:
    """Return the distribution of days between a customer's consecutive purchase days.

    Parameters
    ----------
    gaps : pandas.Series
        From :func:`loyalty.kpi.repeat.purchase_gaps`.
    lang : str
        Language of titles and labels.
    threshold_days : int, optional
        Inactivity threshold to mark with a vertical rule.

    Returns
    -------
    alt.LayerChart
        Pre-binned bars (longest 1% in the last bar), plus the threshold rule if given.
    """
    data, cap = gap_bins(gaps)
    x_title, y_title = t("kpi.chart.gaps.x", lang), t("kpi.chart.gaps.y", lang)
    heading = title(t("kpi.chart.gaps.title", lang), t("kpi.chart.gaps.capped", lang, days=cap))
    bars = (
        alt.Chart(data)
        .mark_bar(color=PALETTE[0], stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("start:Q", bin="binned", title=x_title),
            x2="end:Q",
            y=alt.Y("count:Q", title=y_title),
            tooltip=[
                alt.Tooltip("start:Q", format=",.0f"),
                alt.Tooltip("end:Q", format=",.0f"),
                alt.Tooltip("count:Q", title=y_title),
            ],
        )
    )
    layers = [bars]
    if threshold_days is not None:
        marker = pd.DataFrame(
            {
                "days": [min(threshold_days, cap)],
                "label": [t("kpi.chart.gaps.threshold", lang, days=threshold_days)],
            }
        )
        layers.append(alt.Chart(marker).mark_rule(color=PALETTE[3], strokeWidth=2).encode(x="days:Q"))
        layers.append(
            alt.Chart(marker)
            .mark_text(align="left", dx=6, baseline="top", y=4, color=PALETTE[3], fontSize=13)
            .encode(x="days:Q", text="label:N")
        )
    return alt.layer(*layers).properties(title=heading, height=_HEIGHT, width=_WIDTH, autosize=FIT_WIDTH)
