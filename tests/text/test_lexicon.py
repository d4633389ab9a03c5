"""The taxonomy file is complete and coherent in all three languages."""

from __future__ import annotations

from loyalty.i18n import LANGS, has_key
from loyalty.text.lemmas import ANY_LANG
from loyalty.text.lexicon import lexicon, raw_lexicon, themes
from loyalty.text.matching import find_matches


def test_every_theme_and_word_list_has_all_three_languages() -> None:
    data = raw_lexicon()
    sections = [
        *data["themes"].values(),
        *data["sentiment"].values(),
        data["negators"],
        data["negator_exceptions"],
        data["clause_breaks"],
    ]
    for section in sections:
        assert sorted(section) == sorted(LANGS)
        assert all(section[lang] for lang in LANGS)


def test_no_word_is_both_positive_and_negative() -> None:
    sentiment = raw_lexicon()["sentiment"]
    for lang in LANGS:
        assert set(sentiment["positive"][lang]) & set(sentiment["negative"][lang]) == set()


def test_terms_are_lowercase_and_wildcards_sit_at_one_end() -> None:
    for lang in (*LANGS, ANY_LANG):
        for terms in lexicon(lang).by_first_word.values():
            for term in terms:
                for word in term.words:
                    assert word == word.lower() and word.strip("*") and "*" not in word.strip("*")


def test_every_theme_has_a_translated_name() -> None:
    assert all(has_key(f"feedback.theme.{theme}") for theme in themes())


def test_multi_word_patterns_match_through_lemmas() -> None:
    # "dane osobowe" is written in the nominative; the genitive plural still matches.
    found = find_matches(["wyciek", "danych", "osobowych"], "pl")
    assert {m.term.words for m in found if m.term.kind == "theme"} >= {("wyciek*",), ("danych",)}
    found = find_matches(["de", "levering", "was", "te", "laat"], "nl")
    assert ("te", "laat") in {m.term.words for m in found}
