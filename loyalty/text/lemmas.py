"""Lemmatisation with simplemma, cached per token (simplemma ships its data in the wheel)."""

from __future__ import annotations

from functools import lru_cache

import simplemma

from loyalty.i18n import LANGS

#: Language code meaning "not known": the token is lemmatised in every supported language.
ANY_LANG = "*"


@lru_cache(maxsize=200_000)
def lemmas(token: str, lang: str) -> frozenset[str]:
    """Return the lowercase lemma(s) of a lowercase token.

    Parameters
    ----------
    token : str
        One lowercase word.
    lang : str
        ``"en"``, ``"nl"``, ``"pl"`` or :data:`ANY_LANG` for a lemma in each of them.

    Returns
    -------
    frozenset of str
        One lemma for a known language; up to three for :data:`ANY_LANG`. A word
        simplemma does not know is its own lemma.
    """
    langs = LANGS if lang == ANY_LANG else (lang,)
    return frozenset(simplemma.lemmatize(token, lang=code).lower() for code in langs)


def preload(langs: tuple[str, ...] = LANGS) -> None:
    """Load simplemma's dictionaries now rather than on the first comment.

    simplemma decodes a language's dictionary on first use: well under a second for
    English and Dutch, several seconds for Polish. An app can call this once at start-up
    (e.g. in a cached resource) so that the first analysis does not stall.

    Parameters
    ----------
    langs : tuple of str
        The languages to load.
    """
    for lang in langs:
        simplemma.lemmatize("test", lang=lang)
