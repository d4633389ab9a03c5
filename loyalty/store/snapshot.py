"""Fill an :class:`~loyalty.store.Assessment` from what the app or the CLI has in hand.

The KPI and diagnosis parts reuse the JSON builders of ``python -m loyalty measure`` and
``python -m loyalty diagnose``, so a saved assessment holds exactly what those commands print
(the diagnosis cut down to the summary a comparison needs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from loyalty.store.privacy import fingerprint
from loyalty.values import finite_or_none as _finite

if TYPE_CHECKING:
    import pandas as pd

    from loyalty.drivers import Diagnosis
    from loyalty.ingest import LoadResult

#: Keys of the ``diagnose`` JSON kept in the saved summary, besides the ones reshaped below.
_DIAGNOSIS_KEYS: tuple[str, ...] = (
    "n",
    "drivers",
    "mediator",
    "outcome",
    "importance_target",
    "performance",
    "quadrants",
    "warnings",
    "warning_codes",
)


def kpi_snapshot(
    transactions: LoadResult | None,
    survey: LoadResult | None = None,
    *,
    period: str = "quarter",
    as_of: Any = None,
    lang: str = "en",
    **options: Any,
) -> dict[str, Any]:
    """Return the ``measure`` JSON of the loaded files, as ``python -m loyalty measure`` builds it.

    Parameters
    ----------
    transactions, survey : LoadResult or None
        The ingested files (either may be missing, not both).
    period : {"month", "quarter", "year"}
        Period of the comparison.
    as_of : date-like, optional
        Reference date.
    lang : str
        Language of the messages inside the JSON.
    **options
        Further keyword arguments of :func:`loyalty.measure.measure` (margin, horizon, ...).

    Returns
    -------
    dict
        JSON-friendly KPI snapshot.
    """
    from loyalty.measure import measure

    loaded = {kind: r for kind, r in (("transactions", transactions), ("survey", survey)) if r is not None}
    return measure(
        transactions.frame if transactions is not None else None,
        survey.frame if survey is not None else None,
        scales=dict(survey.scales) if survey is not None else None,
        period=period,
        as_of=as_of,
        lang=lang,
        data={kind: result.summary() for kind, result in loaded.items()},
        **options,
    )


def diagnosis_snapshot(diagnosis: Diagnosis, lang: str = "en") -> dict[str, Any]:
    """Return the diagnosis summary saved with an assessment.

    Parameters
    ----------
    diagnosis : Diagnosis
        A fitted diagnosis (:func:`loyalty.diagnose.run_diagnosis`).
    lang : str
        Language of the warnings.

    Returns
    -------
    dict
        ``n``, ``r2`` (of the importance model), ``importance`` ``{driver: {share, ci95, p_top}}``
        (shares are fractions summing to 1), ``performance`` ``{driver: 0-100}``, ``quadrants``
        ``{driver: quadrant}``, ``warnings`` and the variables analysed.
    """
    from loyalty.diagnose import diagnosis_report

    report = diagnosis_report(diagnosis, lang=lang)
    summary = {key: report.get(key) for key in _DIAGNOSIS_KEYS}
    summary["r2"] = _finite(diagnosis.importance.r2)
    summary["importance"] = {
        driver: {"share": row["share"], "ci95": row["ci95"], "p_top": row["p_top"]}
        for driver, row in report["importance"].items()
    }
    return summary


def mappings_snapshot(loaded: Mapping[str, LoadResult]) -> dict[str, dict[str, str]]:
    """Return ``kind -> {canonical field: source column}`` of the loaded files."""
    return {kind: dict(result.mapping) for kind, result in loaded.items()}


def fingerprints_snapshot(
    loaded: Mapping[str, LoadResult], files: Mapping[str, bytes] | None = None
) -> dict[str, str]:
    """Return ``kind -> sha256`` of each file: of its bytes when given, else of its canonical table."""
    files = files or {}
    return {kind: fingerprint(files.get(kind, result.frame)) for kind, result in loaded.items()}


def raw_frames(loaded: Mapping[str, LoadResult]) -> dict[str, pd.DataFrame]:
    """Return the canonical table of each loaded file (the store pseudonymises ids when saving)."""
    return {kind: result.frame for kind, result in loaded.items()}
