"""Do the linear-model conclusions survive models that respect a 0-10 outcome?

A 0-10 recommend score is ordinal and bounded, so the OLS outcome model is
an approximation. We refit the same predictors with an ordered logit (all
eleven levels) and a promoter (9-10) vs rest logit, and compare each
predictor's verdict: its sign when significant at 5%, else "not significant".

Statuses per predictor and model:

* ``agree``: same verdict (same sign and both significant, or both not significant);
* ``significance_differs``: only one model finds the effect significant (the other's
  estimate is compatible with zero, whatever its sign);
* ``conflict``: both find it significant, in opposite directions.

The check is ``consistent`` when no predictor is in conflict in any model and
the ordered logit (the closer model; the binary logit throws information away)
agrees on every predictor.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import statsmodels.api as sm
from scipy.special import expit
from statsmodels.miscmodels.ordinal_model import OrderedModel

from loyalty.drivers._util import jsonable, thresholds

#: Ordered logit costs ~2 s at n = 10,000 and grows linearly: larger samples
#: are checked on a random subsample of this size (OLS is refitted on the same rows).
MAX_ROBUST_N = 10_000
PROMOTER_MIN = 9


@dataclass
class ModelVerdicts:
    """Coefficients, p-values and statuses of one robustness model.

    Parameters
    ----------
    model : str
        ``ordered_logit`` or ``promoter_logit``.
    coef, p_value : numpy.ndarray
        Per predictor (log-odds scale).
    status : list of str
        Per predictor, see the module docstring.
    """

    model: str
    coef: np.ndarray
    p_value: np.ndarray
    status: list[str]


@dataclass
class RobustnessCheck:
    """Comparison of OLS verdicts with ordinal and binary models.

    Parameters
    ----------
    predictors : list of str
        Predictor names (mediator first when present, then drivers).
    n : int
        Respondents used (a subsample above ``MAX_ROBUST_N``).
    ols_coef, ols_p : numpy.ndarray
        OLS (HC3) coefficients and p-values on the same rows.
    models : list of ModelVerdicts
        The models that could be fitted.
    failed : list of str
        Models that could not be fitted (no variation, separation, no convergence).
    consistent : bool
        Whether the OLS conclusions hold (see the module docstring).
    """

    predictors: list[str]
    n: int
    ols_coef: np.ndarray
    ols_p: np.ndarray
    models: list[ModelVerdicts] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    consistent: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return jsonable(
            {
                "predictors": self.predictors,
                "n": self.n,
                "consistent": self.consistent,
                "failed": self.failed,
                "ols": {"coef": self.ols_coef, "p_value": self.ols_p},
                "models": [
                    {"model": m.model, "coef": m.coef, "p_value": m.p_value, "status": m.status}
                    for m in self.models
                ],
            }
        )


def verdict_status(ols_coef: float, ols_p: float, coef: float, p_value: float, alpha: float) -> str:
    """Return ``agree``, ``significance_differs`` or ``conflict`` for one predictor.

    Parameters
    ----------
    ols_coef, ols_p : float
        OLS estimate and p-value.
    coef, p_value : float
        The other model's estimate and p-value.
    alpha : float
        Significance level.

    Returns
    -------
    str
    """
    sig_ols, sig_other = ols_p < alpha, p_value < alpha
    if sig_ols != sig_other:
        return "significance_differs"
    if sig_ols and np.sign(ols_coef) != np.sign(coef):
        return "conflict"
    return "agree"


def _fit_quietly(fit) -> Any:
    """Run a statsmodels fit, returning None when it fails or does not converge."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = fit()
        except (np.linalg.LinAlgError, ValueError, ArithmeticError):
            return None
    converged = getattr(result, "mle_retvals", {}).get("converged", True)
    if not converged or not np.all(np.isfinite(result.bse)):
        return None
    return result


