"""Key-driver diagnosis: drivers -> trust -> outcome, with uncertainty and warnings.

:func:`diagnose` fits two linear models on the same complete-case respondents:

* the mediator model, trust ~ drivers (which drivers build trust);
* the outcome model, outcome ~ trust + drivers (does trust carry loyalty).

Without a trust question it fits outcome ~ drivers only. Standard errors are
heteroskedasticity-robust (HC3), since rating data rarely has constant
variance. One bootstrap (resampled moments, see :mod:`loyalty.drivers.resample`)
feeds the importance intervals, the mediation intervals and the coefficient
draws used by the what-if simulator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.outliers_influence import variance_inflation_factor

from loyalty.drivers._util import jsonable, solve_vectors
from loyalty.drivers.frame import AnalysisData, prepare_analysis
from loyalty.drivers.importance import Importance, importance_from_moments
from loyalty.drivers.mediation import MediationResult, mediation_from_moments
from loyalty.drivers.resample import Moments, bootstrap_moments, sample_moments
from loyalty.drivers.robustness import RobustnessCheck, check_robustness
from loyalty.drivers.specs import SpecLike
from loyalty.drivers.warnings import DriverWarning, collect_warnings
from loyalty.schema import DRIVERS, NPS_SCALE, RECOMMEND, TRUST

#: An outcome with at most this many integer levels is treated as ordinal in the robustness check.
MAX_ORDINAL_LEVELS = 11


@dataclass
class OLSResult:
    """A linear model fitted by OLS with HC3 standard errors.

    Parameters
    ----------
    target : str
        Dependent variable.
    names : list of str
        Predictors (the intercept is separate).
    intercept : float
        Estimated constant.
    coef : numpy.ndarray
        Raw coefficients (target units per predictor unit).
    std_beta : numpy.ndarray
        Standardised coefficients (SDs of target per SD of predictor).
    se, ci_low, ci_high, p_value : numpy.ndarray
        HC3 standard errors, 95% confidence limits and p-values.
    r2, adj_r2 : float
        R² and adjusted R².
    vif : numpy.ndarray
        Variance inflation factor per predictor.
    n : int
        Observations.
    residuals, fitted : numpy.ndarray
        For residual plots and the what-if simulator.
    cov_params : numpy.ndarray
        HC3 covariance of ``(intercept, *coef)``.
    """

    target: str
    names: list[str]
    intercept: float
    coef: np.ndarray
    std_beta: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value: np.ndarray
    r2: float
    adj_r2: float
    vif: np.ndarray
    n: int
    residuals: np.ndarray = field(repr=False)
    fitted: np.ndarray = field(repr=False)
    cov_params: np.ndarray = field(repr=False)

    @property
    def params(self) -> np.ndarray:
        """Return ``(intercept, *coef)``."""
        return np.concatenate([[self.intercept], self.coef])

    def to_frame(self) -> pd.DataFrame:
        """Return one row per predictor."""
        return pd.DataFrame(
            {
                "name": self.names,
                "coef": self.coef,
                "std_beta": self.std_beta,
                "se": self.se,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
                "p_value": self.p_value,
                "vif": self.vif,
            }
        )

    def to_dict(self, include_residuals: bool = False) -> dict[str, Any]:
        """Return a JSON-friendly dict; residuals and fitted values only on request (they have n entries)."""
        out = {
            "target": self.target,
            "n": self.n,
            "r2": self.r2,
            "adj_r2": self.adj_r2,
            "intercept": self.intercept,
            "predictors": self.to_frame().to_dict(orient="records"),
        }
        if include_residuals:
            out |= {"residuals": self.residuals, "fitted": self.fitted}
        return jsonable(out)


def fit_ols(y: np.ndarray, X: np.ndarray, names: list[str], target: str = "y") -> OLSResult:
    """Fit ``y ~ 1 + X`` by OLS with HC3 robust standard errors.

    Parameters
    ----------
    y : numpy.ndarray
        Dependent variable, shape ``(n,)``.
    X : numpy.ndarray
        Predictors without a constant, shape ``(n, k)``.
    names : list of str
        Predictor names.
    target : str
        Name of ``y``.

    Returns
    -------
    OLSResult
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float).reshape(len(y), -1)
    exog = sm.add_constant(X, has_constant="add")
    result = sm.OLS(y, exog).fit(cov_type="HC3")
    ci = np.asarray(result.conf_int(alpha=0.05))
    vif = np.array([variance_inflation_factor(exog, i) for i in range(1, exog.shape[1])])
    params = np.asarray(result.params)
    return OLSResult(
        target=target,
        names=list(names),
        intercept=float(params[0]),
        coef=params[1:],
        std_beta=params[1:] * X.std(axis=0, ddof=1) / y.std(ddof=1),
        se=np.asarray(result.bse)[1:],
        ci_low=ci[1:, 0],
        ci_high=ci[1:, 1],
        p_value=np.asarray(result.pvalues)[1:],
        r2=float(result.rsquared),
        adj_r2=float(result.rsquared_adj),
        vif=vif,
        n=len(y),
        residuals=np.asarray(result.resid),
        fitted=np.asarray(result.fittedvalues),
        cov_params=np.asarray(result.cov_params()),
    )


