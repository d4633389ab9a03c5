"""Normalise free-text comments and split them into word tokens, vectorised over a Series.

Punctuation that ends a clause becomes the token :data:`BREAK`, so later steps can keep
sentiment inside the clause it belongs to. A comma becomes :data:`PAUSE`: it stops negation
("Nie, dostawa była szybka") but not sentiment, because Polish and Dutch put commas inside
one thought ("Dobrze, że stosują weryfikację"). Digits are dropped: no lexicon word has one.
"""

from __future__ import annotations

import pandas as pd

#: Token standing for clause-ending punctuation.
BREAK = "|"
#: Token standing for a comma.
PAUSE = ","

# English contractions carry the negation ("didn't"), so spell it out before tokenising.
_CONTRACTION = r"n['’]t\b"
_CLAUSE_PUNCTUATION = r"[.!?;:()\[\]\n\r]+"
# A run of letters (any script, no digits or underscores), a break or a comma.
_TOKEN = r"[^\W\d_]+|[|,]"


def has_text(comments: pd.Series) -> pd.Series:
    """Return whether each comment holds any non-blank text.

    Parameters
    ----------
    comments : pandas.Series
        Free-text comments; NaN or None means no comment.

    Returns
    -------
    pandas.Series
        Boolean, indexed like ``comments``.
    """
    text = comments.astype("str").str.strip()
    return (comments.notna() & text.ne("")).astype(bool)


def tokenize(comments: pd.Series) -> pd.Series:
    """Split comments into lowercase word tokens with clause breaks.

    Parameters
    ----------
    comments : pandas.Series
        Free-text comments; NaN or blank means no comment.

    Returns
    -------
    pandas.Series
        A list of tokens per comment (an empty list for no comment), indexed like ``comments``.

    Examples
    --------
    >>> tokenize(pd.Series(["Didn't arrive, sadly!"])).iloc[0]
    ['did', 'not', 'arrive', ',', 'sadly', '|']
    """
    text = comments.where(has_text(comments), "").astype("str").str.lower()
    text = text.str.replace(_CONTRACTION, " not", regex=True)
    text = text.str.replace(_CLAUSE_PUNCTUATION, f" {BREAK} ", regex=True)
    return text.str.findall(_TOKEN)
