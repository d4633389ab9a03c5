"""Lemmas of comment tokens from a precomputed table of simplemma's lemmas (no dictionary load).

simplemma decodes a whole dictionary on first use: a few seconds for Polish, enough to freeze
the page that tags the first comment. Tagging only asks whether a token's lemma is a lexicon
word, so ``loyalty/data/lemma_table.json`` (built by :mod:`loyalty.text.build_lemma_table`)
keeps simplemma's lemma for just the word forms whose lemma is a lexicon word. For those words
the answers are simplemma's own; every other lemma could match no term, so it is left out.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from loyalty.i18n import LANGS
from loyalty.text.lexicon import ANY_LANG, lexicon_words

__all__ = ["ANY_LANG", "TABLE_PATH", "TABLE_VERSION", "lemma_table", "lemmas", "preload"]

TABLE_FILE = "lemma_table.json"
#: Where the build script writes the table (read through importlib.resources at run time).
TABLE_PATH = Path(__file__).resolve().parents[1] / "data" / TABLE_FILE
#: Layout version of the table file.
TABLE_VERSION = 1


class AffixRule(NamedTuple):
    """simplemma's rule for an unknown long token: the lemma of the token minus its last letters.

    Parameters
    ----------
    min_length, max_length : int
        Token lengths the rule applies to.
    max_affix : int
        How many final letters may be dropped.
    min_rest : int
        Shortest remainder looked up.
    bases : dict
        Dictionary word -> its lemma, for the words whose lemma is a lexicon word.
    blockers : frozenset of str
        The other dictionary words that start with a base: the rule stops at them first.
    """

    min_length: int
    max_length: int
    max_affix: int
    min_rest: int
    bases: dict[str, str]
    blockers: frozenset[str]


class LanguageTable(NamedTuple):
    """The lemma table of one language: word form -> lemma, and the affix rule if it has one."""

    lemmas: dict[str, str]
    affix: AffixRule | None


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, LanguageTable]:
    """Return the lemma table of each language (read once, in milliseconds).

    Returns
    -------
    dict
        Language code -> :class:`LanguageTable`.

    Raises
    ------
    RuntimeError
        When the table predates a lexicon word: run ``python -m loyalty.text.build_lemma_table``.
    """
    raw = json.loads((resources.files("loyalty") / "data" / TABLE_FILE).read_text(encoding="utf-8"))
    missing = lexicon_words() - set(raw["words"])
    if raw["version"] != TABLE_VERSION or missing:
        raise RuntimeError(
            f"{TABLE_FILE} is out of date (missing {sorted(missing)[:5]}): "
            "run python -m loyalty.text.build_lemma_table"
        )
    tables = {}
    for lang, data in raw["languages"].items():
        affix = data.get("affix")
        if affix is not None:
            affix = AffixRule(**{**affix, "blockers": frozenset(affix["blockers"])})
        tables[lang] = LanguageTable(data["lemmas"], affix)
    return tables


def _affix_lemma(token: str, rule: AffixRule) -> str | None:
    """Replay simplemma's affix rule for a token the table does not list.

    The first dictionary word found by dropping one, then two final letters gives the lemma;
    only the bases have a lemma that matters, and a blocker stops the search before one.
    """
    if not rule.min_length <= len(token) <= rule.max_length or token.isnumeric() or token in rule.blockers:
        return None  # too short or long, or a dictionary word itself (its lemma is not needed)
    for size in range(1, rule.max_affix + 1):
        head = token[:-size]
        if len(head) < rule.min_rest:
            break
        if head in rule.bases:
            return rule.bases[head]
        if head in rule.blockers:
            break
    return None


def _lemma(token: str, lang: str) -> str | None:
    table = lemma_table()[lang]
    lemma = table.lemmas.get(token)
    if lemma is None and table.affix is not None:
        lemma = _affix_lemma(token, table.affix)
    return lemma


@lru_cache(maxsize=200_000)
def lemmas(token: str, lang: str) -> frozenset[str]:
    """Return the lemma(s) of a lowercase token that are lexicon words.

    Parameters
    ----------
    token : str
        One lowercase word, as :func:`loyalty.text.tokens.tokenize` makes them.
    lang : str
        ``"en"``, ``"nl"``, ``"pl"`` or :data:`ANY_LANG` for a lemma in each of them.

    Returns
    -------
    frozenset of str
        simplemma's lowercase lemma in each language, kept when it is a word of some lexicon
        term (:func:`~loyalty.text.lexicon.lexicon_words`); empty when none is.
    """
    token = unicodedata.normalize("NFC", token)  # as simplemma does before its lookups
    langs = LANGS if lang == ANY_LANG else (lang,)
    return frozenset(lemma for code in langs if (lemma := _lemma(token, code)) is not None)


def preload() -> None:
    """Read the lemma table now rather than on the first comment (it takes milliseconds)."""
    lemma_table()
