"""Lemmas come from simplemma's bundled dictionaries, cached per token."""

from __future__ import annotations

from loyalty.text.lemmas import ANY_LANG, lemmas, preload


def test_inflected_forms_reduce_to_their_lemma() -> None:
    assert lemmas("dostawą", "pl") == {"dostawa"}
    assert lemmas("przesyłki", "pl") == {"przesyłka"}
    assert lemmas("leveringen", "nl") == {"levering"}
    assert lemmas("bezorgde", "nl") == {"bezorgen"}
    assert lemmas("delivered", "en") == {"deliver"}


def test_an_unknown_language_gives_the_lemma_of_every_language() -> None:
    assert lemmas("prijzen", ANY_LANG) >= {"prijs", "prijzen"}


def test_preload_is_harmless_to_repeat() -> None:
    preload(("en",))
    preload(("en",))
    assert lemmas("prices", "en") == {"price"}
