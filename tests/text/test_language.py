"""Offline language guess: marker words, Polish letters, the Dutch 'ij', lexicon words and the hint."""

from __future__ import annotations

import pandas as pd

from loyalty.text import detect_languages, tokenize


def guess(texts: list[str], hint: str | None = None) -> list:
    return detect_languages(tokenize(pd.Series(texts)), hint).tolist()


def test_full_sentences_are_recognised() -> None:
    texts = [
        "The delivery was late and nobody told me why.",
        "De levering was te laat en niemand heeft me iets laten weten.",
        "Dostawa się spóźniła i nikt mnie nie poinformował.",
    ]
    assert guess(texts) == ["en", "nl", "pl"]


def test_short_answers_are_recognised_from_their_lexicon_words() -> None:
    assert guess(["Fast delivery.", "Snelle levering.", "Szybka dostawa."]) == ["en", "nl", "pl"]


def test_the_hint_decides_when_the_text_gives_no_evidence() -> None:
    assert guess(["Super!", "OK"], hint="nl") == ["nl", "nl"]
    assert guess(["Super!", "OK"], hint="pl-PL") == ["pl", "pl"]


def test_clear_evidence_overrides_the_hint() -> None:
    assert guess(["Dostawa była szybka, polecam."], hint="en") == ["pl"]


def test_without_hint_the_batch_majority_decides_for_evidence_free_answers() -> None:
    texts = ["De bezorging was snel.", "Het pakket kwam op tijd.", "Super!"]
    assert guess(texts) == ["nl", "nl", "nl"]


def test_no_text_or_no_evidence_at_all_gives_missing() -> None:
    result = guess(["", "Super!"])
    assert pd.isna(result[0]) and pd.isna(result[1])
