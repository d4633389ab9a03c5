"""Every Measure chart keeps a plot area in proportion to its content.

Streamlit's default autosize ("fit") squeezes title, axes and legend into the height the
chart asks for, which left ~40 px charts and theme bars with no width. The builders ask
for "fit-x" (fit the width only) and a height of at least 24 px per bar row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.charts.feedback import nps_impact_chart, theme_chart
from loyalty.charts.nps import nps_segment_chart
from loyalty.charts.repeat import repeat_rate_chart
from loyalty.charts.theme import ROW_PX, rows_height, with_locale, wrap
from loyalty.charts.value import rfm_segment_chart
from loyalty.kpi.rfm import SEGMENTS

MIN_ROW_PX = 24


def _themes(n: int) -> pd.DataFrame:
    names = ["service", "price", "delivery", "product", "consistency", "data_security", "reputation"][:n]
    rng = np.random.default_rng(1)
    counts = rng.integers(1, 40, (n, 3))
    return pd.DataFrame(
        {
            "positive": counts[:, 0],
            "neutral": counts[:, 1],
            "negative": counts[:, 2],
            "mentions": counts.sum(axis=1),
            "share": np.linspace(0.3, 0.1, n),
            "nps_mentioners": np.linspace(40, 10, n),
            "nps_impact": np.linspace(2, -2, n),
            "n_scored": np.full(n, 50),
            "small_sample": [False] * n,
        },
        index=pd.Index(names, name="theme"),
    )


def _groups(key: str, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            key: [f"g{i}" for i in range(n)],
            "n": np.full(n, 100),
            "customers": np.full(n, 100),
            "repeat_customers": np.full(n, 40),
            "value": np.full(n, 0.4),
            "lo": np.full(n, 0.3),
            "hi": np.full(n, 0.5),
            "too_small": [False] * n,
        }
    )


def _rfm() -> pd.DataFrame:
    n = len(SEGMENTS)
    return pd.DataFrame(
        {
            "segment": list(SEGMENTS),
            "customers": np.arange(1, n + 1) * 10,
            "share": np.full(n, 1 / n),
            "revenue": np.arange(1, n + 1) * 100.0,
            "revenue_share": np.full(n, 1 / n),
        }
    )


CASES = [
    ("theme bars", lambda n: theme_chart(_themes(n), "nl"), [1, 3, 7]),
    ("theme NPS impact", lambda n: nps_impact_chart(_themes(n), "en"), [1, 3, 7]),
    ("NPS by segment", lambda n: nps_segment_chart(_groups("segment", n), "pl"), [1, 3, 12]),
    ("repeat by segment", lambda n: repeat_rate_chart(_groups("segment", n), "en", "segment"), [1, 3, 12]),
]


@pytest.mark.parametrize("name, build, sizes", CASES, ids=[c[0] for c in CASES])
def test_bar_charts_give_every_row_enough_height_and_fit_only_the_width(name, build, sizes):
    for rows in sizes:
        spec = build(rows).to_dict()
        assert spec["height"] >= MIN_ROW_PX * rows, (name, rows)
        assert spec["height"] >= MIN_ROW_PX * 3, (name, rows)  # one bar is no sliver
        # "fit" would take title, axes and legend out of that height.
        assert spec["autosize"]["type"] == "fit-x", name


def test_rfm_chart_has_a_row_per_segment():
    spec = rfm_segment_chart(_rfm(), "en").to_dict()
    assert spec["height"] >= MIN_ROW_PX * len(SEGMENTS) and spec["autosize"]["type"] == "fit-x"


def test_theme_legend_sits_below_the_bars():
    # On the right it took the half-width column's plot area: the bars had no width left.
    spec = theme_chart(_themes(5), "en").to_dict()
    assert spec["encoding"]["color"]["legend"]["orient"] == "bottom"


def test_rows_height_and_title_wrapping():
    assert rows_height(10) == 10 * ROW_PX and rows_height(1) == 3 * ROW_PX
    lines = wrap("How likely are customers to recommend you, and how sure is that?", 38)
    assert all(len(line) <= 38 for line in lines) and " ".join(lines).endswith("sure is that?")
    assert wrap("Supercalifragilisticexpialidocious", 10) == ["Supercalifragilisticexpialidocious"]


def test_locale_sets_the_separators_of_axis_numbers():
    spec = with_locale({"mark": "bar", "config": {"font": "x"}}, "nl")
    assert spec["config"]["locale"]["number"]["decimal"] == "," and spec["config"]["font"] == "x"
    assert spec["config"]["locale"]["number"]["thousands"] == "."
    assert with_locale({"mark": "bar"}, "xx") == {"mark": "bar"}
