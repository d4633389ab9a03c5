"""What a report says, whatever its format: :class:`ReportContent` and :func:`build_content`.

Every number comes from the existing services (:func:`loyalty.measure.measure`, the
Diagnose orchestration, the recommender), so the HTML, PDF, Excel and PowerPoint
files show the same values as the app and ``python -m loyalty measure``. The
renderers only lay this content out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import altair as alt
import pandas as pd

from loyalty.errors import InputError
from loyalty.i18n import format_number, format_percent, has_key, normalize_lang, t
from loyalty.plan.value import current_kpis
from loyalty.report.impact import impact_notes, impact_table
from loyalty.schema import DRIVERS, RECOMMEND

#: The five KPIs, in the order every format shows them.
KPI_KEYS: tuple[str, ...] = ("nps", "retention_rate", "repeat_purchase_rate", "clv", "feedback")
#: Columns of the action plan (the Plan page's DataFrame).
PLAN_COLUMNS: tuple[str, ...] = ("strategy_id", "action", "owner", "start", "due", "kpi", "target")
#: Strategies taken from the recommender when none are chosen.
DEFAULT_STRATEGIES = 5
#: Cohort table width: months 0..12 after the first purchase.
COHORT_PERIODS = 12
#: Methods appendix: (title key, text key) pairs; the texts live in the kpi and report catalogs.
METHODS: tuple[tuple[str, str], ...] = (
    ("strategies.kpi.nps", "kpi.def.nps"),
    ("strategies.kpi.retention_rate", "kpi.def.retention_both"),
    ("strategies.kpi.retention_rate", "kpi.def.retention_common"),
    ("report.methods.cohort", "kpi.def.cohort"),
    ("strategies.kpi.repeat_purchase_rate", "kpi.def.repeat"),
    ("strategies.kpi.clv", "kpi.def.clv_historical"),
    ("strategies.kpi.feedback", "report.methods.feedback"),
    ("report.section.drivers", "report.methods.drivers"),
    ("report.section.strategies", "report.methods.strategies"),
)


@dataclass
class ReportContent:
    """Everything a report shows, already computed and translated.

    Parameters
    ----------
    lang : str
        Language of every text.
    created : datetime.date
        Day the report was built.
    data : dict
        Kind -> ingestion summary (``LoadResult.summary()`` or a frame summary).
    measure : dict
        The full :func:`loyalty.measure.measure` result (the same JSON as the CLI).
    kpis : pandas.DataFrame
        One row per KPI: ``key``, ``label``, ``value`` (numeric or NaN), ``text`` (formatted), ``note``.
    cohort : pandas.DataFrame or None
        Cohort retention shares (rows: acquisition month, columns: months since), or None.
    drivers : pandas.DataFrame or None
        ``driver``, ``label``, ``importance``, ``low``, ``high``, ``performance``, ``quadrant``.
    diagnosis_text : list of str
        Plain sentences on the diagnosis (or why there is none).
    strategies : pandas.DataFrame
        ``rank``, ``id``, ``name``, ``explanation``, ``description``, ``effort``, ``time``, ``monitor``.
    plan : pandas.DataFrame
        The action plan, :data:`PLAN_COLUMNS`.
    impact : pandas.DataFrame or None
        What reaching the targets is worth (:func:`loyalty.report.impact.impact_table`):
        ``key``, ``label``, ``value``, ``low``, ``high``, ``unit``, ``text``.
    assumptions : pandas.DataFrame or None
        The calculator's assumptions as a ``label``/``value`` table.
    rejected : dict
        Kind -> rejected rows of ingestion.
    charts : dict
        Name -> Altair chart (``nps``, ``retention``, ``cohort``, ``importance``, ``ipa``).
    methods : list of tuple
        (title, text) paragraphs of the methods appendix.
    impact_notes : list of str
        Plain sentences on where the impact figures come from.
    value : PlanValue or None
        The calculator's full result (:func:`loyalty.plan.value.plan_value`).
    """

    lang: str
    created: date
    data: dict[str, Any]
    measure: dict[str, Any]
    kpis: pd.DataFrame
    cohort: pd.DataFrame | None
    drivers: pd.DataFrame | None
    diagnosis_text: list[str]
    strategies: pd.DataFrame
    plan: pd.DataFrame
    impact: pd.DataFrame | None = None
    assumptions: pd.DataFrame | None = None
    rejected: dict[str, pd.DataFrame] = field(default_factory=dict)
    charts: dict[str, alt.TopLevelMixin] = field(default_factory=dict)
    methods: list[tuple[str, str]] = field(default_factory=list)
    impact_notes: list[str] = field(default_factory=list)
    value: Any = None
    #: Renderings by chart name, filled on first use, so every format renders a chart once.
    svgs: dict[str, str] = field(default_factory=dict, repr=False)
    images: dict[str, bytes] = field(default_factory=dict, repr=False)

    def tr(self, key: str, **params: Any) -> str:
        """Translate ``key`` into the report's language."""
        return t(key, self.lang, **params)


