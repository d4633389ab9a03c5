"""Charts of the trust-driver diagnosis: path diagram, importance bars, importance-performance, residuals."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from loyalty.charts.theme import BAD, FIT_WIDTH, GOOD, NEUTRAL, PALETTE, TEXT, wrap
from loyalty.drivers._util import label
from loyalty.drivers.importance import Importance
from loyalty.drivers.ipa import QUADRANTS, IPAResult
from loyalty.drivers.models import Diagnosis, OLSResult
from loyalty.i18n import format_number, format_percent, t

_ALPHA = 0.05
_WIDTH, _HEIGHT = 620, 340
_BOX_W, _BOX_H = 0.5, 0.34
#: The path diagram fills the page's width (it is shown on projectors); _WIDTH is only its
#: fallback outside Streamlit. Its height gives each driver row about 76 px.
_PATH_HEIGHT = 410
#: Font sizes of the path diagram: at least 14 px, readable from the back of a meeting room.
_NAME_PX, _NUMBER_PX, _DIRECT_PX, _SUBTITLE_PX = 15, 16, 14, 15
#: Subtitle line length in characters at _SUBTITLE_PX across a full-width column.
_SUBTITLE_CHARS = 80
#: Labels longer than this are wrapped onto two lines to fit their box.
_WRAP_AT = 16
#: Arrow numbers sit this far along the arrow, away from where arrows converge.
_LABEL_AT = 0.3
_QUADRANT_COLOURS = {
    "fix_first": BAD,
    "keep_it_up": GOOD,
    "low_priority": NEUTRAL,
    "possibly_over_invested": PALETTE[1],
}


#: Keep the plot at its set size and add titles, legends and axes around it. Streamlit's
#: default ("fit") squeezes them into the set height, which collapsed the importance bars
#: (bottom legend + title + axis title > 220 px) and bent the path diagram's arrowheads.
_PAD = alt.AutoSizeParams(type="pad")
#: Pixel height of one line of the node labels (font size _NAME_PX).
_LINE_PX = 17


def _wrap(text: str) -> str:
    """Break a long label at the space nearest its middle."""
    if len(text) <= _WRAP_AT or " " not in text:
        return text
    spaces = [i for i, c in enumerate(text) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "\n" + text[cut + 1 :]


def _layout(diagnosis: Diagnosis) -> pd.DataFrame:
    """Return node positions: drivers in a column, then trust (if any), then the outcome."""
    k = len(diagnosis.drivers)
    middle = (k - 1) / 2
    rows = [{"id": d, "x": 0.0, "y": float(i), "group": "driver"} for i, d in enumerate(diagnosis.drivers)]
    if diagnosis.mediator:
        rows.append({"id": diagnosis.mediator, "x": 1.6, "y": middle, "group": "trust"})
    rows.append(
        {"id": diagnosis.outcome, "x": 3.2 if diagnosis.mediator else 1.8, "y": middle, "group": "outcome"}
    )
    return pd.DataFrame(rows)


def _edges(diagnosis: Diagnosis, nodes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return one row per arrow with its standardised effect, significance and direction (data units)."""
    pos = nodes.set_index("id")
    model = diagnosis.driver_model
    target = diagnosis.mediator or diagnosis.outcome
    links = [(d, target, b, p) for d, b, p in zip(model.names, model.std_beta, model.p_value, strict=True)]
    if diagnosis.mediator:
        out = diagnosis.outcome_model
        links.append((diagnosis.mediator, diagnosis.outcome, out.std_beta[0], out.p_value[0]))
    rows = []
    for source, dest, beta, p in links:
        x, y = pos.at[source, "x"] + _BOX_W, pos.at[source, "y"]
        x2, y2 = pos.at[dest, "x"] - _BOX_W, pos.at[dest, "y"]
        rows.append(
            {
                "x": x,
                "y": y,
                "x2": x2,
                "y2": y2,
                "mx": x + _LABEL_AT * (x2 - x),
                "my": y + _LABEL_AT * (y2 - y) - 0.13,
                "beta": float(beta),
                "strength": abs(float(beta)),
                "text": format_number(float(beta), lang, 2),
                "significant": bool(p < _ALPHA),
                "sign": "positive" if beta >= 0 else "negative",
                "dx": x2 - x,
                "dy": y2 - y,
            }
        )
    return pd.DataFrame(rows)


