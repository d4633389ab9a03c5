"""Charts of retention: the cohort heat map and the two retention rates over time."""

from __future__ import annotations

import altair as alt
import pandas as pd

from loyalty.charts.theme import FIT_WIDTH, PALETTE, SEQUENTIAL, TEXT, title
from loyalty.i18n import t
from loyalty.kpi.retention import CohortTable

_HEIGHT = 320
_WIDTH = 520
# Cell size that keeps "15%" legible from the back of a meeting room.
_CELL_WIDTH, _CELL_HEIGHT, _LABEL_SIZE = 46, 28, 13


def cohort_heatmap(table: CohortTable, lang: str = "en", max_periods: int = 12) -> alt.LayerChart:
    """Return the cohort table as a heat map with a percentage in every cell.

    Column 0 (100% by definition) is left out: it would stretch the colour scale so
    far that the interesting 5–30% cells all look alike. Cohort sizes are in the
    tooltip.

    Parameters
    ----------
    table : CohortTable
        From :func:`loyalty.kpi.retention.cohort_table`.
    lang : str
        Language of titles and labels.
    max_periods : int
        Last column shown (periods since first purchase).

    Returns
    -------
    alt.LayerChart
        Rectangles on the theme's sequential ramp plus text labels; x = periods since
        first purchase, y = cohort.
    """
    long = table.to_long()
    data = long.loc[(long["periods_since"] >= 1) & (long["periods_since"] <= max_periods)].copy()
    top = float(data["share"].max()) if len(data) else 1.0
    data["label"] = [f"{round(100 * s)}%" for s in data["share"]]
    # Dark cells get white text: past ~55% of the colour scale the ramp is too deep for dark text.
    data["dark"] = data["share"] > 0.55 * top
    x_title = t(f"kpi.chart.cohort.x.{table.period}", lang)
    y_title = t("kpi.chart.cohort.y", lang)
    x = alt.X("periods_since:O", title=x_title, axis=alt.Axis(labelAngle=0, orient="top"))
    # The axis title goes in the subtitle: rotated, it would be clipped beside a few short rows.
    y = alt.Y("cohort:O", title=None, sort=list(table.shares.index))
    base = alt.Chart(data)
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        x=x,
        y=y,
        color=alt.Color(
            "share:Q",
            title=t("kpi.chart.cohort.share", lang),
            scale=alt.Scale(domain=[0, top], range=SEQUENTIAL),
            legend=alt.Legend(format=".0%"),
        ),
        tooltip=[
            alt.Tooltip("cohort:O", title=y_title),
            alt.Tooltip("periods_since:O", title=x_title),
            alt.Tooltip("share:Q", format=".1%", title=t("kpi.chart.cohort.share", lang)),
            alt.Tooltip("active:Q", title=t("kpi.chart.cohort.active", lang)),
            alt.Tooltip("size:Q", title=t("kpi.chart.cohort.size", lang)),
        ],
    )
    labels = base.mark_text(fontSize=_LABEL_SIZE).encode(
        x=x,
        y=y,
        text="label:N",
        color=alt.condition(alt.datum.dark, alt.value("white"), alt.value(TEXT)),
    )
    columns = max(1, data["periods_since"].nunique())
    rows = max(1, data["cohort"].nunique())
    title = alt.TitleParams(t("kpi.chart.cohort.title", lang), subtitle=t("kpi.chart.cohort.subtitle", lang))
    return (cells + labels).properties(title=title, width=_CELL_WIDTH * columns, height=_CELL_HEIGHT * rows)


def retention_trend_chart(rates: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Return both retention rates per period as two named lines.

    Parameters
    ----------
    rates : pandas.DataFrame
        From :func:`loyalty.kpi.retention.retention_rates`.
    lang : str
        Language of titles and labels.

    Returns
    -------
    alt.Chart
        Lines with points; the strict rate (active in both periods) solid, the common
        (E − N)/S formula dashed.
    """
    names = {
        "rate_both": t("kpi.retention.rate_both", lang),
        "rate_common": t("kpi.retention.rate_common", lang),
    }
    data = rates.melt(
        id_vars=["period", "active_start"],
        value_vars=list(names),
        var_name="definition",
        value_name="rate",
    ).dropna(subset=["rate"])
    data["definition"] = data["definition"].map(names)
    legend_title = t("kpi.chart.retention.legend", lang)
    y_title = t("kpi.chart.retention.y", lang)
    return (
        alt.Chart(data, title=title(t("kpi.chart.retention.title", lang)))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "period:N",
                sort=list(rates["period"]),
                title=t("kpi.chart.period", lang),
                axis=alt.Axis(labelAngle=0 if len(rates) <= 6 else -45),
            ),
            y=alt.Y("rate:Q", title=y_title, axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "definition:N",
                title=legend_title,
                scale=alt.Scale(domain=list(names.values()), range=[PALETTE[0], PALETTE[1]]),
                legend=alt.Legend(orient="top", labelLimit=400),
            ),
            strokeDash=alt.StrokeDash(
                "definition:N",
                scale=alt.Scale(domain=list(names.values()), range=[[1, 0], [6, 4]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("period:N", title=t("kpi.chart.period", lang)),
                alt.Tooltip("definition:N", title=legend_title),
                alt.Tooltip("rate:Q", format=".1%", title=y_title),
                alt.Tooltip("active_start:Q", title="S"),
            ],
        )
        .properties(height=_HEIGHT, width=max(_WIDTH, 48 * len(rates)), autosize=FIT_WIDTH)
    )
