"""The Survey kit page in AppTest, and a filled-in template going through Data -> Diagnose untouched."""

from __future__ import annotations

import pytest

from loyalty import surveykit
from loyalty.drivers._util import label
from loyalty.i18n import catalog, t
from loyalty.schema import DRIVERS

from ..test_surveykit import filled_template
from .helpers import raw_keys, run_app, visible_texts

PAGE = "pages/survey_kit.py"
#: Longest download label: three buttons side by side fit a 1280 px window with the sidebar open.
LABEL_CHARS = 24


def _clean(at):
    assert not at.exception, [e.value for e in at.exception]
    assert raw_keys(at) == []


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("nl-NL", "nl"), ("pl-PL", "pl")])
def test_page_offers_the_kit_and_the_guide_in_every_language(locale, lang):
    at = run_app(locale, PAGE)
    _clean(at)
    assert at.title[0].value == t("surveykit.title", lang)
    assert at.selectbox(key="surveykit_lang").value == lang  # the survey starts in the interface language
    fmts = ("csv", "html", "pdf")
    assert [b.label for b in at.download_button] == [t(f"surveykit.download.{fmt}", lang) for fmt in fmts]
    # Short labels, so none is cut at 1280 px ("CSV-sjabloon voor de antwoo…"); the rest is the help.
    assert all(len(b.label) <= LABEL_CHARS for b in at.download_button)
    assert [b.help for b in at.download_button] == [t(f"surveykit.download.{fmt}_help", lang) for fmt in fmts]
    texts = visible_texts(at)
    assert t("surveykit.guide.text", lang) in texts and t("surveykit.invite.steps", lang) in texts
    # Static tables wrap the questions; a data frame cut them and scrolled inside itself.
    assert not at.dataframe
    preview = at.table[0].value
    assert list(preview.iloc[:, 0]) == surveykit.headers(lang)
    assert list(preview.iloc[:, 1]) == [c.text for c in surveykit.columns(lang)]  # whole questions
    assert t("surveykit.go_data", lang) in [p.label for p in at.get("page_link")]


def test_the_survey_language_can_differ_from_the_interface():
    at = run_app("en-GB", PAGE)
    at.selectbox(key="surveykit_lang").set_value("pl").run()
    _clean(at)
    assert list(at.table[0].value.iloc[:, 0]) == surveykit.headers("pl")
    assert at.title[0].value == t("surveykit.title", "en")  # the page itself stays English


def test_diagnose_points_to_the_survey_kit_when_drivers_are_missing():
    at = run_app("en-GB")
    at.switch_page("pages/data.py").run()
    data = "recommend\r\n" + "\r\n".join(str(i % 11) for i in range(40))
    at.file_uploader(key="upload_survey").set_value(("nps.csv", data.encode(), "text/csv")).run()
    at.switch_page("pages/diagnose.py").run()
    _clean(at)
    assert t("surveykit.link.no_drivers", "en") in [p.label for p in at.get("page_link")]


@pytest.mark.slow  # the Diagnose page's full bootstrap on 300 answers
@pytest.mark.parametrize("lang", ["en", "pl"])
def test_filled_template_goes_from_data_to_diagnose_without_mapping_edits(lang):
    at = run_app(f"{lang}-{lang.upper()}")
    at.switch_page("pages/data.py").run()
    name = surveykit.template_file_name(lang)
    at.file_uploader(key="upload_survey").set_value((name, filled_template(lang), "text/csv")).run()
    _clean(at)
    result = at.session_state["datasets"]["survey"]
    assert result.kind == "survey" and len(result.mapping) == 11  # every field, nobody touched a mapping
    at.switch_page("pages/diagnose.py").run()
    _clean(at)
    texts = visible_texts(at)
    # The diagnostics give one Cronbach's alpha sentence per driver scale of three items.
    sentence = catalog()["diagnose.diag.alpha_sentence"][lang]
    for driver in DRIVERS:
        start = sentence.split("{alpha}")[0].format(name=label(driver, lang))
        end = sentence.split("{k}")[1].split("{verdict}")[0]
        assert any(start in text and f"3{end}" in text for text in texts), (driver, texts)
