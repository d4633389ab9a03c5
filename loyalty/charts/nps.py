"""Charts of the NPS: the 0–10 distribution, the trend with its interval, segments.

They draw the results of :mod:`loyalty.kpi.nps` (small frames), never raw answers,
so specs stay small whatever the number of respondents.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from loyalty.charts.theme import BAD, FIT_WIDTH, GOOD, NEUTRAL, PALETTE, TEXT, rows_height, title
from loyalty.i18n import t
from loyalty.kpi.nps import GROUPS, NPSResult

_HEIGHT = 320
_WIDTH = 520


def _group_of(score: int) -> str:
    """Return the NPS group of a whole score."""
    return "promoters" if score >= 9 else "passives" if score >= 7 else "detractors"


def _group_colour(lang: str) -> alt.Color:
    """Detractors red, passives grey, promoters teal, with translated legend labels."""
    labels = [t(f"kpi.nps.group.{g}", lang) for g in GROUPS]
    return alt.Color(
        "group:N",
        title=t("kpi.nps.group.legend", lang),
        scale=alt.Scale(domain=labels, range=[BAD, NEUTRAL, GOOD]),
        legend=alt.Legend(orient="top"),
    )


def nps_distribution_chart(result: NPSResult, lang: str = "en") -> alt.Chart:
    """Return the count of answers per score 0..10, coloured by NPS group.

    Parameters
    ----------
    result : NPSResult
        From :func:`loyalty.kpi.nps.nps` (needs its ``distribution``).
    lang : str
        Language of titles and labels.

    Returns
    -------
    alt.Chart
        Bars per score, detractor/passive/promoter colours.
    """
    counts = list(result.distribution or [0] * 11)
    total = sum(counts) or 1
    data = pd.DataFrame(
        {
            "score": range(11),
            "respondents": counts,
            "share": [c / total for c in counts],
            "group": [t(f"kpi.nps.group.{_group_of(s)}", lang) for s in range(11)],
        }
    )
    x_title = t("kpi.chart.nps_distribution.x", lang)
    return (
        alt.Chart(data, title=title(t("kpi.chart.nps_distribution.title", lang)))
        .mark_bar()
        .encode(
            x=alt.X("score:O", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("respondents:Q", title=t("kpi.chart.respondents", lang)),
            color=_group_colour(lang),
            tooltip=[
                alt.Tooltip("score:O", title=x_title),
                alt.Tooltip("respondents:Q", title=t("kpi.chart.respondents", lang)),
                alt.Tooltip("share:Q", format=".1%", title=t("kpi.chart.share", lang)),
            ],
        )
        .properties(height=_HEIGHT, width=_WIDTH, autosize=FIT_WIDTH)
    )


def _interval_tooltip(lang: str, key: str, key_title: str) -> list[alt.Tooltip]:
    """Tooltip rows shared by the trend and segment charts."""
    return [
        alt.Tooltip(f"{key}:N", title=key_title),
        alt.Tooltip("value:Q", format=".1f", title="NPS"),
        alt.Tooltip("lo:Q", format=".1f", title=t("kpi.chart.ci_low", lang)),
        alt.Tooltip("hi:Q", format=".1f", title=t("kpi.chart.ci_high", lang)),
        alt.Tooltip("n:Q", title=t("kpi.chart.respondents", lang)),
    ]


def nps_trend_chart(trend: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Return the NPS per period as a line inside its 95% interval band.

    Parameters
    ----------
    trend : pandas.DataFrame
        From :func:`loyalty.kpi.nps.nps_trend`.
    lang : str
        Language of titles and labels.

    Returns
    -------
    alt.LayerChart
        Band (lo–hi), line and points; periods with too few answers are drawn pale.
    """
    data = trend[["period", "n", "value", "lo", "hi", "too_small"]].copy()
    order = list(data["period"])
    # Long runs of "2024-01" labels overlap when horizontal.
    angle = 0 if len(order) <= 6 else -45
    x = alt.X("period:N", sort=order, title=t("kpi.chart.period", lang), axis=alt.Axis(labelAngle=angle))
    y_title = t("kpi.chart.nps.y", lang)
    base = alt.Chart(data)
    band = base.mark_area(opacity=0.2, color=PALETTE[0]).encode(
        x=x, y=alt.Y("lo:Q", title=y_title, scale=alt.Scale(domain=[-100, 100])), y2="hi:Q"
    )
    line = base.mark_line(color=PALETTE[0]).encode(x=x, y="value:Q")
    points = base.mark_point(filled=True, color=PALETTE[0]).encode(
        x=x,
        y="value:Q",
        opacity=alt.condition(alt.datum.too_small, alt.value(0.35), alt.value(1.0)),
        tooltip=_interval_tooltip(lang, "period", t("kpi.chart.period", lang)),
    )
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=TEXT, strokeDash=[2, 2]).encode(y="zero:Q")
    width = max(_WIDTH, 36 * len(order))
    heading = title(t("kpi.chart.nps_trend.title", lang))
    return (band + zero + line + points).properties(
        title=heading, height=_HEIGHT, width=width, autosize=FIT_WIDTH
    )


def nps_segment_chart(segments: pd.DataFrame, lang: str = "en", min_n: int = 30) -> alt.LayerChart:
    """Return the NPS per segment as points with interval bars, ranked segments first.

    Parameters
    ----------
    segments : pandas.DataFrame
        From :func:`loyalty.kpi.nps.nps_by_segment`.
    lang : str
        Language of titles and labels.
    min_n : int
        The minimum used there, for the legend.

    Returns
    -------
    alt.LayerChart
        Horizontal interval rules and points; segments too small to rank in grey.
    """
    data = segments[["segment", "n", "value", "lo", "hi", "too_small"]].copy()
    enough, small = t("kpi.chart.enough", lang), t("kpi.chart.too_small", lang, min_n=min_n)
    data["status"] = [small if s else enough for s in data["too_small"]]
    y = alt.Y("segment:N", sort=list(data["segment"]), title=t("kpi.chart.segment", lang))
    colour = alt.Color(
        "status:N",
        title=None,
        scale=alt.Scale(domain=[enough, small], range=[PALETTE[0], NEUTRAL]),
        legend=alt.Legend(orient="bottom", labelLimit=0),
    )
    base = alt.Chart(data)
    rules = base.mark_rule(strokeWidth=3).encode(
        y=y,
        x=alt.X("lo:Q", title=t("kpi.chart.nps.y", lang), scale=alt.Scale(domain=[-100, 100])),
        x2="hi:Q",
        color=colour,
    )
    points = base.mark_point(filled=True, size=120).encode(
        y=y,
        x="value:Q",
        color=colour,
        tooltip=_interval_tooltip(lang, "segment", t("kpi.chart.segment", lang)),
    )
    return (rules + points).properties(
        title=title(t("kpi.chart.nps_segment.title", lang)),
        height=rows_height(len(data)),
        width=_WIDTH,
        autosize=FIT_WIDTH,
    )
