"""Net Promoter Score: score, adjusted-Wald interval, change test, trend, segments, sample size.

On the 0–10 "how likely are you to recommend us" scale, promoters answer 9–10,
passives 7–8 and detractors 0–6; NPS = 100·(share of promoters − share of detractors).

The interval is the adjusted Wald interval of Rocks (2016): add ¾ to the promoters,
¾ to the detractors and 3 to the sample size (so 1½ to the passives), then

    p = P′/n′,  d = D′/n′,  Var = (p + d − (p − d)²)/n′,  CI = 100·[(p − d) ± z·√Var].

The interval is centred on the *adjusted* NPS 100·(p − d), not on the raw score, so
the raw score is not exactly its midpoint (the pull towards 0 is what buys the
93–96% coverage at small n). Change tests use the adjusted values as well.

"Net Promoter" and "NPS" are trademarks of Bain & Company, Satmetrix and Fred Reichheld.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy.stats import norm

from loyalty.errors import InputError
from loyalty.kpi.periods import (
    DateLike,
    Period,
    check_period,
    day_numbers,
    day_of,
    jsonable,
    period_labels,
    period_ordinals,
    require_columns,
)
from loyalty.schema import DATE, NPS_SCALE, RECOMMEND

Z95 = 1.96
#: Rocks (2016) pseudo-counts: ¾ promoter, ¾ detractor, 3 respondents in all.
_ADD_GROUP, _ADD_TOTAL = 0.75, 3.0
GROUPS: tuple[str, ...] = ("detractors", "passives", "promoters")


def _scores(scores: Iterable[float]) -> np.ndarray:
    """Return the valid answers as floats; NaN dropped, out-of-scale values rejected."""
    if isinstance(scores, pd.Series | pd.Index | np.ndarray):
        values = pd.to_numeric(pd.Series(np.asarray(scores)), errors="coerce").to_numpy(dtype=float)
    else:
        values = np.asarray([np.nan if v is None else v for v in scores], dtype=float)
    values = values[~np.isnan(values)]
    low, high = NPS_SCALE
    bad = values[(values < low) | (values > high)]
    if bad.size:
        raise InputError("kpi.error.nps_range", value=float(bad[0]), low=low, high=high)
    return values


def nps_score(scores: Iterable[float]) -> float:
    """Return the NPS, 100·(share of 9–10 − share of 0–6), ignoring NaN.

    Parameters
    ----------
    scores : iterable of float
        Likelihood-to-recommend answers on the 0–10 scale; NaN means no answer.

    Returns
    -------
    float
        NPS from −100 to 100, or NaN when there is no valid answer.
    """
    values = _scores(scores)
    if values.size == 0:
        return float("nan")
    return float(100.0 * (np.mean(values >= 9) - np.mean(values <= 6)))


def _adjusted_wald(
    promoters: np.ndarray, detractors: np.ndarray, n: np.ndarray, z: float = Z95
) -> dict[str, np.ndarray]:
    """Return raw NPS, adjusted NPS, adjusted variance and the clipped interval (vectorised).

    Counts may be arrays (one entry per period or segment). Entries with n = 0 are NaN.
    """
    promoters, detractors, n = (np.asarray(x, dtype=float) for x in (promoters, detractors, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(n > 0, 100.0 * (promoters - detractors) / n, np.nan)
        n_adj = n + _ADD_TOTAL
        p = (promoters + _ADD_GROUP) / n_adj
        d = (detractors + _ADD_GROUP) / n_adj
        variance = np.where(n > 0, (p + d - (p - d) ** 2) / n_adj, np.nan)
        adjusted = np.where(n > 0, 100.0 * (p - d), np.nan)
        half = 100.0 * z * np.sqrt(variance)
    return {
        "value": raw,
        "adjusted": adjusted,
        "variance": variance,
        "lo": np.clip(adjusted - half, -100.0, 100.0),
        "hi": np.clip(adjusted + half, -100.0, 100.0),
        "margin": half,
    }


@dataclass(frozen=True)
class NPSResult:
    """An NPS with its adjusted-Wald interval and the counts behind it.

    Parameters
    ----------
    value : float
        Raw NPS, 100·(P − D)/n.
    adjusted : float
        Adjusted NPS 100·(P′ − D′)/n′, the centre of the interval.
    ci95 : tuple of float
        Interval (lo, hi) in NPS points, clipped to [−100, 100].
    margin : float
        Half-width of the interval before clipping, in NPS points.
    variance : float
        Adjusted variance of (p − d), in proportion units (used by change tests).
    n : int
        Valid answers.
    promoters, passives, detractors : int
        Counts of answers 9–10, 7–8 and 0–6.
    shares : dict
        ``{"promoters", "passives", "detractors"}`` -> share of n.
    distribution : tuple of int or None
        Count per score 0..10 (answers rounded to whole points); None when built from counts.
    z : float
        Critical value used for the interval.
    """

    value: float
    adjusted: float
    ci95: tuple[float, float]
    margin: float
    variance: float
    n: int
    promoters: int
    passives: int
    detractors: int
    shares: dict[str, float]
    distribution: tuple[int, ...] | None = None
    z: float = Z95

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-friendly Python (NaN -> None)."""
        return jsonable(self)


