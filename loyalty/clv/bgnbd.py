"""BG/NBD model (Fader, Hardie & Lee 2005): how many purchases, and is the customer still alive.

Each customer buys at a Poisson rate λ ~ Gamma(r, α) while alive and, after each
purchase, drops out with probability p ~ Beta(a, b). Fitted by maximum likelihood
over log-parameters, with the likelihood written in log space (gammaln, betaln,
logaddexp) and vectorised over the unique (x, t_x, T) rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from loyalty.clv._optimize import aggregate_rows, as_floats, at_bound, minimise, wsum
from loyalty.clv.units import TimeUnit, days_per_unit

ArrayLike = np.ndarray | pd.Series | float | int


def _log_terms(r, alpha, a, b, x, t_x, T):
    """Return (L3, L4) of the per-customer likelihood; L4 = -inf for x = 0."""
    l3 = -(r + x) * np.log(alpha + T)
    with np.errstate(invalid="ignore", divide="ignore"):
        l4 = np.where(
            x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x), -np.inf
        )
    return l3, l4


def log_likelihood_terms(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Return each customer's BG/NBD log-likelihood at ``params = (r, alpha, a, b)``.

    Parameters
    ----------
    params : array of 4 floats
        r, alpha, a, b (natural scale).
    x, t_x, T : arrays
        Frequency, recency and age, in the model's time unit.

    Returns
    -------
    np.ndarray
        ln L_i = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
        + ln[(α+T)^−(r+x) + 1{x>0} a/(b+x−1) (α+t_x)^−(r+x)].
    """
    r, alpha, a, b = params
    l3, l4 = _log_terms(r, alpha, a, b, x, t_x, T)
    return (
        gammaln(r + x)
        - gammaln(r)
        + r * np.log(alpha)
        + betaln(a, b + x)
        - betaln(a, b)
        + np.logaddexp(l3, l4)
    )


def _objective(x: np.ndarray, t_x: np.ndarray, T: np.ndarray, w: np.ndarray):
    """Return f(log params) -> (mean negative LL, gradient) over weighted unique rows.

    Terms that depend on x alone (gammaln, betaln, digamma) are evaluated once per
    distinct x and weighted by that x's total count: x takes few values, while
    (x, t_x, T) rows can number in the tens of thousands.
    """
    total = w.sum()
    xs, x_index = np.unique(x, return_inverse=True)
    wx = np.bincount(x_index, weights=w)  # total weight per distinct x
    repeat = x > 0
    xr, txr, Tr, wr = x[repeat], t_x[repeat], T[repeat], w[repeat]
    T0, w0 = T[~repeat], w[~repeat]

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = np.exp(theta)
        # x-only parts, summed over distinct x with their weights.
        ll_x = wsum(wx, gammaln(r + xs) - gammaln(r) + r * np.log(alpha) + betaln(a, b + xs) - betaln(a, b))
        dr_x = wsum(wx, digamma(r + xs) - digamma(r) + np.log(alpha))
        dalpha_x = r * wx.sum() / alpha
        da_x = wsum(wx, digamma(a + b) - digamma(a + b + xs))
        db_x = wsum(wx, digamma(b + xs) - digamma(b) + digamma(a + b) - digamma(a + b + xs))
        # Non-repeaters: only the (alpha+T)^-(r) branch.
        log_aT0 = np.log(alpha + T0)
        ll_0 = -r * wsum(w0, log_aT0)
        dr_0 = -wsum(w0, log_aT0)
        dalpha_0 = -r * wsum(w0, 1.0 / (alpha + T0))
        # Repeaters: log-sum of the two branches, with branch shares for the gradient.
        log_aT, log_atx = np.log(alpha + Tr), np.log(alpha + txr)
        l3 = -(r + xr) * log_aT
        l4 = np.log(a) - np.log(b + xr - 1) - (r + xr) * log_atx
        lse = np.logaddexp(l3, l4)
        w3, w4 = np.exp(l3 - lse), np.exp(l4 - lse)
        ll_1 = wsum(wr, lse)
        dr_1 = -wsum(wr, w3 * log_aT + w4 * log_atx)
        dalpha_1 = -wsum(wr, (r + xr) * (w3 / (alpha + Tr) + w4 / (alpha + txr)))
        da_1 = wsum(wr, w4) / a
        db_1 = -wsum(wr, w4 / (b + xr - 1))
        value = -(ll_x + ll_0 + ll_1) / total
        if not np.isfinite(value):
            return np.inf, np.zeros(4)
        grad = np.array(
            [
                r * (dr_x + dr_0 + dr_1),
                alpha * (dalpha_x + dalpha_0 + dalpha_1),
                a * (da_x + da_1),
                b * (db_x + db_1),
            ]
        )  # chain rule: log space
        return float(value), -grad / total

    return fun


