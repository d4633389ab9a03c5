"""Run the whole generator for one profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loyalty.schema import CONSISTENCY, DRIVERS
from loyalty.synth.calendar import build_calendar
from loyalty.synth.comments import write_comments
from loyalty.synth.frames import customers_frame, numbered_ids, survey_frame, transactions_frame
from loyalty.synth.latent import draw_latent, observed_items, recommend_sd
from loyalty.synth.people import fake_people
from loyalty.synth.population import population_truth
from loyalty.synth.profiles import FAKER_LOCALES, get_profile, resolve_language
from loyalty.synth.purchases import simulate_purchases
from loyalty.synth.segments import customer_segments
from loyalty.synth.streams import faker_seed, stream
from loyalty.synth.survey import draw_survey
from loyalty.synth.truth import build_truth


@dataclass
class SampleData:
    """A generated sample with its known truth.

    Parameters
    ----------
    transactions : pandas.DataFrame
        ``customer_id, date, amount, order_id`` plus segment columns; refunds are negative rows.
    survey : pandas.DataFrame
        ``customer_id, date, recommend, trust``, the five drivers, ``repurchase_intent, comment``
        plus segment columns.
    customers : pandas.DataFrame
        ``customer_id, signup_date, segment, business_type, country``, secondary segments,
        fake ``name`` and ``email`` (and ``company`` for B2B).
    truth : dict
        Everything needed to check estimates (JSON-serialisable).
    """

    transactions: pd.DataFrame
    survey: pd.DataFrame
    customers: pd.DataFrame
    truth: dict[str, Any]


def _check_args(customers: int, seed: int) -> None:
    if isinstance(customers, bool) or not isinstance(customers, int | np.integer) or customers < 1:
        raise ValueError(f"customers must be a positive integer, got {customers!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")


def _countries(spec: dict[str, Any], n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw an ISO country code per customer from the profile's weights."""
    codes = list(spec["countries"])
    weights = np.array(list(spec["countries"].values()), dtype=float)
    return np.array(codes)[rng.choice(len(codes), n, p=weights / weights.sum())]


def _simulate(name: str, spec: dict[str, Any], n: int, seed: int, lang: str) -> dict[str, Any]:
    """Run every step of the causal model; return all intermediate results by name."""
    calendar = build_calendar(spec)
    latent = draw_latent(spec, n, stream(seed, name, "latent"))
    home = customer_segments(spec, n, stream(seed, name, "segments"))
    consistency = latent.drivers[:, DRIVERS.index(CONSISTENCY)]
    buys = simulate_purchases(
        spec, calendar, latent.trust_z, consistency, home, stream(seed, name, "purchases")
    )
    items = observed_items(spec, latent)
    survey = draw_survey(
        spec, items, buys.first_day, buys.last_day, calendar.days, stream(seed, name, "survey")
    )
    comments = write_comments(
        lang,
        latent.drivers[survey.respondent],
        latent.recommend[survey.respondent] / recommend_sd(spec),
        spec["survey"]["comment_rate"],
        spec["comments"],
        stream(seed, name, "comments"),
    )
    b2b = spec["business_type"] == "B2B"
    return {
        "name": name, "profile": spec, "seed": seed, "lang": lang, "locale": FAKER_LOCALES[lang],
        "calendar": calendar, "latent": latent, "home": home, "buys": buys, "survey": survey,
        "comments": comments, "ids": numbered_ids(spec["ids"]["customer_prefix"], n, 5),
        "country": _countries(spec, n, stream(seed, name, "countries")),
        "people": fake_people(FAKER_LOCALES[lang], n, b2b, faker_seed(seed, name)),
        "pop": population_truth(spec, seed, name),
    }  # fmt: skip


def generate(
    profile: str = "nl_webshop", *, customers: int | None = None, seed: int = 7, locale: str | None = None
) -> SampleData:
    """Generate a synthetic sample (transactions, survey, customers) with a known truth.

    Parameters
    ----------
    profile : str
        A key of :data:`loyalty.synth.PROFILES`.
    customers : int, optional
        Number of customers; the profile's default when omitted.
    seed : int
        Random seed; the same arguments always give the same data.
    locale : str, optional
        ``en``, ``nl`` or ``pl``: language of comments and fake names (default: the profile's).

    Returns
    -------
    SampleData
        The three tables and the truth.

    Raises
    ------
    ValueError
        On an unknown profile or locale, or a bad ``customers`` or ``seed``.
    """
    spec = get_profile(profile)
    n = int(spec["customers"]) if customers is None else customers
    _check_args(n, seed)
    ctx = _simulate(profile, spec, int(n), int(seed), resolve_language(spec, locale))
    calendar, buys, ids, home = ctx["calendar"], ctx["buys"], ctx["ids"], ctx["home"]
    return SampleData(
        transactions=transactions_frame(spec, calendar, buys, ids),
        survey=survey_frame(spec, calendar, ctx["survey"], ctx["comments"].text, ids, home),
        customers=customers_frame(spec, calendar, buys, ids, home, ctx["country"], ctx["people"]),
        truth=build_truth(ctx),
    )
