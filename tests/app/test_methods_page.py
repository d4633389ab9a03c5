"""The Methods page in AppTest: formulas in every language, and the known-truth panel on each kind of data."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from loyalty.datasets import DEFAULT_SAMPLE_FOR_LANG, load_truth
from loyalty.errors import InputError
from loyalty.i18n import LANGS, format_number, t
from loyalty.methods import BLOCKS, SECTIONS, section_parts
from loyalty.schema import DRIVERS
from loyalty.ui import methods_panel

from ..conftest import ROOT
from .helpers import raw_keys, run_app

PAGE = "pages/methods.py"
LOCALES = {"en": "en-US", "nl": "nl-NL", "pl": "pl-PL"}
N_FORMULAS = sum(kind == "formula" for section, _, _ in SECTIONS for kind, _ in section_parts(section))


def _tables(at: AppTest, lang: str) -> dict:
    """Return the displayed comparison tables by block (each follows its bold heading)."""
    headings = [m.value for m in at.markdown]
    shown = [block for block in BLOCKS if f"**{t(f'methods.truth.block.{block}', lang)}**" in headings]
    assert len(shown) == len(at.dataframe)
    return {block: frame.value for block, frame in zip(shown, at.dataframe, strict=True)}


def _verdict(key: str, lang: str) -> str:
    """Return the fixed closing sentence of a verdict template ("The true value lies inside ...")."""
    return t(key, lang).rsplit("). ", 1)[1]


@pytest.mark.parametrize("lang", LANGS)
def test_methods_page_explains_every_method_with_formulas_and_shows_the_truth(lang):
    at = run_app(LOCALES[lang], page=PAGE)
    assert at.title[0].value == t("methods.title", lang)
    assert raw_keys(at) == []
    subheaders = [s.value for s in at.subheader]
    for section, _, _ in SECTIONS:
        assert t(f"methods.{section}.title", lang) in subheaders
    latex = [e.value.strip("$\n") for e in at.get("latex")]  # st.latex sends "$$\n...\n$$"
    assert len(latex) == N_FORMULAS
    assert r"\mathrm{NPS} = 100\left(\frac{P}{n} - \frac{D}{n}\right)" in latex
    assert not any("{{" in formula for formula in latex)
    # Links go only to the pages that use the methods (those registered in app.py are shown).
    targets = {t(f"methods.link.{page}", lang) for _, _, page in SECTIONS}
    assert {str(link.label) for link in at.get("page_link")} <= targets
    # The default sample of each language is synthetic: its truth.json drives the panel.
    truth = load_truth(DEFAULT_SAMPLE_FOR_LANG[lang])
    tables = _tables(at, lang)
    assert list(tables) == list(BLOCKS)
    trust, col = tables["trust_model"], lambda name: t(f"methods.truth.col.{name}", lang)
    observed, latent = truth["trust"]["observed"], truth["trust"]["latent"]
    assert trust[col("variable")].tolist() == [t(f"field.{d}", lang) for d in DRIVERS]
    for column, values in (("true", observed["coefficients"]), ("latent", latent["coefficients"])):
        assert trust[col(column)].tolist() == [format_number(values[d], lang, 3) for d in DRIVERS]
    shares = tables["importance"][col("true")].tolist()
    assert shares == [format_number(100 * observed["lmg_shares"][d], lang, 1) for d in DRIVERS]
    # One plain sentence per compared value, saying whether the truth is inside; they agree with the tables.
    inside, outside = _verdict("methods.truth.inside", lang), _verdict("methods.truth.outside", lang)
    sentences = [line for m in at.markdown for line in m.value.splitlines() if line.startswith("- ")]
    assert len(sentences) == sum(len(frame) for frame in tables.values()) == 16
    assert all(s.endswith((inside, outside)) for s in sentences)
    misses = sum((frame[col("inside")] == t("methods.truth.no", lang)).sum() for frame in tables.values())
    assert sum(s.endswith(outside) for s in sentences) == misses


def test_on_cdnow_the_page_says_there_is_no_ground_truth():
    at = run_app("en-US", sample="cdnow", page=PAGE)
    assert [i.value for i in at.info] == [t("methods.truth.real_data", "en")]
    assert len(at.dataframe) == 0
    assert len(at.get("latex")) == N_FORMULAS  # the explanations do not depend on the data
    assert raw_keys(at) == []


def test_without_a_sample_the_page_explains_that_own_data_has_no_truth(monkeypatch):
    monkeypatch.setenv("LOYALTY_SAMPLE", "none")
    at = run_app("nl-NL", page=PAGE)
    assert [i.value for i in at.info] == [t("methods.truth.own_data", "nl")]
    assert len(at.dataframe) == 0 and raw_keys(at) == []


def test_the_page_runs_on_its_own_when_the_pages_it_links_to_are_not_registered():
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("methods.title", "en")
    # st.page_link raises for a page missing from st.navigation: the links are left out, the page stays.
    assert len(at.get("page_link")) == 0
    assert len(at.get("latex")) == N_FORMULAS


FAILURES = [
    (InputError("methods.error.no_truth"), "methods.truth.failed"),
    (RuntimeError("a bug"), "methods.truth.unexpected"),
]


@pytest.mark.parametrize("error, key", FAILURES)
def test_a_failing_estimate_gives_one_warning_and_the_page_stays_up(monkeypatch, error, key):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(methods_panel, "truth_vs_estimates", fail)
    st.cache_data.clear()  # AppTest runs share one session cache: force a fresh computation
    at = run_app("pl-PL", page=PAGE)
    reason = t("methods.error.no_truth", "pl")
    expected = t(key, "pl", reason=reason) if key == "methods.truth.failed" else t(key, "pl")
    assert [w.value for w in at.warning] == [expected]
    assert len(at.dataframe) == 0 and len(at.get("latex")) == N_FORMULAS
