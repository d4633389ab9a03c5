"""Offline free-text analysis of survey comments in English, Dutch and Polish.

One concept per module: :mod:`~loyalty.text.tokens` (tokenising), :mod:`~loyalty.text.lemmas`
(simplemma's lemmas, read from a table that :mod:`~loyalty.text.build_lemma_table` builds),
:mod:`~loyalty.text.language` (language guess), :mod:`~loyalty.text.lexicon` (the taxonomy in
``loyalty/data/themes.json``), :mod:`~loyalty.text.matching` (finding terms),
:mod:`~loyalty.text.negation` (negation scope), :mod:`~loyalty.text.sentiment` (sentiment per theme
mention) and :mod:`~loyalty.text.tagging` (the public :func:`tag_comments`). Nothing is downloaded.
"""

from loyalty.text.language import detect_languages
from loyalty.text.lexicon import themes
from loyalty.text.tagging import LANGUAGE, sentiment_column, tag_columns, tag_comments
from loyalty.text.tokens import has_text, tokenize

__all__ = [
    "LANGUAGE",
    "detect_languages",
    "has_text",
    "sentiment_column",
    "tag_columns",
    "tag_comments",
    "themes",
    "tokenize",
]
