"""Driver charts build valid Vega-Lite specs in every language, from the diagnosis numbers."""

from __future__ import annotations

import pytest

from loyalty.charts.drivers import importance_chart, ipa_chart, path_diagram, residual_chart
from loyalty.drivers import diagnose, ipa_from_diagnosis
from loyalty.i18n import LANGS, format_number, t
from loyalty.schema import DRIVERS, TRUST

from .conftest import make_survey


def rows_of(spec):
    return [row for rows in spec["datasets"].values() for row in rows]


@pytest.mark.parametrize("lang", LANGS)
def test_path_diagram_shows_each_standardised_effect_on_its_arrow(diagnosis_1k, lang):
    spec = path_diagram(diagnosis_1k, lang).to_dict()
    rows = rows_of(spec)
    labels = {r["label"].replace("\n", " ") for r in rows if "label" in r}
    assert {t(f"field.{d}", lang) for d in DRIVERS} | {t("field.trust", lang)} <= labels
    arrows = [r for r in rows if "beta" in r]
    assert len(arrows) == len(DRIVERS) + 1  # drivers -> trust, trust -> outcome
    betas = [*diagnosis_1k.mediator_model.std_beta, diagnosis_1k.outcome_model.std_beta[0]]
    assert [a["text"] for a in arrows] == [format_number(b, lang, 2) for b in betas]
    assert spec["title"]["text"] == t("drivers.chart.path.title", lang)


def test_outcome_only_diagram_points_drivers_at_the_outcome():
    diagnosis = diagnose(make_survey(300, seed=61).drop(columns=[TRUST]), bootstrap=0, robustness=False)
    spec = path_diagram(diagnosis, "en").to_dict()
    assert len([r for r in rows_of(spec) if "beta" in r]) == len(DRIVERS)
    assert spec["title"]["text"] == t("drivers.chart.path.title_direct", "en")


def test_importance_chart_has_bars_intervals_and_p_top_labels(diagnosis_1k):
    spec = importance_chart(diagnosis_1k.importance, "nl").to_dict()
    rows = rows_of(spec)
    assert len(rows) == len(DRIVERS)
    assert all(r["ci_low"] <= r["share"] <= r["ci_high"] for r in rows)
    assert {r["top"].split(" ")[0] for r in rows} == {"bovenaan"}
    assert any(layer["mark"]["type"] == "rule" for layer in spec["layer"])


def test_ipa_chart_names_the_quadrants(diagnosis_1k):
    spec = ipa_chart(ipa_from_diagnosis(diagnosis_1k), "pl").to_dict()
    texts = {r.get("text") for r in rows_of(spec)}
    assert {
        t(f"drivers.quadrant.{q}", "pl")
        for q in ("fix_first", "keep_it_up", "low_priority", "possibly_over_invested")
    } <= texts


def test_residual_chart_draws_a_bounded_sample(diagnosis_1k):
    spec = residual_chart(diagnosis_1k.outcome_model, "en", max_points=400).to_dict()
    points = [r for r in rows_of(spec) if "fitted" in r]
    assert len(points) == 400
