"""The comment phrase bank is complete, unambiguous and in natural language."""

from __future__ import annotations

import re

from loyalty.synth.comments import POLARITIES, THEMES, phrase_bank

NEGATIONS = {
    "en": r"\b(not|never|no|nobody|too)\b",
    "nl": r"\b(niet|nooit|geen|niemand|te)\b",
    "pl": r"\b(nie|nigdy|nikt|za|brak)\b",
}


def test_every_language_has_every_theme_and_polarity():
    bank = phrase_bank()
    assert sorted(bank) == ["en", "nl", "pl"]
    for lang, themes in bank.items():
        assert sorted(themes) == sorted(THEMES), lang
        for theme, by_polarity in themes.items():
            assert sorted(by_polarity) == sorted(POLARITIES)
            assert all(len(by_polarity[p]) >= 5 for p in POLARITIES), (lang, theme)


def test_no_phrase_contains_another_so_each_mention_is_unambiguous():
    for lang, themes in phrase_bank().items():
        phrases = [ph for by_pol in themes.values() for ps in by_pol.values() for ph in ps]
        assert len(phrases) == len(set(phrases)), lang
        clashes = [(a, b) for a in phrases for b in phrases if a != b and a in b]
        assert clashes == [], lang


def test_phrases_are_sentences():
    for themes in phrase_bank().values():
        for by_pol in themes.values():
            for phrases in by_pol.values():
                assert all(ph[0].isupper() and ph[-1] in ".!" for ph in phrases)


def test_negative_phrases_use_natural_negations_and_positive_ones_avoid_them():
    bank = phrase_bank()
    for lang, pattern in NEGATIONS.items():
        neg = [ph for t in bank[lang].values() for ph in t["negative"]]
        pos = [ph for t in bank[lang].values() for ph in t["positive"]]
        assert sum(bool(re.search(pattern, ph, re.I)) for ph in neg) >= len(neg) / 3, lang
        assert not [ph for ph in pos if re.search(r"\b(not|niet|nie|never|nooit|nigdy)\b", ph, re.I)], lang
    assert any("nie polecam" in ph.lower() for t in bank["pl"].values() for ph in t["negative"])
    assert any("niet goed" in ph.lower() for t in bank["nl"].values() for ph in t["negative"])


def test_polish_keeps_its_diacritics():
    text = " ".join(ph for t in phrase_bank()["pl"].values() for ps in t.values() for ph in ps)
    assert set("ąęłóśżźćń") <= set(text.lower())
