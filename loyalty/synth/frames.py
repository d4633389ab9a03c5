"""Turn the simulated arrays into the three canonical tables."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from loyalty.schema import (
    AMOUNT,
    BUSINESS_TYPE,
    COMMENT,
    COUNTRY,
    CUSTOMER_ID,
    DATE,
    ORDER_ID,
    RECOMMEND,
    SEGMENT,
    SIGNUP_DATE,
)
from loyalty.synth.calendar import Calendar
from loyalty.synth.latent import RATED_ITEMS
from loyalty.synth.purchases import Purchases
from loyalty.synth.segments import Codes, label_list, segment_columns
from loyalty.synth.survey import SurveyDraw


def numbered_ids(prefix: str, count: int, min_width: int) -> list[str]:
    """Return ``prefix`` + zero-padded numbers 1..count (width grows with ``count``)."""
    width = max(min_width, len(str(count)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]


def take_text(labels: list[str], codes: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    """Return ``labels[codes]`` as a pandas ``str`` Series, None where ``missing``.

    Going through Arrow's ``take`` is several times faster than building the
    string column from a NumPy unicode array, which matters at 100k customers.
    """
    index = pa.array(np.asarray(codes, dtype=np.int64), mask=missing)
    return pd.Series(pd.array(pa.array(labels, type=pa.large_string()).take(index), dtype="str"))


def _day_dates(calendar: Calendar, day: np.ndarray) -> pd.Series:
    return pd.Series((calendar.start + day).astype("datetime64[s]"))


def transactions_frame(
    profile: dict[str, Any], calendar: Calendar, buys: Purchases, customer_ids: list[str]
) -> pd.DataFrame:
    """Build the transactions table: one row per order, refunds as negative rows with the order's id.

    Parameters
    ----------
    profile : dict
        Profile parameters.
    calendar : Calendar
        The window.
    buys : Purchases
        Simulated rows.
    customer_ids : list of str
        Id of each customer index.

    Returns
    -------
    pandas.DataFrame
        ``customer_id, date, amount, order_id`` and the segment columns.
    """
    order_ids = numbered_ids(profile["ids"]["order_prefix"], int(buys.order_no.max(initial=0)), 6)
    start = calendar.start.astype("datetime64[s]")
    frame = pd.DataFrame(
        {
            CUSTOMER_ID: take_text(customer_ids, buys.owner),
            DATE: pd.Series(start + buys.seconds.astype("timedelta64[s]")),
            AMOUNT: buys.amount,
            ORDER_ID: take_text(order_ids, buys.order_no - 1),
        }
    )
    for column in segment_columns(profile):
        frame[column] = take_text(label_list(profile, column), buys.segments[column])
    return frame


def survey_frame(
    profile: dict[str, Any],
    calendar: Calendar,
    draw: SurveyDraw,
    comments: list[str | None],
    customer_ids: list[str],
    home: Codes,
) -> pd.DataFrame:
    """Build the survey table: one row per response, anonymous ones without customer id.

    Parameters
    ----------
    profile : dict
        Profile parameters.
    calendar : Calendar
        The window.
    draw : SurveyDraw
        Respondents, days and answers.
    comments : list of str or None
        Comment per response.
    customer_ids : list of str
        Id of each customer index.
    home : dict of str to numpy.ndarray
        Customers' home segment codes (the survey reports the respondent's own segment).

    Returns
    -------
    pandas.DataFrame
        ``customer_id, date, recommend, trust, <drivers>, repurchase_intent, comment`` and segment columns.
    """
    frame = pd.DataFrame(
        {
            CUSTOMER_ID: take_text(customer_ids, draw.respondent, missing=draw.anonymous),
            DATE: _day_dates(calendar, draw.day),
        }
    )
    for item in (RECOMMEND, *RATED_ITEMS):
        frame[item] = pd.Series(draw.answers[item]).astype("Int64")  # NaN becomes <NA>
    frame[COMMENT] = pd.Series(comments, dtype="str")
    for column in segment_columns(profile):
        frame[column] = take_text(label_list(profile, column), home[column][draw.respondent])
    return frame


def customers_frame(
    profile: dict[str, Any],
    calendar: Calendar,
    buys: Purchases,
    customer_ids: list[str],
    home: Codes,
    country: np.ndarray,
    people: dict[str, np.ndarray],
) -> pd.DataFrame:
    """Build the customers table, including fake personal data.

    Parameters
    ----------
    profile : dict
        Profile parameters.
    calendar : Calendar
        The window.
    buys : Purchases
        Gives the sign-up days.
    customer_ids : list of str
        Id of each customer index.
    home : dict of str to numpy.ndarray
        Customers' home segment codes; the primary one becomes ``segment``.
    country : numpy.ndarray
        ISO country code per customer.
    people : dict of str to numpy.ndarray
        ``name``, ``email`` and optionally ``company``.

    Returns
    -------
    pandas.DataFrame
        ``customer_id, signup_date, segment, business_type, country``, secondary segment
        columns, then ``company`` (B2B), ``name`` and ``email``.
    """
    primary, *secondary = segment_columns(profile)
    frame = pd.DataFrame(
        {
            CUSTOMER_ID: pd.Series(customer_ids, dtype="str"),
            SIGNUP_DATE: _day_dates(calendar, buys.signup_day),
            SEGMENT: take_text(label_list(profile, primary), home[primary]),
            BUSINESS_TYPE: pd.Series(np.full(len(customer_ids), profile["business_type"]), dtype="str"),
            COUNTRY: pd.Series(country, dtype="str"),
        }
    )
    for column in secondary:
        frame[column] = take_text(label_list(profile, column), home[column])
    for column in ("company", "name", "email"):
        if column in people:
            frame[column] = pd.Series(people[column], dtype="str")
    return frame
