"""Find lexicon terms (themes, sentiment words, negators, clause breaks) in a token sequence."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from loyalty.text.lemmas import lemmas
from loyalty.text.lexicon import WILDCARD, Term, lexicon
from loyalty.text.tokens import BREAK, PAUSE

#: Punctuation tokens and what they mean to the clause logic.
_PUNCTUATION = {BREAK: Term((BREAK,), "clause_break"), PAUSE: Term((PAUSE,), "pause")}


class Match(NamedTuple):
    """A term found at tokens ``start`` to ``end`` (exclusive)."""

    start: int
    end: int
    term: Term


@lru_cache(maxsize=200_000)
def token_keys(token: str, lang: str) -> frozenset[str]:
    """Return every lexicon word form a token can match.

    Parameters
    ----------
    token : str
        One lowercase token.
    lang : str
        Language of the comment (or ANY_LANG).

    Returns
    -------
    frozenset of str
        The token, its lemma(s) that are lexicon words, and the ``stem*`` / ``*tail`` wildcards of the lexicon
        that fit the token. Wildcards test the written form only: a lemma can share a stem
        with an unrelated word (Polish "dostaję", I get, has the lemma "dostawać", close to
        "dostawa", delivery). Cached, so each distinct token costs one lookup.
    """
    lex = lexicon(lang)
    keys = {token} | lemmas(token, lang)
    keys.update(token[:k] + WILDCARD for k in range(1, len(token) + 1) if token[:k] in lex.prefixes)
    keys.update(WILDCARD + token[k:] for k in range(len(token)) if token[k:] in lex.suffixes)
    return frozenset(keys)


@lru_cache(maxsize=200_000)
def candidates(token: str, lang: str) -> tuple[Term, ...]:
    """Return the lexicon terms whose first word matches ``token`` (cached per distinct token)."""
    index = lexicon(lang).by_first_word
    return tuple(dict.fromkeys(t for key in token_keys(token, lang) for t in index.get(key, ())))


def _matches_at(keys: list[frozenset[str]], i: int, term: Term) -> bool:
    """Whether the rest of a multi-word term follows token ``i``."""
    end = i + len(term.words)
    return end <= len(keys) and all(word in keys[i + j] for j, word in enumerate(term.words[1:], 1))


def find_matches(tokens: Sequence[str], lang: str) -> list[Match]:
    """Return all lexicon terms found in ``tokens``, in order of their first token.

    Overlapping terms are all kept ("customer service" and "service"): a theme is
    either mentioned or not, and sentiment is summed per clause before its sign is taken.

    Parameters
    ----------
    tokens : sequence of str
        Output of :func:`loyalty.text.tokens.tokenize` for one comment.
    lang : str
        Language of the comment (or ANY_LANG).

    Returns
    -------
    list of Match
    """
    keys: list[frozenset[str]] | None = None  # built only when a multi-word term needs it
    found: list[Match] = []
    for i, tok in enumerate(tokens):
        if tok in _PUNCTUATION:
            found.append(Match(i, i + 1, _PUNCTUATION[tok]))
            continue
        for term in candidates(tok, lang):
            if len(term.words) == 1:
                found.append(Match(i, i + 1, term))
                continue
            if keys is None:
                keys = [frozenset() if t in _PUNCTUATION else token_keys(t, lang) for t in tokens]
            if _matches_at(keys, i, term):
                found.append(Match(i, i + len(term.words), term))
    return found