# --- KPIs ------------------------------------------------------------------------------------


def _num(value: Any) -> float:
    """Return ``value`` as a float, NaN when missing."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number


def _kpi_row(key: str, value: Any, text_of, note: str, lang: str) -> dict[str, Any]:
    number = _num(value)
    missing = t("report.kpi.missing", lang)
    return {
        "key": key,
        "label": t(f"strategies.kpi.{key}", lang),
        "value": number,
        "text": missing if math.isnan(number) else text_of(number),
        "note": note,
    }


def kpi_table(result: Mapping[str, Any], lang: str) -> pd.DataFrame:
    """Return the five KPIs of a :func:`loyalty.measure.measure` result, as values and text.

    Parameters
    ----------
    result : mapping
        The measure dict.
    lang : str
        Language of labels and number formats.

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``label``, ``value``, ``text``, ``note``; rows in :data:`KPI_KEYS` order.
        Values are the measure dict's own numbers: NPS (−100..100), the strict retention rate
        and the repeat rate (fractions), historical CLV per customer, the feedback headline (0–100).
    """
    card = {k: result.get(k) or {} for k in KPI_KEYS}
    retention = card["retention_rate"]
    feedback = (card["feedback"].get("headline") or {}) if card["feedback"] else {}
    pct = lambda v: format_percent(v, lang, 1)  # noqa: E731
    rows = [
        _kpi_row(
            "nps",
            card["nps"].get("value"),
            lambda v: format_number(v, lang, 1),
            t("report.kpi.note.nps", lang, n=format_number(card["nps"].get("n") or 0, lang)),
            lang,
        ),
        _kpi_row(
            "retention_rate",
            retention.get("value_both_periods"),
            pct,
            t(
                "report.kpi.note.retention",
                lang,
                period=retention.get("period") or "–",
                previous=retention.get("previous_period") or "–",
            ),
            lang,
        ),
        _kpi_row(
            "repeat_purchase_rate",
            card["repeat_purchase_rate"].get("value"),
            pct,
            t(
                "report.kpi.note.repeat",
                lang,
                customers=format_number(card["repeat_purchase_rate"].get("customers") or 0, lang),
            ),
            lang,
        ),
        _kpi_row(
            "clv",
            card["clv"].get("historical_mean"),
            lambda v: format_number(v, lang, 2),
            t("report.kpi.note.clv", lang),
            lang,
        ),
        _kpi_row(
            "feedback",
            feedback.get("score"),
            lambda v: format_number(v, lang, 1) + "/100",
            t("report.kpi.note.feedback", lang, n=format_number(feedback.get("n") or 0, lang)),
            lang,
        ),
    ]
    return pd.DataFrame(rows, columns=["key", "label", "value", "text", "note"])


# --- charts ----------------------------------------------------------------------------------


def _transaction_charts(
    transactions: pd.DataFrame, survey: pd.DataFrame | None, period: str, lang: str
) -> tuple[dict[str, alt.TopLevelMixin], pd.DataFrame | None]:
    """Return the retention trend and cohort heat map, and the cohort shares."""
    from loyalty.charts.retention import cohort_heatmap, retention_trend_chart
    from loyalty.kpi.retention import cohort_table, retention_rates
    from loyalty.measure import prepare_until, resolve_window

    window = resolve_window(transactions, survey, period=period)
    rows = prepare_until(transactions, window.end)
    table = cohort_table(rows, "month", COHORT_PERIODS, window.start, window.end)
    charts = {
        "retention": retention_trend_chart(
            retention_rates(rows, window.period, window.start, window.end), lang
        ),
        "cohort": cohort_heatmap(table, lang, COHORT_PERIODS),
    }
    return charts, table.shares


def _nps_chart(survey: pd.DataFrame, lang: str) -> alt.TopLevelMixin | None:
    from loyalty.charts.nps import nps_distribution_chart
    from loyalty.kpi.nps import nps

    if RECOMMEND not in survey.columns or survey[RECOMMEND].notna().sum() == 0:
        return None
    return nps_distribution_chart(nps(survey[RECOMMEND]), lang)


# --- diagnosis -------------------------------------------------------------------------------


def run_default_diagnosis(survey: pd.DataFrame | None, bootstrap: int, seed: int = 0):
    """Return the Diagnose page's default diagnosis of ``survey``, or None when the survey allows none.

    Raises
    ------
    InputError
        When the survey's answers cannot be modelled (too few, constant).
    """
    from loyalty.diagnose import default_options, run_diagnosis, survey_availability

    options = default_options(survey_availability(survey), bootstrap=bootstrap, seed=seed)
    if options is None or survey is None:
        return None
    return run_diagnosis(survey, options, robustness=False)


def driver_table(diagnosis, lang: str) -> pd.DataFrame:
    """Return importance (share of R², 95% CI) and performance (0–100) with the quadrant per driver."""
    from loyalty.diagnose import diagnosis_report

    report = diagnosis_report(diagnosis, lang=lang)
    rows = []
    for name, info in report["importance"].items():
        low, high = (info.get("ci95") or (None, None))[:2]
        quadrant = report["quadrants"].get(name)
        rows.append(
            {
                "driver": name,
                "label": t(f"field.{name}", lang) if name in DRIVERS or name == "trust" else name,
                "importance": _num(info.get("share")),
                "low": _num(low),
                "high": _num(high),
                "performance": _num(report["performance"].get(name)),
                "quadrant": t(f"drivers.quadrant.{quadrant}", lang) if quadrant else "",
            }
        )
    return pd.DataFrame(
        rows, columns=["driver", "label", "importance", "low", "high", "performance", "quadrant"]
    )


def _diagnosis_parts(diagnosis, lang: str) -> tuple[pd.DataFrame | None, list[str], dict[str, Any]]:
    """Return the driver table, the sentences and the charts of a diagnosis (empty without one)."""
    if diagnosis is None:
        return None, [t("report.diagnosis.none", lang)], {}
    from loyalty.charts.drivers import importance_chart, ipa_chart
    from loyalty.diagnose import importance_sentences, top_driver_sentence
    from loyalty.drivers import ipa_from_diagnosis

    # The honesty warnings (small sample, overlapping intervals naming the drivers, ...) go right
    # after the headline, so a client never reads the ranking as more certain than it is.
    sentences = [
        top_driver_sentence(diagnosis, lang),
        *(warning.message(lang) for warning in diagnosis.warnings),
        *importance_sentences(diagnosis, lang),
    ]
    charts = {
        "importance": importance_chart(diagnosis.importance, lang),
        "ipa": ipa_chart(ipa_from_diagnosis(diagnosis), lang),
    }
    return driver_table(diagnosis, lang), [s for s in sentences if s], charts


# --- strategies and plan ---------------------------------------------------------------------


def choose_strategies(
    measure_result: Mapping[str, Any],
    diagnosis,
    chosen: Sequence[str] | None,
    business_type: str | None = None,
) -> list:
    """Return the recommendations to report: the chosen ids in their order, else the top five.

    Raises
    ------
    InputError
        ``report.error.unknown_strategy`` for an id that is not in the playbook.
    """
    from loyalty.strategies import evidence_from_data, recommend

    check_strategy_ids(chosen)
    ranked = recommend(
        evidence_from_data(measure=measure_result, diagnosis=diagnosis, business_type=business_type)
    )
    if not chosen:
        return ranked[:DEFAULT_STRATEGIES]
    by_id = {rec.strategy.id: rec for rec in ranked}
    return [by_id[s] for s in dict.fromkeys(chosen)]


def check_strategy_ids(chosen: Sequence[str] | None) -> None:
    """Raise ``report.error.unknown_strategy`` when an id is not in the playbook (before any slow work)."""
    from loyalty.strategies import strategies

    known = sorted(s.id for s in strategies())
    unknown = [s for s in chosen or () if s not in known]
    if unknown:
        raise InputError("report.error.unknown_strategy", ids=", ".join(unknown), known=", ".join(known))


def strategy_table(recommendations: Sequence, lang: str) -> pd.DataFrame:
    """Return one row per recommendation with its explanation, effort, time to impact and KPI target."""
    rows = []
    for rec in recommendations:
        s = rec.strategy
        labels = s.labels(lang)
        rows.append(
            {
                "rank": rec.rank,
                "id": s.id,
                "name": s.title(lang),
                "explanation": rec.explanation(lang),
                "description": s.describe(lang),
                "effort": labels["effort"],
                "time": labels["time_to_impact"],
                "monitor": s.monitor.text(lang),
            }
        )
    columns = ["rank", "id", "name", "explanation", "description", "effort", "time", "monitor"]
    return pd.DataFrame(rows, columns=columns)


def default_plan(
    recommendations: Sequence,
    lang: str,
    start: date | None = None,
    current: Mapping[str, float | None] | None = None,
) -> pd.DataFrame:
    """Return a starter action plan: every action of each strategy, dated, owner to be assigned.

    The dates are those of the Plan page (:func:`loyalty.plan.model.plan_from_strategies`):
    each strategy starts a fortnight after the previous one and its actions follow one
    another, longer for slower strategies.

    Parameters
    ----------
    recommendations : sequence of Recommendation
        The chosen strategies.
    lang : str
        Language of the actions.
    start : datetime.date, optional
        First start date (default: today).
    current : mapping, optional
        KPI -> value today (library units), for the targets.

    Returns
    -------
    pandas.DataFrame
        :data:`PLAN_COLUMNS`; ``target`` in the KPI's display unit (NaN when today's value is unknown).
    """
    from loyalty.plan import plan_from_strategies

    plan = plan_from_strategies([rec.strategy.id for rec in recommendations], lang, start, current)
    plan["owner"] = t("report.plan.owner_tbd", lang)
    return plan[list(PLAN_COLUMNS)]


def report_plan(
    plan: pd.DataFrame | None, recommendations: Sequence, lang: str, current: Mapping[str, Any]
) -> pd.DataFrame:
    """Return the given plan with the report's columns in order (dates parsed), or the default plan."""
    if plan is None or len(plan) == 0:
        return default_plan(recommendations, lang, current=current)
    out = plan.copy()
    for column in PLAN_COLUMNS:
        if column not in out.columns:
            out[column] = None
    out["start"] = pd.to_datetime(out["start"], errors="coerce")
    out["due"] = pd.to_datetime(out["due"], errors="coerce")
    return out[list(PLAN_COLUMNS)].reset_index(drop=True)


