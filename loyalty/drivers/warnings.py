"""Plain-language warnings about what a driver analysis can and cannot support.

Each warning is a stable code plus parameters; its text is the catalog entry
``drivers.warning.<code>``. Thresholds and the small-sample table are data
(``thresholds.json``, from REFERENCE.md §3).

Codes:

* ``small_sample_ranking``: n < 200; at n = 100 the top driver is right only ~65% of the time.
* ``careful_sample_ranking``: 200 <= n < 500; rankings still flip in about one run in ten.
* ``overlapping_importance``: the top two drivers' bootstrap intervals overlap.
* ``collinear_drivers``: a VIF above 5 or a driver correlation above 0.8.
* ``low_outcome_variance``: outcome SD under 5% of its scale, or over 90% giving one answer.
* ``many_missing``: listwise deletion dropped more than 20% of respondents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from loyalty.drivers._util import jsonable, label, thresholds
from loyalty.drivers.importance import Importance
from loyalty.i18n import format_number, format_percent, t

#: Parameters holding variable names (shown as their labels) and fractions (shown as percentages).
_NAME_PARAMS = frozenset({"first", "second", "outcome", "drivers"})
_PERCENT_PARAMS = frozenset({"share", "accuracy_100", "accuracy_200", "accuracy_500"})


@dataclass(frozen=True)
class DriverWarning:
    """One warning: a code and the values its message needs.

    Parameters
    ----------
    code : str
        Stable code (see the module docstring).
    params : dict
        Raw values: names, counts, fractions.
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """Return the warning in ``lang``, with labels and locale-formatted numbers."""
        shown: dict[str, Any] = {}
        for key, value in self.params.items():
            if key in _NAME_PARAMS:
                names = value if isinstance(value, (list, tuple)) else [value]
                # Quoted: a label such as "Empathy and service" must not run into the sentence's own "and".
                shown[key] = ", ".join(t("drivers.quoted", lang, name=label(v, lang)) for v in names)
            elif key in _PERCENT_PARAMS:
                shown[key] = format_percent(value, lang, 0)
            elif isinstance(value, (int, np.integer)):
                shown[key] = format_number(int(value), lang)
            elif isinstance(value, (float, np.floating)):
                shown[key] = format_number(float(value), lang, 2)
            else:
                shown[key] = value
        return t(f"drivers.warning.{self.code}", lang, **shown)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return jsonable({"code": self.code, "params": self.params})


def _accuracy(n: int) -> float:
    table = {row["n"]: row["top_correct"] for row in thresholds()["ranking_accuracy"]}
    return table[n]


def check_sample_size(n: int) -> list[DriverWarning]:
    """Warn when a driver ranking from ``n`` respondents is unreliable.

    Parameters
    ----------
    n : int
        Respondents analysed.

    Returns
    -------
    list of DriverWarning
    """
    limits = thresholds()
    params = {
        "n": int(n),
        "accuracy_100": _accuracy(100),
        "accuracy_200": _accuracy(200),
        "accuracy_500": _accuracy(500),
    }
    if n < limits["small_sample_n"]:
        return [DriverWarning("small_sample_ranking", params)]
    if n < limits["careful_sample_n"]:
        return [DriverWarning("careful_sample_ranking", params)]
    return []


def check_overlap(importance: Importance) -> list[DriverWarning]:
    """Warn when the two most important drivers' intervals overlap (no bootstrap: no check).

    Parameters
    ----------
    importance : Importance
        Result with bootstrap intervals.

    Returns
    -------
    list of DriverWarning
    """
    if importance.ci_low is None or len(importance.drivers) < 2:
        return []
    order = np.argsort(-importance.share, kind="stable")
    first, second = order[0], order[1]
    if importance.ci_low[first] > importance.ci_high[second]:
        return []
    p_top = float(importance.p_top[first]) if importance.p_top is not None else float("nan")
    return [
        DriverWarning(
            "overlapping_importance",
            {"first": importance.drivers[first], "second": importance.drivers[second], "share": p_top},
        )
    ]


