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
