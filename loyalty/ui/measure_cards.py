"""Measure page: the five KPI cards.

Each card shows the value, its interval or range, the change against the previous
period and one sentence on what the number means for the business. The cards are
built by pure functions (:func:`build_cards`) from the KPI dicts of
:mod:`loyalty.measure`, so their wording can be tested without running the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from loyalty.i18n import format_date, t
from loyalty.schema import TRUST
from loyalty.ui import measure_cache
from loyalty.ui.measure_controls import Scope
from loyalty.ui.measure_widgets import field_label, is_number, num, pct, signed

#: Card keys in display order, with the data kind each one needs.
CARDS: tuple[tuple[str, str], ...] = (
    ("nps", "survey"),
    ("retention_rate", "transactions"),
    ("repeat_purchase_rate", "transactions"),
    ("clv", "transactions"),
    ("feedback", "survey"),
)


@dataclass(frozen=True)
class Card:
    """What one card shows.

    Parameters
    ----------
    key : str
        Card key (see :data:`CARDS`).
    title : str
        The metric's label; it names the definition used.
    value : str
        The formatted value ("–" when it cannot be computed).
    detail : str
        The interval or range, with the sample size.
    delta : str or None
        The change against the previous period ("+7.0 pp"): short, so it is never cut off.
    sentence : str
        What the value means for the business, in plain words.
    help : str
        The definition, for the tooltip.
    compared : str
        Which periods the change compares, with the NPS change's significance; "" without a change.
    note : str
        A caveat on the value ("" when there is none).
    """

    key: str
    title: str
    value: str
    detail: str
    delta: str | None
    sentence: str
    help: str
    compared: str = ""
    note: str = ""


def _help(name: str, definition: str, lang: str) -> str:
    """Return the tooltip: the card's full title (the label itself is short), then the definition."""
    return f"**{t(f'measure.card.{name}', lang)}**  \n{definition}"


def _per_100(share: Any, lang: str) -> str:
    return num(100 * share, 0, lang) if is_number(share) else "–"


def _delta(change: dict | None, lang: str, *, scale: float, unit: str, decimals: int = 1) -> str | None:
    """Return "+6.3 pts", or None when either period has no value."""
    if not change or not is_number(change.get("delta")):
        return None
    return t(unit, lang, value=signed(scale * change["delta"], decimals, lang))


def _compared(change: dict | None, lang: str, note: str = "") -> str:
    """Return "2024Q4 vs 2024Q3" (and the note) when the card shows a change, else ""."""
    if not change or not is_number(change.get("delta")):
        return ""
    text = t("measure.card.compared", lang, current=change["period"], previous=change["previous_period"])
    return f"{text}: {note}" if note else text


def nps_card(kpi: dict, lang: str) -> Card:
    """Return the NPS card: score, adjusted-Wald interval, period change with its z-test."""
    change = kpi.get("change") or {}
    shares = kpi.get("shares") or {}
    lo, hi = kpi.get("ci95") or (None, None)
    note = ""
    if is_number(change.get("p_value")):
        verdict = "significant" if change["p_value"] < 0.05 else "noise"
        note = t(f"measure.card.nps.{verdict}", lang, p=num(change["p_value"], 2, lang=lang))
    return Card(
        key="nps",
        title=t("measure.card.nps.title", lang),
        value=num(kpi.get("value"), lang=lang),
        detail=t(
            "measure.card.ci",
            lang,
            lo=num(lo, lang=lang),
            hi=num(hi, lang=lang),
            n=num(kpi.get("n"), lang=lang),
        ),
        delta=_delta(change, lang, scale=1, unit="measure.unit.points"),
        sentence=t(
            "measure.card.nps.sentence",
            lang,
            promoters=_per_100(shares.get("promoters"), lang),
            detractors=_per_100(shares.get("detractors"), lang),
        )
        if kpi.get("n")
        else t("measure.card.nps.empty", lang),
        help=_help("nps.full", t("kpi.def.nps", lang), lang),
        compared=_compared(change, lang, note),
    )


