"""Latent perceptions and their survey items.

Per customer, the five driver perceptions are standard normal with a common
correlation ``rho`` (one shared factor plus a specific part). Trust is a linear
function of the drivers plus noise; recommendation and repurchase intent follow
from trust. Survey items are these latent values mapped onto the profile's
rating scale (``round(location + spread * latent)``, clipped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from loyalty.schema import DRIVERS, RECOMMEND, REPURCHASE_INTENT, TRUST

#: Items answered on the profile's rating scale, in survey order.
RATED_ITEMS: tuple[str, ...] = (TRUST, *DRIVERS, REPURCHASE_INTENT)


@dataclass(frozen=True)
class Latent:
    """Latent scores of ``n`` customers.

    Parameters
    ----------
    drivers : numpy.ndarray
        Shape ``(n, 5)``, standardised driver perceptions in :data:`DRIVERS` order.
    trust : numpy.ndarray
        Latent trust on the drivers' scale (not standardised).
    trust_z : numpy.ndarray
        Latent trust divided by its population standard deviation.
    recommend : numpy.ndarray
        Latent recommendation propensity.
    repurchase : numpy.ndarray
        Latent repurchase intent (standard normal).
    """

    drivers: np.ndarray
    trust: np.ndarray
    trust_z: np.ndarray
    recommend: np.ndarray
    repurchase: np.ndarray


def driver_betas(profile: dict[str, Any]) -> np.ndarray:
    """Return the true trust coefficients on the standardised drivers, in DRIVERS order."""
    coefs = profile["drivers"]["coefficients"]
    return np.array([coefs[d] for d in DRIVERS], dtype=float)


def driver_covariance(profile: dict[str, Any]) -> np.ndarray:
    """Return the drivers' correlation matrix (equicorrelated, unit variances)."""
    rho = profile["drivers"]["correlation"]
    k = len(DRIVERS)
    return np.full((k, k), rho) + (1.0 - rho) * np.eye(k)


def trust_sd(profile: dict[str, Any]) -> float:
    """Return the population standard deviation of latent trust."""
    beta = driver_betas(profile)
    explained = float(beta @ driver_covariance(profile) @ beta)
    return float(np.sqrt(explained + profile["drivers"]["trust_noise_sd"] ** 2))


def draw_latent(profile: dict[str, Any], n: int, rng: np.random.Generator) -> Latent:
    """Draw the latent scores of ``n`` customers.

    Parameters
    ----------
    profile : dict
        Profile parameters.
    n : int
        Number of customers.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Latent
        The customers' latent scores.
    """
    rho = profile["drivers"]["correlation"]
    common = rng.standard_normal(n)
    specific = rng.standard_normal((n, len(DRIVERS)))
    drivers = np.sqrt(rho) * common[:, None] + np.sqrt(1.0 - rho) * specific
    trust = drivers @ driver_betas(profile) + profile["drivers"]["trust_noise_sd"] * rng.standard_normal(n)
    trust_z = trust / trust_sd(profile)
    rec = profile["recommend"]
    direct = np.array([rec["direct"].get(d, 0.0) for d in DRIVERS])
    recommend = rec["trust"] * trust_z + drivers @ direct + rec["noise_sd"] * rng.standard_normal(n)
    load = profile["repurchase_intent"]["trust_loading"]
    repurchase = load * trust_z + np.sqrt(1.0 - load**2) * rng.standard_normal(n)
    return Latent(drivers, trust, trust_z, recommend, repurchase)


def _to_scale(latent: np.ndarray, location: float, spread: float, low: int, high: int) -> np.ndarray:
    """Map latent values onto an integer rating scale."""
    return np.clip(np.rint(location + spread * latent), low, high).astype(np.int64)


def observed_items(profile: dict[str, Any], latent: Latent) -> dict[str, np.ndarray]:
    """Return the survey answers implied by the latent scores (no missing values yet).

    Parameters
    ----------
    profile : dict
        Profile parameters (``scale`` and ``recommend`` blocks).
    latent : Latent
        Latent scores.

    Returns
    -------
    dict of str to numpy.ndarray
        Integer answers for ``recommend`` (0-10) and every item in :data:`RATED_ITEMS`.
    """
    scale = profile["scale"]
    low, high, spread, loc = scale["min"], scale["max"], scale["spread"], scale["location"]
    items = {d: _to_scale(latent.drivers[:, k], loc[d], spread, low, high) for k, d in enumerate(DRIVERS)}
    # Trust keeps the drivers' spread, so on a continuous scale its slopes would equal the betas.
    items[TRUST] = _to_scale(latent.trust, loc[TRUST], spread, low, high)
    items[REPURCHASE_INTENT] = _to_scale(latent.repurchase, loc[REPURCHASE_INTENT], spread, low, high)
    rec = profile["recommend"]
    items[RECOMMEND] = _to_scale(latent.recommend, rec["location"], rec["spread"], 0, 10)
    return items


def recommend_sd(profile: dict[str, Any]) -> float:
    """Return the population standard deviation of the latent recommendation propensity."""
    rec = profile["recommend"]
    cov = driver_covariance(profile)
    direct = np.array([rec["direct"].get(d, 0.0) for d in DRIVERS])
    cov_trust_direct = float(driver_betas(profile) @ cov @ direct) / trust_sd(profile)
    var = rec["trust"] ** 2 + float(direct @ cov @ direct) + 2 * rec["trust"] * cov_trust_direct
    return float(np.sqrt(var + rec["noise_sd"] ** 2))
