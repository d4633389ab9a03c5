"""Simulated surveys with a known truth, shared by the driver tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.schema import CUSTOMER_ID, DRIVERS, RECOMMEND, TRUST

#: True trust coefficients on the five driver ratings (DRIVERS order), as in REFERENCE.md §3.
TRUST_TRUTH = (0.4, 0.3, 0.2, 0.1, 0.0)
#: True direct effects of the drivers on latent recommend.
DIRECT_TRUTH = (0.1, 0.0, 0.1, 0.0, 0.0)
#: The importance order the truth implies (equal driver variances and correlations).
TRUE_ORDER = list(DRIVERS)


def correlated_normals(n: int, k: int, rho: float, seed: int) -> np.ndarray:
    """Return n draws of k standard normals with common correlation rho."""
    cov = np.full((k, k), rho) + (1 - rho) * np.eye(k)
    return np.random.default_rng(seed).multivariate_normal(np.zeros(k), cov, size=n)


def make_survey(n: int, seed: int) -> pd.DataFrame:
    """Return a survey whose truth is known: 1-7 driver ratings (correlation ~0.3),
    trust = 1 + TRUST_TRUTH . ratings + N(0, 0.6²), recommend = round(-1 + 1.2 trust
    + DIRECT_TRUTH . ratings + N(0, 1.2²)) clipped to 0-10."""
    rng = np.random.default_rng(seed + 1000)
    ratings = np.clip(np.round(4.6 + 1.3 * correlated_normals(n, len(DRIVERS), 0.3, seed)), 1, 7)
    trust = 1.0 + ratings @ np.array(TRUST_TRUTH) + 0.6 * rng.standard_normal(n)
    latent = -1.0 + 1.2 * trust + ratings @ np.array(DIRECT_TRUTH) + 1.2 * rng.standard_normal(n)
    survey = pd.DataFrame(ratings, columns=list(DRIVERS))
    survey.insert(0, CUSTOMER_ID, [f"C{i:05d}" for i in range(n)])
    survey[TRUST] = trust
    survey[RECOMMEND] = np.clip(np.round(latent), 0, 10)
    return survey


@pytest.fixture(scope="session")
def survey_5k() -> pd.DataFrame:
    return make_survey(5000, seed=11)


@pytest.fixture(scope="session")
def survey_1k() -> pd.DataFrame:
    return make_survey(1000, seed=12)


@pytest.fixture(scope="session")
def diagnosis_1k(survey_1k):
    from loyalty.drivers import diagnose

    return diagnose(survey_1k, bootstrap=200, seed=3)