@dataclass(frozen=True)
class BGNBDFit:
    """A fitted BG/NBD model.

    Parameters
    ----------
    r, alpha : float
        Gamma heterogeneity of the purchase rate (mean rate r/alpha per time unit).
    a, b : float
        Beta heterogeneity of the drop-out probability after a purchase.
    log_likelihood : float
        Total log-likelihood at the optimum, in the model's time unit.
    n_customers : int
        Customers the model was fitted on.
    converged : bool
        Whether the optimiser reached a stationary point.
    time_unit : {"day", "week", "month"}
        Unit of alpha and of every t, t_x and T the methods take.
    at_boundary : bool
        A log-parameter ran into the optimiser's bounds (a → 0, b → ∞, ...).
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n_customers: int
    converged: bool
    time_unit: TimeUnit
    at_boundary: bool = False

    @property
    def params(self) -> np.ndarray:
        """Return (r, alpha, a, b) as an array."""
        return np.array([self.r, self.alpha, self.a, self.b])

    def _log_odds_dead(self, frequency, recency, T) -> np.ndarray:
        """ln[a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)] for x > 0; −inf for x = 0."""
        x, t_x, T = (as_floats(v) for v in (frequency, recency, T))
        with np.errstate(invalid="ignore", divide="ignore"):
            odds = (
                np.log(self.a)
                - np.log(np.maximum(self.b + x - 1, 1e-300))
                + (self.r + x) * (np.log(self.alpha + T) - np.log(self.alpha + t_x))
            )
        return np.where(x > 0, odds, -np.inf)

    def p_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> np.ndarray:
        """Return P(alive | x, t_x, T); 1 for customers who never bought again (a BG/NBD trait).

        Parameters
        ----------
        frequency, recency, T : array-like
            The customer's summary, in the model's time unit.

        Returns
        -------
        np.ndarray
            Probabilities in (0, 1].
        """
        return expit(-self._log_odds_dead(frequency, recency, T))

    def expected_purchases(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """Return E[Y(t) | x, t_x, T]: expected purchases in the next ``t`` time units.

        Parameters
        ----------
        t : float or array
            Length of the future window, in the model's time unit.
        frequency, recency, T : array-like
            The customer's summary, in the model's time unit.

        Returns
        -------
        np.ndarray
            Expected number of repeat purchases (FHL 2005, eq. 10).
        """
        return self.expected_purchases_if_alive(t, frequency, T) * self.p_alive(frequency, recency, T)

    def expected_purchases_if_alive(self, t: ArrayLike, frequency: ArrayLike, T: ArrayLike) -> np.ndarray:
        """Return E[Y(t) | alive, x, T]; it does not depend on recency.

        ``E[Y(t) | x, t_x, T] = P(alive) · E[Y(t) | alive, x, T]``, so CLV can
        evaluate the costly hypergeometric part once per distinct (x, T).
        """
        r, alpha, a, b = self.params
        x, T, t = (as_floats(v) for v in (frequency, T, t))
        z = t / (alpha + T + t)
        tail = np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp2f1(
            r + x, b + x, a + b + x - 1, z
        )
        return (a + b + x - 1) / (a - 1) * (1.0 - tail)

    def expected_purchases_unconditional(self, t: ArrayLike) -> np.ndarray:
        """Return E[X(t)]: expected purchases of a new customer in ``t`` time units after the first."""
        r, alpha, a, b = self.params
        t = np.asarray(t, dtype=float)
        tail = np.exp(r * (np.log(alpha) - np.log(alpha + t))) * hyp2f1(r, b, a + b - 1, t / (alpha + t))
        return (a + b - 1) / (a - 1) * (1.0 - tail)

    def probability_of_dropout(self) -> float:
        """Return the mean drop-out probability after a purchase, a/(a+b)."""
        return self.a / (self.a + self.b)

    def to_dict(self) -> dict:
        """Return the fit as plain JSON-ready values."""
        return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in asdict(self).items()}


def _as_arrays(summary_or_frequency, recency, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if isinstance(summary_or_frequency, pd.DataFrame):
        df = summary_or_frequency
        return (df["frequency"].to_numpy(float), df["recency"].to_numpy(float), df["T"].to_numpy(float))
    return tuple(as_floats(v) for v in (summary_or_frequency, recency, T))


def _starts(x: np.ndarray, T: np.ndarray, w: np.ndarray) -> list[np.ndarray]:
    """Two starting points in scaled time (mean T = 1): rate matched to the data, then a flatter one."""
    mean_x = max(wsum(w, x) / w.sum(), 0.05)
    return [np.log([1.0, 1.0 / mean_x, 1.0, 3.0]), np.log([0.3, 0.3 / mean_x, 0.5, 1.0])]


def fit_bgnbd(
    summary_or_frequency: pd.DataFrame | ArrayLike,
    recency: ArrayLike | None = None,
    T: ArrayLike | None = None,
    *,
    time_unit: TimeUnit = "week",
) -> BGNBDFit:
    """Fit the BG/NBD model by maximum likelihood.

    Parameters
    ----------
    summary_or_frequency : pd.DataFrame or array-like
        A summary from :func:`~loyalty.clv.summary.summary_data_from_transactions`
        (its ``frequency``, ``recency``, ``T`` are used), or the frequency array.
    recency, T : array-like, optional
        Needed when the first argument is an array.
    time_unit : {"day", "week", "month"}
        Unit of recency and T (and hence of alpha). Checked against the summary's
        own unit when it carries one.

    Returns
    -------
    BGNBDFit
        Parameters, log-likelihood, convergence and boundary flags.
    """
    days_per_unit(time_unit)  # validate early
    if isinstance(summary_or_frequency, pd.DataFrame):
        unit = summary_or_frequency.attrs.get("clv", {}).get("time_unit", time_unit)
        if unit != time_unit:
            raise ValueError(f"summary is in {unit!r} but time_unit={time_unit!r}")
    x, t_x, T_ = _as_arrays(summary_or_frequency, recency, T)
    # Fit in time scaled to mean T = 1, so the same starts suit days, weeks and months;
    # r, a, b are scale-free and alpha scales back exactly.
    scale = float(np.mean(T_)) if T_.size and np.mean(T_) > 0 else 1.0
    (ux, utx, uT), w = aggregate_rows(x, t_x / scale, T_ / scale)
    res, converged = minimise(_objective(ux, utx, uT, w), _starts(ux, uT, w))
    r, alpha, a, b = np.exp(res.x)
    params = np.array([r, alpha * scale, a, b])
    return BGNBDFit(
        r=float(r),
        alpha=float(alpha * scale),
        a=float(a),
        b=float(b),
        log_likelihood=float(log_likelihood_terms(params, x, t_x, T_).sum()),
        n_customers=int(x.size),
        converged=converged,
        time_unit=time_unit,
        at_boundary=bool(at_bound(res.x).any()),
    )