def nps_from_counts(
    promoters: int,
    passives: int,
    detractors: int,
    z: float = Z95,
    distribution: tuple[int, ...] | None = None,
) -> NPSResult:
    """Return the NPS result of given group counts.

    Parameters
    ----------
    promoters, passives, detractors : int
        Counts of answers 9–10, 7–8 and 0–6.
    z : float
        Critical value of the interval (1.96 for 95%).
    distribution : tuple of int, optional
        Count per score 0..10, kept as is.

    Returns
    -------
    NPSResult
        Raw and adjusted NPS with the adjusted-Wald interval.
    """
    if min(promoters, passives, detractors) < 0:
        raise InputError("kpi.error.negative_count")
    n = promoters + passives + detractors
    stats = {k: float(v) for k, v in _adjusted_wald(promoters, detractors, n, z).items()}
    shares = {
        "promoters": promoters / n if n else math.nan,
        "passives": passives / n if n else math.nan,
        "detractors": detractors / n if n else math.nan,
    }
    return NPSResult(
        value=stats["value"],
        adjusted=stats["adjusted"],
        ci95=(stats["lo"], stats["hi"]),
        margin=stats["margin"],
        variance=stats["variance"],
        n=int(n),
        promoters=int(promoters),
        passives=int(passives),
        detractors=int(detractors),
        shares=shares,
        distribution=distribution,
        z=z,
    )


def nps(scores: Iterable[float], z: float = Z95) -> NPSResult:
    """Return the NPS of a set of answers with its adjusted-Wald interval.

    Parameters
    ----------
    scores : iterable of float
        Answers on the 0–10 scale; NaN is ignored.
    z : float
        Critical value of the interval (1.96 for 95%).

    Returns
    -------
    NPSResult
        Score, interval, counts, shares and the 0..10 distribution.
    """
    values = _scores(scores)
    distribution = tuple(int(c) for c in np.bincount(np.rint(values).astype(np.int64), minlength=11))
    return nps_from_counts(
        promoters=int(np.sum(values >= 9)),
        passives=int(np.sum((values > 6) & (values < 9))),
        detractors=int(np.sum(values <= 6)),
        z=z,
        distribution=distribution,
    )


