"""The value of reaching the plan's targets, from the user's own data wherever it exists.

Retention +x points
-------------------
A customer active now stays active from one period to the next with probability
``r`` (the "active in both periods" retention of Measure). Under this geometric
retention model the value of one active customer over ``H`` periods is

    V(r) = v · m · Σ_{k=0..H-1} (r / (1 + d))^k

with ``v`` the revenue per active customer per period (measured from the
transactions), ``m`` the gross margin and ``d`` the per-period discount rate
(``(1 + annual)^(period in years) - 1``). Raising retention by ``x`` points changes
the value of the base by the factor ``V(r + x) / V(r)``, so

    Δ = B · (V(r + x) / V(r) - 1)

where the baseline ``B`` is the predicted CLV of all customers from the fitted
BG/NBD + Gamma-Gamma model when it is available (it knows who is likely gone and
how much each one spends), else ``N · V(r)`` from history (``N`` customers active in
the last period), for which the formula reduces to ``N · (V(r + x) - V(r))``. Why
the geometric model: BG/NBD has no retention parameter to move, and the geometric
model is the standard margin-multiple CLV (REFERENCE.md §2) made finite, so one
uplift drives both bases the same way.

Uncertainty: ``r`` is an estimate with a 95% CI. Δ is a continuous function of
``r`` alone, so its interval is the min/max of Δ over ``r`` in the CI (evaluated on
a fine grid, which also handles the cap at 100%). The model's own uncertainty is
not included; the page says so.

NPS +y
------
An NPS gain of ``y`` points raises the promoter share by at most ``y/100`` (if every
point comes from a passive becoming a promoter; fewer detractors raise the NPS
without adding promoters), so ``Δp = y/100 · s`` with the editable share ``s``.
Where "does trust pay?" measured promoters against passives (predicted CLV, else
revenue to date), each new promoter is worth the difference of the two group means;
its interval is ``[low_P - high_Q, high_P - low_Q]``, interval arithmetic on the two
95% CIs, which is conservative (wider than the CI of the difference). Without that
measurement the articles' claim (loyal customers spend up to 67% more) stands in,
labelled as an assumption, without an interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loyalty.plan.assumptions import Assumptions
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE
from loyalty.values import finite_or_none as _finite

#: Length of a retention period in months.
PERIOD_MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
_PANDAS_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
_GRID = 201  # points on the retention CI for the interval of Δ


@dataclass(frozen=True)
class Estimate:
    """A number with its unit and, when it comes from an estimate with a CI, its 95% interval.

    Parameters
    ----------
    value : float
        Point estimate.
    unit : str
        ``money``, ``customers``, ``share`` (a fraction), ``points`` (NPS) or ``money_per_customer``.
    low, high : float or None
        95% interval; None when the number has no sampling uncertainty we can state.
    """

    value: float
    unit: str
    low: float | None = None
    high: float | None = None

    @property
    def has_interval(self) -> bool:
        """Whether a finite interval is known."""
        return self.low is not None and self.high is not None and math.isfinite(self.low + self.high)

    def scaled(self, factor: float, unit: str | None = None) -> Estimate:
        """Return the estimate times a known, positive constant (the interval scales with it)."""
        low = None if self.low is None else self.low * factor
        high = None if self.high is None else self.high * factor
        return Estimate(self.value * factor, unit or self.unit, low, high)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return {"value": self.value, "unit": self.unit, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Baseline:
    """What the data say today, as the impact calculator needs it.

    Parameters
    ----------
    period : str
        Retention period: ``month``, ``quarter`` or ``year``.
    retention : Estimate or None
        Retention per period as a fraction, with its 95% CI.
    active_customers : int or None
        Customers active in the last period.
    value_per_period : float or None
        Revenue per active customer per period (before margin).
    customers : int or None
        Customers in the transactions.
    predicted_clv_total : float or None
        Predicted CLV of all customers over ``model_horizon_months`` (revenue, discounted), when modelled.
    model_horizon_months : float or None
        Horizon of that prediction.
    nps : Estimate or None
        NPS now, in points, with its 95% CI.
    promoter_share : float or None
        Promoters as a fraction of answers.
    promoter_gain : Estimate or None
        What a promoter is worth more than a passive, per customer (money), from "does trust pay?".
    promoter_gain_basis : str or None
        ``clv`` (predicted CLV) or ``revenue`` (revenue to date) for ``promoter_gain``.
    """

    period: str = "quarter"
    retention: Estimate | None = None
    active_customers: int | None = None
    value_per_period: float | None = None
    customers: int | None = None
    predicted_clv_total: float | None = None
    model_horizon_months: float | None = None
    nps: Estimate | None = None
    promoter_share: float | None = None
    promoter_gain: Estimate | None = None
    promoter_gain_basis: str | None = None

    @property
    def has_transactions(self) -> bool:
        """Whether retention can be valued."""
        return (
            self.retention is not None and self.value_per_period is not None and bool(self.active_customers)
        )


@dataclass(frozen=True)
class RetentionImpact:
    """The value of raising retention.

    Parameters
    ----------
    basis : {"model", "history"}
        Predicted CLV of the fitted model, or history with the geometric model.
    retention_now, retention_target : float
        Per period, as fractions.
    value_change : Estimate
        Change of the base's value over the horizon (money, after margin).
    value_change_per_customer : Estimate
        The same per customer of the base (money per customer).
    customers_kept : Estimate
        Extra customers still active after one period.
    replacement_cost : Estimate or None
        What winning that many new customers would cost (needs an acquisition cost).
    periods : int
        Periods in the horizon.
    """

    basis: str
    retention_now: float
    retention_target: float
    value_change: Estimate
    value_change_per_customer: Estimate
    customers_kept: Estimate
    replacement_cost: Estimate | None
    periods: int


@dataclass(frozen=True)
class NpsImpact:
    """The value of raising the NPS.

    Parameters
    ----------
    nps_now, nps_target : Estimate
        NPS in points, with the CI of today's measurement (shifted for the target).
    promoter_share_now, promoter_share_target : float or None
        Fractions; None without a measured NPS.
    extra_promoters : Estimate or None
        Customers who become promoters (needs the number of customers).
    value : Estimate or None
        Money they imply (after margin).
    basis : str or None
        ``clv``, ``revenue`` (measured by "does trust pay?") or ``article`` (the 67% claim).
    """

    nps_now: Estimate | None
    nps_target: Estimate | None
    promoter_share_now: float | None
    promoter_share_target: float | None
    extra_promoters: Estimate | None
    value: Estimate | None
    basis: str | None


# --- formulas ------------------------------------------------------------------------------


def periods_in(horizon_months: float, period: str) -> int:
    """Return the number of whole retention periods in the horizon (at least 1)."""
    return max(1, round(horizon_months / PERIOD_MONTHS[period]))


def period_discount(annual_rate: float, period: str) -> float:
    """Return the discount rate per period equivalent to ``annual_rate`` (compounded)."""
    return (1 + annual_rate) ** (PERIOD_MONTHS[period] / 12) - 1


def geometric_value(retention: float, periods: int, value: float = 1.0, discount: float = 0.0) -> float:
    """Return ``value · Σ_{k=0..periods-1} (retention / (1 + discount))^k``.

    Parameters
    ----------
    retention : float
        Probability to stay active from one period to the next, in [0, 1].
    periods : int
        Periods counted, the current one included.
    value : float
        Value of an active customer per period.
    discount : float
        Discount rate per period.

    Returns
    -------
    float
        Expected discounted value of a customer active now.
    """
    q = min(max(retention, 0.0), 1.0) / (1 + discount)
    return value * float(np.sum(q ** np.arange(periods)))


def period_value(transactions: pd.DataFrame, period: str = "quarter") -> float:
    """Return the mean revenue per active customer per period.

    Each period's revenue is divided by the customers who bought in it; the mean of
    these ratios over the periods in the data is returned.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Canonical ``customer_id``, ``date``, ``amount``.
    period : {"month", "quarter", "year"}

    Returns
    -------
    float
        Money per active customer per period.
    """
    labels = transactions[DATE].dt.to_period(_PANDAS_FREQ[period])
    grouped = transactions.groupby(labels)
    ratio = grouped[AMOUNT].sum() / grouped[CUSTOMER_ID].nunique()
    return float(ratio.mean())


def _ratio_change(r: float, uplift: float, periods: int, discount: float) -> float:
    """Return ``V(r + uplift) / V(r) - 1`` (0 when V(r) is 0)."""
    base = geometric_value(r, periods, 1.0, discount)
    return geometric_value(min(r + uplift, 1.0), periods, 1.0, discount) / base - 1 if base else 0.0


def retention_impact(baseline: Baseline, assumptions: Assumptions) -> RetentionImpact | None:
    """Value a retention gain of ``assumptions.retention_uplift_pp`` points (see the module docstring).

    Parameters
    ----------
    baseline : Baseline
        From :func:`baseline_from_data`.
    assumptions : Assumptions

    Returns
    -------
    RetentionImpact or None
        None without transactions (nothing to value).
    """
    if not baseline.has_transactions:
        return None
    a, r = assumptions, baseline.retention
    x = a.retention_uplift_pp / 100
    periods = periods_in(a.horizon_months, baseline.period)
    d = period_discount(a.annual_discount_rate, baseline.period)
    n = int(baseline.active_customers)
    use_model = (
        baseline.predicted_clv_total is not None
        and baseline.model_horizon_months is not None
        and abs(baseline.model_horizon_months - a.horizon_months) < 0.5
        and bool(baseline.customers)
    )
    if use_model:
        base_total, base_n = baseline.predicted_clv_total * a.margin, int(baseline.customers)
    else:
        base_total = n * geometric_value(r.value, periods, baseline.value_per_period * a.margin, d)
        base_n = n
    change = base_total * _ratio_change(r.value, x, periods, d)
    low = high = None
    if r.has_interval:
        grid = np.unique(np.r_[np.linspace(r.low, r.high, _GRID), r.value])
        values = [base_total * _ratio_change(float(g), x, periods, d) for g in grid]
        if not use_model:
            # On history the base itself depends on r: Δ = N·(V(g + x) - V(g)).
            values = [
                n
                * (
                    geometric_value(min(g + x, 1.0), periods, baseline.value_per_period * a.margin, d)
                    - geometric_value(g, periods, baseline.value_per_period * a.margin, d)
                )
                for g in grid
            ]
        low, high = float(min(values)), float(max(values))
    value_change = Estimate(float(change), "money", low, high)
    kept = n * (min(r.value + x, 1.0) - r.value)
    replacement = Estimate(kept * a.acquisition_cost, "money") if a.acquisition_cost > 0 else None
    return RetentionImpact(
        basis="model" if use_model else "history",
        retention_now=r.value,
        retention_target=min(r.value + x, 1.0),
        value_change=value_change,
        value_change_per_customer=value_change.scaled(1 / base_n, "money_per_customer"),
        customers_kept=Estimate(kept, "customers"),
        replacement_cost=replacement,
        periods=periods,
    )


def _horizon_value_per_customer(baseline: Baseline, assumptions: Assumptions) -> float | None:
    """Return the value of one customer over the horizon (for the articles' 67% claim)."""
    if not baseline.has_transactions:
        return None
    periods = periods_in(assumptions.horizon_months, baseline.period)
    d = period_discount(assumptions.annual_discount_rate, baseline.period)
    return geometric_value(baseline.retention.value, periods, baseline.value_per_period, d)


def nps_impact(baseline: Baseline, assumptions: Assumptions) -> NpsImpact:
    """Value an NPS gain of ``assumptions.nps_uplift_points`` (see the module docstring).

    Parameters
    ----------
    baseline : Baseline
    assumptions : Assumptions

    Returns
    -------
    NpsImpact
        Every part the data allow; the rest is None.
    """
    a = assumptions
    y = a.nps_uplift_points
    now = baseline.nps
    target = None
    if now is not None:
        shift = min(y, 100 - now.value)
        target = Estimate(
            now.value + shift,
            "points",
            *((now.low + shift, now.high + shift) if now.has_interval else (None, None)),
        )
    share_now = baseline.promoter_share
    delta = y / 100 * a.promoter_share_of_gain
    share_target = None if share_now is None else min(1.0, share_now + delta)
    extra = value = basis = None
    if baseline.customers:
        gained = (share_target - share_now) if share_now is not None else delta
        extra = Estimate(baseline.customers * gained, "customers")
        gain, basis = baseline.promoter_gain, baseline.promoter_gain_basis
        if gain is None:
            per_customer = _horizon_value_per_customer(baseline, a)
            gain = (
                None
                if per_customer is None
                else Estimate(per_customer * a.loyal_spend_uplift, "money_per_customer")
            )
            basis = None if gain is None else "article"
        if gain is not None:
            value = gain.scaled(extra.value * a.margin, "money")
    return NpsImpact(now, target, share_now, share_target, extra, value, basis)


# --- from the app's results ------------------------------------------------------------------


def _count(value: Any) -> int | None:
    """Return a count, None when it is missing (too little history for a retention period)."""
    number = _finite(value)
    return None if number is None else int(number)


def _retention(card: Mapping[str, Any] | None) -> Estimate | None:
    if not card or _finite(card.get("value_both_periods")) is None:
        return None
    # The interval of the strict rate; ``ci95`` belongs to the common formula's ``value``.
    ci = card.get("ci95_both_periods") or [None, None]
    return Estimate(float(card["value_both_periods"]), "share", _finite(ci[0]), _finite(ci[1]))


def _nps(card: Mapping[str, Any] | None) -> tuple[Estimate | None, float | None]:
    if not card or _finite(card.get("value")) is None:
        return None, None
    ci = card.get("ci95") or [None, None]
    share = _finite((card.get("shares") or {}).get("promoters"))
    return Estimate(float(card["value"]), "points", _finite(ci[0]), _finite(ci[1])), share


def promoter_gain(table: pd.DataFrame | None) -> tuple[Estimate | None, str | None]:
    """Return what a promoter is worth more than a passive, from the "does trust pay?" table.

    Parameters
    ----------
    table : pandas.DataFrame or None
        :func:`loyalty.drivers.trust_pays` rows (grouping, group, metric, n, estimate, ci_low, ci_high).

    Returns
    -------
    tuple
        (Estimate in money per customer with the interval-arithmetic CI, basis ``clv``/``revenue``),
        or (None, None) when the table has no usable comparison.
    """
    if table is None or table.empty:
        return None, None
    rows = table[table["grouping"] == "nps_group"]
    for metric in ("clv", "revenue"):
        part = rows[rows["metric"] == metric].set_index("group")
        if not {"promoter", "passive"} <= set(part.index):
            continue
        p, q = part.loc["promoter"], part.loc["passive"]
        if min(p["n"], q["n"]) < 2 or _finite(p["estimate"]) is None or _finite(q["estimate"]) is None:
            continue
        low = high = None
        bounds = [_finite(v) for v in (p["ci_low"], p["ci_high"], q["ci_low"], q["ci_high"])]
        if None not in bounds:
            low, high = bounds[0] - bounds[3], bounds[1] - bounds[2]
        return Estimate(float(p["estimate"] - q["estimate"]), "money_per_customer", low, high), metric
    return None, None


def baseline_from_data(
    measure: Mapping[str, Any] | None,
    transactions: pd.DataFrame | None = None,
    trust_pays_table: pd.DataFrame | None = None,
) -> Baseline:
    """Collect today's numbers from the Measure result, the transactions and "does trust pay?".

    Parameters
    ----------
    measure : mapping or None
        The dict of :func:`loyalty.measure.measure` (computed with ``margin=1``).
    transactions : pandas.DataFrame, optional
        Canonical transactions, for the revenue per active customer per period.
    trust_pays_table : pandas.DataFrame, optional
        The "does trust pay?" table.

    Returns
    -------
    Baseline
    """
    measure = measure or {}
    period = (measure.get("window") or {}).get("period") or "quarter"
    retention_card = measure.get("retention_rate") or None
    clv = measure.get("clv") or {}
    nps, share = _nps(measure.get("nps"))
    gain, basis = promoter_gain(trust_pays_table)
    predicted = _finite(clv.get("predicted_total"))
    horizon = _finite(clv.get("horizon"))
    months = None
    if predicted is not None and horizon is not None:
        per_month = {"day": 365.25 / 12, "week": 52.1775 / 12, "month": 1.0}.get(clv.get("time_unit"))
        months = horizon / per_month if per_month else None
    customers = clv.get("customers") or (measure.get("orders") or {}).get("customers")
    has_tx = transactions is not None and len(transactions) > 0
    return Baseline(
        period=period if period in PERIOD_MONTHS else "quarter",
        retention=_retention(retention_card),
        active_customers=_count((retention_card or {}).get("active_end")),
        value_per_period=period_value(transactions, period) if has_tx and period in PERIOD_MONTHS else None,
        customers=int(customers) if customers else None,
        predicted_clv_total=predicted,
        model_horizon_months=months,
        nps=nps,
        promoter_share=share,
        promoter_gain=gain,
        promoter_gain_basis=basis,
    )
