"""Build ``loyalty/data/lemma_table.json``: simplemma's lemmas of every word form that can matter.

Run ``python -m loyalty.text.build_lemma_table`` after editing ``loyalty/data/themes.json`` or
upgrading simplemma. Only this module imports simplemma: at run time the tagger reads the table
instead of decoding simplemma's dictionaries (several seconds for Polish).

Tagging uses a lemma only to look it up among the lexicon words, so the table keeps, per language,
the word forms whose simplemma lemma is a lexicon word ("needed" below). It is exact because it
covers every way simplemma 2.0.0 can reach a needed lemma from a lowercase letters-only token
(see :func:`check_simplemma`; nothing else runs for en/nl/pl on such tokens):

1. dictionary lookup (the token or its capitalised form is a key): every key whose lemma is needed;
2. suffix rules for unknown words (en, nl): each rule is inverted from the needed lemmas;
3. affix decomposition for unknown words (pl, tokens of 9-100 letters): a dictionary word plus the
   lemma of a dictionary suffix, or a prefix plus the lemma of a dictionary suffix, both enumerated
   from the splits of the needed lemmas; and a dictionary word plus one or two letters of any
   kind, which no table can list, so the table stores those words ("bases") and the dictionary
   words that start with them ("blockers", which simplemma finds first) and
   :func:`loyalty.text.lemmas.lemmas` replays the rule.

Every candidate form is then lemmatised by simplemma itself, and kept only if its lemma is needed:
the table never guesses, and extra candidates cost build time only.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import simplemma
from simplemma.strategies import DEFAULT_DICTIONARY_FACTORY, DictionaryLookupStrategy
from simplemma.strategies.affix_decomposition import AFFIX_LANGS, MAXLEN, MINCOMPLEN
from simplemma.strategies.apostrophe_boundary import APOSTROPHE_BOUNDARY_LANGS
from simplemma.strategies.clitic_decomposition import _CLITIC_SUFFIXES, PROCLITIC_LANGS
from simplemma.strategies.defaultprefixes import DEFAULT_KNOWN_PREFIXES
from simplemma.strategies.defaultrules import RULE_FUNCTIONS
from simplemma.strategies.greedy_dictionary_lookup import greedy_min_length
from simplemma.strategies.morpheme_decomposition import MORPHEME_LANGS
from simplemma.utils import CANON_LANGS

from loyalty.i18n import LANGS
from loyalty.text.lemmas import TABLE_PATH, TABLE_VERSION
from loyalty.text.lexicon import lexicon_words

#: The simplemma release the analysis above was made for.
SIMPLEMMA_VERSION = "2.0.0"

# Inverses of simplemma's rules for unknown words, as (lemma ending, token ending): the en rules
# map -cies to -cy, drop the s of -doms/-isms/.../-erves, and map -ized to -ize; the nl rules map
# -heden to -heid and -ijen to -ij ("'s" needs an apostrophe, which no token has).
_RULE_INVERSES = {
    "en": (("y", "ies"), ("", "s"), ("e", "ed")),
    "nl": (("heid", "heden"), ("ij", "ijen")),
}
# A token: a run of letters, as loyalty.text.tokens makes them.
_TOKEN = re.compile(r"[^\W\d_]+")
_LOOKUP = DictionaryLookupStrategy(DEFAULT_DICTIONARY_FACTORY)
# Letters compared before a dictionary key is checked as a blocker (fewer than any base has).
_TAIL = 6


def check_simplemma() -> None:
    """Fail unless simplemma lemmatises en/nl/pl tokens the way the table assumes.

    Raises
    ------
    RuntimeError
        For another simplemma release, or a strategy that would reach a letters-only token.
    """
    problems = []
    if simplemma.__version__ != SIMPLEMMA_VERSION:
        problems.append(f"simplemma {simplemma.__version__} is not {SIMPLEMMA_VERSION}")
    for lang in LANGS:
        configured = [APOSTROPHE_BOUNDARY_LANGS, PROCLITIC_LANGS, DEFAULT_KNOWN_PREFIXES, MORPHEME_LANGS]
        if any(lang in table for table in [*configured, CANON_LANGS]):
            problems.append(f"{lang}: a strategy the table does not replay applies")
        if any(_TOKEN.fullmatch(suffix) for suffix in _CLITIC_SUFFIXES.get(lang, ())):
            problems.append(f"{lang}: a clitic a token can end with")
        if AFFIX_LANGS.get(lang, 2) != 2:
            problems.append(f"{lang}: affixes of other than one or two letters")
        if (lang in RULE_FUNCTIONS) != (lang in _RULE_INVERSES):
            problems.append(f"{lang}: suffix rules differ from the inverted ones")
    if problems:
        raise RuntimeError("; ".join(problems) + ": review loyalty/text/build_lemma_table.py")


def reference_lemmas(token: str, lang: str) -> frozenset[str]:
    """Return simplemma's lowercase lemma(s) of a token, as the tagger computed them before the table.

    Parameters
    ----------
    token : str
        One lowercase word.
    lang : str
        ``"en"``, ``"nl"``, ``"pl"`` or :data:`~loyalty.text.lexicon.ANY_LANG` (all three).

    Returns
    -------
    frozenset of str
    """
    langs = LANGS if lang not in LANGS else (lang,)
    return frozenset(simplemma.lemmatize(token, lang=code).lower() for code in langs)


@lru_cache(maxsize=1)
def _unusual_capitals() -> dict[str, tuple[str, ...]]:
    """Return the capitalised letters that lowercasing does not turn back into the letter.

    Returns
    -------
    dict
        ``c.capitalize()`` or its lowercase -> the lowercase letters ``c`` it does not lowercase
        to ("Ss" and "ss" -> "ß", "S" and "s" -> "ſ").
    """
    inverse: dict[str, set[str]] = defaultdict(set)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        capital = char.capitalize()
        if capital != char and char.lower() == char and _TOKEN.fullmatch(char):
            for shape in (capital, capital.lower()):
                if shape.lower() != char:
                    inverse[shape].add(char)
    return {shape: tuple(sorted(chars)) for shape, chars in inverse.items()}


def _token_forms(key: str) -> set[str]:
    """Return the tokens (lowercase letters, NFC) that simplemma can look up as dictionary ``key``.

    A lookup tries the token, then the token capitalised; the affix rule also tries a suffix
    capitalised, then that lowercased. So a token ``x`` reaches ``key`` when ``key`` is ``x``,
    ``x.capitalize()`` or ``x.capitalize().lower()``: that is ``key.lower()``, except for the
    few letters whose capital lowercases to another letter ("ß" gives "Ss").
    """
    forms = [key.lower()]
    unusual = _unusual_capitals()
    for size in range(1, 4):
        forms.extend(char + key[size:] for char in unusual.get(key[:size], ()))
    return {unicodedata.normalize("NFC", f) for f in forms if f == f.lower() and _TOKEN.fullmatch(f)}


def _store(lang: str) -> dict[bytes, bytes]:
    """Return simplemma's dictionary of a language as its UTF-8 ``key -> lemma`` store."""
    # The public mapping decodes and re-encodes on every access; scanning the bytes store it wraps
    # is several times faster (check_simplemma pins the release this private attribute belongs to).
    return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)._dict


