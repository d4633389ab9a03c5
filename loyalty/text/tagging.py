"""Tag survey comments with themes and per-theme sentiment, offline, in English, Dutch and Polish."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty.text.language import detect_languages
from loyalty.text.lexicon import ANY_LANG, themes
from loyalty.text.matching import find_matches
from loyalty.text.sentiment import theme_sentiments
from loyalty.text.tokens import tokenize

LANGUAGE = "language"


def sentiment_column(theme: str) -> str:
    """Return the name of a theme's sentiment column (``"<theme>_sentiment"``)."""
    return f"{theme}_sentiment"


def tag_columns() -> list[str]:
    """Return the columns of :func:`tag_comments`, in order."""
    names = themes()
    return [*names, *(sentiment_column(t) for t in names), LANGUAGE]


def analyse(tokens: tuple[str, ...], lang: str) -> dict[str, int]:
    """Return ``{theme: sentiment}`` for the themes one tokenised comment mentions.

    Parameters
    ----------
    tokens : tuple of str
        One comment's tokens.
    lang : str
        Its language, or ANY_LANG when unknown (then all three lexicons apply).

    Returns
    -------
    dict
        Theme -> −1, 0 or +1.
    """
    return theme_sentiments(find_matches(tokens, lang))


def tag_comments(comments: pd.Series, lang: str | None = None) -> pd.DataFrame:
    """Find the themes each comment mentions and whether it speaks of them well or badly.

    Parameters
    ----------
    comments : pandas.Series
        Free-text comments; NaN or blank means no comment.
    lang : str, optional
        Expected language of the comments; it decides when the text itself gives no
        clear evidence. Clear evidence wins, so a mixed-language survey is tagged per comment.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``comments``: one bool column per theme, ``<theme>_sentiment``
        (−1 negative, 0 neutral or mixed or not mentioned, +1 positive) and ``language``
        (missing when there is no text, or when nothing points to a language: such
        comments are matched against all three lexicons).

    Notes
    -----
    Tokenising, language detection and lemma lookup are vectorised or cached per distinct
    token; the clause logic runs once per distinct (comment, language), so repeated short
    answers ("Good", "Prima") cost nothing extra.
    """
    series = pd.Series(comments, copy=False)
    tokens = tokenize(series)
    languages = detect_languages(tokens, lang)
    keys = list(zip(tokens.map(tuple), languages.fillna(ANY_LANG), strict=True))
    results = {key: analyse(*key) for key in dict.fromkeys(k for k in keys if k[0])}
    names = themes()
    sentiment = np.zeros((len(keys), len(names)), dtype=np.int64)
    mentioned = np.zeros((len(keys), len(names)), dtype=bool)
    column = {name: j for j, name in enumerate(names)}
    for i, key in enumerate(keys):
        for theme, value in results.get(key, {}).items():
            mentioned[i, column[theme]] = True
            sentiment[i, column[theme]] = value
    frame = pd.DataFrame(mentioned, index=series.index, columns=list(names))
    for j, name in enumerate(names):
        frame[sentiment_column(name)] = sentiment[:, j]
    frame[LANGUAGE] = languages
    return frame