class OrderedLogit(OrderedModel):
    """statsmodels' ordered logit with exact first and second derivatives.

    The parent class differentiates the log-likelihood numerically: about 2p
    likelihood evaluations per gradient and p² for the final Hessian, which is
    ~5 s at n = 10,000. The estimator, the likelihood and the optimiser are
    unchanged; only the derivatives are exact, and ~20x faster.

    Parameters: ``(beta (k), tau_0, tau_1..tau_{J-2})`` with cutpoints
    ``c_0 = tau_0`` and ``c_m = tau_0 + sum_{i<=m} exp(tau_i)``.
    """

    def __init__(self, endog: np.ndarray, exog: np.ndarray) -> None:
        super().__init__(endog, exog, distr="logit")

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Logistic cdf (same values as ``scipy.stats.logistic.cdf``, without its overhead)."""
        return expit(x)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Logistic density."""
        p = expit(x)
        return p * (1 - p)

    def _pieces(self, params: np.ndarray) -> dict[str, np.ndarray]:
        """Per-observation first and second derivatives with respect to the bounds u and l."""
        low, upp = self._bounds(params)
        f_u, f_l = expit(upp), expit(low)
        d_u, d_l = f_u * (1 - f_u), f_l * (1 - f_l)
        prob = np.maximum(f_u - f_l, 0) + 1e-20
        return {
            "u": d_u / prob,
            "l": -d_l / prob,
            "uu": d_u * (1 - 2 * f_u) / prob - (d_u / prob) ** 2,
            "ll": -d_l * (1 - 2 * f_l) / prob - (d_l / prob) ** 2,
            "ul": d_u * d_l / prob**2,
        }

    def _cut_jacobian(self, params: np.ndarray) -> np.ndarray:
        """Return d(cutpoints)/d(tau), shape (J-1, J-1)."""
        tau = params[-(self.k_levels - 1) :]
        jac = np.tril(np.ones((len(tau), len(tau)))) * np.concatenate([[1.0], np.exp(tau[1:])])
        jac[:, 0] = 1.0
        return jac

    def _by_cut(self, values: np.ndarray, shift: int) -> np.ndarray:
        """Sum ``values`` into cutpoint slots: slot = level (shift 0, upper) or level - 1 (shift 1, lower)."""
        n_cuts = self.k_levels - 1
        slot = self.endog - shift
        keep = (slot >= 0) & (slot < n_cuts)
        return np.bincount(slot[keep], weights=values[keep], minlength=n_cuts)

    def score(self, params: np.ndarray) -> np.ndarray:
        """Exact gradient of the log-likelihood."""
        d = self._pieces(params)
        d_beta = -self.exog.T @ (d["u"] + d["l"])
        d_cut = self._by_cut(d["u"], 0) + self._by_cut(d["l"], 1)
        return np.concatenate([d_beta, d_cut @ self._cut_jacobian(params)])

    def hessian(self, params: np.ndarray) -> np.ndarray:
        """Exact Hessian of the log-likelihood."""
        d = self._pieces(params)
        n_cuts = self.k_levels - 1
        jac = self._cut_jacobian(params)
        h_bb = (self.exog.T * (d["uu"] + 2 * d["ul"] + d["ll"])) @ self.exog
        # d2/(d eta d c): observation at level j touches c_j (if j < J-1) and c_{j-1} (if j > 0).
        d_eta_cut = np.zeros((len(self.endog), n_cuts))
        rows = np.arange(len(self.endog))
        upper, lower = self.endog < n_cuts, self.endog > 0
        d_eta_cut[rows[upper], self.endog[upper]] = -(d["uu"] + d["ul"])[upper]
        d_eta_cut[rows[lower], self.endog[lower] - 1] = -(d["ul"] + d["ll"])[lower]
        h_bc = self.exog.T @ d_eta_cut
        h_cc = np.diag(self._by_cut(d["uu"], 0) + self._by_cut(d["ll"], 1))
        cross = self._by_cut(d["ul"], 0)[1:]  # pairs (c_j, c_{j-1}) for levels j = 1..J-2
        h_cc[np.arange(1, n_cuts), np.arange(n_cuts - 1)] += cross
        h_cc[np.arange(n_cuts - 1), np.arange(1, n_cuts)] += cross
        grad_cut = self._by_cut(d["u"], 0) + self._by_cut(d["l"], 1)
        curvature = np.concatenate([[0.0], np.exp(params[-n_cuts:][1:]) * grad_cut[::-1].cumsum()[::-1][1:]])
        h_tt = jac.T @ h_cc @ jac + np.diag(curvature)
        h_bt = h_bc @ jac
        return np.block([[h_bb, h_bt], [h_bt.T, h_tt]])


def _ordered(y: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    k = X.shape[1]
    # Standardised predictors give BFGS a well-scaled problem; p-values do not depend on the scale.
    sd = X.std(axis=0)
    result = _fit_quietly(lambda: OrderedLogit(y, X / sd).fit(method="bfgs", disp=False))
    return None if result is None else (np.asarray(result.params[:k]) / sd, np.asarray(result.pvalues[:k]))


def _promoter(y: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    promoter = (y >= PROMOTER_MIN).astype(float)
    if promoter.min() == promoter.max():
        return None
    result = _fit_quietly(lambda: sm.Logit(promoter, sm.add_constant(X)).fit(disp=False, maxiter=100))
    return None if result is None else (np.asarray(result.params[1:]), np.asarray(result.pvalues[1:]))


def check_robustness(
    y: np.ndarray,
    X: np.ndarray,
    predictors: list[str],
    promoter_logit: bool = True,
    seed: int = 0,
    max_n: int | None = MAX_ROBUST_N,
) -> RobustnessCheck:
    """Refit the outcome model as ordered logit and promoter logit and compare verdicts with OLS.

    Parameters
    ----------
    y : numpy.ndarray
        Outcome with integer levels (e.g. 0-10), shape ``(n,)``.
    X : numpy.ndarray
        Predictors without a constant, shape ``(n, k)``.
    predictors : list of str
        Predictor names.
    promoter_logit : bool
        Also fit promoter (9-10) vs rest; only meaningful for a 0-10 outcome.
    seed : int
        Seed of the subsample drawn when ``n > max_n``.
    max_n : int or None
        Largest sample fitted; None for no limit.

    Returns
    -------
    RobustnessCheck
    """
    if max_n is not None and len(y) > max_n:
        rows = np.sort(np.random.default_rng(seed).choice(len(y), size=max_n, replace=False))
        y, X = y[rows], X[rows]
    alpha = thresholds()["alpha"]
    ols = sm.OLS(y, sm.add_constant(X)).fit(cov_type="HC3")
    check = RobustnessCheck(list(predictors), len(y), np.asarray(ols.params[1:]), np.asarray(ols.pvalues[1:]))
    fits = {"ordered_logit": _ordered(y, X)}
    if promoter_logit:
        fits["promoter_logit"] = _promoter(y, X)
    for name, fitted in fits.items():
        if fitted is None:
            check.failed.append(name)
            continue
        status = [
            verdict_status(*args, alpha) for args in zip(check.ols_coef, check.ols_p, *fitted, strict=True)
        ]
        check.models.append(ModelVerdicts(name, fitted[0], fitted[1], status))
    conflicts = any(s == "conflict" for m in check.models for s in m.status)
    ordered_ok = all(s == "agree" for m in check.models if m.model == "ordered_logit" for s in m.status)
    check.consistent = bool(not conflicts and ordered_ok and "ordered_logit" not in check.failed)
    return check
