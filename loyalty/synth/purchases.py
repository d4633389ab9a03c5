"""Buying behaviour: acquisition, repeat purchases, dropout, spend and refunds.

The process is BG/NBD-like. A customer arrives (sign-up, then a first order),
buys again as a Poisson process with rate ``lambda`` (per year of seasonal
time) while alive, and after every purchase drops out with probability ``p``.
Trust moves both: ``log lambda`` rises and ``logit p`` falls with standardised
latent trust, on top of gamma (rate) and logit-normal (dropout) heterogeneity.
Spend per order follows the Gamma-Gamma model (shape ``p``, customer rate
``nu ~ Gamma(q, gamma)``) times segment multipliers. Some orders are refunded
later (more often when perceived consistency is low).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit, logit

from loyalty.synth.calendar import SECONDS_PER_DAY, Calendar, draw_days, draw_seconds
from loyalty.synth.segments import Codes, order_segments, spend_multiplier


@dataclass(frozen=True)
class Purchases:
    """Transaction rows and the per-customer quantities behind them.

    Parameters
    ----------
    owner, seconds, amount, order_no, refund : numpy.ndarray
        Per row: customer index, seconds after the window start, signed amount,
        chronological order number (shared by an order and its refund), refund flag.
    segments : dict of str to numpy.ndarray
        Per row segment codes.
    signup_day, first_day, last_day : numpy.ndarray
        Per customer: day indices of sign-up, first and last purchase.
    rate, dropout, spend, alive : numpy.ndarray
        Per customer: purchase rate per year, dropout probability per purchase,
        expected order value, and whether still alive at the window end.
    """

    owner: np.ndarray
    seconds: np.ndarray
    amount: np.ndarray
    order_no: np.ndarray
    refund: np.ndarray
    segments: Codes
    signup_day: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    rate: np.ndarray
    dropout: np.ndarray
    spend: np.ndarray
    alive: np.ndarray


def _signup_days(profile: dict[str, Any], calendar: Calendar, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw sign-up days with seasonality and linear growth, sorted so ids follow sign-up order."""
    a = calendar.acquisition_days
    growth = profile["acquisition"]["growth"]
    weight = calendar.weight[:a] * (1.0 + (growth - 1.0) * np.arange(a) / max(a - 1, 1))
    return np.sort(rng.choice(a, size=n, p=weight / weight.sum()))