def retention_card(kpi: dict, lang: str) -> Card:
    """Return the retention card: the strict rate (named), its Wilson interval and the common formula."""
    lo, hi = kpi.get("ci95_both_periods") or (None, None)
    has_value = is_number(kpi.get("value_both_periods"))
    return Card(
        key="retention_rate",
        title=t("measure.card.retention.title", lang),
        value=pct(kpi.get("value_both_periods"), lang=lang),
        detail=t(
            "measure.card.retention.detail",
            lang,
            lo=pct(lo, 0, lang=lang),
            hi=pct(hi, 0, lang=lang),
            common=pct(kpi.get("value"), lang=lang),
        )
        if has_value
        else "",
        delta=_delta(kpi.get("change"), lang, scale=100, unit="measure.unit.pp"),
        sentence=t(
            "measure.card.retention.sentence",
            lang,
            k=_per_100(kpi.get("value_both_periods"), lang),
            previous=kpi.get("previous_period"),
            current=kpi.get("period"),
        )
        if has_value
        else t("measure.card.retention.empty", lang),
        help=_help(
            "retention.full",
            f"{t('kpi.def.retention_both', lang)} {t('kpi.def.retention_common', lang)}",
            lang,
        ),
        compared=_compared(kpi.get("change"), lang),
        note=t("measure.card.retention.over_100", lang) if kpi.get("exceeds_one") else "",
    )


def repeat_card(kpi: dict, lang: str, start: str | None, end: str | None) -> Card:
    """Return the repeat purchase card: the window's rate with its Wilson interval."""
    lo, hi = kpi.get("ci95") or (None, None)
    has_value = is_number(kpi.get("value"))
    return Card(
        key="repeat_purchase_rate",
        title=t("measure.card.repeat.title", lang),
        value=pct(kpi.get("value"), lang=lang),
        detail=t(
            "measure.card.ci_pct",
            lang,
            lo=pct(lo, 0, lang=lang),
            hi=pct(hi, 0, lang=lang),
            n=num(kpi.get("customers"), lang=lang),
        )
        if has_value
        else "",
        delta=_delta(kpi.get("change"), lang, scale=100, unit="measure.unit.pp"),
        sentence=t(
            "measure.card.repeat.sentence", lang, k=_per_100(kpi.get("value"), lang), start=start, end=end
        )
        if has_value
        else t("measure.card.repeat.empty", lang),
        help=_help("repeat.full", t("kpi.def.repeat", lang), lang),
        compared=_compared(kpi.get("change"), lang),
    )


def clv_card(kpi: dict, lang: str) -> Card:
    """Return the historical CLV card: mean value per customer, middle half, top-10% share."""
    quantiles = kpi.get("quantiles") or {}
    margin = kpi.get("margin") or 1.0
    basis_key = "measure.card.clv.basis_revenue" if margin >= 1 else "measure.card.clv.basis_margin"
    has_value = is_number(kpi.get("mean"))
    return Card(
        key="clv",
        title=t("measure.card.clv.title", lang),
        value=num(kpi.get("mean"), lang=lang),
        detail=t(
            "measure.card.clv.detail",
            lang,
            basis=t(basis_key, lang, margin=pct(margin, 0, lang=lang)),
            p25=num(quantiles.get("p25"), lang=lang),
            p75=num(quantiles.get("p75"), lang=lang),
            median=num(kpi.get("median"), lang=lang),
        )
        if has_value
        else "",
        delta=_delta(kpi.get("change"), lang, scale=1, unit="measure.unit.per_customer", decimals=0),
        sentence=t(
            "measure.card.clv.sentence",
            lang,
            top=pct(kpi.get("top_fraction"), 0, lang=lang),
            share=pct(kpi.get("top_share"), 0, lang=lang),
        )
        if is_number(kpi.get("top_share"))
        else t("measure.card.clv.empty", lang),
        help=_help("clv.full", t("kpi.def.clv_historical", lang), lang),
        compared=_compared(kpi.get("change"), lang),
    )


def _feedback_sentence(kpi: dict, lang: str) -> str:
    rated = [r for r in kpi.get("ratings") or [] if r.get("field") != TRUST and is_number(r.get("score"))]
    drivers = [r for r in rated if r.get("field") in kpi.get("driver_means", {})]
    if len(drivers) >= 2:
        low = min(drivers, key=lambda r: r["score"])
        high = max(drivers, key=lambda r: r["score"])
        return t(
            "measure.card.feedback.sentence",
            lang,
            weakest=field_label(low["field"], lang),
            weak_score=num(low["score"], lang=lang),
            strongest=field_label(high["field"], lang),
            strong_score=num(high["score"], lang=lang),
        )
    themes = kpi.get("themes") or {}
    if themes:
        top = next(iter(themes))  # most mentioned first
        return t(
            "measure.card.feedback.theme_sentence",
            lang,
            theme=t(f"feedback.theme.{top}", lang),
            n=num(themes[top]["count"], lang=lang),
        )
    return t("measure.card.feedback.empty", lang)


