"""The Measure page in AppTest: every sample, every language, missing data, filter changes; and its cards."""

from __future__ import annotations

import datetime as dt

import pytest

from loyalty.i18n import t
from loyalty.ui.measure_cards import build_cards
from loyalty.ui.measure_clv import SECTION_KEY, SECTIONS
from loyalty.ui.measure_controls import PERIOD, SEGMENT_COLUMN, SEGMENT_VALUE, WINDOW
from loyalty.ui.measure_tabs import TAB_KEY, TABS

from .helpers import raw_keys, run_app

PAGE = "pages/measure.py"
LOCALES = {"en": "en-US", "nl": "nl-NL", "pl": "pl-PL"}


def open_tab(at, key: str, lang: str):
    """Select a tab (the tabs are lazy: only the open one is drawn) and rerun."""
    at.session_state[TAB_KEY] = t(f"measure.tab.{key}", lang)
    return at.run()


def assert_clean(at, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    assert not at.error, (where, [e.value for e in at.error])
    assert raw_keys(at) == [], where


def card_values(at, lang: str) -> dict[str, str]:
    """Metric value of each card, by the card's title (the first five metrics are the cards)."""
    return {m.label: m.value for m in at.metric[:5]}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "nl", "pl"])
def test_every_tab_in_every_language_draws_its_charts_without_raw_keys(lang):
    at = run_app(LOCALES[lang], page=PAGE)  # each language preloads its own sample
    assert at.title[0].value == t("measure.title", lang)
    assert len(at.metric) >= 5 and [tab.label for tab in at.tabs] == [
        t(f"measure.tab.{k}", lang) for k in TABS
    ]
    for key in TABS:
        open_tab(at, key, lang)
        assert_clean(at, (lang, key))
        assert at.get("vega_lite_chart"), (lang, key)
    for section in SECTIONS:  # the CLV tab is open last but one: reopen it and walk its sections
        at.session_state[SECTION_KEY] = section
        open_tab(at, "clv", lang)
        assert_clean(at, (lang, section))
        assert at.get("vega_lite_chart"), (lang, section)
    assert t("measure.how", lang) in [e.label for e in at.expander]


@pytest.mark.slow
def test_cdnow_has_transactions_only_and_the_survey_kpis_say_what_is_missing():
    at = run_app("en-US", sample="cdnow", page=PAGE)
    assert_clean(at, "cards")
    cards = card_values(at, "en")
    assert cards[t("measure.card.nps.title", "en")] == "–"
    assert cards[t("measure.card.feedback.title", "en")] == "–"
    assert cards[t("measure.card.repeat.title", "en")] == "48.3%"  # 1,139 of 2,357 bought on 2+ days
    assert t("measure.missing.survey", "en") in [i.value for i in at.info]  # the NPS tab is open
    open_tab(at, "clv", "en")
    assert_clean(at, "clv")
    assert t("measure.clv.margin_default", "en") in [i.value for i in at.info]  # 100% is said out loud
    charts = len(at.get("vega_lite_chart"))
    for section in SECTIONS[1:]:
        at.session_state[SECTION_KEY] = section
        at.run()
        assert_clean(at, section)
        charts += len(at.get("vega_lite_chart"))
        metrics = {m.label: m.value for m in at.metric}
        if section == "forecast":
            assert at.success[0].value == t("clv.status.ok", "en")
            assert metrics[t("measure.clv.modelled", "en")] == "2,357"
        if section == "holdout":
            # The calibration end defaults to the middle of the data: the published 1997-09-30.
            assert metrics[t("measure.clv.holdout.actual", "en", start="1997-09-30")] == "1,882"
    assert charts >= 6
    open_tab(at, "feedback", "en")
    assert t("measure.missing.survey", "en") in [i.value for i in at.info]