def check_collinearity(names: Sequence[str], vif: Sequence[float], corr: np.ndarray) -> list[DriverWarning]:
    """Warn when drivers overlap so much that their separate effects are hard to tell apart.

    Parameters
    ----------
    names : sequence of str
        Driver names.
    vif : sequence of float
        Variance inflation factor per driver.
    corr : numpy.ndarray
        Driver correlation matrix ``(k, k)``.

    Returns
    -------
    list of DriverWarning
    """
    limits = thresholds()
    vif = np.asarray(vif, dtype=float)
    off_diagonal = np.abs(corr - np.diag(np.diag(corr)))
    flagged = {names[i] for i in np.flatnonzero(vif > limits["max_vif"])}
    pairs = np.argwhere(np.triu(off_diagonal > limits["max_pairwise_r"], 1))
    flagged |= {names[i] for pair in pairs for i in pair}
    if not flagged:
        return []
    return [
        DriverWarning(
            "collinear_drivers",
            {
                "drivers": [n for n in names if n in flagged],
                "max_vif": float(np.nanmax(vif)) if len(vif) else 1.0,
                "max_r": float(off_diagonal.max()) if off_diagonal.size else 0.0,
            },
        )
    ]


def check_outcome_variance(
    values: np.ndarray, scale: tuple[float, float], outcome: str
) -> list[DriverWarning]:
    """Warn when the outcome barely varies, so there is little for drivers to explain.

    Parameters
    ----------
    values : numpy.ndarray
        Outcome values of the analysed respondents.
    scale : tuple of float
        The outcome's answer scale.
    outcome : str
        Outcome name.

    Returns
    -------
    list of DriverWarning
    """
    limits = thresholds()
    sd = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    _, counts = np.unique(values, return_counts=True)
    top_share = float(counts.max() / len(values)) if len(values) else 1.0
    span = max(float(scale[1] - scale[0]), 1e-12)
    if sd >= limits["min_outcome_sd_share"] * span and top_share <= limits["max_single_value_share"]:
        return []
    return [DriverWarning("low_outcome_variance", {"outcome": outcome, "sd": sd, "share": top_share})]


def check_missing(n_total: int, n_used: int) -> list[DriverWarning]:
    """Warn when listwise deletion dropped many respondents (the rest may not be representative).

    Parameters
    ----------
    n_total : int
        Respondents in the survey.
    n_used : int
        Respondents with every analysed answer.

    Returns
    -------
    list of DriverWarning
    """
    dropped = n_total - n_used
    if n_total == 0 or dropped / n_total <= thresholds()["max_dropped_share"]:
        return []
    return [
        DriverWarning(
            "many_missing", {"dropped": int(dropped), "total": int(n_total), "share": dropped / n_total}
        )
    ]


def collect_warnings(
    n_total: int,
    n_used: int,
    importance: Importance,
    driver_vif: Mapping[str, float],
    driver_corr: np.ndarray,
    outcome_values: np.ndarray,
    outcome_scale: tuple[float, float],
    outcome: str,
) -> list[DriverWarning]:
    """Run every check and return the warnings that apply, most serious first.

    Parameters
    ----------
    n_total, n_used : int
        Respondents before and after listwise deletion.
    importance : Importance
        The headline importance result.
    driver_vif : mapping
        Driver -> VIF in the drivers-only model.
    driver_corr : numpy.ndarray
        Driver correlation matrix.
    outcome_values : numpy.ndarray
        Analysed outcome values.
    outcome_scale : tuple of float
        Outcome scale.
    outcome : str
        Outcome name.

    Returns
    -------
    list of DriverWarning
    """
    names = list(driver_vif)
    return [
        *check_sample_size(n_used),
        *check_overlap(importance),
        *check_collinearity(names, [driver_vif[n] for n in names], driver_corr),
        *check_outcome_variance(outcome_values, outcome_scale, outcome),
        *check_missing(n_total, n_used),
    ]