def _repeat_days(
    calendar: Calendar, first_day: np.ndarray, rate: np.ndarray, dropout: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Simulate repeat purchases after each first purchase.

    Returns the owner and day of each repeat purchase and whether each customer is alive at the end.
    """
    cum = calendar.cumulative
    start = first_day + 1  # repeats start the day after the first order
    exposure = cum[calendar.days] - cum[start]
    possible = rng.poisson(rate * exposure)  # purchases if the customer never dropped out
    lives = rng.geometric(dropout) - 1  # repeat purchases before the dropout coin comes up
    owner = np.repeat(np.arange(len(rate)), possible)
    day = draw_days(calendar, start[owner], np.full(len(owner), calendar.days), rng)
    # Sort within customer (owners are already grouped) and keep the first min(possible, lives).
    order = np.lexsort((day, owner))
    day = day[order]
    group_start = np.concatenate([[0], np.cumsum(possible)[:-1]])
    rank = np.arange(len(owner)) - group_start[owner]
    keep = rank < lives[owner]
    return owner[keep], day[keep], lives > possible


def _refunds(
    profile: dict[str, Any],
    calendar: Calendar,
    day: np.ndarray,
    amount: np.ndarray,
    consistency: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pick refunded orders; return their order index, refund day and (negative) amount."""
    spec = profile["refunds"]
    prob = expit(logit(spec["rate"]) - spec["consistency_effect"] * consistency)
    chosen = np.flatnonzero(rng.random(len(day)) < prob)
    lag = 1 + np.floor(rng.exponential(spec["mean_lag_days"] - 1, len(chosen))).astype(np.int64)
    refund_day = day[chosen] + lag
    full = rng.random(len(chosen)) < spec["full_share"]
    share = np.where(full, 1.0, rng.uniform(0.2, 0.8, len(chosen)))
    value = np.maximum(np.round(amount[chosen] * share, 2), 0.01)
    inside = refund_day < calendar.days  # a refund after the window end is not in the data yet
    return chosen[inside], refund_day[inside], -value[inside]


def simulate_purchases(
    profile: dict[str, Any],
    calendar: Calendar,
    trust_z: np.ndarray,
    consistency: np.ndarray,
    home: Codes,
    rng: np.random.Generator,
) -> Purchases:
    """Simulate all orders and refunds of the customers.

    Parameters
    ----------
    profile : dict
        Profile parameters.
    calendar : Calendar
        The observation window.
    trust_z : numpy.ndarray
        Standardised latent trust per customer.
    consistency : numpy.ndarray
        Latent consistency perception per customer (drives refunds).
    home : dict of str to numpy.ndarray
        Customers' home segment codes.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Purchases
        Rows sorted by time, with per-customer truth.
    """
    n = len(trust_z)
    buy, spend = profile["purchasing"], profile["spend"]
    signup = _signup_days(profile, calendar, n, rng)
    lag = np.floor(rng.exponential(profile["acquisition"]["first_purchase_lag_days"], n)).astype(np.int64)
    first_day = np.minimum(signup + lag, calendar.days - 1)
    shape = buy["rate_shape"]
    rate = buy["rate_per_year"] * np.exp(buy["trust_effect_rate"] * trust_z) * rng.gamma(shape, 1 / shape, n)
    noise = buy["dropout_logit_sd"] * rng.standard_normal(n)
    dropout = expit(logit(buy["dropout_p"]) - buy["trust_effect_dropout"] * trust_z + noise)
    rep_owner, rep_day, alive = _repeat_days(calendar, first_day, rate, dropout, rng)

    owner = np.concatenate([np.arange(n), rep_owner])
    day = np.concatenate([first_day, rep_day])
    seconds = day * SECONDS_PER_DAY + draw_seconds(profile, len(day), rng)
    segments = order_segments(profile, home, owner, rng)
    nu = rng.gamma(spend["q"], 1.0 / spend["gamma"], n)
    amount = rng.gamma(spend["p"], 1.0 / nu[owner]) * spend_multiplier(profile, segments, len(owner))
    amount = np.maximum(np.round(amount, 2), 0.01)
    order_no = np.empty(len(owner), dtype=np.int64)
    order_no[np.lexsort((owner, seconds))] = np.arange(1, len(owner) + 1)

    ref_idx, ref_day, ref_amount = _refunds(profile, calendar, day, amount, consistency[owner], rng)
    ref_seconds = np.maximum(
        ref_day * SECONDS_PER_DAY + draw_seconds(profile, len(ref_day), rng), seconds[ref_idx] + 1
    )
    rows = {
        "owner": np.concatenate([owner, owner[ref_idx]]),
        "seconds": np.concatenate([seconds, ref_seconds]),
        "amount": np.concatenate([amount, ref_amount]),
        "order_no": np.concatenate([order_no, order_no[ref_idx]]),
        "refund": np.concatenate([np.zeros(len(owner), bool), np.ones(len(ref_idx), bool)]),
    }
    seg_rows = {k: np.concatenate([v, v[ref_idx]]) for k, v in segments.items()}
    order = np.lexsort((rows["refund"], rows["order_no"], rows["seconds"]))
    last_day = np.zeros(n, dtype=np.int64)
    np.maximum.at(last_day, owner, day)
    return Purchases(
        **{k: v[order] for k, v in rows.items()},
        segments={k: v[order] for k, v in seg_rows.items()},
        signup_day=signup,
        first_day=first_day,
        last_day=last_day,
        rate=rate,
        dropout=dropout,
        spend=spend["p"] / nu * spend_multiplier(profile, home, n),
        alive=alive,
    )
