"""The comment taxonomy and sentiment lexicon (``loyalty/data/themes.json``), compiled for matching.

A term is a tuple of words. A word matches a token when it equals the token's lowercase
form or one of its lemmas; ``stem*`` matches tokens that start with ``stem`` and ``*tail``
tokens that end with ``tail``. The file holds the words, so the taxonomy can grow without
code changes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, NamedTuple

from loyalty.i18n import LANGS

#: Language code meaning "not known": the lexicons (and lemmas) of every language apply.
ANY_LANG = "*"
#: What a match means; "pause" is a comma, which only stops negation.
Kind = Literal["theme", "positive", "negative", "negator", "negator_exception", "clause_break", "pause"]
WILDCARD = "*"


class Term(NamedTuple):
    """One lexicon entry (a named tuple: hashed and compared in C, which the matcher relies on).

    Parameters
    ----------
    words : tuple of str
        The words of the term, possibly with a leading or trailing ``*``.
    kind : Kind
        What a match means.
    theme : str or None
        The theme, for ``kind == "theme"``.
    """

    words: tuple[str, ...]
    kind: Kind
    theme: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """The terms of one language, indexed for matching.

    Parameters
    ----------
    lang : str
        Language code, or :data:`ANY_LANG` for all languages at once.
    by_first_word : dict
        First word of a term -> the terms starting with it.
    prefixes, suffixes : frozenset of str
        The stems of ``stem*`` and tails of ``*tail`` words.
    """

    lang: str
    by_first_word: dict[str, tuple[Term, ...]]
    prefixes: frozenset[str]
    suffixes: frozenset[str]


@lru_cache(maxsize=1)
def raw_lexicon() -> dict:
    """Return the parsed ``themes.json``."""
    return json.loads((resources.files("loyalty") / "data" / "themes.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def themes() -> tuple[str, ...]:
    """Return the theme names in file order (the five trust drivers, then price, delivery, product)."""
    return tuple(raw_lexicon()["themes"])


def _terms(lang: str) -> list[Term]:
    data = raw_lexicon()
    terms = [
        Term(tuple(text.split()), "theme", theme)
        for theme, by_lang in data["themes"].items()
        for text in by_lang[lang]
    ]
    terms += [
        Term(tuple(x.split()), polarity)
        for polarity in ("positive", "negative")
        for x in data["sentiment"][polarity][lang]
    ]
    for kind, section in (
        ("negator", "negators"),
        ("negator_exception", "negator_exceptions"),
        ("clause_break", "clause_breaks"),
    ):
        terms += [Term(tuple(text.split()), kind) for text in data[section][lang]]
    return terms


@lru_cache(maxsize=len(LANGS) + 1)
def lexicon(lang: str) -> Lexicon:
    """Return the compiled lexicon of ``lang`` (the union of all languages for ANY_LANG).

    Parameters
    ----------
    lang : str
        ``"en"``, ``"nl"``, ``"pl"`` or :data:`ANY_LANG`.

    Returns
    -------
    Lexicon
    """
    terms = [term for code in LANGS for term in _terms(code)] if lang == ANY_LANG else _terms(lang)
    index: dict[str, list[Term]] = defaultdict(list)
    for term in dict.fromkeys(terms):  # one language may repeat another's word: keep it once
        index[term.words[0]].append(term)
    words = {word for term in terms for word in term.words}
    return Lexicon(
        lang=lang,
        by_first_word={word: tuple(found) for word, found in index.items()},
        prefixes=frozenset(w[:-1] for w in words if w.endswith(WILDCARD)),
        suffixes=frozenset(w[1:] for w in words if w.startswith(WILDCARD)),
    )


@lru_cache(maxsize=1)
def lexicon_words() -> frozenset[str]:
    """Return every word of every term in every language (wildcard words included, as written).

    A token matches a term through its lemma only when the lemma is one of these words, which is
    why the lemma table (:mod:`loyalty.text.lemmas`) only needs the forms of these lemmas.

    Returns
    -------
    frozenset of str
    """
    return frozenset(
        word for terms in lexicon(ANY_LANG).by_first_word.values() for t in terms for word in t.words
    )
