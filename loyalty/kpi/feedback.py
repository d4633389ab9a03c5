"""Customer-feedback KPI: rating summaries with intervals, comment themes and their NPS impact.

Ratings (trust, the five trust drivers, repurchase intent) are summarised per field: the mean
with a 95% t-interval, the mean rescaled to 0–100, and the top-box share with a Wilson
interval. Top box means the top answer of a scale with up to five points (5 on 1–5) and the
top two answers of longer scales (6–7 on 1–7, 9–10 on 1–10 and 0–10).

Comments are tagged offline (:mod:`loyalty.text`). A theme's **NPS impact** is the NPS of all
respondents minus the NPS of the respondents who did not mention it. The base is every
respondent with a recommend score, commenters or not, so impacts of different themes share
one baseline; a negative impact means the theme pulls the NPS down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from loyalty.errors import InputError
from loyalty.i18n import t
from loyalty.kpi.nps import nps_score
from loyalty.kpi.periods import jsonable, require_columns
from loyalty.schema import COMMENT, DRIVERS, RATING_SCALES, RECOMMEND, REPURCHASE_INTENT, TRUST
from loyalty.text import has_text, sentiment_column, tag_comments, themes

Z95 = 1.96
#: Fewer answers than this and a figure is flagged as too small to rely on.
MIN_N = 30
DEFAULT_FIELDS: tuple[str, ...] = (TRUST, *DRIVERS, REPURCHASE_INTENT)
NPS_GROUPS: tuple[str, ...] = ("promoter", "passive", "detractor")

Scale = tuple[int, int]


# --- intervals ---------------------------------------------------------------------


def wilson_interval(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Return the Wilson score interval of a proportion.

    Parameters
    ----------
    successes : float
        Number of successes.
    n : float
        Number of trials.
    z : float
        Normal quantile (1.96 for 95%).

    Returns
    -------
    tuple of float
        ``(low, high)`` in [0, 1]; NaNs when ``n`` is 0. Unlike the plain Wald interval it
        stays inside [0, 1] and keeps its coverage near 0% and 100%.
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return (max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Return the mean and its Student-t interval.

    Parameters
    ----------
    values : numpy.ndarray
        Answers without NaN.
    level : float
        Confidence level.

    Returns
    -------
    tuple of float
        ``(mean, low, high)``; the bounds are NaN below two answers.
    """
    n = values.size
    if n == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(values.mean())
    if n < 2:
        return (mean, math.nan, math.nan)
    half = float(student_t.ppf(0.5 + level / 2, n - 1)) * float(values.std(ddof=1)) / math.sqrt(n)
    return (mean, mean - half, mean + half)


# --- ratings -----------------------------------------------------------------------


def top_box_threshold(scale: Scale) -> int:
    """Return the lowest answer that counts as top box on ``scale``.

    The top answer on scales of up to five points, the top two on longer ones:
    5 on 1–5, 6 on 1–7, 9 on 1–10 and on 0–10.
    """
    low, high = scale
    return high if high - low + 1 <= 5 else high - 1


def _scale(field: str, values: np.ndarray, scales: dict[str, Scale]) -> Scale:
    """Return the field's scale: the given one, else the first standard scale that holds the data."""
    if field in scales:
        scale = (int(scales[field][0]), int(scales[field][1]))
    else:
        fitting = [s for s in RATING_SCALES if values.size and s[0] <= values.min() and values.max() <= s[1]]
        if not fitting:
            raise InputError("feedback.error.no_scale", field=field)
        scale = fitting[0]
    outside = values[(values < scale[0]) | (values > scale[1])]
    if outside.size:
        raise InputError(
            "feedback.error.out_of_scale", field=field, value=float(outside[0]), low=scale[0], high=scale[1]
        )
    return scale


def rescale(value: float, scale: Scale) -> float:
    """Return a value of ``scale`` on 0–100: (value − min) / (max − min)·100."""
    low, high = scale
    return 100.0 * (value - low) / (high - low)


def _field_row(values: np.ndarray, n_missing: int, scale: Scale) -> dict[str, float | int | bool]:
    low, high = scale
    mean, mean_low, mean_high = mean_interval(values)
    threshold = top_box_threshold(scale)
    top = int((values >= threshold).sum())
    top_low, top_high = wilson_interval(top, values.size)
    return {
        "scale_min": low,
        "scale_max": high,
        "n": int(values.size),
        "n_missing": n_missing,
        "mean": mean,
        "mean_low": mean_low,
        "mean_high": mean_high,
        "score": rescale(mean, scale),
        "score_low": rescale(mean_low, scale),
        "score_high": rescale(mean_high, scale),
        "top_box_from": threshold,
        "top_box_n": top,
        "top_box": top / values.size if values.size else math.nan,
        "top_box_low": top_low,
        "top_box_high": top_high,
        "small_sample": values.size < MIN_N,
    }