def path_diagram(diagnosis: Diagnosis, lang: str = "en") -> alt.LayerChart:
    """Return the drivers -> trust -> outcome diagram with standardised effects on the arrows.

    Parameters
    ----------
    diagnosis : Diagnosis
        Result of :func:`loyalty.drivers.diagnose`.
    lang : str
        Language of labels.

    Returns
    -------
    alt.LayerChart
        Boxes, arrows and labels drawn with Altair marks (nothing fetched from the web).
    """
    nodes = _layout(diagnosis)
    nodes["label"] = [_wrap(label(i, lang)) for i in nodes["id"]]
    # Vega puts a multi-line text's first line at y and the rest below: lift wrapped labels
    # by half a line per extra line so the block is centred in its box.
    units_per_px = (len(diagnosis.drivers) + 0.4) / _PATH_HEIGHT
    nodes["text_y"] = nodes["y"] - nodes["label"].str.count("\n") * (_LINE_PX / 2) * units_per_px
    nodes = nodes.assign(x1=nodes.x - _BOX_W, x2=nodes.x + _BOX_W, y1=nodes.y - _BOX_H, y2=nodes.y + _BOX_H)
    edges = _edges(diagnosis, nodes, lang)
    x_span, y_span = nodes["x"].max() + 1.2, len(diagnosis.drivers) + 0.4
    x_scale = alt.Scale(domain=[-0.6, nodes["x"].max() + 0.6])
    y_scale = alt.Scale(domain=[len(diagnosis.drivers) - 0.1, -0.5])
    x, y = alt.X("x:Q", axis=None, scale=x_scale), alt.Y("y:Q", axis=None, scale=y_scale)
    colour = alt.Color(
        "sign:N", legend=None, scale=alt.Scale(domain=["positive", "negative"], range=[GOOD, BAD])
    )
    faded = alt.condition("datum.significant", alt.value(0.85), alt.value(0.3))
    arrows = (
        alt.Chart(edges)
        .mark_rule()
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            color=colour,
            opacity=faded,
            strokeWidth=alt.StrokeWidth(
                "strength:Q", legend=None, scale=alt.Scale(domain=[0, 1], range=[1.5, 7])
            ),
            strokeDash=alt.condition("datum.significant", alt.value([1, 0]), alt.value([5, 4])),
        )
    )
    heads = (
        alt.Chart(edges)
        # The pixel angle depends on the width Streamlit gives the chart, so Vega computes it from
        # its live ``width``/``height`` signals. It rotates clockwise in pixel space, where y grows
        # downwards like our reversed axis.
        .transform_calculate(
            angle=f"atan2(datum.dy * height / {y_span}, datum.dx * width / {x_span}) * 180 / PI"
        )
        .mark_point(shape="triangle-right", filled=True, size=130)
        .encode(
            x=alt.X("x2:Q", axis=None, scale=x_scale),
            y=alt.Y("y2:Q", axis=None, scale=y_scale),
            angle=alt.Angle("angle:Q", scale=None),
            color=colour,
            opacity=faded,
        )
    )
    numbers = (
        alt.Chart(edges)
        .mark_text(fontSize=_NUMBER_PX, fontWeight="bold", color=TEXT)
        .encode(
            x=alt.X("mx:Q", axis=None, scale=x_scale),
            y=alt.Y("my:Q", axis=None, scale=y_scale),
            text="text:N",
        )
    )
    boxes = (
        alt.Chart(nodes)
        .mark_rect(cornerRadius=8)
        .encode(
            x=alt.X("x1:Q", axis=None, scale=x_scale),
            x2="x2:Q",
            y=alt.Y("y1:Q", axis=None, scale=y_scale),
            y2="y2:Q",
            color=alt.Color(
                "group:N",
                legend=None,
                scale=alt.Scale(
                    domain=["driver", "trust", "outcome"], range=[PALETTE[2], PALETTE[0], PALETTE[1]]
                ),
            ),
        )
    )
    names = (
        alt.Chart(nodes)
        .mark_text(fontSize=_NAME_PX, fontWeight="bold", color="white", lineBreak="\n", lineHeight=_LINE_PX)
        .encode(x=x, y=alt.Y("text_y:Q", axis=None, scale=y_scale), text="label:N")
    )
    layers = [boxes, names, arrows, heads, numbers]
    if diagnosis.mediator:
        layers.append(_direct_labels(diagnosis, nodes, lang, x_scale, y_scale))
    title_key = "drivers.chart.path.title" if diagnosis.mediator else "drivers.chart.path.title_direct"
    # Arrow colours (effect sign) and box colours (node kind) are separate scales.
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .properties(
            width=_WIDTH,
            height=_PATH_HEIGHT,
            autosize=FIT_WIDTH,
            title=alt.TitleParams(
                t(title_key, lang),
                subtitle=wrap(t("drivers.chart.path.subtitle", lang), _SUBTITLE_CHARS),
                subtitleFontSize=_SUBTITLE_PX,
                subtitleColor=TEXT,
            ),
        )
    )


