"""The self-assessment: hand-computed scoring, recommendations that follow the answers, its report."""

from __future__ import annotations

import io
import math

import pytest

from loyalty import selfassess
from loyalty.errors import InputError
from loyalty.i18n import LANGS, catalog
from loyalty.report import build_content, build_report
from loyalty.schema import DRIVERS
from loyalty.strategies import strategies


def answers_with(weak: str, weak_answer: int = 1, other_answer: int = 4) -> dict[str, int]:
    """Answers that make ``weak`` the weakest driver, counting reverse statements the right way round."""
    low, high = selfassess.scale()
    out = {}
    for s in selfassess.statements():
        meant = weak_answer if s.driver == weak else other_answer
        out[s.id] = low + high - meant if s.reverse else meant  # what the owner ticks
    return out


def test_questionnaire_has_three_statements_per_driver_in_three_languages():
    items = selfassess.statements()
    assert len(items) == 15 and len({s.id for s in items}) == 15
    assert [s.driver for s in items] == [d for d in DRIVERS for _ in range(3)]
    assert sum(s.reverse for s in items) >= 2
    for s in items:
        assert {lang: bool(s.text(lang).strip()) for lang in LANGS} == dict.fromkeys(LANGS, True)
        assert s.text("nl") != s.text("en") != s.text("pl")
    assert "24" in next(s.text("en") for s in items if s.id == "service_complaints_24h")
    assert selfassess.estimate_ids() == ("repeat_purchase_rate", "retention_rate", "nps")


def test_scoring_by_hand_with_reverse_statements():
    answers = {
        "consistency_same_quality": 4,
        "consistency_on_time": 5,
        "consistency_depends_on_person": 2,  # reverse: counts as 6 - 2 = 4 -> (4 + 5 + 4) / 3 = 13/3
        "communication_full_prices": 3,
        "communication_delays": None,  # skipped
        "communication_surprises": 5,  # reverse: counts as 1 -> (3 + 1) / 2 = 2
        "service_complaints_24h": 1,
        "data_security_open_access": 1,  # reverse only: counts as 5
        "reputation_reviews": 2,
        "reputation_answer_reviews": float("nan"),  # skipped
        "reputation_word_of_mouth": 3,  # (2 + 3) / 2 = 2.5
    }
    profile = selfassess.profile(answers)
    assert profile.means == pytest.approx(
        {"consistency": 13 / 3, "communication": 2.0, "service": 1.0, "data_security": 5.0, "reputation": 2.5}
    )
    assert profile.answered == {
        "consistency": 3,
        "communication": 2,
        "service": 1,
        "data_security": 1,
        "reputation": 2,
    }
    assert profile.score_0_100("consistency") == pytest.approx(100 * (13 / 3 - 1) / 4)  # 83.3
    assert profile.score_0_100("service") == 0 and profile.score_0_100("data_security") == 100
    assert profile.weakest() == ["service", "communication", "reputation", "consistency", "data_security"]
    table = profile.table("nl")
    assert list(table["driver"]) == list(DRIVERS)
    assert table.loc[table["driver"] == "communication", "score"].item() == pytest.approx(25.0)
    # The SelfAssessment the recommender sees carries exactly these means.
    assessed = selfassess.assessment(answers, business_type="B2B", repeat_purchase_rate=0.3)
    assert dict(assessed.driver_scores) == pytest.approx(profile.means)
    assert assessed.business_type == "b2b" and assessed.repeat_purchase_rate == 0.3


def test_a_driver_without_answers_is_not_judged():
    profile = selfassess.profile({"service_complaints_24h": 2})
    assert profile.means == {"service": 2.0}
    assert math.isnan(profile.table().loc[0, "score"])


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ({"no_such_statement": 3}, "strategies.error.unknown_statement"),
        ({"service_complaints_24h": 6}, "strategies.error.score_range"),
        ({"service_complaints_24h": 0}, "strategies.error.score_range"),
        ({"service_complaints_24h": "4"}, "strategies.error.score_range"),
        ({"service_complaints_24h": None}, "strategies.error.no_driver_scores"),
    ],
)
def test_bad_answers_give_a_clear_error(answers, key):
    with pytest.raises(InputError) as err:
        selfassess.profile(answers)
    assert err.value.key == key and key in catalog()
    assert err.value.message("pl")  # translated, not a traceback


@pytest.mark.parametrize("weak", DRIVERS)
def test_the_weakest_driver_leads_the_recommendations(weak):
    ranked = selfassess.recommendations(selfassess.assessment(answers_with(weak)))
    top = ranked[0]
    assert top.main_reason.problem.subject == weak
    # ... and the top strategy is one of those built most strongly for that driver.
    best_weight = max(s.weight(weak) for s in strategies())
    assert top.strategy.weight(weak) == best_weight
    assert "self" in top.main_reason.problem.describe("en") or "self-assessment" in top.explanation("en")


