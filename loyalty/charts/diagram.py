"""The playbook's model as a small diagram: drivers → trust → loyalty → KPIs."""

from __future__ import annotations

import altair as alt
import pandas as pd

from loyalty.charts.theme import NEUTRAL, PALETTE, TEXT
from loyalty.i18n import t
from loyalty.schema import DRIVERS

_KPIS = ("nps", "retention", "repeat", "clv", "feedback")
_BOX_HALF_WIDTH = 0.42
_BOX_HALF_HEIGHT = 0.36


def _nodes(lang: str) -> pd.DataFrame:
    rows = [
        {"id": d, "x": 0.0, "y": float(i), "label": t(f"field.{d}", lang), "group": "driver"}
        for i, d in enumerate(DRIVERS)
    ]
    rows.append({"id": "trust", "x": 1.15, "y": 2.0, "label": t("field.trust", lang), "group": "trust"})
    rows.append(
        {"id": "loyalty", "x": 2.3, "y": 2.0, "label": t("diagram.loyalty", lang), "group": "loyalty"}
    )
    rows += [
        {"id": k, "x": 3.45, "y": float(i), "label": t(f"diagram.kpi.{k}", lang), "group": "kpi"}
        for i, k in enumerate(_KPIS)
    ]
    return pd.DataFrame(rows)


def _edges(nodes: pd.DataFrame) -> pd.DataFrame:
    pos = nodes.set_index("id")
    pairs = [(d, "trust") for d in DRIVERS] + [("trust", "loyalty")] + [("loyalty", k) for k in _KPIS]
    return pd.DataFrame(
        [
            {
                "x": pos.at[a, "x"] + _BOX_HALF_WIDTH,
                "y": pos.at[a, "y"],
                "x2": pos.at[b, "x"] - _BOX_HALF_WIDTH,
                "y2": pos.at[b, "y"],
            }
            for a, b in pairs
        ]
    )


def trust_model_diagram(lang: str = "en") -> alt.LayerChart:
    """Return the drivers → trust → loyalty → KPIs diagram.

    Parameters
    ----------
    lang : str
        Language of the labels.

    Returns
    -------
    alt.LayerChart
        Boxes, arrows and labels; no data fetched from the web.
    """
    nodes = _nodes(lang).assign(
        x1=lambda d: d.x - _BOX_HALF_WIDTH,
        x2=lambda d: d.x + _BOX_HALF_WIDTH,
        y1=lambda d: d.y - _BOX_HALF_HEIGHT,
        y2=lambda d: d.y + _BOX_HALF_HEIGHT,
    )
    edges = _edges(nodes)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.5, 3.95]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[4.5, -0.5]))
    colour = alt.Color(
        "group:N",
        legend=None,
        scale=alt.Scale(
            domain=["driver", "trust", "loyalty", "kpi"], range=[PALETTE[2], PALETTE[0], PALETTE[1], NEUTRAL]
        ),
    )
    arrows = (
        alt.Chart(edges)
        .mark_rule(color=TEXT, strokeWidth=1.5, opacity=0.6)
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    )
    heads = (
        alt.Chart(edges)
        .mark_point(shape="triangle-right", filled=True, size=90, color=TEXT, opacity=0.7)
        .encode(
            x=alt.X("x2:Q", axis=None, scale=alt.Scale(domain=[-0.5, 3.95])),
            y=alt.Y("y2:Q", axis=None, scale=alt.Scale(domain=[4.5, -0.5])),
        )
    )
    boxes = (
        alt.Chart(nodes)
        .mark_rect(cornerRadius=8, opacity=0.9)
        .encode(
            x=alt.X("x1:Q", axis=None, scale=alt.Scale(domain=[-0.5, 3.95])),
            x2="x2:Q",
            y=alt.Y("y1:Q", axis=None, scale=alt.Scale(domain=[4.5, -0.5])),
            y2="y2:Q",
            color=colour,
        )
    )
    labels = (
        alt.Chart(nodes)
        .mark_text(fontSize=14, fontWeight="bold", color="white", lineBreak="\n")
        .encode(x=x, y=y, text="label:N")
    )
    return (arrows + heads + boxes + labels).properties(height=340)