def driver_summary(
    survey: pd.DataFrame, scales: dict[str, Scale], fields: Iterable[str] = DEFAULT_FIELDS
) -> pd.DataFrame:
    """Summarise rating fields: mean with CI, 0–100 score, top-box share with Wilson CI.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses.
    scales : dict
        Field -> ``(min, max)`` of its rating scale. A field without an entry gets the
        first of :data:`loyalty.schema.RATING_SCALES` that holds its data.
    fields : iterable of str
        Fields to summarise. Fields absent from ``survey`` are skipped, and so are fields
        without any answer whose scale is not given.

    Returns
    -------
    pandas.DataFrame
        Indexed by field: ``scale_min``, ``scale_max``, ``n`` (answers), ``n_missing``,
        ``mean`` with ``mean_low``/``mean_high`` (95% t-interval), ``score`` = (mean − min) /
        (max − min)·100 with ``score_low``/``score_high``, ``top_box_from`` (lowest top-box
        answer), ``top_box_n``, ``top_box`` share with ``top_box_low``/``top_box_high``
        (95% Wilson) and ``small_sample`` (fewer than :data:`MIN_N` answers).

    Raises
    ------
    InputError
        When a value lies outside its field's scale or no standard scale holds the data.
    """
    rows = {}
    for field in (f for f in fields if f in survey.columns):
        column = pd.to_numeric(survey[field], errors="coerce").to_numpy(dtype=float)
        values = column[~np.isnan(column)]
        if values.size == 0 and field not in scales:
            continue  # an empty column of unknown scale has nothing to report
        rows[field] = _field_row(values, int(np.isnan(column).sum()), _scale(field, values, scales))
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "field"
    return frame


# --- comments and NPS --------------------------------------------------------------


def nps_groups(scores: pd.Series) -> pd.Series:
    """Return ``"promoter"`` (9–10), ``"passive"`` (7–8) or ``"detractor"`` (0–6) per score.

    Parameters
    ----------
    scores : pandas.Series
        Answers on the 0–10 scale; NaN stays missing.

    Returns
    -------
    pandas.Series
        The group of each answer, indexed like ``scores``.
    """
    values = pd.to_numeric(scores, errors="coerce")
    groups = np.select([values >= 9, values >= 7, values >= 0], list(NPS_GROUPS), default="")
    return pd.Series(groups, index=scores.index, dtype="str").where(values.notna())


def _tags(survey: pd.DataFrame, lang: str | None, tags: pd.DataFrame | None) -> pd.DataFrame:
    require_columns(survey, (COMMENT,))
    if tags is None:
        return tag_comments(survey[COMMENT], lang)
    if not tags.index.equals(survey.index):
        raise ValueError("tags must be tag_comments(survey[COMMENT]), indexed like the survey")
    return tags


def _theme_row(mentions: pd.Series, sentiment: pd.Series, scores: pd.Series, nps_all: float) -> dict:
    scored = scores.notna()
    n_scored = int((mentions & scored).sum())
    nps_others = nps_score(scores[~mentions & scored])
    return {
        "mentions": int(mentions.sum()),
        "positive": int((mentions & (sentiment > 0)).sum()),
        "neutral": int((mentions & (sentiment == 0)).sum()),
        "negative": int((mentions & (sentiment < 0)).sum()),
        "n_scored": n_scored,
        "nps_mentioners": nps_score(scores[mentions & scored]),
        "nps_others": nps_others,
        "nps_impact": nps_all - nps_others,
        "small_sample": n_scored < MIN_N,
    }


