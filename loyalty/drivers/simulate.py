"""Simulated surveys with a known truth, for checking and timing the driver analysis.

Drivers are correlated 1-7 ratings; trust is a linear function of the observed
driver ratings plus noise (so regression on the same ratings recovers the
coefficients without attenuation); recommend is a rounded 0-10 score driven
by trust plus small direct driver effects.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from loyalty.schema import CUSTOMER_ID, DRIVERS, RECOMMEND, TRUST

#: Trust coefficients used in REFERENCE.md §3's recovery check.
DEFAULT_TRUST_COEFS: tuple[float, ...] = (0.4, 0.3, 0.2, 0.1, 0.0)
DEFAULT_DIRECT: tuple[float, ...] = (0.1, 0.0, 0.1, 0.0, 0.0)


def simulate_survey(
    n: int,
    seed: int = 0,
    trust_coefs: Sequence[float] = DEFAULT_TRUST_COEFS,
    direct: Sequence[float] = DEFAULT_DIRECT,
    trust_to_recommend: float = 1.2,
    rho: float = 0.3,
    trust_noise: float = 0.6,
    recommend_noise: float = 1.2,
) -> pd.DataFrame:
    """Return a canonical survey with five correlated drivers, trust and recommend.

    Parameters
    ----------
    n : int
        Respondents.
    seed : int
        Random seed.
    trust_coefs : sequence of float
        True coefficients of trust on each driver rating (DRIVERS order).
    direct : sequence of float
        True direct effects of each driver rating on the latent recommend score.
    trust_to_recommend : float
        Recommend points per trust point.
    rho : float
        Correlation between the latent drivers.
    trust_noise, recommend_noise : float
        Noise SDs of trust and of latent recommend.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, the five drivers (1-7), ``trust`` (continuous,
        about 1-7) and ``recommend`` (0-10 integers).
    """
    rng = np.random.default_rng(seed)
    k = len(DRIVERS)
    cov = np.full((k, k), rho) + (1 - rho) * np.eye(k)
    latent = rng.multivariate_normal(np.zeros(k), cov, size=n)
    ratings = np.clip(np.round(4.6 + 1.3 * latent), 1, 7)
    trust = 1.0 + ratings @ np.asarray(trust_coefs) + trust_noise * rng.standard_normal(n)
    score = (
        -1.0
        + trust_to_recommend * trust
        + ratings @ np.asarray(direct)
        + recommend_noise * rng.standard_normal(n)
    )
    frame = pd.DataFrame(ratings, columns=list(DRIVERS))
    frame.insert(0, CUSTOMER_ID, [f"C{i:06d}" for i in range(n)])
    frame[TRUST] = trust
    frame[RECOMMEND] = np.clip(np.round(score), 0, 10)
    return frame