def coefficient_draws(boot: Moments, x_idx: list[int], y_idx: int) -> np.ndarray:
    """Return bootstrap draws of ``(intercept, *slopes)`` for ``y ~ x`` from resampled moments.

    Parameters
    ----------
    boot : Moments
        Bootstrap moments, means ``(B, p)`` and covariances ``(B, p, p)``.
    x_idx : list of int
        Predictor positions.
    y_idx : int
        Target position.

    Returns
    -------
    numpy.ndarray
        Shape ``(B, 1 + k)``; the OLS fit of each resample.
    """
    x_idx = np.asarray(x_idx)
    slopes = solve_vectors(boot.cov[:, x_idx[:, None], x_idx[None, :]], boot.cov[:, x_idx, y_idx])
    intercept = boot.mean[:, y_idx] - np.sum(boot.mean[:, x_idx] * slopes, axis=1)
    return np.column_stack([intercept, slopes])


@dataclass
class Diagnosis:
    """Everything the driver analysis found, ready for pages, charts and exports.

    Parameters
    ----------
    drivers : list of str
        Driver variables.
    mediator : str or None
        Trust variable; None for an outcome-only analysis.
    outcome : str
        Outcome variable.
    spec : dict
        Variable -> item columns.
    reliability : dict
        Variable -> ``{"items", "alpha"}``.
    scales : dict
        Variable -> answer scale.
    n_total, n_used : int
        Respondents before and after listwise deletion.
    missing : dict
        Variable -> respondents missing it.
    means, sds : dict
        Variable -> mean and SD on the analysed respondents.
    mediator_model : OLSResult or None
        trust ~ drivers.
    outcome_model : OLSResult
        outcome ~ trust + drivers (or outcome ~ drivers without a mediator).
    importance : Importance
        Driver importance for trust (for the outcome without a mediator).
    outcome_importance : Importance or None
        Importance of trust and the drivers for the outcome.
    mediation : MediationResult or None
        Direct and indirect effects per driver.
    robustness : RobustnessCheck or None
        Ordered/binary logit check (ordinal outcomes only).
    warnings : list of DriverWarning
        What the analysis cannot support.
    n_boot, seed : int
        Bootstrap settings.
    draws : dict
        ``"mediator"``/``"outcome"`` -> bootstrap coefficient draws ``(B, 1 + k)``.
    """

    drivers: list[str]
    mediator: str | None
    outcome: str
    spec: dict[str, list[str]]
    reliability: dict[str, dict[str, Any]]
    scales: dict[str, tuple[float, float]]
    n_total: int
    n_used: int
    missing: dict[str, int]
    means: dict[str, float]
    sds: dict[str, float]
    mediator_model: OLSResult | None
    outcome_model: OLSResult
    importance: Importance
    outcome_importance: Importance | None
    mediation: MediationResult | None
    robustness: RobustnessCheck | None
    warnings: list[DriverWarning]
    n_boot: int
    seed: int
    draws: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def n_dropped(self) -> int:
        """Respondents dropped by listwise deletion."""
        return self.n_total - self.n_used

    @property
    def driver_model(self) -> OLSResult:
        """The model whose target the drivers explain: trust ~ drivers, else outcome ~ drivers."""
        return self.mediator_model if self.mediator_model is not None else self.outcome_model

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict of the whole diagnosis (without per-respondent arrays)."""
        optional = {
            "mediator_model": self.mediator_model,
            "outcome_importance": self.outcome_importance,
            "mediation": self.mediation,
            "robustness": self.robustness,
        }
        return jsonable(
            {
                "drivers": self.drivers,
                "mediator": self.mediator,
                "outcome": self.outcome,
                "spec": self.spec,
                "reliability": self.reliability,
                "scales": self.scales,
                "n_total": self.n_total,
                "n_used": self.n_used,
                "n_dropped": self.n_dropped,
                "missing": self.missing,
                "means": self.means,
                "sds": self.sds,
                "outcome_model": self.outcome_model.to_dict(),
                "importance": self.importance.to_dict(),
                "warnings": [w.to_dict() for w in self.warnings],
                "n_boot": self.n_boot,
                "seed": self.seed,
                **{name: None if value is None else value.to_dict() for name, value in optional.items()},
            }
        )


def _is_ordinal(values: np.ndarray) -> bool:
    levels = np.unique(values)
    return bool(np.all(levels == np.round(levels)) and 3 <= len(levels) <= MAX_ORDINAL_LEVELS)


def _robustness(data: AnalysisData, seed: int) -> RobustnessCheck | None:
    """Run the ordinal check on the outcome model when the outcome is an ordinal score."""
    y = data.frame[data.outcome].to_numpy()
    if not _is_ordinal(y):
        return None
    predictors = [*([data.mediator] if data.mediator else []), *data.drivers]
    zero_to_ten = tuple(data.scales[data.outcome]) == tuple(float(v) for v in NPS_SCALE)
    return check_robustness(
        y, data.frame[predictors].to_numpy(), predictors, promoter_logit=zero_to_ten, seed=seed
    )


def _trust_paths(data: AnalysisData, Z: np.ndarray, full: Moments, boot: Moments | None) -> dict[str, Any]:
    """Fit outcome ~ trust + drivers and derive its importance, the mediation and the coefficient draws."""
    k, m_idx, y_idx = len(data.drivers), len(data.drivers), Z.shape[1] - 1
    x_idx, predictors = list(range(k)), [m_idx, *range(k)]
    names = [data.mediator, *data.drivers]
    n = len(Z)
    draws = {}
    if boot is not None:
        draws = {
            "mediator": coefficient_draws(boot, x_idx, m_idx),
            "outcome": coefficient_draws(boot, predictors, y_idx),
        }
    return {
        "outcome_model": fit_ols(Z[:, y_idx], Z[:, predictors], names, data.outcome),
        "outcome_importance": importance_from_moments(full, boot, names, predictors, y_idx, data.outcome, n),
        "mediation": mediation_from_moments(
            full, boot, data.drivers, x_idx, m_idx, y_idx, data.mediator, data.outcome, n
        ),
        "draws": draws,
    }


def diagnose(
    survey: pd.DataFrame,
    drivers: SpecLike = DRIVERS,
    mediator: SpecLike | None = TRUST,
    outcome: SpecLike = RECOMMEND,
    scales: Mapping[str, tuple[int, int]] | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    robustness: bool = True,
) -> Diagnosis:
    """Diagnose which drivers build trust and how trust and drivers move the outcome.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses; NaN is a missing answer.
    drivers : spec
        Driver variables: column names or a spec such as ``"COMP=comp_1+comp_2,service"``.
    mediator : spec or None
        Trust variable (None, or a survey without trust answers, gives an outcome-only analysis).
    outcome : spec
        Outcome variable, by default the 0-10 recommend score.
    scales : mapping or None
        Answer scales per column or variable; inferred from the data when absent.
    bootstrap : int
        Bootstrap replicates for intervals (0 for none).
    seed : int
        Random seed; the same inputs and seed give the same result.
    robustness : bool
        Run the ordered/binary logit check (the slowest step on large samples).

    Returns
    -------
    Diagnosis
    """
    data = prepare_analysis(survey, drivers, mediator, outcome, scales)
    Z = data.frame.to_numpy(dtype=float)
    full = sample_moments(Z)
    boot = bootstrap_moments(Z, bootstrap, seed) if bootstrap else None
    k, y_idx = len(data.drivers), Z.shape[1] - 1
    target_idx = k if data.mediator else y_idx  # what the drivers explain: trust, else the outcome
    target = data.mediator or data.outcome
    driver_model = fit_ols(Z[:, target_idx], Z[:, :k], data.drivers, target)
    importance = importance_from_moments(full, boot, data.drivers, list(range(k)), target_idx, target, len(Z))
    if data.mediator:
        parts = _trust_paths(data, Z, full, boot)
    else:
        draws = {} if boot is None else {"outcome": coefficient_draws(boot, list(range(k)), y_idx)}
        parts = {"outcome_model": driver_model, "outcome_importance": None, "mediation": None, "draws": draws}
    warnings = collect_warnings(
        data.n_total,
        len(Z),
        importance,
        dict(zip(data.drivers, driver_model.vif, strict=True)),
        full.corr()[:k, :k],
        Z[:, y_idx],
        data.scales[data.outcome],
        data.outcome,
    )
    return Diagnosis(
        drivers=data.drivers,
        mediator=data.mediator,
        outcome=data.outcome,
        spec=data.spec,
        reliability=data.reliability,
        scales=data.scales,
        n_total=data.n_total,
        n_used=len(Z),
        missing=data.missing,
        means=dict(zip(data.frame.columns, Z.mean(axis=0).tolist(), strict=True)),
        sds=dict(zip(data.frame.columns, Z.std(axis=0, ddof=1).tolist(), strict=True)),
        mediator_model=driver_model if data.mediator else None,
        importance=importance,
        warnings=warnings,
        n_boot=bootstrap,
        seed=seed,
        robustness=_robustness(data, seed) if robustness else None,
        **parts,
    )
