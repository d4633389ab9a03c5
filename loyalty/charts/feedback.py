"""Charts of the customer-feedback KPI: rating scores and top box, comment themes, NPS impact.

Each builder takes the frame of :mod:`loyalty.kpi.feedback` and a language; numbers in
tooltips are preformatted in that language. Small samples are drawn faded and say so.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from loyalty.charts.theme import BAD, FIT_WIDTH, GOOD, NEUTRAL, PALETTE, TEXT, rows_height, title
from loyalty.i18n import format_number, format_percent, has_key, t
from loyalty.kpi.feedback import MIN_N

_SENTIMENTS: tuple[tuple[str, str], ...] = (("positive", GOOD), ("neutral", NEUTRAL), ("negative", BAD))
_FADED = 0.45
# One row per rating or theme, tall enough for the theme's 14 px labels: at Vega-Lite's default
# 20 px step half the labels overlapped and were hidden. Long names ("Communication and honesty")
# are never cut off.
_ROW = alt.Step(30)
_LABELS = alt.Axis(labelLimit=0)


def _field_label(field: str, lang: str) -> str:
    return t(f"field.{field}", lang) if has_key(f"field.{field}") else field


def _note(small: pd.Series, lang: str) -> pd.Series:
    return small.map({True: t("feedback.small_sample", lang, n=MIN_N), False: t("feedback.chart.ok", lang)})


def _opacity() -> alt.Opacity:
    return alt.Opacity(
        "small_sample:N", legend=None, scale=alt.Scale(domain=[False, True], range=[1.0, _FADED])
    )


def _driver_data(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    data = summary.reset_index()
    return pd.DataFrame(
        {
            "label": [_field_label(f, lang) for f in data["field"]],
            "score": data["score"],
            "score_low": data["score_low"],
            "score_high": data["score_high"],
            "top_box": data["top_box"],
            "top_box_low": data["top_box_low"],
            "top_box_high": data["top_box_high"],
            "small_sample": data["small_sample"].astype(bool),
            "score_text": [format_number(v, lang, 1) for v in data["score"]],
            "interval_text": [
                f"{format_number(a, lang, 1)} – {format_number(b, lang, 1)}"
                for a, b in zip(data["score_low"], data["score_high"], strict=True)
            ],
            "top_box_text": [
                f"{format_percent(v, lang)} ({format_percent(a, lang)} – {format_percent(b, lang)})"
                for v, a, b in zip(data["top_box"], data["top_box_low"], data["top_box_high"], strict=True)
            ],
            "n": data["n"],
            "note": _note(data["small_sample"].astype(bool), lang),
        }
    )


def driver_chart(summary: pd.DataFrame, lang: str = "en") -> alt.HConcatChart:
    """Return mean scores (0–100) with 95% intervals beside top-box shares with Wilson intervals.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`loyalty.kpi.feedback.driver_summary`.
    lang : str
        Language of titles, labels and tooltips.

    Returns
    -------
    alt.HConcatChart
        Two panels sharing the rating order; fields with few answers are faded.
    """
    data = _driver_data(summary, lang)
    y = alt.Y("label:N", sort=list(data["label"]), title=t("feedback.chart.field", lang), axis=_LABELS)
    tooltip = [
        alt.Tooltip("label:N", title=t("feedback.chart.field", lang)),
        alt.Tooltip("score_text:N", title=t("feedback.column.score", lang)),
        alt.Tooltip("interval_text:N", title=t("feedback.chart.drivers.score", lang)),
        alt.Tooltip("top_box_text:N", title=t("feedback.chart.drivers.top_box", lang)),
        alt.Tooltip("n:Q", title=t("feedback.chart.n", lang)),
        alt.Tooltip("note:N", title=t("feedback.chart.note", lang)),
    ]
    base = alt.Chart(data).encode(y=y, tooltip=tooltip)
    score_x = alt.X(
        "score_low:Q", scale=alt.Scale(domain=[0, 100]), title=t("feedback.chart.drivers.score", lang)
    )
    scores = (
        base.mark_rule(color=TEXT, strokeWidth=2).encode(x=score_x, x2="score_high:Q", opacity=_opacity())
        + base.mark_point(filled=True, size=140, color=PALETTE[0]).encode(x="score:Q", opacity=_opacity())
    ).properties(title=t("feedback.chart.drivers.title", lang), width=320, height=_ROW)
    box_x = alt.X(
        "top_box:Q",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format="%"),
        title=t("feedback.chart.drivers.top_box", lang),
    )
    # The second panel repeats the order but not the labels: they sit left of the first.
    right = alt.Chart(data).encode(y=alt.Y("label:N", sort=list(data["label"]), axis=None), tooltip=tooltip)
    boxes = (
        right.mark_bar(color=PALETTE[2]).encode(x=box_x, opacity=_opacity())
        + right.mark_rule(color=TEXT, strokeWidth=2).encode(x="top_box_low:Q", x2="top_box_high:Q")
    ).properties(title=t("feedback.chart.drivers.top_box_title", lang), width=240, height=_ROW)
    return alt.hconcat(scores, boxes)


def _theme_long(themes: pd.DataFrame, lang: str) -> pd.DataFrame:
    order = themes.sort_values("mentions", ascending=False, kind="stable").reset_index()
    rows = [
        {
            "label": t(f"feedback.theme.{row['theme']}", lang),
            "sentiment": t(f"feedback.sentiment.{key}", lang),
            "rank": rank,
            "count": int(row[key]),
            "mentions": int(row["mentions"]),
            "share_text": format_percent(row["share"], lang),
        }
        for _, row in order.iterrows()
        for rank, (key, _) in enumerate(_SENTIMENTS)
    ]
    return pd.DataFrame(rows)


def theme_chart(themes: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Return how many comments mention each theme, split by tone.

    Parameters
    ----------
    themes : pandas.DataFrame
        Output of :func:`loyalty.kpi.feedback.theme_summary`.
    lang : str
        Language of titles, labels and tooltips.

    Returns
    -------
    alt.Chart
        Horizontal stacked bars, most mentioned theme first.
    """
    data = _theme_long(themes, lang)
    labels = list(dict.fromkeys(data["label"])) if len(data) else []
    domain = [t(f"feedback.sentiment.{key}", lang) for key, _ in _SENTIMENTS]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("count:Q", stack="zero", title=t("feedback.chart.themes.mentions", lang)),
            y=alt.Y("label:N", sort=labels, title=t("feedback.chart.theme", lang), axis=_LABELS),
            color=alt.Color(
                "sentiment:N",
                title=t("feedback.chart.sentiment", lang),
                scale=alt.Scale(domain=domain, range=[colour for _, colour in _SENTIMENTS]),
                # Below the bars: on the right it took the half-width column's plot area.
                legend=alt.Legend(orient="bottom", labelLimit=0),
            ),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("label:N", title=t("feedback.chart.theme", lang)),
                alt.Tooltip("sentiment:N", title=t("feedback.chart.sentiment", lang)),
                alt.Tooltip("count:Q", title=t("feedback.column.mentions", lang)),
                alt.Tooltip("share_text:N", title=t("feedback.column.share", lang)),
            ],
        )
        .properties(
            title=title(t("feedback.chart.themes.title", lang)),
            width=420,
            height=rows_height(len(labels)),
            autosize=FIT_WIDTH,
        )
    )


