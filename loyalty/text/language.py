"""Offline language guess (en/nl/pl) from marker words and letters, vectorised over comments.

Simple evidence is enough to tell three languages apart in survey comments: function words
("the", "het", "się"), Polish letters (ą, ł, ż, ...), the Dutch "ij", and the words of the
comment lexicon that only one language has ("delivery", "levering", "dostaw*"), which settle
short answers such as "Fast delivery". No model is loaded.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from loyalty.i18n import LANGS, normalize_lang
from loyalty.text.lexicon import WILDCARD, lexicon

#: Extra evidence the caller's language hint gets: it decides ties and comments without evidence.
HINT_WEIGHT = 0.5


@lru_cache(maxsize=1)
def _markers() -> dict:
    return json.loads((resources.files(__package__) / "language_markers.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _lexicon_words() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Return, per language, the lexicon words and ``stem*`` stems no other language has."""
    words = {}
    for lang in LANGS:
        lex = lexicon(lang)
        terms = {w for found in lex.by_first_word.values() for t in found for w in t.words}
        words[lang] = ({w for w in terms if WILDCARD not in w}, set(lex.prefixes))
    return {
        lang: (
            frozenset(own - set().union(*(words[o][0] for o in LANGS if o != lang))),
            frozenset(stems - set().union(*(words[o][1] for o in LANGS if o != lang))),
        )
        for lang, (own, stems) in words.items()
    }


def _lexicon_hits(tokens: pd.Series, lang: str) -> pd.Series:
    """Return whether each token (one per row) is a lexicon word of ``lang`` only."""
    own, stems = _lexicon_words()[lang]
    distinct = pd.unique(tokens.dropna())
    hits = {tok for tok in distinct if tok in own or any(tok[:k] in stems for k in range(2, len(tok) + 1))}
    return tokens.isin(hits)


def _evidence(tokens: pd.Series) -> pd.DataFrame:
    """Return a score per language (columns) for each comment (rows, positional)."""
    markers = _markers()
    flat = tokens.explode()  # one row per token, the comment's position repeated
    owner = flat.index
    text = flat.astype("str")
    scores = {}
    for lang in LANGS:
        hits = flat.isin(set(markers["words"].get(lang, ()))) | _lexicon_hits(flat, lang)
        if lang in markers["letters"]:
            hits = hits | text.str.contains(f"[{markers['letters'][lang]}]", regex=True)
        for digraph in markers["digraphs"].get(lang, ()):
            hits = hits | text.str.contains(digraph, regex=False)
        scores[lang] = hits.astype(float).groupby(owner).sum()
    return pd.DataFrame(scores).reindex(range(len(tokens)), fill_value=0.0)


def _decide(scores: pd.DataFrame) -> np.ndarray:
    """Return the best language per row, or None for no evidence or a tie."""
    values = scores.to_numpy()
    best = values.max(axis=1)
    unique_best = (values == best[:, None]).sum(axis=1) == 1
    return np.where((best > 0) & unique_best, np.asarray(scores.columns)[values.argmax(axis=1)], None)


def detect_languages(tokens: pd.Series, hint: str | None = None) -> pd.Series:
    """Guess the language of each tokenised comment.

    Parameters
    ----------
    tokens : pandas.Series
        Token lists from :func:`loyalty.text.tokens.tokenize`.
    hint : str, optional
        The language the comments are expected in (e.g. the survey's market). It wins
        ties and comments without evidence ("Super!"); clear evidence overrides it.
        Without a hint, the most common language of the batch plays that part, since a
        survey's short answers are most likely in the language of its long ones.

    Returns
    -------
    pandas.Series
        ``"en"``, ``"nl"`` or ``"pl"`` per comment, indexed like ``tokens``; missing
        where there is no text, or nothing to go on (no evidence, no hint, no majority).
    """
    scores = _evidence(tokens.reset_index(drop=True))
    if hint is None:
        decided = pd.Series(_decide(scores)).dropna()
        hint = decided.mode().iloc[0] if len(decided) else None
    if hint is not None:
        scores[normalize_lang(hint)] += HINT_WEIGHT
    guess = pd.Series(_decide(scores), index=tokens.index, dtype="str")
    return guess.where(tokens.map(bool))
