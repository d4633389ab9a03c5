"""One calm, projector-friendly palette for Altair charts and the Streamlit theme.

The same colours are written in ``.streamlit/config.toml``; keep them in sync
(``tests/charts/test_theme.py`` checks this).
"""

from __future__ import annotations

import altair as alt

#: Categorical palette: deep teal, amber, slate blue, terracotta, sage, plum, grey.
PALETTE: list[str] = ["#1F6F78", "#E0A030", "#4A6FA5", "#C8553D", "#7A9E7E", "#8E6C8A", "#6B7B8C"]
#: Sequential ramp for heatmaps (light to deep teal).
SEQUENTIAL: list[str] = ["#EEF5F5", "#BFDCDD", "#8CC0C2", "#55A0A4", "#2E8087", "#1F6F78", "#134B52"]
#: Diverging colours for bad/neutral/good (detractors, passives, promoters).
BAD, NEUTRAL, GOOD = "#C8553D", "#B8B8B8", "#1F6F78"
TEXT = "#1E2A32"
FONT = "sans-serif"
THEME_NAME = "loyalty"


def _theme() -> dict:
    """Return the Vega-Lite config of the theme."""
    return {
        "config": {
            "font": FONT,
            "background": "transparent",
            "view": {"stroke": None},
            "range": {"category": PALETTE, "ramp": SEQUENTIAL, "heatmap": SEQUENTIAL},
            "axis": {
                "labelFontSize": 14,
                "titleFontSize": 15,
                "labelColor": TEXT,
                "titleColor": TEXT,
                "gridColor": "#E3E8EC",
            },
            "legend": {"labelFontSize": 14, "titleFontSize": 14, "labelColor": TEXT, "titleColor": TEXT},
            "title": {"fontSize": 18, "color": TEXT, "anchor": "start"},
            "header": {"labelFontSize": 14, "titleFontSize": 14},
            "mark": {"color": PALETTE[0]},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 3},
            "point": {"size": 80},
        }
    }


def enable() -> None:
    """Register and enable the theme for this process (idempotent)."""
    alt.theme.register(THEME_NAME, enable=True)(_theme)


#: Height of one bar row in pixels: the 14 px labels stay apart and the bar stays visible.
ROW_PX = 28
#: Fill the container's width, keep the requested height for the plot area alone. Streamlit's
#: default ("fit") squeezes title, axes and legend into the height, which left ~40 px charts.
FIT_WIDTH = {"type": "fit-x", "contains": "padding"}
#: Longest title line in characters: a half-width column at 1280 px holds about 40.
TITLE_CHARS = 38


def rows_height(rows: int, minimum_rows: int = 3) -> int:
    """Return a plot height giving each of ``rows`` bars ``ROW_PX`` pixels.

    Parameters
    ----------
    rows : int
        Number of bars or categories on the y axis.
    minimum_rows : int
        Height of at least this many rows, so one bar does not make a sliver of a chart.

    Returns
    -------
    int
        Height of the plot area in pixels (axes, title and legend come on top).
    """
    return ROW_PX * max(int(rows), minimum_rows)


def wrap(text: str, max_chars: int = TITLE_CHARS) -> list[str]:
    """Split ``text`` into lines of at most ``max_chars`` (whole words; a longer word stays whole).

    Parameters
    ----------
    text : str
        A chart title or subtitle.
    max_chars : int
        Longest line wanted.

    Returns
    -------
    list of str
        The lines, for Vega-Lite's multi-line titles (never cut with an ellipsis).
    """
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]


def title(text: str, subtitle: str | None = None, max_chars: int = TITLE_CHARS) -> alt.TitleParams:
    """Return a chart title (and optional subtitle) wrapped to fit a half-width column.

    Parameters
    ----------
    text : str
        The title.
    subtitle : str, optional
        A smaller line under it.
    max_chars : int
        Longest line of the title; the subtitle may run 1.4 times as long (smaller font).

    Returns
    -------
    alt.TitleParams
        Title with a list of lines, so nothing is cut at 1280 px.
    """
    if subtitle is None:
        return alt.TitleParams(wrap(text, max_chars))
    return alt.TitleParams(wrap(text, max_chars), subtitle=wrap(subtitle, int(max_chars * 1.4)))


#: d3-format number locales, as :func:`loyalty.i18n.format_number` writes numbers ("1.234,5").
_NUMBER_LOCALES: dict[str, dict] = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]},
    "nl": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]},
    "pl": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0zł"]},
}


def with_locale(spec: dict, lang: str) -> dict:
    """Return a Vega-Lite spec dict whose axis and legend numbers use ``lang``'s separators.

    Parameters
    ----------
    spec : dict
        A top-level Vega-Lite spec (``chart.to_dict()``).
    lang : str
        Interface language; unknown languages keep Vega's default (English).

    Returns
    -------
    dict
        A copy with ``config.locale.number`` set (Vega-Lite's config locale, which survives
        Streamlit, where embed options such as ``formatLocale`` are dropped).
    """
    number = _NUMBER_LOCALES.get(lang)
    if number is None:
        return spec
    config = dict(spec.get("config") or {})
    config["locale"] = {**(config.get("locale") or {}), "number": number}
    return {**spec, "config": config}
