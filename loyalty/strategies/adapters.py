"""Build recommender evidence from the library's results.

* the Diagnose step: a :class:`loyalty.drivers.Diagnosis`, its importance-performance
  matrix, its saved JSON (``Diagnosis.to_dict()``) or the Diagnose command's report;
* the survey's plain driver ratings, when no driver model could be fitted;
* the Measure step: the dict of :func:`loyalty.measure.measure`.

The adapters read plain attributes and dict keys, so this module does not import
the heavy driver models; anything missing simply yields less evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from loyalty.schema import DRIVERS, TRUST
from loyalty.strategies.evidence import DriverEvidence, Evidence, KpiEvidence, ThemeEvidence, Trend
from loyalty.values import finite_or_none as _num

if TYPE_CHECKING:
    from loyalty.drivers import Diagnosis, Importance, IPAResult


def _fraction(percent: Any) -> float | None:
    number = _num(percent)
    return None if number is None else min(1.0, max(0.0, number / 100))


def _performance(value: float) -> float:
    # Means can sit a hair outside the scale through float error; the matrix axis is 0-100.
    return min(100.0, max(0.0, value))


# --- driver evidence ----------------------------------------------------------------------


def driver_evidence_from_ipa(
    ipa: IPAResult, importance: Importance | None = None, target: str = TRUST
) -> tuple[DriverEvidence, ...]:
    """Return driver evidence from an importance-performance result.

    Parameters
    ----------
    ipa : IPAResult
        From :func:`loyalty.drivers.ipa_from_diagnosis` (importance in percent, performance 0-100).
    importance : Importance, optional
        The same drivers' importance, for bootstrap intervals and P(top).
    target : str
        What the importance explains (``trust`` or the outcome).

    Returns
    -------
    tuple of DriverEvidence
        One per canonical driver in the matrix; custom variables are skipped.
    """
    extra: dict[str, dict[str, float | None]] = {}
    if importance is not None:
        for i, name in enumerate(importance.drivers):
            extra[name] = {
                "ci_low": _fraction(importance.ci_low[i]) if importance.ci_low is not None else None,
                "ci_high": _fraction(importance.ci_high[i]) if importance.ci_high is not None else None,
                "p_top": _num(importance.p_top[i]) if importance.p_top is not None else None,
            }
    return tuple(
        DriverEvidence(
            driver=name,
            importance_share=_fraction(ipa.importance[i]),
            performance_0_100=_performance(float(ipa.performance[i])),
            target=target,
            **extra.get(name, {}),
        )
        for i, name in enumerate(ipa.drivers)
        if name in DRIVERS
    )


def driver_evidence_from_diagnosis(diagnosis: Diagnosis) -> tuple[DriverEvidence, ...]:
    """Return driver evidence from a diagnosis: LMG share, 0-100 performance, intervals.

    Parameters
    ----------
    diagnosis : Diagnosis
        From :func:`loyalty.drivers.diagnose`.

    Returns
    -------
    tuple of DriverEvidence
    """
    from loyalty.drivers.ipa import ipa_from_diagnosis  # lazy: the driver models import statsmodels

    target = diagnosis.mediator or diagnosis.outcome
    evidence = driver_evidence_from_ipa(ipa_from_diagnosis(diagnosis), diagnosis.importance, target)
    means, scales = diagnosis.means, diagnosis.scales
    return tuple(_with_mean(ev, means.get(ev.driver), scales.get(ev.driver)) for ev in evidence)


def _with_mean(ev: DriverEvidence, mean: Any, scale: Sequence[float] | None) -> DriverEvidence:
    bounds = (float(scale[0]), float(scale[1])) if scale is not None else None
    return replace(ev, mean=_num(mean), scale=bounds)


def driver_evidence_from_summary(summary: Mapping[str, Any]) -> tuple[DriverEvidence, ...]:
    """Return driver evidence from a saved diagnosis (``Diagnosis.to_dict()``).

    Parameters
    ----------
    summary : mapping
        Needs ``importance.drivers`` (records with ``driver``, ``share`` in percent and
        optionally ``ci_low``, ``ci_high``, ``p_top``), ``means`` and ``scales``.

    Returns
    -------
    tuple of DriverEvidence
        In :data:`loyalty.schema.DRIVERS` order (the summary lists them by importance).
    """
    records = (summary.get("importance") or {}).get("drivers") or []
    means, scales = summary.get("means") or {}, summary.get("scales") or {}
    target = summary.get("mediator") or summary.get("outcome") or TRUST
    out = []
    for row in records:
        name, mean, scale = (
            row.get("driver"),
            _num(means.get(row.get("driver"))),
            scales.get(row.get("driver")),
        )
        if name not in DRIVERS or mean is None or not scale:
            continue
        low, high = float(scale[0]), float(scale[1])
        out.append(
            DriverEvidence(
                driver=name,
                importance_share=_fraction(row.get("share")),
                performance_0_100=_performance(100 * (mean - low) / (high - low)),
                ci_low=_fraction(row.get("ci_low")),
                ci_high=_fraction(row.get("ci_high")),
                p_top=_num(row.get("p_top")),
                target=target,
                mean=mean,
                scale=(low, high),
            )
        )
    return tuple(sorted(out, key=lambda ev: DRIVERS.index(ev.driver)))


def driver_evidence_from_report(report: Mapping[str, Any]) -> tuple[DriverEvidence, ...]:
    """Return driver evidence from the Diagnose command's JSON (``loyalty.diagnose.diagnosis_report``).

    Parameters
    ----------
    report : mapping
        Needs ``importance`` (driver -> ``share`` as a fraction, optionally ``ci95`` as
        ``[low, high]`` and ``p_top``) and ``performance`` (driver -> 0-100); reads
        ``importance_target`` or ``mediator`` for what the importance explains.

    Returns
    -------
    tuple of DriverEvidence
        In :data:`loyalty.schema.DRIVERS` order.
    """
    importance, performance = report.get("importance") or {}, report.get("performance") or {}
    target = report.get("importance_target") or report.get("mediator") or TRUST
    out = []
    for name in DRIVERS:
        row, score = importance.get(name), _num(performance.get(name))
        if not isinstance(row, Mapping) or score is None:
            continue
        ci = row.get("ci95") or (None, None)
        out.append(
            DriverEvidence(
                driver=name,
                importance_share=_share(row.get("share")),
                performance_0_100=_performance(score),
                ci_low=_share(ci[0]),
                ci_high=_share(ci[1]),
                p_top=_num(row.get("p_top")),
                target=target,
            )
        )
    return tuple(out)


def _share(value: Any) -> float | None:
    number = _num(value)
    return None if number is None else min(1.0, max(0.0, number))


def _is_report(summary: Mapping[str, Any]) -> bool:
    """Tell the Diagnose command's report (importance keyed by driver) from ``Diagnosis.to_dict()``."""
    importance = summary.get("importance") or {}
    return "performance" in summary and "drivers" not in importance


