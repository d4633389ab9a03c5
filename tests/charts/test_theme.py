"""The Streamlit theme and the Altair theme use the same colours."""

from __future__ import annotations

import tomllib

import altair as alt

from loyalty.charts import theme
from loyalty.charts.diagram import trust_model_diagram
from loyalty.i18n import t
from loyalty.schema import DRIVERS

from ..conftest import ROOT


def test_streamlit_chart_colours_match_the_altair_palette():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["theme"]["chartCategoricalColors"] == theme.PALETTE
    assert config["theme"]["primaryColor"] == theme.PALETTE[0]
    assert config["theme"]["chartSequentialColors"][: len(theme.SEQUENTIAL)] == theme.SEQUENTIAL
    assert config["client"]["toolbarMode"] == "minimal"  # no Deploy button


def test_enabling_the_theme_sets_the_palette():
    theme.enable()
    assert alt.theme.active == theme.THEME_NAME
    spec = alt.Chart().mark_point().to_dict()
    assert spec["config"]["range"]["category"] == theme.PALETTE


def test_trust_diagram_has_every_driver_trust_loyalty_and_five_kpis_in_the_language():
    chart = trust_model_diagram("pl")
    spec = chart.to_dict()
    datasets = spec["datasets"].values()
    labels = {row["label"] for rows in datasets for row in rows if "label" in row}
    assert {t(f"field.{d}", "pl") for d in DRIVERS} <= labels
    assert t("field.trust", "pl") in labels and t("diagram.loyalty", "pl") in labels
    edges = [rows for rows in datasets if rows and "x2" in rows[0] and "label" not in rows[0]]
    assert len(edges[0]) == len(DRIVERS) + 1 + 5  # drivers→trust, trust→loyalty, loyalty→KPIs