class NPSChange(NamedTuple):
    """Difference between two NPS values and its two-sided z-test.

    ``delta`` is adjusted NPS of ``b`` minus that of ``a``, in points.
    """

    delta: float
    z: float
    p_value: float

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON-friendly Python."""
        return jsonable(self._asdict())


def _as_result(value: NPSResult | Iterable[float]) -> NPSResult:
    """Return ``value`` as an NPSResult (answers are scored)."""
    return value if isinstance(value, NPSResult) else nps(value)


def nps_change(a: NPSResult | Iterable[float], b: NPSResult | Iterable[float]) -> NPSChange:
    """Test the change from NPS ``a`` to NPS ``b`` (two periods or two segments).

    z = (NPS_b − NPS_a)/√(Var_a + Var_b), both on the adjusted values.

    Parameters
    ----------
    a, b : NPSResult or iterable of float
        The two groups, as results or as raw answers.

    Returns
    -------
    NPSChange
        ``(delta, z, p_value)``; delta in NPS points, p-value two-sided. NaN when a
        group has no answers.
    """
    first, second = _as_result(a), _as_result(b)
    delta = second.adjusted - first.adjusted
    se = 100.0 * math.sqrt(first.variance + second.variance) if first.n and second.n else math.nan
    z = delta / se if se and not math.isnan(se) else math.nan
    p_value = float(2.0 * norm.sf(abs(z))) if not math.isnan(z) else math.nan
    return NPSChange(delta=float(delta), z=float(z), p_value=p_value)


def _grouped(codes: np.ndarray, values: np.ndarray, groups: int, min_n: int) -> pd.DataFrame:
    """Return n, value, adjusted, lo, hi, too_small per group code (vectorised)."""
    promoters = np.bincount(codes, weights=values >= 9, minlength=groups)
    detractors = np.bincount(codes, weights=values <= 6, minlength=groups)
    n = np.bincount(codes, minlength=groups)
    stats = _adjusted_wald(promoters, detractors, n)
    return pd.DataFrame(
        {
            "n": n.astype(np.int64),
            "value": stats["value"],
            "adjusted": stats["adjusted"],
            "lo": stats["lo"],
            "hi": stats["hi"],
            "too_small": n < min_n,
        }
    )


def _valid_answers(survey: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Return the survey rows with an answer and values in ``columns``; range checked."""
    require_columns(survey, (RECOMMEND, *columns))
    rows = survey.loc[survey[RECOMMEND].notna() & survey[list(columns)].notna().all(axis=1)]
    _scores(rows[RECOMMEND])  # raises on out-of-scale answers
    return rows


def nps_trend(
    survey: pd.DataFrame,
    period: Period = "month",
    min_n: int = 30,
    start: DateLike = None,
    end: DateLike = None,
) -> pd.DataFrame:
    """Return the NPS per calendar period with its interval.

    Answers without a date are left out (a trend cannot place them).

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses with ``recommend`` and ``date``.
    period : {"month", "quarter", "year"}
        Calendar period.
    min_n : int
        Periods with fewer answers are flagged ``too_small``.
    start, end : date-like, optional
        Window of answer dates (inclusive days).

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (label), ``period_start``, ``n``, ``value``, ``adjusted``,
        ``lo``, ``hi``, ``too_small``; one row per period with answers, in time order.
    """
    check_period(period)
    rows = _valid_answers(survey, DATE)
    days = day_numbers(rows[DATE])
    keep = np.ones(len(days), dtype=bool)
    if start is not None:
        keep &= days >= day_of(start)
    if end is not None:
        keep &= days <= day_of(end)
    ordinals = period_ordinals(days[keep], period)
    uniques, codes = np.unique(ordinals, return_inverse=True)
    values = rows[RECOMMEND].to_numpy(dtype=float)[keep]
    table = _grouped(codes, values, len(uniques), min_n)
    labels, starts = period_labels(uniques, period)
    table.insert(0, "period_start", starts)
    table.insert(0, "period", labels)
    return table


def nps_by_segment(survey: pd.DataFrame, column: str, min_n: int = 30) -> pd.DataFrame:
    """Return the NPS per segment, ranking only the segments with enough answers.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses with ``recommend`` and the segment column.
    column : str
        Segment column (e.g. ``segment``, ``country``); rows without a value are left out.
    min_n : int
        Segments with fewer answers are flagged ``too_small`` and get no rank: their
        interval is too wide for an order to mean anything.

    Returns
    -------
    pandas.DataFrame
        Columns ``segment``, ``n``, ``value``, ``adjusted``, ``lo``, ``hi``,
        ``too_small``, ``rank`` (1 = highest NPS; NaN when too small), sorted by rank
        with the too-small segments last.
    """
    rows = _valid_answers(survey, column)
    codes, segments = pd.factorize(rows[column].astype(str), sort=True)
    table = _grouped(codes, rows[RECOMMEND].to_numpy(dtype=float), len(segments), min_n)
    table.insert(0, "segment", list(segments))
    ranked = table["value"].where(~table["too_small"])
    table["rank"] = ranked.rank(ascending=False, method="min")
    return table.sort_values(["too_small", "rank", "segment"], kind="stable").reset_index(drop=True)


