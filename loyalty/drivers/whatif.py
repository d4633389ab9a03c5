"""What if a driver improved? Simulate respondents through the fitted models.

For each respondent, the chosen drivers move by Δ scale points (kept within
the answer scale). Trust is predicted from the drivers by the mediator model,
then the outcome from trust and the drivers by the outcome model, each plus a
residual drawn at random from that model's residuals; a 0-10 outcome is
rounded and clipped to 0-10, so promoter and detractor shares and NPS can be
read off.

Each draw uses one bootstrap draw of the coefficients (parameter uncertainty)
and one set of residuals (respondent noise). The baseline and the scenario
share both, so the *change* is the pure effect of Δ: with Δ = 0 it is exactly
zero. The reported change is the mean over draws, with a 95% band from the
2.5th and 97.5th percentiles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from loyalty.drivers._util import jsonable
from loyalty.drivers.specs import build_scales
from loyalty.errors import InputError

if TYPE_CHECKING:
    from loyalty.drivers.models import Diagnosis

PROMOTER_MIN, DETRACTOR_MAX = 9, 6


@dataclass
class WhatIfResult:
    """Predicted effect of moving some drivers.

    Parameters
    ----------
    deltas : dict
        Driver -> Δ in scale points.
    n : int
        Respondents simulated.
    n_draws : int
        Simulation draws.
    metrics : pandas.DataFrame
        One row per metric (``trust_mean``, ``outcome_mean``, ``promoter_share``,
        ``detractor_share``, ``nps``) with ``baseline`` (observed),
        ``predicted`` (baseline + change), ``change``, ``change_low``, ``change_high``.
    """

    deltas: dict[str, float]
    n: int
    n_draws: int
    metrics: pd.DataFrame

    def change(self, metric: str) -> float:
        """Return the mean predicted change of ``metric``."""
        return float(self.metrics.set_index("metric").at[metric, "change"])

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return jsonable(
            {
                "deltas": self.deltas,
                "n": self.n,
                "n_draws": self.n_draws,
                "metrics": self.metrics.to_dict(orient="records"),
            }
        )


def shift(values: np.ndarray, delta: float, scale: tuple[float, float]) -> np.ndarray:
    """Move answers by ``delta`` within the scale, never against the direction of ``delta``.

    Parameters
    ----------
    values : numpy.ndarray
        Answers.
    delta : float
        Change in scale points.
    scale : tuple of float
        ``(low, high)``.

    Returns
    -------
    numpy.ndarray
        Shifted answers: a move stops at the end of the scale, and an answer
        already past that end stays put (so Δ = 0 leaves every answer exactly as it was).
    """
    low, high = scale
    if delta >= 0:
        return np.maximum(values, np.minimum(values + delta, high))
    return np.minimum(values, np.maximum(values + delta, low))


def _outcome_metrics(y: np.ndarray, zero_to_ten: bool) -> dict[str, float]:
    out = {"outcome_mean": float(y.mean())}
    if zero_to_ten:
        promoters, detractors = float(np.mean(y >= PROMOTER_MIN)), float(np.mean(y <= DETRACTOR_MAX))
        out |= {
            "promoter_share": promoters,
            "detractor_share": detractors,
            "nps": 100 * (promoters - detractors),
        }
    return out


def _coefficient_draws(diagnosis: Diagnosis, n_draws: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Return ``n_draws`` coefficient vectors per model: bootstrap draws, else normal draws from HC3."""
    models = {"outcome": diagnosis.outcome_model}
    if diagnosis.mediator_model is not None:
        models["mediator"] = diagnosis.mediator_model
    draws = {}
    for name, model in models.items():
        boot = diagnosis.draws.get(name)
        if boot is not None and len(boot):
            draws[name] = boot[rng.choice(len(boot), size=n_draws, replace=n_draws > len(boot))]
        else:
            draws[name] = rng.multivariate_normal(model.params, model.cov_params, size=n_draws)
    return draws


def _selected_rows(diagnosis: Diagnosis, survey: pd.DataFrame, segment_mask: Any) -> pd.DataFrame:
    """Return the analysed variables of complete respondents inside the segment."""
    values, _ = build_scales(survey, diagnosis.spec)
    names = [*diagnosis.drivers, *([diagnosis.mediator] if diagnosis.mediator else []), diagnosis.outcome]
    values = values[names].dropna()
    if segment_mask is not None:
        mask = (
            segment_mask.reindex(survey.index, fill_value=False)
            if isinstance(segment_mask, pd.Series)
            else pd.Series(np.asarray(segment_mask, dtype=bool), index=survey.index)
        )
        values = values[mask.loc[values.index].to_numpy(dtype=bool)]
    if values.empty:
        raise InputError("drivers.error.empty_selection")
    return values


def _combine(columns: list[np.ndarray], weights: np.ndarray) -> np.ndarray:
    """Return ``sum_j weights[j] * columns[j]`` for (n,) columns.

    A column loop instead of ``X @ weights``: multithreaded BLAS matrix-vector
    products on tall, thin matrices are erratic under load (up to 50x slower).
    """
    total = np.zeros_like(columns[0]) if columns else np.zeros(0)
    for column, weight in zip(columns, weights, strict=True):
        total += weight * column
    return total


