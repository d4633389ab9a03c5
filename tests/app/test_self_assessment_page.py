"""The Self-assessment page in AppTest: questionnaire, profile, picks into the Plan, exports."""

from __future__ import annotations

import pytest

from loyalty import selfassess
from loyalty.i18n import t
from loyalty.report import FORMATS
from loyalty.ui.selfassess_results import pick_key, report_bytes

from .helpers import raw_keys, run_app, visible_texts

PAGE = "pages/self_assessment.py"


def _clean(at):
    assert not at.exception, [e.value for e in at.exception]
    assert raw_keys(at) == []


def _answer(at, weak: str):
    """Tick answers making ``weak`` the weakest driver (2 of 5), the others 4 of 5."""
    for s in selfassess.statements():
        meant = 2 if s.driver == weak else 4
        at.radio(key=f"selfassess_q_{s.id}").set_value(6 - meant if s.reverse else meant)
    return at.run()


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("nl-NL", "nl"), ("pl-PL", "pl")])
def test_page_asks_scores_and_recommends_in_every_language(locale, lang):
    at = run_app(locale, PAGE)
    _clean(at)
    assert at.title[0].value == t("selfassess.title", lang)
    assert t("selfassess.caveat", lang) in [i.value for i in at.info]
    assert t("selfassess.go_survey_kit", lang) in [p.label for p in at.get("page_link")]
    assert len([r for r in at.radio if r.key.startswith("selfassess_q_")]) == 15
    assert not at.get("vega_lite_chart")  # nothing is scored before the drivers are answered

    _answer(at, "data_security")
    _clean(at)
    assert len(at.get("vega_lite_chart")) == 1  # the driver profile
    texts = visible_texts(at)
    weakest = t("selfassess.profile.weakest", lang, driver=t("field.data_security", lang))
    assert weakest in texts
    # The first recommendation is the data-security strategy, with its reason from the answers.
    first = selfassess.recommendations(selfassess.assessment(_ticks("data_security")))[0]
    assert first.strategy.id == "trust_marks"
    assert f"**1. {first.strategy.title(lang)}**" in texts and first.explanation(lang) in texts
    assert len(at.download_button) == len(FORMATS)


def _ticks(weak: str) -> dict[str, int]:
    return {
        s.id: (6 - (2 if s.driver == weak else 4)) if s.reverse else (2 if s.driver == weak else 4)
        for s in selfassess.statements()
    }


def test_unanswered_drivers_are_named_and_nothing_is_scored():
    at = run_app("en-GB", PAGE)
    at.radio(key="selfassess_q_service_complaints_24h").set_value(2).run()
    _clean(at)
    message = t(
        "selfassess.form.need_each_driver",
        "en",
        drivers=", ".join(
            t(f"field.{d}", "en") for d in ("consistency", "communication", "data_security", "reputation")
        ),
    )
    assert message in [i.value for i in at.info]
    assert t("selfassess.form.progress", "en", answered=1, total=15) in [c.value for c in at.caption]


def test_picks_flow_into_the_plan_page_and_answers_survive_a_page_switch():
    at = _answer(run_app("en-GB", PAGE), "service")
    at.radio(key="selfassess_business").set_value(2).run()  # B2C
    at.number_input(key="selfassess_est_repeat_purchase_rate").set_value(30.0).run()
    _clean(at)
    ranked = selfassess.recommendations(
        selfassess.assessment(_ticks("service"), business_type="b2c", repeat_purchase_rate=0.3)
    )
    top3 = [rec.strategy.id for rec in ranked[:3]]
    assert at.multiselect(key=pick_key(top3)).value == top3  # pre-picked: the current top three
    at.button(key="selfassess_to_plan").click().run()
    _clean(at)
    assert at.session_state["plan.selected"] == top3
    assert at.session_state["plan.business_type"] == "b2c"
    assert set(at.session_state["plan.actions"]["strategy_id"]) == set(top3)
    assert t("selfassess.recommend.sent", "en", n=3) in [s.value for s in at.success]

    at.switch_page("pages/plan.py").run()
    _clean(at)
    assert all(at.checkbox(key=f"plan_pick_{sid}").value for sid in top3)
    # The Plan ranks by the self-assessment, not by the sample loaded at start, with the same reasons.
    captions = [c.value for c in at.caption]
    assert t("plan.level.self_assessment", "en") in captions
    texts = visible_texts(at)
    assert f"**1. {ranked[0].strategy.title('en')}**" in texts and ranked[0].explanation("en") in texts
    at.radio(key="plan_rank_source").set_value("data").run()  # the loaded sample instead
    _clean(at)
    assert t("plan.level.both", "en") in [c.value for c in at.caption]
    assert ranked[0].explanation("en") not in visible_texts(at)
    at.switch_page(PAGE).run()
    _clean(at)
    assert at.radio(key="selfassess_q_service_complaints_24h").value == 2  # persisted across pages
    assert len(at.get("vega_lite_chart")) == 1


def test_download_buttons_build_the_self_assessment_report_on_click():
    at = _answer(run_app("en-GB", PAGE), "reputation")
    _clean(at)
    assert [b.label for b in at.download_button] == [t(f"report.download.{f}", "en") for f in FORMATS]
    # AppTest cannot read a button's bytes: the pure function behind it is checked instead.
    html = report_bytes(selfassess.assessment(_ticks("reputation")), "en", ("crm",), "html").decode("utf-8")
    assert "Driver profile (self-assessment, not measured)" in html
    assert "Reputation online: 2.0 of 5 (25/100)." in html or "2.0 of 5 (25/100)" in html
