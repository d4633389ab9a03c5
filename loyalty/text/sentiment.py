"""Sentiment of each theme mention: lexicon polarity, negation, and nearest-mention assignment.

Within a clause (a sentence, or the part of one before or after "but", "maar", "ale") every
sentiment word, its sign flipped when negated, goes to the nearest theme mention, so "fast
delivery and rude staff" gives delivery +1 and service −1. A mention that gets no word takes
the sign of its clause. In a clause whose sentiment sums to zero, a negator that flipped no
sentiment word makes the mention negative ("geen antwoord", "the parcel never arrived",
"nikt nie odpowiedział"): denying something about a theme is how customers complain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from loyalty.text.matching import Match
from loyalty.text.negation import active_negators, negations

_POLARITY = {"positive": 1, "negative": -1}


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def split_clauses(matches: Sequence[Match]) -> list[list[Match]]:
    """Split the matches of a comment at punctuation and contrast words ("but", "maar", "ale")."""
    clauses: list[list[Match]] = [[]]
    for match in matches:
        if match.term.kind == "clause_break":
            clauses.append([])
        else:
            clauses[-1].append(match)
    return [c for c in clauses if c]


def _distance(a: Match, b: Match) -> int:
    """Tokens between two matches; 0 when they overlap ("late" is both delivery and negative)."""
    return max(0, a.start - b.end + 1, b.start - a.end + 1)


def _clause_sentiment(clause: list[Match]) -> list[tuple[str, int]]:
    """Return ``(theme, sentiment)`` for each theme mention of one clause."""
    words = [m for m in clause if m.term.kind in _POLARITY]
    flipped = negations(clause, words)
    values = [(w, -_POLARITY[w.term.kind] if w in flipped else _POLARITY[w.term.kind]) for w in words]
    # A negator that flipped no sentiment word denies something about the theme itself.
    used = {n for negators in flipped.values() for n in negators}
    denial = -1 if set(active_negators(clause)) - used else 0
    mentions = [m for m in clause if m.term.kind == "theme"]
    if not mentions:
        return []
    assigned: dict[Match, list[int]] = defaultdict(list)
    for word, value in values:
        nearest = min(_distance(word, m) for m in mentions)
        for m in mentions:
            if _distance(word, m) == nearest:
                assigned[m].append(value)
    clause_sign = _sign(sum(v for _, v in values))
    return [
        (m.term.theme, _sign(sum(assigned[m])) if assigned[m] else clause_sign or denial) for m in mentions
    ]


def theme_sentiments(matches: Sequence[Match]) -> dict[str, int]:
    """Return each mentioned theme with its sentiment, −1, 0 or +1.

    Parameters
    ----------
    matches : sequence of Match
        Output of :func:`loyalty.text.matching.find_matches` for one comment.

    Returns
    -------
    dict
        Theme -> sign of the sum of its mentions' sentiments (0 for neutral or mixed).
        Themes not mentioned are absent.
    """
    totals: dict[str, int] = defaultdict(int)
    for clause in split_clauses(matches):
        for theme, value in _clause_sentiment(clause):
            totals[theme] += value
    return {theme: _sign(total) for theme, total in totals.items()}