class _Simulator:
    """Pushes respondents through the fitted models for one draw of coefficients and noise.

    The baseline and the scenario share every term except the scenario's
    *change* ``dX @ beta`` (summed over the moved drivers only), so Δ = 0
    reproduces the baseline bit for bit.
    """

    def __init__(self, diagnosis: Diagnosis, X: np.ndarray, dX: dict[int, np.ndarray], integer_outcome: bool):
        self.diagnosis = diagnosis
        self.columns = [np.ascontiguousarray(X[:, j]) for j in range(X.shape[1])]
        # No driver moved is the same as moving the first by zero: the change is then a
        # (n,) zero vector rather than the empty vector an empty sum would give.
        dX = dX or {0: np.zeros(X.shape[0])}
        self.moved = list(dX)
        self.changes = [dX[j] for j in self.moved]
        self.integer_outcome = integer_outcome

    def _finish(self, y: np.ndarray) -> np.ndarray:
        dg = self.diagnosis
        return np.clip(np.rint(y) if self.integer_outcome else y, *dg.scales[dg.outcome])

    def run(self, coef: dict[str, np.ndarray], noise: dict[str, np.ndarray]) -> tuple[dict, dict]:
        """Return the (baseline, scenario) simulations: outcomes ``y`` and, with trust, ``trust_mean``."""
        dg = self.diagnosis
        beta = coef["outcome"]
        slopes = beta[2:] if dg.mediator is not None else beta[1:]
        y_rest = beta[0] + _combine(self.columns, slopes) + noise["outcome"]
        y_change = _combine(self.changes, slopes[self.moved])
        if dg.mediator is None:
            return {"y": self._finish(y_rest)}, {"y": self._finish(y_rest + y_change)}
        alpha = coef["mediator"]
        trust_lin = alpha[0] + _combine(self.columns, alpha[1:]) + noise["mediator"]
        out = []
        for trust_change in (None, _combine(self.changes, alpha[1:][self.moved])):
            trust = np.clip(
                trust_lin if trust_change is None else trust_lin + trust_change, *dg.scales[dg.mediator]
            )
            y = y_rest + beta[1] * trust
            out.append(
                {
                    "trust_mean": float(trust.mean()),
                    "y": self._finish(y if trust_change is None else y + y_change),
                }
            )
        return out[0], out[1]


def simulate_whatif(
    diagnosis: Diagnosis,
    survey: pd.DataFrame,
    deltas: Mapping[str, float],
    segment_mask: Any = None,
    n_draws: int = 200,
    seed: int = 0,
) -> WhatIfResult:
    """Predict how trust, recommend scores and NPS change when drivers move by Δ points.

    Parameters
    ----------
    diagnosis : Diagnosis
        A fitted diagnosis (its models, residuals and bootstrap draws are used).
    survey : pandas.DataFrame
        The survey whose respondents are simulated (usually the one diagnosed).
    deltas : mapping
        Driver -> change in scale points (e.g. ``{"service": 1.0}``).
    segment_mask : array-like of bool or pandas.Series, optional
        Simulate only these respondents (aligned with ``survey``).
    n_draws : int
        Simulation draws.
    seed : int
        Random seed.

    Returns
    -------
    WhatIfResult

    Raises
    ------
    InputError
        An unknown driver, or no complete respondent in the selection.
    """
    unknown = [d for d in deltas if d not in diagnosis.drivers]
    if unknown:
        raise InputError("drivers.error.unknown_driver", driver=", ".join(unknown))
    rows = _selected_rows(diagnosis, survey, segment_mask)
    X = rows[diagnosis.drivers].to_numpy(dtype=float)
    dX = {}
    for name, delta in deltas.items():
        j = diagnosis.drivers.index(name)
        dX[j] = shift(X[:, j], float(delta), diagnosis.scales[name]) - X[:, j]
    observed_y = rows[diagnosis.outcome].to_numpy(dtype=float)
    zero_to_ten = tuple(diagnosis.scales[diagnosis.outcome]) == (0.0, 10.0)
    simulator = _Simulator(diagnosis, X, dX, integer_outcome=bool(np.all(observed_y == np.rint(observed_y))))
    rng = np.random.default_rng(seed)
    coefs = _coefficient_draws(diagnosis, n_draws, rng)
    residuals = {"outcome": diagnosis.outcome_model.residuals}
    if diagnosis.mediator_model is not None:
        residuals["mediator"] = diagnosis.mediator_model.residuals
    changes: list[dict[str, float]] = []
    for draw in range(n_draws):
        coef = {name: values[draw] for name, values in coefs.items()}
        noise = {name: res[rng.integers(0, len(res), size=len(rows))] for name, res in residuals.items()}
        base, scenario = simulator.run(coef, noise)
        before = {**_outcome_metrics(base.pop("y"), zero_to_ten), **base}
        after = {**_outcome_metrics(scenario.pop("y"), zero_to_ten), **scenario}
        changes.append({key: after[key] - before[key] for key in before})
    observed = _outcome_metrics(observed_y, zero_to_ten)
    if diagnosis.mediator:
        observed["trust_mean"] = float(rows[diagnosis.mediator].mean())
    return WhatIfResult(dict(deltas), len(rows), n_draws, _summarise(pd.DataFrame(changes), observed))


def _summarise(changes: pd.DataFrame, observed: dict[str, float]) -> pd.DataFrame:
    """Return one row per metric: observed baseline, mean change and its 95% band."""
    order = [
        m for m in ("trust_mean", "outcome_mean", "promoter_share", "detractor_share", "nps") if m in changes
    ]
    low, high = np.percentile(changes[order].to_numpy(), [2.5, 97.5], axis=0)
    mean = changes[order].mean().to_numpy()
    baseline = np.array([observed[m] for m in order])
    return pd.DataFrame(
        {
            "metric": order,
            "baseline": baseline,
            "predicted": baseline + mean,
            "change": mean,
            "change_low": low,
            "change_high": high,
        }
    )
