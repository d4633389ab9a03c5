"""Driver analysis per segment (B2B vs B2C, country, customer segment).

A segment is analysed only when it has at least ``min_n`` complete
respondents (default 100): below that, rankings are close to guesswork
(REFERENCE.md §3). Smaller segments are listed as skipped with their size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from loyalty.drivers._util import jsonable
from loyalty.drivers.frame import prepare_analysis
from loyalty.drivers.models import Diagnosis, diagnose
from loyalty.errors import InputError, LoyaltyError

DEFAULT_MIN_N = 100
_PREPARE_ARGS = ("drivers", "mediator", "outcome", "scales")


@dataclass
class SegmentDiagnosis:
    """Per-segment diagnoses and which segments were too small.

    Parameters
    ----------
    segment : str
        Segment column.
    results : dict
        Segment label -> Diagnosis.
    skipped : dict
        Segment label -> ``{"n": complete respondents, "reason": code}`` for
        segments not analysed; the reason is ``too_small`` or the key of the
        error that stopped the analysis (e.g. ``drivers.error.constant``).
    min_n : int
        Minimum complete respondents per segment.
    """

    segment: str
    results: dict[str, Diagnosis] = field(default_factory=dict)
    skipped: dict[str, dict[str, Any]] = field(default_factory=dict)
    min_n: int = DEFAULT_MIN_N

    def comparison(self) -> pd.DataFrame:
        """Return importance shares per segment: one row per (segment, driver)."""
        return compare_importance(self.results)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict (per-segment importance, not full diagnoses)."""
        return jsonable(
            {
                "segment": self.segment,
                "min_n": self.min_n,
                "skipped": self.skipped,
                "segments": {
                    label: {
                        "n": d.n_used,
                        "importance": d.importance.to_dict(),
                        "warnings": [w.to_dict() for w in d.warnings],
                    }
                    for label, d in self.results.items()
                },
            }
        )


def compare_importance(results: dict[str, Diagnosis]) -> pd.DataFrame:
    """Stack the importance tables of several diagnoses.

    Parameters
    ----------
    results : dict
        Label -> Diagnosis.

    Returns
    -------
    pandas.DataFrame
        Columns ``segment``, ``n``, ``rank`` (1 = most important), ``driver``,
        ``share``, ``signed_share``, ``ci_low``, ``ci_high``, ``p_top``.
    """
    frames = []
    for label, diagnosis in results.items():
        table = diagnosis.importance.to_frame()
        table.insert(0, "rank", range(1, len(table) + 1))
        table.insert(0, "n", diagnosis.n_used)
        table.insert(0, "segment", label)
        frames.append(table.drop(columns=["sign", "relative_weight"]))
    columns = ["segment", "n", "rank", "driver", "share", "signed_share", "ci_low", "ci_high", "p_top"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def diagnose_segments(
    survey: pd.DataFrame, segment: str, min_n: int = DEFAULT_MIN_N, **kwargs: Any
) -> SegmentDiagnosis:
    """Run :func:`loyalty.drivers.models.diagnose` in every large-enough segment.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey with the segment column.
    segment : str
        Column holding segment labels (rows without a label are left out).
    min_n : int
        Minimum complete respondents for a segment to be analysed.
    **kwargs
        Passed to :func:`diagnose` (``drivers``, ``mediator``, ``outcome``,
        ``scales``, ``bootstrap``, ``seed``, ``robustness``).

    Returns
    -------
    SegmentDiagnosis
    """
    if segment not in survey.columns:
        raise InputError("drivers.error.missing_column", column=segment)
    result = SegmentDiagnosis(segment=segment, min_n=min_n)
    prepare_kwargs = {k: v for k, v in kwargs.items() if k in _PREPARE_ARGS}
    labels = survey[segment].dropna().astype(str)
    for label in sorted(labels.unique()):
        part = survey.loc[labels.index[labels == label]]
        try:
            n_complete = prepare_analysis(part, **prepare_kwargs).n_used
        except LoyaltyError as err:
            # One unusable segment (too few rows, a constant answer) must not stop the others.
            too_small = err.key == "drivers.error.too_few_rows"
            result.skipped[label] = {
                "n": int(err.params.get("n", 0)),
                "reason": "too_small" if too_small else err.key,
            }
            continue
        if n_complete < min_n:
            result.skipped[label] = {"n": n_complete, "reason": "too_small"}
            continue
        result.results[label] = diagnose(part, **kwargs)
    return result
