"""Lemmas come from the shipped table: simplemma's answers for the words that matter, no dictionary load.

Expected lemmas below were checked against simplemma 2.0.0; ``test_lemma_table.py`` compares the
two on every shipped comment and on hundreds of thousands of word forms.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from loyalty.text import lemmas as lemmas_module
from loyalty.text.lemmas import ANY_LANG, lemma_table, lemmas, preload

ROOT = Path(__file__).resolve().parents[2]


def test_inflected_forms_reduce_to_their_lexicon_lemma() -> None:
    assert lemmas("odpowiadały", "pl") == {"odpowiadać"}
    assert lemmas("płaciłem", "pl") == {"płacić"}
    assert lemmas("leveringen", "nl") == {"levering"}
    assert lemmas("terugbelde", "nl") == {"terugbellen"}
    assert lemmas("delivered", "en") == {"deliver"}
    assert lemmas("customers", "en") == {"customer"}


def test_a_lemma_that_is_no_lexicon_word_is_left_out() -> None:
    # simplemma gives "dostawa" and "bezorgen", but the lexicon has "dostaw*" and "bezorg*",
    # which match the written form: the lemma could not match anything.
    assert lemmas("dostawą", "pl") == frozenset()
    assert lemmas("bezorgde", "nl") == frozenset()


def test_an_unknown_language_gives_the_lemma_of_every_language() -> None:
    assert lemmas("prijzen", ANY_LANG) == {"prijs", "prijzen"}
    assert lemmas("prijzen", "nl") == {"prijs"}


def test_an_unknown_long_polish_word_takes_the_lemma_of_the_dictionary_word_it_extends() -> None:
    # simplemma drops one, then two final letters of an unknown word of 9+ letters.
    assert lemmas("agentamix", "pl") == {"agent"}
    assert lemmas("agentamixy", "pl") == {"agent"}
    assert lemmas("błędowixx", "pl") == {"błąd"}
    # "błędowie" is a dictionary word (lemma "Błędów"): it is found before "błędowi" (error).
    assert lemmas("błędowiex", "pl") == frozenset()
    assert lemmas("agentami", "en") == frozenset()  # English has no such rule


def test_tokens_are_looked_up_in_composed_unicode_form() -> None:
    assert lemmas(unicodedata.normalize("NFD", "płaciłem"), "pl") == {"płacić"}


def test_a_table_older_than_the_lexicon_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lemmas_module, "lexicon_words", lambda: frozenset({"a-word-added-later"}))
    lemma_table.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="build_lemma_table"):
            lemma_table()
    finally:
        lemma_table.cache_clear()


def test_preload_is_harmless_to_repeat() -> None:
    preload()
    preload()
    assert lemmas("prices", "en") == {"price"}


def test_tagging_never_imports_simplemma() -> None:
    code = (
        "import sys, pandas as pd\n"
        "from loyalty.text import tag_comments\n"
        "comments = ['Przesyłki docierały późno', 'Snelle levering', 'Rude staff', 'ok']\n"
        "tags = tag_comments(pd.Series(comments))\n"
        "assert tags['delivery'].tolist() == [True, True, False, False], tags\n"
        "assert 'simplemma' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
