"""The Plan page in AppTest: ranked cards, picking fills the plan, the selection survives, data levels."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty.i18n import t
from loyalty.plan.model import STAGGER_WEEKS
from loyalty.strategies import get_strategy, strategies

from .helpers import raw_keys, run_app

PAGE = "pages/plan.py"
OTHER = "pages/home.py"


def _pick(at, strategy_id: str):
    return at.checkbox(key=f"plan_pick_{strategy_id}").check().run()


def _assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]


def test_recommendations_are_ranked_cards_with_their_reasons():
    at = run_app("en-GB", page=PAGE)
    texts = [m.value for m in at.markdown]
    assert len(at.checkbox) == len(strategies())  # every strategy can be picked
    first = at.checkbox[0].key.removeprefix("plan_pick_")
    assert f"**1. {get_strategy(first).title('en')}**" in texts
    # The en_b2b sample has a survey: the top card cites numbers from it, not the no-evidence sentence.
    assert not any(
        text == t("strategies.explain.no_evidence", "en", name=get_strategy(first).title("en"))
        for text in texts
    )
    assert t("plan.pitfall", "en") in [w.value for w in at.warning]
    assert t("plan.editor.empty", "en") in [i.value for i in at.info]
    # The impact calculator works from the sample's own numbers.
    labels = [m.label for m in at.metric]
    assert t("plan.impact.retention.value", "en", months=12) in labels
    assert t("plan.impact.nps.value", "en") in labels


def test_picking_a_strategy_fills_the_plan_and_draws_the_timeline():
    at = run_app("en-GB", page=PAGE)
    sid = at.checkbox[0].key.removeprefix("plan_pick_")
    _pick(at, sid)
    _assert_clean(at)
    assert at.session_state["plan.selected"] == [sid]
    plan = at.session_state["plan.actions"]
    assert isinstance(plan, pd.DataFrame)
    assert list(plan["action"]) == get_strategy(sid).first_actions("en")
    assert len(at.get("vega_lite_chart")) >= 1
    # Unticking removes it again.
    at.checkbox(key=f"plan_pick_{sid}").uncheck().run()
    assert at.session_state["plan.selected"] == [] and at.session_state["plan.actions"].empty


def test_selection_and_edits_survive_a_page_switch():
    at = run_app("en-GB", page=PAGE)
    _pick(at, "crm")
    _pick(at, "train_teams")
    editor = f"plan_editor_{at.session_state['plan._editor_version']}"
    at.session_state[editor] = {"edited_rows": {0: {"owner": "Anna"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert at.session_state["plan.actions"].loc[0, "owner"] == "Anna"
    at.switch_page(OTHER).run()
    at.switch_page(PAGE).run()
    _assert_clean(at)
    assert at.session_state["plan.selected"] == ["crm", "train_teams"]
    assert at.checkbox(key="plan_pick_crm").value is True
    plan = at.session_state["plan.actions"]
    assert plan.loc[0, "owner"] == "Anna"
    assert len(plan) == len(get_strategy("crm").actions) + len(get_strategy("train_teams").actions)
    # Every action of both strategies is dated; the second strategy queues up behind the first.
    assert plan[["start", "due"]].notna().all().all() and (plan["start"] <= plan["due"]).all()
    starts = plan.groupby("strategy_id")["start"].min()
    assert starts["train_teams"] - starts["crm"] == pd.Timedelta(weeks=STAGGER_WEEKS)


@pytest.mark.slow  # each language loads its own sample and fits its CLV model
@pytest.mark.parametrize("locale", ["en-GB", "nl-NL", "pl-PL"])
def test_no_raw_keys_in_any_language(locale):
    at = run_app(locale, page=PAGE)
    _pick(at, at.checkbox[0].key.removeprefix("plan_pick_"))
    _assert_clean(at)
    assert raw_keys(at) == []


def test_without_data_the_page_explains_and_still_plans(monkeypatch):
    monkeypatch.setenv("LOYALTY_SAMPLE", "none")
    at = run_app("en-GB", page=PAGE)
    assert t("plan.level.none", "en") in [c.value for c in at.caption]
    infos = [i.value for i in at.info]
    assert t("plan.recommend.no_evidence", "en") in infos
    assert t("plan.impact.retention.no_data", "en") in infos
    assert t("plan.impact.nps.no_survey", "en") in infos
    _pick(at, "stay_in_touch")
    _assert_clean(at)
    assert len(at.session_state["plan.actions"]) == len(get_strategy("stay_in_touch").actions)
    assert raw_keys(at) == []


@pytest.mark.slow
@pytest.mark.parametrize("drop", [("transactions", "customers"), ("survey",)])
def test_one_kind_of_data_alone(drop):
    at = run_app("en-GB")
    for kind in drop:
        at.session_state["datasets"].pop(kind)
        at.session_state["files"].pop(kind)
    at.switch_page(PAGE).run()
    _assert_clean(at)
    infos = [i.value for i in at.info]
    if "survey" in drop:
        assert t("plan.level.transactions", "en") in [c.value for c in at.caption]
        assert t("plan.impact.nps.no_survey", "en") in infos
        assert t("plan.impact.retention.value", "en", months=12) in [m.label for m in at.metric]
    else:
        assert t("plan.level.survey", "en") in [c.value for c in at.caption]
        assert t("plan.impact.retention.no_data", "en") in infos
        assert t("plan.impact.nps.target", "en") in [m.label for m in at.metric]
    assert raw_keys(at) == []


def _metric_number(at, label: str) -> float:
    value = next(m.value for m in at.metric if m.label == label)
    return float(value.replace(",", "").replace("\u00a0", "").replace(" ", ""))


def test_editing_an_assumption_changes_the_value_and_is_kept():
    at = run_app("en-GB", page=PAGE)
    label = t("plan.impact.retention.value", "en", months=12)
    full = _metric_number(at, label)
    at.number_input(key="plan_a_margin").set_value(50.0).run()
    _assert_clean(at)
    # The value is linear in the margin: half the margin, half the value (up to rounding to whole units).
    assert _metric_number(at, label) == pytest.approx(full / 2, abs=1)
    assert at.session_state["plan.assumptions"]["margin"] == pytest.approx(0.5)
    at.switch_page(OTHER).run()
    at.switch_page(PAGE).run()
    assert at.number_input(key="plan_a_margin").value == pytest.approx(50.0)