def _direct_labels(
    diagnosis: Diagnosis, nodes: pd.DataFrame, lang: str, x_scale: alt.Scale, y_scale: alt.Scale
) -> alt.Chart:
    """Text under each driver box: its direct (not through trust) standardised effect."""
    out = diagnosis.outcome_model
    drivers = nodes[nodes["group"] == "driver"].copy()
    drivers["text"] = [
        t("drivers.chart.path.direct", lang, value=format_number(float(b), lang, 2)) for b in out.std_beta[1:]
    ]
    drivers["y"] = drivers["y"] + _BOX_H + 0.16
    return (
        alt.Chart(drivers)
        .mark_text(fontSize=_DIRECT_PX, color=TEXT, opacity=0.85)
        .encode(
            x=alt.X("x:Q", axis=None, scale=x_scale), y=alt.Y("y:Q", axis=None, scale=y_scale), text="text:N"
        )
    )


def importance_chart(importance: Importance, lang: str = "en") -> alt.LayerChart:
    """Return horizontal importance bars with 95% interval lines and P(top) labels.

    Parameters
    ----------
    importance : Importance
        Importance result (e.g. ``diagnosis.importance``).
    lang : str
        Language of labels.

    Returns
    -------
    alt.LayerChart
    """
    frame = importance.to_frame()
    frame["label"] = [label(d, lang) for d in frame["driver"]]
    frame["direction"] = [
        t("drivers.chart.positive" if s > 0 else "drivers.chart.negative", lang) for s in frame["sign"]
    ]
    has_ci = frame["ci_high"].notna().all()
    frame["end"] = frame["ci_high"] if has_ci else frame["share"]
    frame["top"] = [
        t("drivers.chart.importance.p_top", lang, p=format_percent(p, lang, 0)) if pd.notna(p) else ""
        for p in frame["p_top"]
    ]
    order = frame["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    share_title = t("drivers.chart.importance.share", lang)
    # Room on the right for the "top in ..." labels.
    x_scale = alt.Scale(domain=[0, float(frame["end"].max()) * 1.45])
    colour = alt.Color(
        "direction:N",
        title=t("drivers.chart.direction", lang),
        legend=alt.Legend(orient="bottom"),
        scale=alt.Scale(
            domain=[t("drivers.chart.positive", lang), t("drivers.chart.negative", lang)], range=[GOOD, BAD]
        ),
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X("share:Q", title=share_title, scale=x_scale),
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("label:N", title=t("drivers.chart.driver", lang)),
                alt.Tooltip("share:Q", title=share_title, format=".1f"),
                alt.Tooltip("ci_low:Q", title=t("drivers.chart.ci_low", lang), format=".1f"),
                alt.Tooltip("ci_high:Q", title=t("drivers.chart.ci_high", lang), format=".1f"),
            ],
        )
    )
    layers = [bars]
    if has_ci:
        layers.append(
            alt.Chart(frame).mark_rule(color=TEXT, strokeWidth=2).encode(x="ci_low:Q", x2="ci_high:Q", y=y)
        )
    layers.append(
        alt.Chart(frame)
        .mark_text(align="left", dx=6, fontSize=12, color=TEXT)
        .encode(x="end:Q", y=y, text="top:N")
    )
    title = t("drivers.chart.importance.title", lang, target=label(importance.target, lang))
    return alt.layer(*layers).properties(
        width=_WIDTH - 120,
        height=max(160, 44 * len(frame)),
        autosize=_PAD,
        title=alt.TitleParams(title, subtitle=t("drivers.chart.importance.subtitle", lang)),
    )