def driver_evidence_from_ratings(feedback: Mapping[str, Any]) -> tuple[DriverEvidence, ...]:
    """Return driver evidence from the feedback card's ratings (importance unknown).

    For a survey with driver ratings but too few answers (or no outcome) for a
    driver model: the performance is known, the importance is not.

    Parameters
    ----------
    feedback : mapping
        ``measure(...)["feedback"]``; reads ``ratings`` (records with ``field``,
        ``score`` on 0-100, ``mean``, ``scale_min``, ``scale_max``).

    Returns
    -------
    tuple of DriverEvidence
    """
    out = []
    for row in feedback.get("ratings") or []:
        name, score = row.get("field"), _num(row.get("score"))
        if name not in DRIVERS or score is None:
            continue
        low, high = _num(row.get("scale_min")), _num(row.get("scale_max"))
        scale = (low, high) if low is not None and high is not None else None
        out.append(DriverEvidence(name, None, _performance(score), mean=_num(row.get("mean")), scale=scale))
    return tuple(out)


# --- KPI evidence -------------------------------------------------------------------------


def _trend(change: Mapping[str, Any] | None) -> Trend | None:
    """Return the trend of a ``change`` block, or None without both periods.

    A previous period only partly covered by the data understates it, so its trend
    is not used.
    """
    if not change or change.get("partial"):
        return None
    previous, current = _num(change.get("previous")), _num(change.get("current"))
    if previous is None or current is None:
        return None
    return Trend(previous, current, _num(change.get("p_value")))