@pytest.mark.slow
def test_a_survey_alone_gives_nps_and_feedback_and_says_transactions_are_missing():
    at = run_app("en-US")
    for kind in ("transactions", "customers"):
        at.session_state["datasets"].pop(kind)
        at.session_state["files"].pop(kind)
    at.switch_page(PAGE).run()
    assert_clean(at, "cards")
    cards = card_values(at, "en")
    assert cards[t("measure.card.nps.title", "en")] not in ("–", "")
    assert cards[t("measure.card.retention.title", "en")] == "–"
    assert cards[t("measure.card.clv.title", "en")] == "–"
    assert t("measure.card.needs.transactions", "en") in [m.value for m in at.markdown]
    for key in ("retention", "repeat", "clv"):
        open_tab(at, key, "en")
        assert_clean(at, key)
        assert t("measure.missing.transactions", "en") in [i.value for i in at.info]
    open_tab(at, "feedback", "en")
    assert_clean(at, "feedback")
    assert at.get("vega_lite_chart")


@pytest.mark.slow
def test_filters_change_the_cards_and_the_charts():
    at = run_app("pl-PL", page=PAGE)  # pl_retail, the largest sample
    retention = t("measure.card.retention.title", "pl")
    captions = [c.value for c in at.caption]
    assert t("measure.card.compared", "pl", current="2024Q4", previous="2024Q3") in captions
    quarterly = at.metric[1].delta
    at.selectbox(key=PERIOD).set_value("month").run()
    assert_clean(at, "month")
    captions = [c.value for c in at.caption]
    assert t("measure.card.compared", "pl", current="2024-12", previous="2024-11") in captions
    assert at.metric[1].label == retention and at.metric[1].delta != quarterly
    # One store only: fewer customers, and the segment filter reaches both files.
    at.selectbox(key=SEGMENT_COLUMN).set_value("store").run()
    stores = at.selectbox(key=SEGMENT_VALUE).options
    assert len(stores) == 8
    at.selectbox(key=SEGMENT_VALUE).set_value(stores[0]).run()
    assert_clean(at, "segment")
    assert not at.warning  # store is in the transactions and in the survey
    open_tab(at, "repeat", "pl")
    assert_clean(at, "repeat tab, one store")
    customers = {m.label: m.value for m in at.metric}[t("measure.repeat.customers", "pl")]
    assert int(customers.replace("\u00a0", "")) < 3000
    # A narrower window: the repeat rate is measured over 2024 only.
    at.date_input(key=WINDOW).set_value((dt.date(2024, 1, 1), dt.date(2024, 12, 31))).run()
    assert_clean(at, "window")
    sentences = " ".join(m.value for m in at.markdown)
    assert "01.01.2024" in sentences and "31.12.2024" in sentences
    # Other data: the window and the segment of the old data are forgotten.
    at.switch_page("pages/data.py").run()
    at.selectbox(key="sample_choice").set_value("cdnow").run()
    at.button(key="load_sample").click().run()
    at.switch_page(PAGE).run()
    assert_clean(at, "cdnow after pl_retail")
    assert at.date_input(key=WINDOW).value == (dt.date(1997, 1, 1), dt.date(1998, 6, 30))
    assert at.selectbox(key=SEGMENT_COLUMN).value == "__all__"


@pytest.mark.slow
def test_without_any_data_the_page_says_where_to_get_it(monkeypatch):
    monkeypatch.setenv("LOYALTY_SAMPLE", "none")
    at = run_app("nl-NL", page=PAGE)
    assert not at.exception
    assert t("measure.missing.data", "nl") in [i.value for i in at.info]
    assert not at.metric and raw_keys(at) == []


# --- the cards, as pure functions --------------------------------------------------------------