def feedback_card(kpi: dict, lang: str) -> Card:
    """Return the feedback card: trust on 0–100 with its interval, else the drivers' mean and range."""
    headline = kpi.get("headline") or {}
    field = headline.get("field")
    if field == TRUST:
        lo, hi = headline.get("ci95") or (None, None)
        detail = t(
            "measure.card.ci",
            lang,
            lo=num(lo, lang=lang),
            hi=num(hi, lang=lang),
            n=num(headline.get("n"), lang=lang),
        )
    elif field == "drivers":
        lo, hi = headline.get("range") or (None, None)
        detail = t("measure.card.feedback.range", lang, lo=num(lo, lang=lang), hi=num(hi, lang=lang))
    else:
        detail = t("measure.card.feedback.responses", lang, n=num(kpi.get("responses"), lang=lang))
    drivers = field == "drivers"
    title_key = "measure.card.feedback.title_drivers" if drivers else "measure.card.feedback.title"
    return Card(
        key="feedback",
        title=t(title_key, lang),
        value=num(headline.get("score"), lang=lang),
        detail=detail,
        delta=_delta(kpi.get("change"), lang, scale=1, unit="measure.unit.points"),
        sentence=_feedback_sentence(kpi, lang),
        help=_help(
            "feedback.full_drivers" if drivers else "feedback.full",
            t("feedback.score.definition", lang),
            lang,
        ),
        compared=_compared(kpi.get("change"), lang),
    )


#: Card key -> catalog stem of its short title (the ``.name`` keys are too long for a card).
_SHORT = {
    "nps": "nps",
    "retention_rate": "retention",
    "repeat_purchase_rate": "repeat",
    "clv": "clv",
    "feedback": "feedback",
}


def _short_title(key: str, lang: str) -> str:
    return t(f"measure.card.{_SHORT[key]}.title", lang)


def missing_card(key: str, kind: str, lang: str) -> Card:
    """Return the card of a KPI whose data are not loaded: it says what is needed."""
    return Card(
        key=key,
        title=_short_title(key, lang),
        value="–",
        detail="",
        delta=None,
        sentence=t(f"measure.card.needs.{kind}", lang),
        help=f"**{t(f'measure.card.{key}.name', lang)}**  \n{t(f'measure.missing.{kind}', lang)}",
    )


def error_card(key: str, kpi: dict, lang: str) -> Card:
    """Return the card of a KPI that could not be computed: it says why, in plain words."""
    return Card(
        key=key,
        title=_short_title(key, lang),
        value="–",
        detail="",
        delta=None,
        sentence=t(kpi["error"], lang, **kpi.get("params", {})),
        help=f"**{t(f'measure.card.{key}.name', lang)}**",
    )


def build_cards(
    kpis: dict[str, Any], lang: str, start: str | None = None, end: str | None = None
) -> list[Card]:
    """Return the five cards for the KPIs of :func:`loyalty.ui.measure_cache.cards`.

    Parameters
    ----------
    kpis : dict
        ``nps``, ``retention_rate``, ``repeat_purchase_rate``, ``clv`` and ``feedback``
        (each missing when its data is not loaded).
    lang : str
        Interface language.
    start, end : str, optional
        The window's first and last day, formatted, for the repeat-rate sentence.

    Returns
    -------
    list of Card
        In :data:`CARDS` order.
    """
    builders = {
        "nps": lambda k: nps_card(k, lang),
        "retention_rate": lambda k: retention_card(k, lang),
        "repeat_purchase_rate": lambda k: repeat_card(k, lang, start, end),
        "clv": lambda k: clv_card(k, lang),
        "feedback": lambda k: feedback_card(k, lang),
    }
    cards = []
    for key, kind in CARDS:
        kpi = kpis.get(key)
        if kpi is None:
            cards.append(missing_card(key, kind, lang))
        elif "error" in kpi:
            cards.append(error_card(key, kpi, lang))
        else:
            cards.append(builders[key](kpi))
    return cards


def render(scope: Scope) -> None:
    """Draw the five cards side by side."""
    kpis = measure_cache.cards(scope.data, scope.controls, scope.window)
    start, end = (format_date(d, scope.lang) for d in (scope.window.start, scope.window.end))
    for card, column in zip(build_cards(kpis, scope.lang, start, end), st.columns(len(CARDS)), strict=True):
        with column, st.container(border=True, height="stretch"):
            st.metric(card.title, card.value, delta=card.delta, help=card.help or None)
            for line in (card.compared, card.detail, card.note):
                if line:
                    st.caption(line)
            st.markdown(card.sentence)