def _impact_data(themes: pd.DataFrame, lang: str) -> pd.DataFrame:
    data = themes.reset_index().dropna(subset=["nps_impact"])
    return pd.DataFrame(
        {
            "label": [t(f"feedback.theme.{name}", lang) for name in data["theme"]],
            "impact": data["nps_impact"],
            "direction": ["up" if v >= 0 else "down" for v in data["nps_impact"]],
            "impact_text": [format_number(v, lang, 1) for v in data["nps_impact"]],
            "mentioners_text": [format_number(v, lang, 1) for v in data["nps_mentioners"]],
            "n_scored": data["n_scored"],
            "small_sample": data["small_sample"].astype(bool),
            "note": _note(data["small_sample"].astype(bool), lang),
        }
    )


def nps_impact_chart(themes: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Return each theme's NPS impact (NPS of all − NPS of non-mentioners) as bars.

    Parameters
    ----------
    themes : pandas.DataFrame
        Output of :func:`loyalty.kpi.feedback.theme_summary`.
    lang : str
        Language of titles, labels and tooltips.

    Returns
    -------
    alt.LayerChart
        Bars sorted from most negative to most positive, red where the theme pulls the NPS
        down, teal where it lifts it; themes with few mentioners are faded.
    """
    data = _impact_data(themes, lang).sort_values("impact", kind="stable")
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("impact:Q", title=t("feedback.chart.impact.axis", lang)),
            y=alt.Y("label:N", sort=list(data["label"]), title=t("feedback.chart.theme", lang), axis=_LABELS),
            color=alt.Color(
                "direction:N", legend=None, scale=alt.Scale(domain=["up", "down"], range=[GOOD, BAD])
            ),
            opacity=_opacity(),
            tooltip=[
                alt.Tooltip("label:N", title=t("feedback.chart.theme", lang)),
                alt.Tooltip("impact_text:N", title=t("feedback.column.nps_impact", lang)),
                alt.Tooltip("mentioners_text:N", title=t("feedback.chart.impact.mentioners", lang)),
                alt.Tooltip("n_scored:Q", title=t("feedback.chart.impact.n", lang)),
                alt.Tooltip("note:N", title=t("feedback.chart.note", lang)),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color=TEXT).encode(x="x:Q")
    return (bars + zero).properties(
        title=title(t("feedback.chart.impact.title", lang)),
        width=420,
        height=rows_height(len(data)),
        autosize=FIT_WIDTH,
    )