def _dictionary_forms(lang: str, lemma_shapes: set[str]) -> dict[str, set[str]]:
    """Return lowercase lemma -> the token forms of its dictionary keys, for lemmas in ``lemma_shapes``."""
    forms: dict[str, set[str]] = defaultdict(set)
    shapes: dict[bytes, str | None] = {}  # many keys share a lemma: decode each lemma once
    for key, lemma in _store(lang).items():
        if lemma not in shapes:
            lowered = lemma.decode().lower()
            shapes[lemma] = lowered if lowered in lemma_shapes else None
        if (shape := shapes[lemma]) is not None:
            forms[shape] |= _token_forms(key.decode())
    return forms


def _affix_candidates(words: Iterable[str], forms: Mapping[str, set[str]]) -> set[str]:
    """Return tokens whose affix decomposition can give a needed lemma from a dictionary suffix.

    Both ``prefix + lemma(suffix form)`` rules split a needed lemma after at least
    ``MINCOMPLEN`` letters and put a dictionary form of the rest's lemma in its place.
    """
    return {
        word[:i] + form
        for word in words
        for i in range(MINCOMPLEN, len(word))
        for form in forms.get(word[i:], ())
    }


def _rule_candidates(lang: str, words: Iterable[str]) -> set[str]:
    """Return the tokens that simplemma's suffix rules for unknown words could turn into ``words``."""
    return {
        word[: len(word) - len(ending)] + inflected
        for word in words
        for ending, inflected in _RULE_INVERSES.get(lang, ())
        if word.endswith(ending)
    }


