"""Who answers the survey, when, and which answers go missing.

Respondents are a simple random sample of customers, so the survey is not
selected on trust (that would bias the driver regression). Each answers once,
on a day within their active period (first purchase until a few weeks after the
last one). Items go missing independently at the profile's rates, and a share
of respondents answer anonymously (no customer id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from loyalty.schema import RECOMMEND
from loyalty.synth.latent import RATED_ITEMS


@dataclass(frozen=True)
class SurveyDraw:
    """The survey's rows before formatting.

    Parameters
    ----------
    respondent : numpy.ndarray
        Customer index of each response, sorted by survey day.
    day : numpy.ndarray
        Survey day index of each response.
    anonymous : numpy.ndarray
        True where the customer id is withheld.
    answers : dict of str to numpy.ndarray
        Float answers per item, NaN where missing.
    """

    respondent: np.ndarray
    day: np.ndarray
    anonymous: np.ndarray
    answers: dict[str, np.ndarray]


def draw_survey(
    profile: dict[str, Any],
    items: dict[str, np.ndarray],
    first_day: np.ndarray,
    last_day: np.ndarray,
    days: int,
    rng: np.random.Generator,
) -> SurveyDraw:
    """Draw respondents, survey days, anonymity and missing answers.

    Parameters
    ----------
    profile : dict
        Profile parameters (``survey`` block).
    items : dict of str to numpy.ndarray
        Every customer's complete answers.
    first_day, last_day : numpy.ndarray
        Per customer: first and last purchase day.
    days : int
        Length of the window in days.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    SurveyDraw
        Responses sorted by day (ties by customer index).
    """
    spec = profile["survey"]
    n = len(first_day)
    chosen = np.flatnonzero(rng.random(n) < spec["response_rate"])
    low = first_day[chosen]
    high = np.minimum(last_day[chosen] + spec["days_after_last_purchase"], days - 1)
    day = low + np.floor(rng.random(len(chosen)) * (high - low + 1)).astype(np.int64)
    order = np.lexsort((chosen, day))
    chosen, day = chosen[order], day[order]
    anonymous = rng.random(len(chosen)) < spec["anonymous_share"]
    answers = {}
    for item in (RECOMMEND, *RATED_ITEMS):
        values = items[item][chosen].astype(float)
        values[rng.random(len(chosen)) < spec["missing"][item]] = np.nan
        answers[item] = values
    return SurveyDraw(chosen, day, anonymous, answers)