def theme_summary(
    survey: pd.DataFrame, lang: str | None = None, tags: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Count comment themes and measure what each does to the NPS.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses with ``recommend`` and ``comment``.
    lang : str, optional
        Expected language of the comments (see :func:`loyalty.text.tag_comments`).
    tags : pandas.DataFrame, optional
        Output of ``tag_comments(survey[COMMENT])``, to avoid tagging twice.

    Returns
    -------
    pandas.DataFrame
        Indexed by theme: ``mentions`` (comments mentioning it), ``share`` (of commenters),
        ``positive``/``neutral``/``negative`` mentions, ``n_scored`` (mentioners with a
        recommend score), ``nps_mentioners``, ``nps_others`` (respondents with a score who
        did not mention it, non-commenters included), ``nps_impact`` = NPS of all respondents
        with a score − ``nps_others``, ``n_base`` (respondents with a score, the base of the
        impact) and ``small_sample`` (fewer than :data:`MIN_N` scored mentioners).
    """
    require_columns(survey, (RECOMMEND,))
    tags = _tags(survey, lang, tags)
    scores = pd.to_numeric(survey[RECOMMEND], errors="coerce")
    nps_all = nps_score(scores)
    commenters = int(has_text(survey[COMMENT]).sum())
    rows = {
        theme: _theme_row(tags[theme].astype(bool), tags[sentiment_column(theme)], scores, nps_all)
        for theme in themes()
    }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.insert(1, "share", frame["mentions"] / commenters if commenters else math.nan)
    frame.insert(frame.columns.get_loc("nps_impact") + 1, "n_base", int(scores.notna().sum()))
    frame.index.name = "theme"
    return frame


def _theme_lists(mentioned: pd.DataFrame, names: dict[str, str]) -> pd.Series:
    """Return the comma-separated names of the themes each row mentions."""
    labels = np.asarray([names[c] for c in mentioned.columns], dtype=object)
    return pd.Series(
        [", ".join(labels[row]) for row in mentioned.to_numpy()], index=mentioned.index, dtype="str"
    )


def verbatims(
    survey: pd.DataFrame,
    theme: str | None = None,
    nps_group: str | None = None,
    lang: str | None = None,
    label_lang: str | None = None,
    tags: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the comments with their score, NPS group and themes, optionally filtered.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses with ``comment`` (``recommend`` optional).
    theme : str, optional
        Keep only comments mentioning this theme; a ``sentiment`` column is added.
    nps_group : str, optional
        Keep only ``"promoter"``, ``"passive"`` or ``"detractor"`` respondents.
    lang : str, optional
        Expected language of the comments.
    label_lang : str, optional
        Write theme names in this language; theme codes when omitted.
    tags : pandas.DataFrame, optional
        Output of ``tag_comments(survey[COMMENT])``, to avoid tagging twice.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``survey`` (rows with a comment only): ``comment``, ``recommend``,
        ``nps_group``, ``themes`` (comma-separated), plus ``sentiment`` when ``theme`` is given.
    """
    if theme is not None and theme not in themes():
        raise InputError("feedback.error.unknown_theme", theme=theme, themes=", ".join(themes()))
    if nps_group is not None and nps_group not in NPS_GROUPS:
        raise InputError("feedback.error.unknown_nps_group", group=nps_group, groups=", ".join(NPS_GROUPS))
    tags = _tags(survey, lang, tags)
    scores = (
        pd.to_numeric(survey[RECOMMEND], errors="coerce")
        if RECOMMEND in survey.columns
        else pd.Series(np.nan, index=survey.index)
    )
    names = {th: t(f"feedback.theme.{th}", label_lang) if label_lang else th for th in themes()}
    mentioned = tags[list(themes())].astype(bool)
    out = pd.DataFrame(
        {
            COMMENT: survey[COMMENT],
            RECOMMEND: scores,
            "nps_group": nps_groups(scores),
            "themes": _theme_lists(mentioned, names),
        },
        index=survey.index,
    )
    keep = has_text(survey[COMMENT])
    if theme is not None:
        out["sentiment"] = tags[sentiment_column(theme)]
        keep &= mentioned[theme]
    if nps_group is not None:
        keep &= out["nps_group"].eq(nps_group).fillna(False)
    return out.loc[keep]


# --- summary for the app and CLI ---------------------------------------------------


def feedback_summary(survey: pd.DataFrame, scales: dict[str, Scale], lang: str | None = None) -> dict:
    """Return the feedback KPI as plain JSON-friendly data for the app and the CLI.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses.
    scales : dict
        Field -> ``(min, max)`` of its rating scale.
    lang : str, optional
        Expected language of the comments.

    Returns
    -------
    dict
        ``responses``, ``with_recommend``, ``commenters``, ``nps``, ``languages`` (comments
        per detected language), ``drivers`` (records of :func:`driver_summary` with a
        ``field`` key) and ``themes`` (records of :func:`theme_summary` with a ``theme``
        key, most mentioned first; empty without comments). NaN becomes None.
    """
    has_scores = RECOMMEND in survey.columns
    scores = pd.to_numeric(survey[RECOMMEND], errors="coerce") if has_scores else pd.Series(dtype=float)
    summary = {
        "responses": len(survey),
        "with_recommend": int(scores.notna().sum()),
        "commenters": 0,
        "nps": nps_score(scores) if has_scores else math.nan,
        "languages": {},
        "drivers": driver_summary(survey, scales).reset_index(),
        "themes": [],
    }
    if COMMENT in survey.columns:
        tags = tag_comments(survey[COMMENT], lang)
        summary["commenters"] = int(has_text(survey[COMMENT]).sum())
        summary["languages"] = tags["language"].value_counts().to_dict()
        if has_scores:
            table = theme_summary(survey, lang, tags=tags).sort_values(
                "mentions", ascending=False, kind="stable"
            )
            summary["themes"] = table.reset_index()
    return jsonable(summary)