def _variance(promoters_share: float | None, detractors_share: float | None) -> float:
    """Return p + d − (p − d)²; the worst case 1 (half promoters, half detractors) when not given."""
    if promoters_share is None and detractors_share is None:
        return 1.0
    if promoters_share is None or detractors_share is None:
        raise InputError("kpi.error.shares_pair")
    p, d = float(promoters_share), float(detractors_share)
    if p < 0 or d < 0 or p + d > 1:
        raise InputError("kpi.error.shares_range", promoters=p, detractors=d)
    return p + d - (p - d) ** 2


def nps_margin(
    n: int, promoters_share: float | None = None, detractors_share: float | None = None, z: float = Z95
) -> float:
    """Return the expected margin of error (NPS points) at ``n`` answers, with n′ = n + 3.

    Parameters
    ----------
    n : int
        Number of answers.
    promoters_share, detractors_share : float, optional
        Expected shares; both None means the worst case (Var = 1).
    z : float
        Critical value.

    Returns
    -------
    float
        Half-width z·√(Var/(n + 3)) in points (19.3 at n = 100 worst case; the plain
        Wald figure with n instead of n + 3 is 19.6).
    """
    return 100.0 * z * math.sqrt(_variance(promoters_share, detractors_share) / (n + _ADD_TOTAL))


def nps_sample_size(
    margin: float, promoters_share: float | None = None, detractors_share: float | None = None, z: float = Z95
) -> int:
    """Return the answers needed for a margin of error of ``margin`` NPS points.

    n = z²·Var/E² − 3 (the inverse of the adjusted-Wald margin), rounded up.

    Parameters
    ----------
    margin : float
        Wanted half-width in NPS points (5 means ±5).
    promoters_share, detractors_share : float, optional
        Expected shares; both None means the worst case (Var = 1).
    z : float
        Critical value.

    Returns
    -------
    int
        Answers needed (±5: 1,534 worst case, 858 at 40% promoters / 20% detractors).
    """
    if not margin > 0:
        raise InputError("kpi.error.positive", name="margin", value=margin)
    error = margin / 100.0
    needed = z**2 * _variance(promoters_share, detractors_share) / error**2 - _ADD_TOTAL
    return max(1, math.ceil(needed - 1e-9))


def nps_sample_size_for_change(
    delta: float,
    promoters_share: float | None = None,
    detractors_share: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
) -> int:
    """Return the answers needed per group to detect a change of ``delta`` NPS points.

    n = (z₁₋α/₂ + z_power)²·2·Var/δ² − 3, the two-group z-test of :func:`nps_change`
    with equal groups and the same expected shares in both. 10 points at 40/20 with
    α = 0.05 and 80% power takes 877 per group; the worst case (Var = 1) takes 1,567.

    Parameters
    ----------
    delta : float
        Change to detect, in NPS points.
    promoters_share, detractors_share : float, optional
        Expected shares; both None means the worst case (Var = 1).
    alpha : float
        Two-sided significance level.
    power : float
        Probability of detecting a true change of ``delta``.

    Returns
    -------
    int
        Answers needed in each group.
    """
    if not delta > 0:
        raise InputError("kpi.error.positive", name="delta", value=delta)
    if not (0 < alpha < 1 and 0 < power < 1):
        raise InputError("kpi.error.probability")
    z_sum = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    needed = z_sum**2 * 2 * _variance(promoters_share, detractors_share) / (delta / 100.0) ** 2 - _ADD_TOTAL
    return max(1, math.ceil(needed - 1e-9))
