"""The Diagnose page in AppTest: every sample, every language, the what-if sliders, missing questions."""

from __future__ import annotations

import io
from functools import cache

import pandas as pd
import pytest

from loyalty.datasets import sample_files
from loyalty.i18n import t
from loyalty.schema import DRIVERS, TRUST
from loyalty.ui.diagnose_whatif import slider_key

from .helpers import raw_keys, run_app

PAGE = "pages/diagnose.py"
# The app preloads the sample of the browser's language: nl -> nl_webshop, pl -> pl_retail, en -> en_b2b.
LOCALES = {"nl_webshop": ("nl-NL", "nl"), "pl_retail": ("pl-PL", "pl"), "en_b2b": ("en-GB", "en")}


def _number(text: str) -> float:
    """Parse a shown number: '−4', '3,56', '1.234' (en) back into a float."""
    return float(str(text).replace("\u2212", "-").replace("\u00a0", "").replace(",", "."))


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@cache  # one app run per sample and test process: the what-if test reuses the page already opened
def open_diagnose(sample: str):
    locale, _ = LOCALES[sample]
    at = run_app(locale, page=PAGE)
    assert at.session_state["source"] == {"sample": sample}
    return at


@pytest.mark.parametrize("sample", list(LOCALES))
def test_every_survey_sample_gets_the_full_diagnosis_in_its_language(sample):
    at = open_diagnose(sample)
    lang = LOCALES[sample][1]
    assert at.title[0].value == t("diagnose.title", lang)
    assert not at.error, [e.value for e in at.error]
    assert raw_keys(at) == []
    subheaders = [s.value for s in at.subheader]
    for section in ("path", "importance", "ipa", "mediation", "whatif", "trust_pays", "segments"):
        assert t(f"diagnose.section.{section}", lang) in subheaders
    # path diagram, importance bars, importance-performance matrix, two residual plots
    assert len(at.get("vega_lite_chart")) >= 5
    text = " ".join(str(m.value) for m in at.markdown)
    assert text.count("95%") >= len(DRIVERS)  # every effect carries its interval
    labels = [m.label for m in at.metric]
    assert t("diagnose.whatif.nps", lang) in labels and t("diagnose.metric.n", lang) in labels
    assert any(e.label == t("diagnose.section.diagnostics", lang) for e in at.expander)


def test_a_positive_what_if_raises_the_shown_nps_and_zero_changes_nothing():
    at = open_diagnose("nl_webshop")
    label = t("diagnose.whatif.nps", "nl")
    before = _number(_metric(at, label))
    at.slider(key=slider_key("service")).set_value(1.0).run()
    assert not at.exception
    raised = _number(_metric(at, label))
    assert raised > before  # service raises trust, and trust raises recommend, in nl_webshop
    at.slider(key=slider_key("service")).set_value(0.0).run()
    assert _number(_metric(at, label)) == before
    n = _metric(at, t("diagnose.metric.n", "nl"))  # the baseline names the complete answers it covers
    assert t("diagnose.sentence.whatif_zero_nps", "nl", baseline=_metric(at, label), n=n) in [
        m.value for m in at.markdown
    ]


def test_cdnow_has_no_survey_and_the_page_says_what_is_missing():
    at = run_app("en-US", page=PAGE, sample="cdnow")
    assert not at.exception and not at.error
    info = " ".join(i.value for i in at.info)
    assert "No survey responses are loaded" in info and t("field.trust", "en") in info
    text = " ".join(str(m.value) for m in at.markdown)
    assert "Survey kit" in text and t("field.data_security", "en") in text
    assert t("surveykit.link.no_drivers", "en") in [p.label for p in at.get("page_link")]  # and a link to it
    assert not at.get("vega_lite_chart")
    assert raw_keys(at) == []


def _upload_survey(lang_locale: str, frame: pd.DataFrame):
    at = run_app(lang_locale, page="pages/data.py")
    data = frame.to_csv(index=False).encode("utf-8")
    at.file_uploader(key="upload_survey").set_value(("survey.csv", data, "text/csv")).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def webshop_survey() -> pd.DataFrame:
    _, data = sample_files("nl_webshop")["survey"]
    return pd.read_csv(io.BytesIO(data))


def test_without_trust_the_page_says_so_and_shows_the_drivers_to_outcome_analysis(webshop_survey):
    at = _upload_survey("en-US", webshop_survey.drop(columns=[TRUST]))
    info = " ".join(i.value for i in at.info)
    assert "no trust question" in info
    assert not at.error
    assert t("diagnose.section.path", "en") in [s.value for s in at.subheader]
    assert t("diagnose.section.mediation", "en") not in [s.value for s in at.subheader]
    assert raw_keys(at) == []


def test_without_drivers_or_trust_the_page_offers_the_outcome_only_analysis(webshop_survey):
    at = _upload_survey("pl-PL", webshop_survey.drop(columns=[TRUST, *DRIVERS]))
    info = " ".join(i.value for i in at.info)
    assert t("diagnose.missing.outcome_only", "pl", missing="").split(":")[0] in info
    assert t("diagnose.section.outcome_only", "pl") in [s.value for s in at.subheader]
    assert any(m.label == "NPS" for m in at.metric)
    assert raw_keys(at) == []


def test_a_constant_outcome_is_explained_in_the_page_language_with_its_label(webshop_survey):
    at = _upload_survey("pl-PL", webshop_survey.assign(recommend=10.0))
    errors = " ".join(e.value for e in at.error)
    label = t("drivers.quoted", "pl", name=t("field.recommend", "pl"))
    assert t("drivers.error.constant_outcome", "pl", column=label) in errors
    assert "recommend" not in errors and "Pomiń to pytanie" not in errors
    assert raw_keys(at) == []


def test_a_nearly_constant_outcome_gives_a_page_warning_and_still_the_diagnosis(webshop_survey):
    frame = webshop_survey.copy()
    answered = frame.index[frame["recommend"].notna()]
    frame.loc[answered, "recommend"] = 10.0
    frame.loc[answered[:20], "recommend"] = 9.0  # about 97% answer 10
    at = _upload_survey("en-US", frame)
    assert not at.error, [e.value for e in at.error]
    warnings = " ".join(w.value for w in at.warning)
    assert "hardly varies" in warnings and t("field.recommend", "en") in warnings
    assert t("diagnose.section.path", "en") in [s.value for s in at.subheader]