def ipa_chart(ipa: IPAResult, lang: str = "en") -> alt.LayerChart:
    """Return the importance-performance scatter with split lines and plain quadrant names.

    Parameters
    ----------
    ipa : IPAResult
        Result of :func:`loyalty.drivers.ipa.ipa_from_diagnosis`.
    lang : str
        Language of labels.

    Returns
    -------
    alt.LayerChart
    """
    frame = ipa.to_frame()
    frame["label"] = [label(d, lang) for d in frame["driver"]]
    frame["quadrant_name"] = [t(f"drivers.quadrant.{q}", lang) for q in frame["quadrant"]]
    x_max = float(max(frame["importance"].max() * 1.15, ipa.importance_split * 2))
    # Zoom on the drivers (in steps of 10, within 0-100) so the quadrants are readable.
    y_low = max(0.0, 10 * math.floor((frame["performance"].min() - 10) / 10))
    y_high = min(100.0, 10 * math.ceil((frame["performance"].max() + 10) / 10))
    x_scale, y_scale = alt.Scale(domain=[0, x_max]), alt.Scale(domain=[y_low, y_high])
    pad = (y_high - y_low) * 0.03
    corners = pd.DataFrame(
        [
            {"x": x_max * 0.98, "y": y_low + pad, "align": "right", "q": "fix_first"},
            {"x": x_max * 0.98, "y": y_high - pad, "align": "right", "q": "keep_it_up"},
            {"x": x_max * 0.02, "y": y_low + pad, "align": "left", "q": "low_priority"},
            {"x": x_max * 0.02, "y": y_high - pad, "align": "left", "q": "possibly_over_invested"},
        ]
    )
    corners["text"] = [t(f"drivers.quadrant.{q}", lang) for q in corners["q"]]
    names = [t(f"drivers.quadrant.{q}", lang) for q in QUADRANTS]
    colour = alt.Color(
        "quadrant_name:N",
        title=t("drivers.chart.ipa.quadrant", lang),
        scale=alt.Scale(domain=names, range=[_QUADRANT_COLOURS[q] for q in QUADRANTS]),
    )
    x = alt.X("importance:Q", title=t("drivers.chart.ipa.importance", lang), scale=x_scale)
    y = alt.Y("performance:Q", title=t("drivers.chart.ipa.performance", lang), scale=y_scale)
    splits = pd.DataFrame({"importance": [ipa.importance_split], "performance": [ipa.performance_split]})
    v_rule = alt.Chart(splits).mark_rule(color=TEXT, strokeDash=[4, 4], opacity=0.6).encode(x=x)
    h_rule = alt.Chart(splits).mark_rule(color=TEXT, strokeDash=[4, 4], opacity=0.6).encode(y=y)
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=160)
        .encode(
            x=x,
            y=y,
            color=colour,
            tooltip=[
                "label:N",
                alt.Tooltip("importance:Q", format=".1f"),
                alt.Tooltip("performance:Q", format=".0f"),
                "quadrant_name:N",
            ],
        )
    )
    # Alternate labels above and below the points (in importance order) so neighbours do not collide.
    rank = frame["importance"].rank(method="first").astype(int)
    texts = [
        alt.Chart(frame[rank % 2 == parity])
        .mark_text(dy=dy, fontSize=12, color=TEXT)
        .encode(x=x, y=y, text="label:N")
        for parity, dy in ((0, -15), (1, 17))
    ]
    corner_layers = [
        alt.Chart(corners[corners["align"] == side])
        .mark_text(align=side, fontSize=13, fontStyle="italic", color=TEXT, opacity=0.55)
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="text:N")
        for side in ("left", "right")
    ]
    return alt.layer(v_rule, h_rule, *corner_layers, points, *texts).properties(
        width=_WIDTH - 100, height=_HEIGHT + 40, autosize=_PAD, title=t("drivers.chart.ipa.title", lang)
    )


def residual_chart(
    model: OLSResult, lang: str = "en", max_points: int = 2000, seed: int = 0
) -> alt.LayerChart:
    """Return residuals against fitted values, with a zero line and a smoothed trend.

    Parameters
    ----------
    model : OLSResult
        A fitted model (e.g. ``diagnosis.outcome_model``).
    lang : str
        Language of labels.
    max_points : int
        Points drawn at most (a random subset of larger samples keeps the chart light).
    seed : int
        Seed of that subset.

    Returns
    -------
    alt.LayerChart
    """
    frame = pd.DataFrame({"fitted": model.fitted, "residual": model.residuals})
    if len(frame) > max_points:
        rows = np.random.default_rng(seed).choice(len(frame), size=max_points, replace=False)
        frame = frame.iloc[np.sort(rows)]
    x = alt.X(
        "fitted:Q",
        title=t("drivers.chart.residual.fitted", lang, target=label(model.target, lang)),
        scale=alt.Scale(zero=False),
    )
    y = alt.Y("residual:Q", title=t("drivers.chart.residual.residual", lang))
    points = alt.Chart(frame).mark_circle(size=18, opacity=0.35, color=PALETTE[2]).encode(x=x, y=y)
    zero = (
        alt.Chart(pd.DataFrame({"residual": [0.0]}))
        .mark_rule(color=TEXT, strokeDash=[4, 4])
        .encode(y="residual:Q")
    )
    trend = (
        alt.Chart(frame).transform_loess("fitted", "residual").mark_line(color=PALETTE[3]).encode(x=x, y=y)
    )
    return alt.layer(points, zero, trend).properties(
        width=_WIDTH - 100,
        height=_HEIGHT - 40,
        autosize=_PAD,
        title=alt.TitleParams(
            t("drivers.chart.residual.title", lang), subtitle=t("drivers.chart.residual.subtitle", lang)
        ),
    )
