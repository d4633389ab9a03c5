"""Negation scope: which sentiment word a negator flips.

A negator ("not", "niet", "geen", "nie", "bez", "never", ...) flips the first sentiment word
that starts at most :data:`NEGATION_WINDOW` tokens after it, in the same clause and before any
comma: "not good", "niet goed", "nie jest dobra", "not very helpful", "bez problemu". Only the
first word: in "niet goed en traag" the slowness is not denied. Phrases that start with a
negator but do not negate ("not only", "nie tylko", "bez wątpienia") are lexicon exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence

from loyalty.text.matching import Match

#: How many tokens after a negator its scope reaches. Three covers "nie jest dobra" and
#: "not at all helpful" without reaching into the next thought of a long clause.
NEGATION_WINDOW = 3


def active_negators(clause: Sequence[Match]) -> list[Match]:
    """Return the negators of a clause, minus those that open an exception phrase.

    Parameters
    ----------
    clause : sequence of Match
        The matches of one clause.

    Returns
    -------
    list of Match
    """
    exception_starts = {m.start for m in clause if m.term.kind == "negator_exception"}
    return [m for m in clause if m.term.kind == "negator" and m.start not in exception_starts]


def _in_scope(negator: Match, target: Match, pauses: Sequence[int]) -> bool:
    if not negator.start < target.start <= negator.start + NEGATION_WINDOW:
        return False
    return not any(negator.start < p < target.start for p in pauses)


def negations(clause: Sequence[Match], targets: Sequence[Match]) -> dict[Match, list[Match]]:
    """Return which target each active negator flips.

    Parameters
    ----------
    clause : sequence of Match
        The matches of one clause (negators and commas are read from it).
    targets : sequence of Match
        The clause's sentiment words, in order.

    Returns
    -------
    dict
        Flipped target -> the negators that reach it. Several negators on one word flip it
        once: Polish negative concord ("nigdy nie polecę") is a single negation.
    """
    pauses = [m.start for m in clause if m.term.kind == "pause"]
    flipped: dict[Match, list[Match]] = {}
    for negator in active_negators(clause):
        target = next((t for t in targets if _in_scope(negator, t, pauses)), None)
        if target is not None:
            flipped.setdefault(target, []).append(negator)
    return flipped