KPIS = {
    "nps": {
        "value": 12.0,
        "ci95": [4.1, 19.8],
        "n": 500,
        "shares": {"promoters": 0.4, "passives": 0.32, "detractors": 0.28},
        "change": {"period": "2024Q4", "previous_period": "2024Q3", "delta": -6.3, "p_value": 0.44},
    },
    "retention_rate": {
        "value": 0.757,
        "value_both_periods": 0.548,
        "ci95": None,  # reactivated customers: (E - N)/S is no proportion of S
        "ci95_both_periods": [0.518, 0.578],
        "period": "2024Q4",
        "previous_period": "2024Q3",
        "change": {"period": "2024Q4", "previous_period": "2024Q3", "delta": 0.0695},
    },
    "repeat_purchase_rate": {"value": 0.7013, "ci95": [0.685, 0.717], "customers": 3000, "change": None},
    "clv": {
        "mean": 514.3,
        "median": 280.6,
        "quantiles": {"p25": 120.0, "p75": 610.0},
        "top_fraction": 0.1,
        "top_share": 0.4267,
        "margin": 1.0,
        "change": {"period": "2024Q4", "previous_period": "2024Q3", "delta": 48.06},
    },
    "feedback": {"error": "measure.error.unexpected", "params": {}},
}


def test_cards_state_value_interval_change_and_meaning():
    nps, retention, repeat, clv, feedback = build_cards(KPIS, "en", "2023-01-02", "2024-12-31")
    assert (nps.value, nps.delta) == ("12", "-6.3 pts")
    assert nps.compared == "2024Q4 vs 2024Q3: within the noise (p = 0.44), not significant"
    assert nps.detail == "95% interval 4 to 20 · n = 500"
    assert nps.sentence == t("measure.card.nps.sentence", "en", promoters="40", detractors="28")
    assert (retention.value, retention.delta, retention.compared) == ("54.8%", "+7.0 pp", "2024Q4 vs 2024Q3")
    assert "Active in both periods" in retention.detail and "75.7%" in retention.detail
    assert "55 bought again in 2024Q4" in retention.sentence
    assert repeat.delta is None and repeat.compared == ""
    assert "70 came back" in repeat.sentence and "2023-01-02" in repeat.sentence
    assert clv.value == "514" and clv.delta == "+48"
    assert clv.detail.startswith("Revenue per customer (margin 100%)")
    assert clv.sentence == "Your top 10% of customers bring in 43% of the revenue."
    assert feedback.value == "–" and feedback.sentence == t("measure.error.unexpected", "en")
    # Titles fit a card a fifth of 1280 px wide (about 10 characters), in every language; the
    # full title opens the tooltip.
    for lang in ("en", "nl", "pl"):
        cards = build_cards(KPIS, lang)
        assert max(len(c.title) for c in cards) <= 10, lang
        assert cards[1].help.startswith(f"**{t('measure.card.retention.full', lang)}**")
        assert max(len(c.delta or "") for c in cards) <= 10, lang


def test_cards_of_missing_data_and_in_polish():
    cards = build_cards({"clv": dict(KPIS["clv"], margin=0.4)}, "pl")
    assert [c.value for c in cards] == ["–", "–", "–", "514", "–"]
    assert cards[0].sentence == t("measure.card.needs.survey", "pl")
    assert cards[1].sentence == t("measure.card.needs.transactions", "pl")
    assert cards[3].detail.startswith(t("measure.card.clv.basis_margin", "pl", margin="40\u00a0%"))
    assert (cards[3].delta, cards[3].compared) == ("+48", "2024Q4 wobec 2024Q3")
    assert max(len(c.title) for c in cards) <= 22


def test_every_key_the_page_builds_at_run_time_exists():
    from loyalty.clv import TIME_UNITS
    from loyalty.i18n import has_key
    from loyalty.ui.measure_cards import CARDS

    keys = [f"measure.card.{key}.name" for key, _ in CARDS]
    keys += [f"measure.card.needs.{kind}" for _, kind in CARDS]
    keys += [f"measure.missing.{kind}" for kind in ("transactions", "survey", "data")]
    keys += [f"measure.tab.{key}" for key in TABS] + [f"measure.clv.section.{key}" for key in SECTIONS]
    keys += [f"measure.control.unit.{unit}" for unit in TIME_UNITS]
    keys += [
        f"measure.{what}.{verdict}"
        for what in ("card.nps", "nps.compare")
        for verdict in ("significant", "noise")
    ]
    keys += [f"measure.clv.independence.{verdict}" for verdict in ("ok", "broken")]
    assert [key for key in keys if not has_key(key)] == []