#: Assumptions the Plan page holds as shares, shown as percentages.
_SHARE_ASSUMPTIONS = frozenset(
    {"margin", "annual_discount_rate", "promoter_share_of_gain", "loyal_spend_uplift"}
)


def assumptions_table(values: Mapping[str, Any] | Any | None, lang: str) -> pd.DataFrame | None:
    """Return the impact calculator's assumptions (``plan.assumptions``) as a translated label/value table.

    Parameters
    ----------
    values : mapping, Assumptions or None
        Assumption name -> value, as the Plan page keeps them.
    lang : str
        Language of the labels.

    Returns
    -------
    pandas.DataFrame or None
        Columns ``label`` and ``value`` (text), or None without assumptions.
    """
    if values is not None and hasattr(values, "to_dict"):
        values = values.to_dict()
    if not values:
        return None
    rows = []
    for name, value in values.items():
        key = f"plan.assume.{name}"
        label = t(key, lang) if has_key(key) else str(name)
        number = _num(value)
        if math.isnan(number):
            text = str(value)
        elif name == "horizon_months":
            text = t("plan.months", lang, n=format_number(number, lang, 0))
        elif name in _SHARE_ASSUMPTIONS:
            text = format_percent(number, lang, 0)
        else:
            text = format_number(number, lang, 2 if number % 1 else 0)
        rows.append({"label": label, "value": text})
    return pd.DataFrame(rows, columns=["label", "value"])