def _card(result: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    return result.get(key) or {}


def _themes(feedback: Mapping[str, Any]) -> tuple[ThemeEvidence, ...]:
    out = []
    for theme, row in (feedback.get("themes") or {}).items():
        impact = _num(row.get("nps_impact"))
        if impact is not None:
            count = int(_num(row.get("count")) or 0)
            out.append(ThemeEvidence(theme, count, impact, bool(row.get("small_sample", False))))
    return tuple(out)


def kpi_evidence_from_measure(result: Mapping[str, Any]) -> KpiEvidence:
    """Return KPI evidence from the dict of :func:`loyalty.measure.measure`.

    Parameters
    ----------
    result : mapping
        Reads ``nps`` (``value``, ``change``), ``retention_rate`` (``value_both_periods``,
        the strict rate, and ``change``), ``repeat_purchase_rate`` (``value``, ``change``),
        ``clv`` (``change``: value per active customer), ``feedback`` (``headline.score``,
        ``change``, ``themes``). Missing cards (no survey, no transactions) are skipped.

    Returns
    -------
    KpiEvidence
    """
    nps, retention = _card(result, "nps"), _card(result, "retention_rate")
    repeat, clv, feedback = (_card(result, k) for k in ("repeat_purchase_rate", "clv", "feedback"))
    return KpiEvidence(
        nps=_num(nps.get("value")),
        nps_trend=_trend(nps.get("change")),
        retention_rate=_num(retention.get("value_both_periods")),
        retention_trend=_trend(retention.get("change")),
        repeat_purchase_rate=_num(repeat.get("value")),
        repeat_trend=_trend(repeat.get("change")),
        clv_trend=_trend(clv.get("change")),
        feedback_score=_num((feedback.get("headline") or {}).get("score")),
        feedback_trend=_trend(feedback.get("change")),
        themes=_themes(feedback),
    )


def evidence_from_data(
    measure: Mapping[str, Any] | None = None,
    diagnosis: Diagnosis | Mapping[str, Any] | None = None,
    business_type: str | None = None,
) -> Evidence:
    """Combine whatever data results exist into evidence for :func:`~loyalty.strategies.recommend`.

    Parameters
    ----------
    measure : mapping, optional
        The dict of :func:`loyalty.measure.measure` (transactions, survey or both).
    diagnosis : Diagnosis or mapping, optional
        The driver diagnosis: the object, its ``to_dict()``, or the Diagnose command's JSON
        report. Without it the survey's driver ratings (if the measure dict has them) give
        performance without importance.
    business_type : {"B2B", "B2C"} or None
        Case-insensitive.

    Returns
    -------
    Evidence
    """
    if diagnosis is None:
        drivers = driver_evidence_from_ratings(_card(measure or {}, "feedback"))
    elif isinstance(diagnosis, Mapping):
        drivers = (driver_evidence_from_report if _is_report(diagnosis) else driver_evidence_from_summary)(
            diagnosis
        )
    else:
        drivers = driver_evidence_from_diagnosis(diagnosis)
    kpis = kpi_evidence_from_measure(measure) if measure else KpiEvidence()
    return Evidence(drivers=drivers, kpis=kpis, business_type=business_type)
