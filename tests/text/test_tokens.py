"""Tokenising: lowercase words, clause breaks, commas and spelled-out English contractions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty.text import has_text, tokenize


def test_tokens_are_lowercase_words_with_breaks_and_commas() -> None:
    tokens = tokenize(pd.Series(["Nie polecam!! Przesyłka 3 dni za późno, kurier-niemiły."]))
    assert tokens.iloc[0] == [
        "nie",
        "polecam",
        "|",
        "przesyłka",
        "dni",
        "za",
        "późno",
        ",",
        "kurier",
        "niemiły",
        "|",
    ]


def test_english_contractions_keep_their_negation() -> None:
    assert tokenize(pd.Series(["Didn't arrive; won’t order again"])).iloc[0] == [
        "did",
        "not",
        "arrive",
        "|",
        "wo",
        "not",
        "order",
        "again",
    ]


def test_missing_and_blank_comments_have_no_tokens() -> None:
    comments = pd.Series([None, np.nan, "  ", "ok"])
    assert tokenize(comments).tolist() == [[], [], [], ["ok"]]
    assert has_text(comments).tolist() == [False, False, False, True]