def _plan_value(
    measured: Mapping[str, Any],
    transactions: pd.DataFrame | None,
    survey: pd.DataFrame | None,
    assumptions: Mapping[str, Any] | None,
    plan: pd.DataFrame,
    current: Mapping[str, Any],
):
    """Return what reaching the plan's targets is worth, as the Plan page's calculator computes it."""
    from loyalty.plan.value import assumptions_for_plan, plan_value, trust_pays_table

    chosen, source = assumptions_for_plan(assumptions, plan, current)
    return plan_value(measured, transactions, chosen, trust_pays_table(survey, transactions), source)


# --- the whole content -----------------------------------------------------------------------


def build_content(
    transactions: pd.DataFrame | None,
    survey: pd.DataFrame | None = None,
    *,
    scales: Mapping[str, tuple[int, int]] | None = None,
    lang: str = "en",
    strategies: Sequence[str] | None = None,
    plan: pd.DataFrame | None = None,
    assumptions: Mapping[str, Any] | None = None,
    data: Mapping[str, dict | None] | None = None,
    rejected: Mapping[str, pd.DataFrame] | None = None,
    period: str = "quarter",
    bootstrap: int = 1000,
    seed: int = 0,
    business_type: str | None = None,
    self_assessment: Any = None,
) -> ReportContent:
    """Compute everything a report shows from canonical frames.

    Parameters
    ----------
    transactions, survey : pandas.DataFrame or None
        Canonical frames (at least one).
    scales : mapping, optional
        Rating scale per survey field (``LoadResult.scales``).
    lang : str
        Report language.
    strategies : sequence of str, optional
        Chosen strategy ids; default the recommender's top five.
    plan : pandas.DataFrame, optional
        The Plan page's action plan; default the chosen strategies' first actions.
    assumptions : mapping, optional
        The Plan page's impact assumptions (``plan.assumptions``: name -> value). Without
        them the defaults are used, with the gains to value read from the plan's targets.
    data : mapping, optional
        Kind -> ingestion summary.
    rejected : mapping, optional
        Kind -> rejected rows.
    period : {"month", "quarter", "year"}
        Period of the KPI comparison.
    bootstrap, seed : int
        Bootstrap replicates and seed of the driver diagnosis.
    business_type : {"B2B", "B2C"}, optional
        For the recommender's fit.
    self_assessment : loyalty.strategies.SelfAssessment, optional
        The owner's self-assessment, for a report without data: the frames are then
        ignored and the driver profile replaces the KPIs and the diagnosis
        (:func:`loyalty.selfassess_report.self_assessed_content`).

    Returns
    -------
    ReportContent

    Raises
    ------
    InputError
        No data, invalid options, or an unknown strategy id.
    """
    from loyalty.measure import measure
    from loyalty.plan import Assumptions
    from loyalty.plan.value import measure_options

    lang = normalize_lang(lang)
    if self_assessment is not None:
        from loyalty.selfassess_report import self_assessed_content

        return self_assessed_content(self_assessment, lang, strategies=strategies, plan=plan)
    # Horizon and discount of the impact calculator, as the Plan page measures (KPIs are unaffected).
    options = measure_options(Assumptions.from_dict(assumptions))
    result = measure(
        transactions,
        survey,
        scales=dict(scales or {}),
        period=period,
        lang=lang,
        data=dict(data or {}),
        **options,
    )
    charts: dict[str, alt.TopLevelMixin] = {}
    cohort = None
    if transactions is not None and len(transactions):
        charts, cohort = _transaction_charts(transactions, survey, period, lang)
    if survey is not None and (chart := _nps_chart(survey, lang)) is not None:
        charts["nps"] = chart
    diagnosis = run_default_diagnosis(survey, bootstrap, seed)
    drivers, sentences, driver_charts = _diagnosis_parts(diagnosis, lang)
    charts.update(driver_charts)
    chosen = choose_strategies(result, diagnosis, strategies, business_type)
    current = current_kpis(result)
    plan_rows = report_plan(plan, chosen, lang, current)
    value = _plan_value(result, transactions, survey, assumptions, plan_rows, current)
    return ReportContent(
        lang=lang,
        created=date.today(),
        data={k: v for k, v in (result.get("data") or {}).items() if v},
        measure=result,
        kpis=kpi_table(result, lang),
        cohort=cohort,
        drivers=drivers,
        diagnosis_text=sentences,
        strategies=strategy_table(chosen, lang),
        plan=plan_rows,
        impact=impact_table(value, lang),
        assumptions=assumptions_table(value.assumptions, lang),
        rejected={k: v for k, v in (rejected or {}).items() if v is not None and len(v)},
        charts=charts,
        methods=[(t(title, lang), t(text, lang)) for title, text in METHODS],
        impact_notes=impact_notes(value, lang),
        value=value,
    )


def content_from_results(results: Mapping[str, Any], **options: Any) -> ReportContent:
    """Build the content from ingestion results (kind -> ``LoadResult``), as the CLI and the page hold them.

    Parameters
    ----------
    results : mapping
        ``"transactions"`` and/or ``"survey"`` -> :class:`loyalty.ingest.LoadResult`.
    **options
        Passed on to :func:`build_content`.

    Returns
    -------
    ReportContent
    """
    tx, sv = results.get("transactions"), results.get("survey")
    return build_content(
        tx.frame if tx is not None else None,
        sv.frame if sv is not None else None,
        scales=dict(sv.scales) if sv is not None else None,
        data={kind: r.summary() for kind, r in results.items() if r is not None},
        rejected={kind: r.rejected for kind, r in results.items() if r is not None},
        **options,
    )