def test_data_security_weakest_puts_data_security_strategies_on_top():
    assessed = selfassess.assessment(answers_with("data_security", weak_answer=2), business_type="b2c")
    ranked = selfassess.recommendations(assessed)
    assert ranked[0].strategy.id == "trust_marks"  # the playbook's data-security strategy (weight 1.0)
    top3 = ranked[:3]
    assert all(rec.strategy.weight("data_security") > 0 for rec in top3)
    assert "Data security" in ranked[0].explanation("en") and "2.0 of 5" in ranked[0].explanation("en")
    # Raising data security to the others' level takes it out of the lead.
    even = selfassess.recommendations(selfassess.assessment(answers_with("data_security", 4)))
    assert even[0].main_reason is None or even[0].main_reason.problem.subject != "data_security"


@pytest.fixture(scope="module")
def content():
    assessed = selfassess.assessment(
        answers_with("service", weak_answer=2), business_type="b2c", retention_rate=0.35, nps=12
    )
    return build_content(None, None, lang="pl", self_assessment=assessed)


def test_report_content_of_a_self_assessment_needs_no_data(content):
    assert content.data == {} and content.drivers is None and content.cohort is None
    assert content.diagnosis_text[0].startswith("Profil czynników z Twojej samooceny, niezmierzony")
    assert "Empatia i obsługa: 2,0 z 5 (25/100)." in content.diagnosis_text
    assert "ankieta" in content.diagnosis_text[-1].lower()
    kpis = content.kpis.set_index("key")
    assert kpis.loc["nps", "text"] == "12" and kpis.loc["retention_rate", "text"] == "35\u00a0%"
    assert kpis.loc["nps", "note"] == "Twoje szacunki (samoocena, niezmierzone)"
    assert kpis.loc["repeat_purchase_rate", "note"] == ""  # not given: not invented
    assert len(content.strategies) == 5
    assert set(content.plan["strategy_id"]) == set(content.strategies["id"])


def test_html_report_of_a_self_assessment_shows_the_driver_profile(content):
    page = build_report(content, "html").decode("utf-8")
    assert "Profil czynników (samoocena, niezmierzona)" in page  # the chart's title, inline SVG
    assert "<svg" in page and "Bezpieczeństwo danych: 4,0 z 5 (75/100)." in page
    assert "zestawu ankiety" in page.lower() or "Zestaw ankiety" in page


def test_pdf_and_excel_reports_of_a_self_assessment_build(content):
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(build_report(content, "pdf"))).pages)
    assert "niezmierzony" in text and "Empatia i obsługa: 2,0 z 5" in text
    assert build_report(content, "xlsx")[:2] == b"PK"


def test_chosen_strategies_are_reported_in_their_order():
    assessed = selfassess.assessment(answers_with("reputation"))
    picked = ["crm", "trust_marks"]
    content = build_content(None, None, lang="en", strategies=picked, self_assessment=assessed)
    assert list(content.strategies["id"]) == picked
    with pytest.raises(InputError):
        build_content(None, None, strategies=["nope"], self_assessment=assessed)


@pytest.mark.parametrize("lang", LANGS)
def test_profile_chart_gives_every_driver_a_row_and_shows_full_names(lang):
    from loyalty.charts.selfassess import profile_chart
    from loyalty.charts.theme import ROW_PX

    table = selfassess.profile(answers_with("service", weak_answer=2)).table(lang)
    spec = profile_chart(table, lang).to_dict()
    # Streamlit's default "fit" squeezed title, axes and legend into the height: ~30 px of bars.
    assert spec["height"] >= ROW_PX * len(DRIVERS)
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    y_axes = [layer["encoding"]["y"]["axis"] for layer in spec["layer"]]
    assert all(axis["labelLimit"] == 0 for axis in y_axes)  # "Communication and honesty" uncut
    assert spec["layer"][0]["encoding"]["color"]["legend"]["labelLimit"] == 0
    lines = spec["title"]["text"]
    assert isinstance(lines, list) and " ".join(lines) == catalog()["selfassess.chart.title"][lang]
    assert all(len(line) <= 56 for line in lines)


def test_reasons_name_the_drivers_as_the_chart_and_the_rest_of_the_app_do():
    # The reasons said "Service" / "Clear communication" under a chart labelled "Empathy and service".
    names = catalog()
    for driver in DRIVERS:
        assert names[f"strategies.driver.{driver}"] == names[f"field.{driver}"], driver
    assessed = selfassess.assessment(answers_with("communication", weak_answer=2))
    chart_labels = list(selfassess.profile_of(assessed).table("nl")["label"])
    reason = selfassess.recommendations(assessed)[0].explanation("nl")
    assert "Communicatie en eerlijkheid" in chart_labels
    assert reason.startswith("Communicatie en eerlijkheid is de laagst beoordeelde factor"), reason
