"""Does trust pay? Compare what promoters and high-trust customers actually do.

Survey answers are matched to customer metrics (computed by the caller from
transactions: repeat purchase, revenue, CLV, P(alive)) by customer id. For
each metric we compare NPS groups (promoters 9-10, passives 7-8, detractors
0-6) and trust tertiles (the lowest, middle and highest third of trust
answers), with 95% intervals: Wilson for proportions (bool or 0/1 metrics),
Student t for means.

A customer who answered more than once counts once, with their latest answer
(by date when the survey has dates, else the last row).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from loyalty.errors import InputError
from loyalty.schema import CUSTOMER_ID, DATE, RECOMMEND, TRUST

Z95 = 1.959963984540054
NPS_GROUPS: tuple[str, ...] = ("detractor", "passive", "promoter")
TERTILES: tuple[str, ...] = ("low", "middle", "high")
COLUMNS: tuple[str, ...] = ("grouping", "group", "metric", "kind", "n", "estimate", "ci_low", "ci_high")


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Return the Wilson score interval for a proportion.

    Parameters
    ----------
    successes : int
        Count of successes.
    n : int
        Trials.
    z : float
        Normal quantile (1.96 for 95%).

    Returns
    -------
    tuple of float
        ``(low, high)``; NaN for n = 0.
    """
    if n == 0:
        return float("nan"), float("nan")
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return float(centre - half), float(centre + half)


def mean_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Return the Student t interval of a mean (NaN with fewer than two values)."""
    n = len(values)
    if n < 2:
        return float("nan"), float("nan")
    half = stats.t.ppf(0.5 + level / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)
    return float(values.mean() - half), float(values.mean() + half)


def _is_proportion(values: pd.Series) -> bool:
    observed = values.dropna()
    return values.dtype == bool or (len(observed) > 0 and bool(observed.isin([0, 1]).all()))


def _latest_answers(survey: pd.DataFrame) -> pd.DataFrame:
    """Return one survey row per customer: the latest answer."""
    if CUSTOMER_ID not in survey.columns:
        raise InputError("drivers.error.no_customer_id")
    rows = survey[survey[CUSTOMER_ID].notna()].copy()
    rows[CUSTOMER_ID] = rows[CUSTOMER_ID].astype(str)
    if DATE in rows.columns:
        rows = rows.sort_values(DATE, kind="stable", na_position="first")
    return rows.drop_duplicates(CUSTOMER_ID, keep="last").set_index(CUSTOMER_ID)


def nps_group(scores: pd.Series) -> pd.Series:
    """Return ``promoter``/``passive``/``detractor`` per 0-10 score (NaN stays missing)."""
    groups = pd.Series(pd.NA, index=scores.index, dtype=object)
    groups[scores >= 9] = "promoter"
    groups[(scores >= 7) & (scores < 9)] = "passive"
    groups[scores <= 6] = "detractor"
    return groups


def trust_tertile(trust: pd.Series) -> pd.Series:
    """Return ``low``/``middle``/``high`` thirds of the trust answers.

    Ratings have many ties, so equal thirds come from ranks with ties broken
    by row order; a tie group can straddle a border.
    """
    groups = pd.Series(pd.NA, index=trust.index, dtype=object)
    answered = trust.dropna()
    if len(answered) >= 3:
        cut = pd.qcut(answered.rank(method="first"), 3, labels=list(TERTILES))
        groups[answered.index] = cut.astype(str)
    return groups


def _compare(groups: pd.Series, metrics: pd.DataFrame, grouping: str, order: tuple[str, ...]) -> list[dict]:
    rows = []
    for metric in metrics.columns:
        proportion = _is_proportion(metrics[metric])
        for group in order:
            values = metrics.loc[groups == group, metric].dropna().astype(float).to_numpy()
            n = len(values)
            estimate = float(values.mean()) if n else float("nan")
            low, high = wilson_interval(int(values.sum()), n) if proportion else mean_interval(values)
            rows.append(
                {
                    "grouping": grouping,
                    "group": group,
                    "metric": metric,
                    "kind": "proportion" if proportion else "mean",
                    "n": n,
                    "estimate": estimate,
                    "ci_low": low,
                    "ci_high": high,
                }
            )
    return rows


def trust_pays(survey: pd.DataFrame, customer_metrics: pd.DataFrame) -> pd.DataFrame:
    """Compare customer metrics across NPS groups and trust tertiles.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey with ``customer_id`` and ``recommend`` and/or ``trust``.
    customer_metrics : pandas.DataFrame
        Indexed by customer id; numeric or bool columns such as ``repeat``,
        ``revenue``, ``clv``, ``p_alive``.

    Returns
    -------
    pandas.DataFrame
        Columns ``grouping`` (``nps_group``/``trust_tertile``), ``group``,
        ``metric``, ``kind`` (``proportion``/``mean``), ``n``, ``estimate``,
        ``ci_low``, ``ci_high``. ``attrs["n_matched"]`` holds the number of
        surveyed customers found in the metrics, ``attrs["n_surveyed"]`` the
        number of surveyed customers.
    """
    answers = _latest_answers(survey)
    n_surveyed = len(answers)
    metrics = customer_metrics.copy()
    metrics.index = metrics.index.astype(str)
    metrics = metrics[
        [c for c in metrics.columns if metrics[c].dtype == bool or pd.api.types.is_numeric_dtype(metrics[c])]
    ]
    matched = answers.index.intersection(metrics.index)
    if len(matched) == 0:
        raise InputError("drivers.error.no_match")
    answers, metrics = answers.loc[matched], metrics.loc[matched]
    rows: list[dict] = []
    if RECOMMEND in answers.columns:
        scores = pd.to_numeric(answers[RECOMMEND], errors="coerce")
        rows += _compare(nps_group(scores), metrics, "nps_group", NPS_GROUPS)
    if TRUST in answers.columns:
        rows += _compare(
            trust_tertile(pd.to_numeric(answers[TRUST], errors="coerce")), metrics, "trust_tertile", TERTILES
        )
    result = pd.DataFrame(rows, columns=list(COLUMNS))
    result.attrs["n_matched"] = len(matched)
    result.attrs["n_surveyed"] = n_surveyed
    return result
