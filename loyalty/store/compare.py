"""Compare two assessments of one client and follow the KPIs across all of them."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from loyalty.store.model import STATUSES, Assessment

#: KPI name -> path to its headline value inside the ``measure`` JSON.
#: Retention is the strict "active in both periods" rate: the common (E - N) / S formula
#: exceeds 100% when many new customers arrive, which reads as nonsense in a trend.
#: CLV is the historical revenue per customer: it exists for every data set, whereas the
#: model forecast may be missing when the model does not fit.
TREND_KPIS: dict[str, tuple[str, ...]] = {
    "nps": ("nps", "value"),
    "retention_rate": ("retention_rate", "value_both_periods"),
    "repeat_purchase_rate": ("repeat_purchase_rate", "value"),
    "clv": ("clv", "historical_mean"),
    "feedback": ("feedback", "headline", "score"),
}
#: Two-sided level of the NPS change test.
ALPHA = 0.05


def kpi_value(kpis: dict[str, Any], name: str) -> float | None:
    """Return the headline value of KPI ``name`` in a ``measure`` JSON (None when missing)."""
    value: Any = kpis
    for key in TREND_KPIS[name]:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _nps_counts(kpis: dict[str, Any]) -> tuple[int, int, int] | None:
    block = kpis.get("nps")
    if not isinstance(block, dict):
        return None
    counts = [block.get(key) for key in ("promoters", "passives", "detractors")]
    if not all(isinstance(c, int | float) for c in counts) or sum(counts) <= 0:
        return None
    return tuple(int(c) for c in counts)  # type: ignore[return-value]


def nps_test(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any] | None:
    """Test the NPS change between two ``measure`` snapshots (REFERENCE.md §3).

    Returns
    -------
    dict or None
        ``z``, ``p`` (two-sided), ``significant`` (p < 0.05) and ``delta`` (adjusted NPS
        points, new − old); None when either snapshot has no NPS answers.
    """
    from loyalty.kpi.nps import nps_change, nps_from_counts

    first, second = _nps_counts(old), _nps_counts(new)
    if first is None or second is None:
        return None
    result = nps_change(nps_from_counts(*first), nps_from_counts(*second))
    if math.isnan(result.z):
        return None
    return {"z": result.z, "p": result.p_value, "significant": result.p_value < ALPHA, "delta": result.delta}


def _kpi_deltas(old: Assessment, new: Assessment) -> dict[str, dict[str, float | None]]:
    out = {}
    for name in TREND_KPIS:
        before, after = kpi_value(old.kpis, name), kpi_value(new.kpis, name)
        delta = after - before if before is not None and after is not None else None
        out[name] = {"old": before, "new": after, "delta": delta}
    return out


def _driver_value(diagnosis: dict[str, Any], section: str, driver: str) -> float | None:
    value = (diagnosis.get(section) or {}).get(driver)
    if isinstance(value, dict):
        value = value.get("share")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _drivers(old: Assessment, new: Assessment) -> list[dict[str, Any]]:
    names: list[str] = []
    for diagnosis in (new.diagnosis, old.diagnosis):
        for section in ("importance", "performance"):
            names += [d for d in (diagnosis.get(section) or {}) if d not in names]
    return [
        {
            "driver": driver,
            "importance_old": _driver_value(old.diagnosis, "importance", driver),
            "importance_new": _driver_value(new.diagnosis, "importance", driver),
            "performance_old": _driver_value(old.diagnosis, "performance", driver),
            "performance_new": _driver_value(new.diagnosis, "performance", driver),
        }
        for driver in names
    ]


def progress(assessment: Assessment) -> dict[str, int]:
    """Return ``{status: number of actions}`` for every status, zeros included."""
    counts = dict.fromkeys(STATUSES, 0)
    for action in assessment.actions:
        counts[action.status] = counts.get(action.status, 0) + 1
    return counts


def compare(old: Assessment, new: Assessment) -> dict[str, Any]:
    """Compare an older and a newer assessment.

    Returns
    -------
    dict
        ``kpis`` ``{kpi: {old, new, delta}}`` (delta = new − old), ``nps_test`` (see
        :func:`nps_test`, None without NPS in both), ``drivers`` (one dict per driver with
        ``importance_old/new`` as shares of R² and ``performance_old/new`` on 0–100) and
        ``progress`` ``{"old": {status: count}, "new": {...}}``.
    """
    return {
        "kpis": _kpi_deltas(old, new),
        "nps_test": nps_test(old.kpis, new.kpis),
        "drivers": _drivers(old, new),
        "progress": {"old": progress(old), "new": progress(new)},
    }


def kpi_trend(assessments: list[Assessment]) -> pd.DataFrame:
    """Return the KPIs of the assessments in long form, oldest first.

    Returns
    -------
    pandas.DataFrame
        Columns ``created``, ``title``, ``kpi``, ``value`` (plus ``id``); one row per
        assessment and KPI that has a value.
    """
    rows = [
        {"created": a.created, "title": a.title, "kpi": name, "value": value, "id": a.id}
        for a in sorted(assessments, key=lambda a: a.created)
        for name in TREND_KPIS
        if (value := kpi_value(a.kpis, name)) is not None
    ]
    frame = pd.DataFrame(rows, columns=["created", "title", "kpi", "value", "id"])
    frame["value"] = frame["value"].astype("float64")
    return frame
