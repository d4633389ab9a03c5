"""The self-assessment's driver profile: one bar per trust driver on 0-100, weakest first."""

from __future__ import annotations

import altair as alt
import pandas as pd

from loyalty.charts.theme import BAD, FIT_WIDTH, GOOD, PALETTE, TEXT, rows_height, title
from loyalty.i18n import format_number, t
from loyalty.strategies.problems import rules

_WIDTH = 560
#: Longest title line: the chart spans the page (and 560 px in reports), wider than a half column.
_TITLE_CHARS = 56


def _band(score: float) -> str:
    """Return ``weak``, ``middle`` or ``strong`` by the recommender's own performance thresholds."""
    limits = rules()["driver_performance"]
    if score <= limits["poor"]:
        return "weak"
    return "strong" if score >= limits["good"] else "middle"


def profile_chart(table: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Return horizontal bars of each driver's self-assessed score, labelled "3.2 / 5".

    Parameters
    ----------
    table : pandas.DataFrame
        :meth:`loyalty.selfassess.DriverProfile.table` (``label``, ``mean``, ``score``).
    lang : str
        Language of labels.

    Returns
    -------
    alt.LayerChart
        Colours follow the recommender's thresholds (``scoring.json``), so a red bar
        is a driver the ranking treats as a problem.
    """
    frame = table.dropna(subset=["score"]).sort_values("score", kind="stable").reset_index(drop=True)
    frame["band"] = [t(f"selfassess.chart.band.{_band(s)}", lang) for s in frame["score"]]
    frame["text"] = [f"{format_number(m, lang, 1)} / 5" for m in frame["mean"]]
    bands = [t(f"selfassess.chart.band.{b}", lang) for b in ("weak", "middle", "strong")]
    # labelLimit 0: full driver names ("Communication and honesty"), never cut with an ellipsis.
    y = alt.Y("label:N", sort=frame["label"].tolist(), title=None, axis=alt.Axis(labelLimit=0))
    score_title = t("selfassess.chart.score", lang)
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X(
                "score:Q",
                title=score_title,
                # Room right of 100 for the "4.0 / 5" labels, but no axis ticks beyond the scale.
                scale=alt.Scale(domain=[0, 115], nice=False),
                axis=alt.Axis(values=list(range(0, 101, 20))),
            ),
            y=y,
            color=alt.Color(
                "band:N",
                title=None,
                legend=alt.Legend(orient="bottom", labelLimit=0),
                scale=alt.Scale(domain=bands, range=[BAD, PALETTE[1], GOOD]),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=t("selfassess.chart.driver", lang)),
                alt.Tooltip("text:N", title=t("selfassess.chart.mean", lang)),
                alt.Tooltip("score:Q", title=score_title, format=".0f"),
            ],
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(align="left", dx=6, fontSize=13, color=TEXT)
        .encode(x="score:Q", y=y, text="text:N")
    )
    return alt.layer(bars, labels).properties(
        width=_WIDTH,
        height=rows_height(len(frame)),
        # Fit the width only: Streamlit's default "fit" squeezed title, axes and legend into the
        # height and left ~30 px of bars.
        autosize=FIT_WIDTH,
        title=title(
            t("selfassess.chart.title", lang),
            subtitle=t("selfassess.chart.subtitle", lang),
            max_chars=_TITLE_CHARS,
        ),
    )