def _lemma_of(form: str, lang: str, words: frozenset[str]) -> str | None:
    lemma = simplemma.lemmatize(form, lang=lang).lower()
    return lemma if lemma in words else None


def _affix_section(lang: str, forms: Iterable[str], words: frozenset[str]) -> dict:
    """Return the bases and blockers of the "dictionary word plus one or two letters" rule."""
    affix_len = AFFIX_LANGS[lang]
    min_len, max_len = greedy_min_length(lang) + 1, MAXLEN
    bases = {}
    for form in forms:
        lemma = _LOOKUP.get_lemma(form, lang)
        if lemma is not None and lemma.lower() in words and min_len - affix_len <= len(form) < max_len:
            bases[form] = lemma.lower()
    # A blocker is a base plus one or two letters, and its lowercase key ends with the same
    # letters (they differ at most in the first letter or three): two slice tests skip nearly
    # every key before its forms are built. check_simplemma pins the two letters.
    tails = {base[-_TAIL:] for base in bases}
    blockers = set()
    for raw_key in _store(lang):
        key = raw_key.decode()
        lowered = key.lower()
        if lowered[-_TAIL - 1 : -1] not in tails and lowered[-_TAIL - 2 : -2] not in tails:
            continue
        for form in _token_forms(key):
            near_base = form[:-1] in bases or form[:-2] in bases
            if near_base and form not in bases and _LOOKUP.get_lemma(form, lang) is not None:
                blockers.add(form)
    return {
        "min_length": min_len,
        "max_length": max_len,
        "max_affix": affix_len,
        "min_rest": MINCOMPLEN,
        "bases": dict(sorted(bases.items())),
        "blockers": sorted(blockers),
    }


def build_language(lang: str, words: frozenset[str]) -> dict:
    """Return the table of one language.

    Parameters
    ----------
    lang : str
        ``"en"``, ``"nl"`` or ``"pl"``.
    words : frozenset of str
        The needed lemmas (all lexicon words).

    Returns
    -------
    dict
        ``{"lemmas": {form: lemma}}`` for every candidate form whose simplemma lemma is needed,
        plus ``"affix"`` (bases and blockers) for a language with affix decomposition.
    """
    endings = {word[i:] for word in words for i in range(len(word))}
    forms = _dictionary_forms(lang, endings)
    candidates = set(words) | {f for word in words for f in forms.get(word, ())}
    candidates |= _rule_candidates(lang, words)
    if lang in AFFIX_LANGS:
        candidates |= _affix_candidates(words, forms)
    candidates = {unicodedata.normalize("NFC", c) for c in candidates if _TOKEN.fullmatch(c)}
    lemmas = {c: lemma for c in sorted(candidates) if (lemma := _lemma_of(c, lang, words)) is not None}
    table: dict = {"lemmas": lemmas}
    if lang in AFFIX_LANGS:
        needed_forms = {f for word in words for f in forms.get(word, ())}
        table["affix"] = _affix_section(lang, sorted(needed_forms), words)
    return table


def build_table() -> dict:
    """Return the whole lemma table (deterministic: same lexicon and simplemma, same table).

    Returns
    -------
    dict
        ``{"version", "simplemma", "words", "languages": {lang: ...}}``; ``words`` are the
        lexicon words the table was built for, so a stale table can be detected.
    """
    check_simplemma()
    words = lexicon_words()
    return {
        "version": TABLE_VERSION,
        "simplemma": simplemma.__version__,
        "words": sorted(words),
        "languages": {lang: build_language(lang, words) for lang in LANGS},
    }


def encode_table(table: dict) -> str:
    """Return a table as JSON text: sorted, one entry a line (reviewable diffs, byte-stable).

    Parameters
    ----------
    table : dict
        Output of :func:`build_table`.

    Returns
    -------
    str
    """
    return json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


def main(path: Path = TABLE_PATH) -> None:
    """Build the table and write it to ``path``.

    Parameters
    ----------
    path : Path
        Where to write (the packaged data file by default).
    """
    text = encode_table(build_table())
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({len(text.encode()):,} bytes)")


if __name__ == "__main__":
    main()
