"""Free-text comments assembled from a phrase bank, in line with the scores.

The bank (``loyalty/data/comment_phrases.json``) holds, per language, sentences
for each theme (the five drivers plus price, delivery and product) and polarity.
A commenting respondent mentions one to three themes. Drivers far from average
are more salient; the polarity of a driver phrase follows the respondent's latent
driver score (a very low score gives a complaint), that of price, delivery and
product follows their recommendation propensity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from scipy.special import expit

from loyalty.schema import DRIVERS

#: Themes a comment can mention, drivers first.
THEMES: tuple[str, ...] = (*DRIVERS, "price", "delivery", "product")
POLARITIES: tuple[str, str] = ("positive", "negative")


@lru_cache(maxsize=1)
def phrase_bank() -> dict[str, dict[str, dict[str, list[str]]]]:
    """Return the phrase bank ``{lang: {theme: {polarity: [sentence, ...]}}}``."""
    path = resources.files("loyalty").joinpath("data", "comment_phrases.json")
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Comments:
    """Comments of a group of respondents.

    Parameters
    ----------
    text : list of str or None
        One entry per respondent; None for those who wrote nothing.
    mentions : list of tuple
        ``(respondent position, theme, polarity)`` for every phrase used.
    """

    text: list[str | None]
    mentions: list[tuple[int, str, str]]


def _pick_themes(drivers: np.ndarray, spec: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """Rank the themes per commenter by weight with Gumbel noise (sampling without replacement).

    A theme's weight is its base weight; a driver's grows with how far the
    respondent's perception is from average, as extreme experiences get written about.
    """
    base = np.log([spec["theme_weights"][t] for t in THEMES])
    extremity = np.zeros((len(drivers), len(THEMES)))
    extremity[:, : len(DRIVERS)] = spec["driver_salience"] * np.abs(drivers)
    keys = base + extremity + rng.gumbel(size=extremity.shape)
    return np.argsort(-keys, axis=1, kind="stable")


def write_comments(
    lang: str,
    drivers: np.ndarray,
    recommend_z: np.ndarray,
    rate: float,
    spec: dict[str, Any],
    rng: np.random.Generator,
) -> Comments:
    """Write comments for respondents.

    Parameters
    ----------
    lang : str
        Language of the comments (en|nl|pl).
    drivers : numpy.ndarray
        Latent driver scores of the respondents, shape ``(m, 5)``.
    recommend_z : numpy.ndarray
        Standardised latent recommendation propensity of the respondents.
    rate : float
        Share of respondents who write a comment.
    spec : dict
        Comment behaviour (``themes_per_comment``, ``theme_weights``, ``driver_salience``,
        ``driver_polarity_slope``, ``other_polarity_slope``).
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Comments
        Texts and the themes they mention.
    """
    bank = phrase_bank()[lang]
    m = len(recommend_z)
    writes = rng.random(m) < rate
    counts = rng.choice(
        np.arange(1, len(spec["themes_per_comment"]) + 1), size=m, p=spec["themes_per_comment"]
    )
    ranking = _pick_themes(drivers, spec, rng)
    p_positive = np.column_stack(
        [
            expit(spec["driver_polarity_slope"] * drivers),
            np.repeat(
                expit(spec["other_polarity_slope"] * recommend_z)[:, None], len(THEMES) - len(DRIVERS), 1
            ),
        ]
    )
    positive = rng.random(p_positive.shape) < p_positive
    choice = rng.random(p_positive.shape)
    texts: list[str | None] = [None] * m
    mentions: list[tuple[int, str, str]] = []
    for i in np.flatnonzero(writes):
        sentences = []
        for t in ranking[i, : counts[i]]:
            theme, polarity = THEMES[t], POLARITIES[0 if positive[i, t] else 1]
            options = bank[theme][polarity]
            sentences.append(options[int(choice[i, t] * len(options))])
            mentions.append((int(i), theme, polarity))
        texts[i] = " ".join(sentences)
    return Comments(texts, mentions)
