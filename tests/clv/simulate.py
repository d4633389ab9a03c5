"""Known-truth simulators for the CLV tests: BG/NBD purchases and Gamma-Gamma spend."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE


def simulate_bgnbd(
    n: int, r: float, alpha: float, a: float, b: float, T: float, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw (x, t_x, T) for ``n`` customers observed for ``T`` time units after their first purchase.

    Each customer buys at Poisson rate λ ~ Gamma(r, rate α) and, after each repeat
    purchase, drops out with probability p ~ Beta(a, b) (FHL 2005, assumptions i-v).
    """
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1.0 / lam[i])
            if t > T:
                break
            x[i] += 1
            t_x[i] = t
            if rng.random() < p[i]:
                break
    return x, t_x, np.full(n, float(T))


def simulate_spend(n: int, p: float, q: float, gamma: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Draw (x, mean spend) for ``n`` repeat customers from the Gamma-Gamma model."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 12, n).astype(float)
    nu = rng.gamma(q, 1.0 / gamma, n)
    mean = np.array([rng.gamma(p, 1.0 / nu[i], int(x[i])).mean() for i in range(n)])
    return x, mean


def steady_weekly_buyers(n: int = 60, weeks: int = 52, start: str = "2024-01-01") -> pd.DataFrame:
    """Customers who buy every week, each from a staggered start, right up to the end: no drop-out."""
    rows = []
    origin = pd.Timestamp(start)
    end = origin + pd.Timedelta(weeks=weeks)
    for i in range(n):
        for day in pd.date_range(origin + pd.Timedelta(days=i % 7 + 7 * (i % 5)), end, freq="7D"):
            rows.append((f"s{i:03d}", day, 20.0 + i % 3))
    return pd.DataFrame(rows, columns=[CUSTOMER_ID, DATE, AMOUNT])
