"""The report's "expected impact" section: the calculator's figures as a table and plain notes.

The figures are those of :mod:`loyalty.plan.value` (the Plan page's calculator run on
the same data and assumptions); this module only labels and formats them. Numbers
stay numbers in ``value``/``low``/``high`` (the Excel sheet computes with them);
``text`` is what the HTML, PDF and deck print.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from loyalty.i18n import format_number, format_percent, t
from loyalty.plan.impact import Estimate
from loyalty.plan.value import PlanValue

#: Columns of the impact table.
IMPACT_COLUMNS: tuple[str, ...] = ("key", "label", "value", "low", "high", "unit", "text")
#: Decimals shown per unit (money without cents: these are estimates, not invoices).
_DECIMALS = {"money": 0, "money_per_customer": 2, "customers": 0, "points": 1}


def _show(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "–"
    if unit == "share":
        return format_percent(value, lang, 1)
    return format_number(value, lang, _DECIMALS.get(unit, 2))


def _row(key: str, label: str, estimate: Estimate, lang: str) -> dict[str, Any]:
    text = _show(estimate.value, estimate.unit, lang)
    if estimate.has_interval:
        text += " " + t(
            "report.impact.ci",
            lang,
            low=_show(estimate.low, estimate.unit, lang),
            high=_show(estimate.high, estimate.unit, lang),
        )
    return {
        "key": key,
        "label": label,
        "value": float(estimate.value),
        "low": estimate.low if estimate.has_interval else None,
        "high": estimate.high if estimate.has_interval else None,
        "unit": estimate.unit,
        "text": text,
    }


def _retention_rows(value: PlanValue, lang: str) -> list[dict[str, Any]]:
    r, a = value.retention, value.assumptions
    if r is None:
        return []
    period = t(f"report.impact.period.{value.baseline.period}", lang)
    x = format_number(a.retention_uplift_pp, lang, 1)
    rows = [
        _row(
            "retention_now",
            t("report.impact.retention_now", lang, period=period),
            value.baseline.retention,
            lang,
        ),
        _row(
            "retention_target",
            t("report.impact.retention_target", lang, period=period, x=x),
            Estimate(r.retention_target, "share"),
            lang,
        ),
        _row(
            "retention_value",
            t("report.impact.retention_value", lang, x=x, months=a.horizon_months),
            r.value_change,
            lang,
        ),
        _row(
            "retention_per_customer",
            t("report.impact.retention_per_customer", lang),
            r.value_change_per_customer,
            lang,
        ),
        _row("customers_kept", t("report.impact.customers_kept", lang), r.customers_kept, lang),
    ]
    if r.replacement_cost is not None:
        rows.append(_row("replacement_cost", t("report.impact.replacement", lang), r.replacement_cost, lang))
    return rows


def _nps_rows(value: PlanValue, lang: str) -> list[dict[str, Any]]:
    n, a = value.nps, value.assumptions
    if n.nps_now is None:
        return []
    y = format_number(a.nps_uplift_points, lang, 0)
    rows = [
        _row("nps_now", t("report.impact.nps_now", lang), n.nps_now, lang),
        _row("nps_target", t("report.impact.nps_target", lang, y=y), n.nps_target, lang),
    ]
    if n.promoter_share_now is not None:
        rows += [
            _row(
                "promoters_now",
                t("report.impact.promoters_now", lang),
                Estimate(n.promoter_share_now, "share"),
                lang,
            ),
            _row(
                "promoters_target",
                t("report.impact.promoters_target", lang),
                Estimate(n.promoter_share_target, "share"),
                lang,
            ),
        ]
    if n.extra_promoters is not None:
        rows.append(
            _row("extra_promoters", t("report.impact.extra_promoters", lang), n.extra_promoters, lang)
        )
    if n.value is not None:
        rows.append(_row("nps_value", t(f"report.impact.nps_value.{n.basis}", lang), n.value, lang))
    return rows


def impact_table(value: PlanValue, lang: str) -> pd.DataFrame:
    """Return what reaching the targets is worth, one row per figure.

    Parameters
    ----------
    value : PlanValue
        From :func:`loyalty.plan.value.plan_value`.
    lang : str
        Language of labels and number formats.

    Returns
    -------
    pandas.DataFrame
        :data:`IMPACT_COLUMNS`; ``value``/``low``/``high`` numeric (shares as fractions, NPS in
        points, money after margin), ``low``/``high`` empty when the figure has no interval.
    """
    rows = _retention_rows(value, lang) + _nps_rows(value, lang)
    return pd.DataFrame(rows, columns=list(IMPACT_COLUMNS))


def impact_notes(value: PlanValue, lang: str) -> list[str]:
    """Return the plain sentences that go with the table: where the gains and the bases come from."""
    a, notes = value.assumptions, []
    if set(value.source.values()) <= {"plan", "default"}:
        notes.append(
            t(
                "report.impact.source.plan"
                if "plan" in value.source.values()
                else "report.impact.source.default",
                lang,
                x=format_number(a.retention_uplift_pp, lang, 1),
                y=format_number(a.nps_uplift_points, lang, 0),
            )
        )
    r = value.retention
    if r is None:
        notes.append(t("report.impact.no_transactions", lang))
    else:
        notes.append(t(f"plan.impact.retention.basis.{r.basis}", lang, periods=r.periods))
    n = value.nps
    if n.nps_now is None:
        notes.append(t("report.impact.no_survey", lang))
    elif n.extra_promoters is not None and n.value is not None:
        notes.append(
            t(
                f"plan.impact.nps.basis.{n.basis}",
                lang,
                n=format_number(n.extra_promoters.value, lang, 0),
                value=format_number(n.value.value, lang, 0),
                uplift=format_percent(a.loyal_spend_uplift, lang, 0),
            )
        )
        if n.value.has_interval and n.value.low < 0 < n.value.high:
            notes.append(t("plan.impact.nps.uncertain", lang))
    return notes
