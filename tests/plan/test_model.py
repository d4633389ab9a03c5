"""The action plan: default rows and dates, targets from today's KPIs, validation messages."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from loyalty.charts.plan import timeline_chart
from loyalty.errors import InputError
from loyalty.plan import COLUMNS, empty_plan, plan_from_strategies, validate_plan
from loyalty.plan.model import ACTION_WEEKS, STAGGER_WEEKS, merge_plan
from loyalty.strategies import get_strategy

TODAY = date(2025, 1, 6)


def test_one_row_per_first_action_with_sequential_dates():
    plan = plan_from_strategies(["reward_programme", "personalise"], "en", TODAY)
    assert tuple(plan.columns) == COLUMNS
    reward, personal = get_strategy("reward_programme"), get_strategy("personalise")
    assert len(plan) == len(reward.actions) + len(personal.actions)
    assert list(plan["action"][: len(reward.actions)]) == reward.first_actions("en")
    # reward_programme has a short time to impact: two-week steps from today.
    first = plan.iloc[0]
    assert first["start"] == pd.Timestamp("2025-01-06") and first["due"] == pd.Timestamp("2025-01-20")
    assert plan.iloc[1]["start"] == pd.Timestamp("2025-01-20")
    # personalise takes medium time: four-week steps, starting a fortnight after the first strategy.
    p = plan[plan["strategy_id"] == "personalise"].iloc[0]
    assert p["start"] == pd.Timestamp("2025-01-20") and p["due"] == pd.Timestamp("2025-02-17")
    assert (plan["owner"] == "").all()
    assert set(plan["kpi"]) == {"repeat_purchase_rate"}


def test_targets_follow_today_in_display_units():
    current = {"repeat_purchase_rate": 0.40, "nps": 12.0}
    plan = plan_from_strategies(["reward_programme", "train_teams"], "nl", TODAY, current)
    # +5 percentage points on 40% -> 45 (percent); +5 NPS points on 12 -> 17.
    assert plan.loc[plan["strategy_id"] == "reward_programme", "target"].iloc[0] == pytest.approx(45)
    assert plan.loc[plan["strategy_id"] == "train_teams", "target"].iloc[0] == pytest.approx(17)
    assert plan["action"].iloc[0] == get_strategy("reward_programme").first_actions("nl")[0]
    unknown = plan_from_strategies(["crm"], "en", TODAY)  # CLV unknown today
    assert unknown["target"].isna().all()


def test_a_strategy_picked_twice_is_planned_once_and_unknown_ids_fail():
    assert len(plan_from_strategies(["crm", "crm"], "en", TODAY)) == len(get_strategy("crm").actions)
    with pytest.raises(InputError):
        plan_from_strategies(["no_such_strategy"], "en", TODAY)
    assert plan_from_strategies([], "en", TODAY).empty


def test_merge_keeps_edits_drops_unpicked_and_adds_new():
    plan = plan_from_strategies(["crm", "personalise"], "en", TODAY)
    plan.loc[0, "owner"] = "Anna"
    merged = merge_plan(plan, ["crm", "train_teams"], "en", TODAY)
    assert merged.loc[0, "owner"] == "Anna"
    assert list(dict.fromkeys(merged["strategy_id"])) == ["crm", "train_teams"]
    # The new strategy queues up behind crm instead of starting on the plan's first day.
    added = merged[merged["strategy_id"] == "train_teams"]
    assert added["start"].min() == pd.Timestamp(TODAY) + pd.Timedelta(weeks=STAGGER_WEEKS)


#: Five strategies covering every time to impact (short, medium, long).
FIVE = ("reward_programme", "personalise", "crm", "email_segmentation", "brand_community")


@pytest.mark.parametrize("lang", ["en", "nl", "pl"])
def test_every_action_of_five_strategies_gets_dates_staggered_by_time_to_impact(lang):
    plan = plan_from_strategies(FIVE, lang, TODAY)
    assert len(plan) == sum(len(get_strategy(s).actions) for s in FIVE)
    assert plan[["start", "due"]].notna().all().all()
    assert (plan["start"] <= plan["due"]).all()
    for slot, sid in enumerate(FIVE):
        rows = plan[plan["strategy_id"] == sid].reset_index(drop=True)
        weeks = ACTION_WEEKS[get_strategy(sid).time_to_impact]
        # Each strategy starts a fortnight after the one before it ...
        assert rows["start"].iloc[0] == pd.Timestamp(TODAY) + pd.Timedelta(weeks=STAGGER_WEEKS * slot)
        # ... and its actions follow one another, each as long as its time to impact allows.
        assert ((rows["due"] - rows["start"]) == pd.Timedelta(weeks=weeks)).all()
        assert (rows["start"].iloc[1:].to_numpy() == rows["due"].iloc[:-1].to_numpy()).all()
    assert not [i for i in validate_plan(plan, lang) if i.level == "error" or i.key == "plan.issue.no_dates"]
    # The timeline draws every one of them.
    spec = timeline_chart(plan, lang).to_dict()
    values = spec["data"]["values"] if "values" in spec["data"] else spec["datasets"][spec["data"]["name"]]
    assert len(values) == len(plan)


def _complete(plan: pd.DataFrame) -> pd.DataFrame:
    return plan.assign(owner="Anna", target=50.0)


def test_a_complete_plan_has_no_issues():
    assert validate_plan(_complete(plan_from_strategies(["crm"], "en", TODAY))) == []


def test_validation_errors_and_warnings():
    plan = _complete(plan_from_strategies(["crm"], "en", TODAY))
    plan.loc[1, "due"] = plan.loc[1, "start"] - pd.Timedelta(days=1)
    plan.loc[2, "owner"] = ""
    plan.loc[3, "kpi"] = "happiness"
    plan.loc[0, "target"] = math.nan
    issues = validate_plan(plan, "nl")
    keys = [(i.level, i.key, i.row) for i in issues]
    assert keys == [
        ("error", "plan.issue.due_before_start", 2),
        ("error", "plan.issue.unknown_kpi", 4),
        ("warning", "plan.issue.no_target", 1),
        ("warning", "plan.issue.no_owner", 3),
    ]
    message = issues[0].message("nl")
    # crm is slow to act: six-week steps, so row 2 starts on 17 Feb; its due date was set a day earlier.
    assert message.startswith("Rij 2:") and "16-02-2025" in message and "17-02-2025" in message
    assert "happiness" in issues[1].message("pl")


def test_validation_of_missing_columns_dates_and_an_empty_plan():
    assert [i.key for i in validate_plan(pd.DataFrame({"action": ["x"]}))] == ["plan.issue.columns"]
    assert [i.key for i in validate_plan(empty_plan())] == ["plan.issue.empty"]
    plan = _complete(plan_from_strategies(["crm"], "en", TODAY))
    plan.loc[0, "start"] = pd.NaT
    plan.loc[1, "action"] = "  "
    plan.loc[2, "strategy_id"] = "bogus"
    assert [(i.key, i.row) for i in validate_plan(plan)] == [
        ("plan.issue.no_dates", 1),
        ("plan.issue.no_action", 2),
        ("plan.issue.unknown_strategy", 3),
    ]


def test_timeline_has_one_bar_per_action():
    plan = plan_from_strategies(["crm"], "pl", TODAY)
    spec = timeline_chart(plan, "pl").to_dict()
    assert (
        len(spec["data"]["values"] if "values" in spec["data"] else spec["datasets"][spec["data"]["name"]])
        == 4
    )
    assert spec["encoding"]["x2"]["field"] == "due"
    assert timeline_chart(empty_plan(), "en") is None
