"""The shipped lemma table gives the tags that simplemma's dictionaries gave, and is up to date.

The old path, :func:`loyalty.text.build_lemma_table.reference_lemmas`, is simplemma itself; it is
swapped into the matcher to tag the same comments both ways. These tests load simplemma's
dictionaries (seconds for Polish), hence ``slow``.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty.i18n import LANGS
from loyalty.schema import COMMENT
from loyalty.text import matching, tag_comments, tokenize
from loyalty.text.build_lemma_table import build_table, encode_table, reference_lemmas
from loyalty.text.lemmas import ANY_LANG, TABLE_PATH, lemma_table, lemmas
from loyalty.text.lexicon import lexicon_words

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ("nl_webshop", "pl_retail", "en_b2b")
# Letters that end Polish, Dutch and English inflections, plus a few from elsewhere.
TOKEN = re.compile(r"[^\W\d_]+")
ENDINGS = "aeiouyąęółsnmkzwćż"


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _corpus() -> list[str]:
    """Every comment we ship or test with: the sample surveys, the synthetic phrases, the test texts."""
    texts = [
        text
        for sample in SAMPLES
        for text in pd.read_csv(ROOT / "sample_data" / sample / "survey.csv")[COMMENT].dropna()
    ]
    phrases = json.loads((ROOT / "loyalty" / "data" / "comment_phrases.json").read_text(encoding="utf-8"))
    texts += _strings(phrases)
    for path in sorted((ROOT / "tests" / "text").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        texts += [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return list(dict.fromkeys(texts))


def _clear_caches() -> None:
    lemmas.cache_clear()
    matching.token_keys.cache_clear()
    matching.candidates.cache_clear()


@pytest.fixture
def simplemma_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tag with simplemma's lemmas, as before the table."""
    _clear_caches()
    monkeypatch.setattr(matching, "lemmas", reference_lemmas)
    yield
    _clear_caches()


def _expected(token: str, lang: str) -> frozenset[str]:
    return reference_lemmas(token, lang) & lexicon_words()


def test_the_committed_table_is_what_the_script_builds() -> None:
    built = build_table()
    assert json.loads(TABLE_PATH.read_text(encoding="utf-8")) == built
    assert TABLE_PATH.read_text(encoding="utf-8") == encode_table(built)


@pytest.mark.parametrize("hint", [None, *LANGS])
def test_tags_of_every_shipped_comment_are_identical(
    hint: str | None, request: pytest.FixtureRequest
) -> None:
    comments = pd.Series(_corpus())
    assert len(comments) > 800
    with_table = tag_comments(comments, hint)
    request.getfixturevalue("simplemma_path")
    with_simplemma = tag_comments(comments, hint)
    pd.testing.assert_frame_equal(with_table, with_simplemma)
    assert with_table.drop(columns="language").to_numpy().any()  # the comparison is not vacuous


def test_every_listed_form_and_its_one_or_two_letter_variants_get_simplemma_lemmas() -> None:
    words = set(lexicon_words())
    for table in lemma_table().values():
        words |= set(table.lemmas)
        if table.affix is not None:
            words |= set(table.affix.bases) | table.affix.blockers
    words |= {tok for toks in tokenize(pd.Series(_corpus())) for tok in toks if tok.isalpha()}
    variants = {w[:-1] for w in words} | {w[:-2] for w in words} | {w + e for w in words for e in ENDINGS}
    variants |= {w + w[-1] + e for w in words for e in "aeiy"}
    tokens = sorted(t for t in words | variants if TOKEN.fullmatch(t))  # what tokenize can give
    assert len(tokens) > 100_000
    for lang in LANGS:
        wrong = [t for t in tokens if lemmas(t, lang) != _expected(t, lang)]
        assert wrong == [], lang
    assert all(lemmas(t, ANY_LANG) == _expected(t, ANY_LANG) for t in tokens[::50])


@settings(max_examples=1500, deadline=None)
@given(
    word=st.sampled_from(sorted(lexicon_words())),
    cut=st.integers(min_value=0, max_value=3),
    tail=st.text(alphabet=ENDINGS + "hjtdrlcgpbéëïüßśźńﬆﬅſ", max_size=4),
    lang=st.sampled_from([*LANGS, ANY_LANG]),
)
def test_random_inflections_of_lexicon_words_get_simplemma_lemmas(
    word: str, cut: int, tail: str, lang: str
) -> None:
    token = word.strip("*")[: len(word.strip("*")) - cut] + tail
    if TOKEN.fullmatch(token):
        assert lemmas(token, lang) == _expected(token, lang)
