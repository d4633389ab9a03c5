"""Every recommendation explains itself in one sentence, in en/nl/pl, citing the numbers behind it."""

from __future__ import annotations

import re

import pytest

from loyalty.i18n import LANGS
from loyalty.strategies import (
    DriverEvidence,
    Evidence,
    KpiEvidence,
    SelfAssessment,
    ThemeEvidence,
    Trend,
    find_problems,
    get_strategy,
    recommend,
)

from .conftest import fix_first

NBSP = "\u00a0"
SHARES = {
    "consistency": 0.25,
    "communication": 0.20,
    "service": 0.31,
    "data_security": 0.10,
    "reputation": 0.14,
}
PERFORMANCE = {"consistency": 72, "communication": 70, "service": 58, "data_security": 78, "reputation": 74}
SERVICE_FIRST = Evidence(drivers=tuple(DriverEvidence(d, SHARES[d], PERFORMANCE[d]) for d in SHARES))

#: Evidence that exercises every kind of sentence: drivers, every KPI aspect, themes, self-ratings.
RICH = [
    SERVICE_FIRST,
    Evidence(
        drivers=SERVICE_FIRST.drivers,
        kpis=KpiEvidence(
            nps=-12.0,
            repeat_purchase_rate=0.12,
            retention_rate=0.2,
            clv_trend=Trend(120.0, 90.0),
            feedback_trend=Trend(72.0, 61.0),
            themes=(ThemeEvidence("delivery", 31, -4.2), ThemeEvidence("data_security", 9, -7.5, True)),
        ),
        business_type="B2C",
    ),
    Evidence(kpis=KpiEvidence(nps_trend=Trend(35.0, 21.0, 0.30), retention_trend=Trend(0.5, 0.38))),
    Evidence(drivers=tuple(DriverEvidence(d, None, PERFORMANCE[d]) for d in SHARES)),
    SelfAssessment({"service": 2.0, "reputation": 3.5}, kpi_ratings={"clv": 1}).evidence(),
    Evidence(),
]


def test_the_issue_example_reads_as_written():
    top = recommend(SERVICE_FIRST)[0]
    assert top.explanation("en") == (
        "Empathy and service is your most important driver (31% of explained trust) and your weakest "
        "(58/100); complaint management and team training address it."
    )
    assert top.explanation("nl") == (
        "Empathie en service is uw belangrijkste factor (31% van het verklaarde vertrouwen) en tegelijk "
        "uw zwakste (58/100); klachtenmanagement en teamtraining pakken dit aan."
    )
    assert top.explanation("pl") == (
        f"Empatia i obsługa to Twój najważniejszy czynnik (31{NBSP}% wyjaśnionego zaufania) i zarazem "
        "najsłabszy (58/100); odpowiadają na to zarządzanie reklamacjami i szkolenie zespołów."
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", range(len(RICH)))
def test_every_explanation_is_one_clean_sentence(case, lang):
    for rec in recommend(RICH[case]):
        text = rec.explanation(lang)
        assert "strategies." not in text and "{" not in text and "}" not in text, text
        assert text[0].isupper() or text[0] in "„“", text
        assert text.endswith("."), text
        assert text.count(". ") == 0 or "p = " in text, text  # one sentence
        for reason in rec.reasons:
            assert "strategies." not in reason.text(lang)


@pytest.mark.parametrize(
    ("lang", "share", "performance"),
    [("en", "40%", "40/100"), ("nl", "40%", "40/100"), ("pl", f"40{NBSP}%", "40/100")],
)
def test_driver_sentences_cite_share_and_performance_in_the_locale_format(lang, share, performance):
    text = recommend(fix_first("reputation"))[0].explanation(lang)
    assert share in text and performance in text


@pytest.mark.parametrize(
    ("lang", "numbers"),
    [
        ("en", ["12.0%", "-12", "from 72 to 61", "25%", "4.2", "(31)"]),
        ("nl", ["12,0%", "-12", "van 72 naar 61", "25%", "4,2", "(31)"]),
        ("pl", [f"12,0{NBSP}%", "-12", "z 72 do 61", f"25{NBSP}%", "4,2", "(31)"]),
    ],
)
def test_kpi_and_theme_sentences_cite_their_numbers(lang, numbers):
    text = " | ".join(p.describe(lang) for p in find_problems(RICH[1]))
    for number in numbers:
        assert number in text, (number, text)


def test_an_insignificant_nps_drop_says_so_with_its_p_value():
    (nps, _) = find_problems(RICH[2])
    assert nps.describe("en") == (
        "Your NPS fell by 14 points, from 35 to 21, though the change is not significant (p = 0.30)"
    )
    assert "p = 0,30" in nps.describe("pl")


def test_self_assessment_sentences_cite_the_owners_scores():
    ranked = recommend(RICH[4])
    assert ranked[0].main_reason.problem.key == "kpi:clv"  # rated 1 of 5: the worst answer leads
    rec = next(r for r in ranked if r.main_reason.problem.key == "driver:service")
    assert rec.explanation("en").startswith(
        "Empathy and service is the lowest-rated driver in your self-assessment (2.0 of 5)"
    )
    assert "(2,0 z 5)" in rec.explanation("pl")


def test_the_verb_agrees_with_a_plural_strategy_name():
    offers = [get_strategy("exclusive_offers")]
    rec = recommend(Evidence(kpis=KpiEvidence(repeat_purchase_rate=0.1)), catalog=offers)[0]
    assert rec.partner is None
    assert rec.explanation("en").endswith("; exclusive offers address it.")
    assert rec.explanation("nl").endswith("; exclusieve aanbiedingen pakken dit aan.")
    assert rec.explanation("pl").endswith("; odpowiadają na to ekskluzywne oferty.")
    crm = recommend(Evidence(kpis=KpiEvidence(repeat_purchase_rate=0.1)), catalog=[get_strategy("crm")])[0]
    assert crm.explanation("en").endswith("; a CRM system addresses it.")


def test_without_evidence_or_relevance_the_sentence_says_why_it_ranks_where_it_does():
    none = recommend(Evidence())[0]
    assert none.explanation("en").startswith("No weakness stands out in the evidence")
    unrelated = [
        r for r in recommend(Evidence(kpis=KpiEvidence(clv_trend=Trend(100.0, 50.0)))) if not r.reasons
    ]
    assert unrelated[0].explanation("nl").endswith("staat daarom laag.")
    assert re.search(r"„.+” nie odpowiada", unrelated[0].explanation("pl"))
