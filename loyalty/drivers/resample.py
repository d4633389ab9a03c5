"""Vectorised bootstrap of means and covariance matrices.

Every quantity the driver analysis bootstraps (R² shares, regression
coefficients, mediation paths) is a function of the variables' means and
covariance matrix. So instead of refitting models per replicate, we draw all
resamples at once and compute their moments with one matrix product: a
resample is a vector of counts (how often each row was drawn), and its sums are
``counts @ data``. Resamples are processed in chunks to bound memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Largest (replicates x rows) block built at once: ~64 MB of float64 counts. Blocks of
#: fewer than ~50 replicates make OpenBLAS slow and erratic, so blocks stay large.
_MAX_CELLS = 8_000_000


@dataclass(frozen=True)
class Moments:
    """Means and (population) covariance matrices of one sample or of many resamples.

    Parameters
    ----------
    mean : numpy.ndarray
        Shape ``(p,)`` for one sample, ``(B, p)`` for B resamples.
    cov : numpy.ndarray
        Shape ``(p, p)`` or ``(B, p, p)``; divided by n (the divisor cancels
        in correlations and regression slopes).
    """

    mean: np.ndarray
    cov: np.ndarray

    def corr(self) -> np.ndarray:
        """Return the correlation matrices."""
        # A resample in which a column barely varies can get a variance a rounding error below 0;
        # it gets no correlation (NaN: a failed replicate), not a warning from sqrt.
        sd = np.sqrt(np.clip(np.diagonal(self.cov, axis1=-2, axis2=-1), 0.0, None))
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.cov / (sd[..., :, None] * sd[..., None, :])


def sample_moments(data: np.ndarray) -> Moments:
    """Return the moments of the full sample.

    Parameters
    ----------
    data : numpy.ndarray
        Shape ``(n, p)``, no missing values.

    Returns
    -------
    Moments
        Mean ``(p,)`` and covariance ``(p, p)``.
    """
    centred = data - data.mean(axis=0)
    return Moments(data.mean(axis=0), centred.T @ centred / len(data))


def _fill_counts(rng: np.random.Generator, out: np.ndarray) -> np.ndarray:
    """Fill each row of ``out`` (replicates x n) with how often each of n rows was drawn.

    Row by row into one reused buffer: ~2.5x faster than counting a whole block
    at once, because each row's work stays in cache.
    """
    n = out.shape[1]
    for row in out:
        row[:] = np.bincount(rng.integers(0, n, size=n), minlength=n)
    return out


def bootstrap_moments(data: np.ndarray, n_boot: int, seed: int = 0) -> Moments:
    """Return the moments of ``n_boot`` nonparametric bootstrap resamples of the rows.

    Parameters
    ----------
    data : numpy.ndarray
        Shape ``(n, p)``, no missing values.
    n_boot : int
        Number of resamples (B).
    seed : int
        Seed of the random generator; the same seed gives the same resamples.

    Returns
    -------
    Moments
        Means ``(B, p)`` and covariances ``(B, p, p)``. Identical to computing
        the moments of ``data[idx]`` for each resample's row indices.
    """
    n, p = data.shape
    centre = data.mean(axis=0)
    # Centring first keeps the one-pass "E[xy] - E[x]E[y]" formula accurate.
    centred = data - centre
    upper = np.triu_indices(p)
    products = np.column_stack([centred, centred[:, upper[0]] * centred[:, upper[1]]])
    rng = np.random.default_rng(seed)
    chunk = max(1, _MAX_CELLS // n)
    sums = np.empty((n_boot, products.shape[1]))
    buffer = np.empty((min(chunk, n_boot), n))
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        sums[start : start + size] = _fill_counts(rng, buffer[:size]) @ products / n
    mean = sums[:, :p]
    second = np.zeros((n_boot, p, p))
    second[:, upper[0], upper[1]] = sums[:, p:]
    second[:, upper[1], upper[0]] = sums[:, p:]
    cov = second - mean[:, :, None] * mean[:, None, :]
    return Moments(mean + centre, cov)
