"""The trust-driver diagnosis for the Diagnose page and ``python -m loyalty diagnose``.

This module only orchestrates: every estimate comes from :mod:`loyalty.drivers`
(and CLV from :mod:`loyalty.clv`). It fixes the choices the page and the
command line share:

* **What can be analysed.** :func:`survey_availability` looks at which questions a
  survey answers and picks a mode: the full chain drivers -> trust -> outcome,
  drivers -> outcome when trust is missing, trust -> outcome when the drivers are
  missing, or the outcome alone (its NPS) when both are missing.
* **Does trust pay?** Survey answers are linked to purchases by customer ID:
  repeat purchase (two or more purchase days), revenue per customer, and, when
  the BG/NBD and Gamma-Gamma models fit, predicted CLV and P(alive).
* **Segments.** Segment labels come from the survey's own extra columns and from
  the customers table (joined by customer ID); a segment is analysed only with
  enough complete answers.
* **Plain sentences.** Every number the page shows has one sentence a business
  owner can read (:func:`effect_sentence` and friends).
* **The JSON report** of the command line (:func:`diagnosis_report`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from loyalty.clv import ModelStatus, fit_clv
from loyalty.clv.pipeline import ClvResult
from loyalty.drivers import (
    Diagnosis,
    IPAResult,
    SegmentDiagnosis,
    WhatIfResult,
    diagnose,
    diagnose_segments,
    ipa_from_diagnosis,
    simulate_whatif,
    trust_pays,
)
from loyalty.drivers._util import jsonable, label
from loyalty.drivers.specs import build_scales
from loyalty.errors import InputError
from loyalty.i18n import format_number, format_percent, t
from loyalty.schema import (
    AMOUNT,
    COMMENT,
    CUSTOMER_ID,
    DATE,
    DRIVERS,
    RECOMMEND,
    REPURCHASE_INTENT,
    SIGNUP_DATE,
    TRUST,
)

#: Modes of :func:`survey_availability`, from the richest analysis to none.
MODES: tuple[str, ...] = ("full", "direct", "trust_only", "outcome_only", "no_outcome", "no_survey")
#: Outcomes the page offers, in order of preference.
OUTCOMES: tuple[str, ...] = (RECOMMEND, REPURCHASE_INTENT)
#: Bootstrap replicates: the page and the CLI default; segments get fewer to stay quick.
BOOTSTRAP = 1000
SEGMENT_BOOTSTRAP = 200
#: A segment needs this many complete answers (REFERENCE.md §3: below that, rankings are guesswork).
SEGMENT_MIN_N = 100
#: Text columns with more labels than this are not offered as segments.
MAX_SEGMENT_LABELS = 20
#: A top driver is "clear" when it wins in at least this share of the bootstrap resamples.
CLEAR_TOP = 0.9
#: CLV horizon of the "does trust pay?" comparison, in weeks (one year).
CLV_HORIZON_WEEKS = 52
#: Columns that are never segments or extra numeric drivers.
_NOT_SEGMENTS = frozenset({CUSTOMER_ID, DATE, COMMENT, SIGNUP_DATE})
_MINUS = "\u2212"


# --- what the survey allows ------------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    """Which questions a survey answers, and the analysis that follows from them.

    Parameters
    ----------
    mode : str
        One of :data:`MODES`.
    drivers : tuple of str
        Canonical trust drivers with at least one answer.
    trust : bool
        Whether the survey has trust answers.
    outcomes : tuple of str
        Outcomes with answers (``recommend``, ``repurchase_intent``).
    numeric : tuple of str
        Other numeric columns (e.g. items of a multi-item scale), usable as drivers.
    missing : tuple of str
        Canonical fields the full analysis needs that the survey lacks.
    """

    mode: str
    drivers: tuple[str, ...] = ()
    trust: bool = False
    outcomes: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def _answered(survey: pd.DataFrame, column: str) -> bool:
    """Whether ``column`` exists and holds at least one numeric answer."""
    return column in survey.columns and bool(pd.to_numeric(survey[column], errors="coerce").notna().any())


def _numeric_extras(survey: pd.DataFrame) -> tuple[str, ...]:
    """Numeric columns outside the canonical survey fields that vary."""
    canonical = {*DRIVERS, TRUST, *OUTCOMES, *_NOT_SEGMENTS}
    return tuple(
        str(c)
        for c in survey.columns
        if c not in canonical
        and pd.api.types.is_numeric_dtype(survey[c])
        and not pd.api.types.is_bool_dtype(survey[c])
        and survey[c].nunique(dropna=True) >= 2
    )


def survey_availability(survey: pd.DataFrame | None) -> Availability:
    """Return which questions a survey answers and which analysis it supports.

    Parameters
    ----------
    survey : pandas.DataFrame or None
        Canonical survey responses; None when no survey is loaded.

    Returns
    -------
    Availability
    """
    needed = (RECOMMEND, TRUST, *DRIVERS)
    if survey is None:
        return Availability("no_survey", missing=needed)
    drivers = tuple(d for d in DRIVERS if _answered(survey, d))
    trust = _answered(survey, TRUST)
    outcomes = tuple(o for o in OUTCOMES if _answered(survey, o))
    missing = tuple(f for f in needed if not _answered(survey, f))
    if not outcomes:
        mode = "no_outcome"
    elif drivers and trust:
        mode = "full"
    elif drivers:
        mode = "direct"
    elif trust:
        mode = "trust_only"
    else:
        mode = "outcome_only"
    return Availability(mode, drivers, trust, outcomes, _numeric_extras(survey), missing)


#: Questions a survey may ask with several numbered items ("Service 1", "Service 2", ...).
ITEM_FIELDS: tuple[str, ...] = (*DRIVERS, TRUST, REPURCHASE_INTENT)
_ITEM_NUMBER = re.compile(r"^(.*\S)\s+(\d{1,2})$")


def item_field(column: str) -> str | None:
    """Return the question a numbered item column belongs to ("Obsługa klienta 2" -> ``service``), or None.

    The header without its item number must name the question exactly (a synonym
    of ``loyalty/data/synonyms.json``), so "Service 2" counts and "Week 2" does not.
    """
    from loyalty.ingest.mapping import header_score, normalize_header

    match = _ITEM_NUMBER.match(normalize_header(column))
    if match is None:
        return None
    base = match.group(1)
    return next((f for f in ITEM_FIELDS if header_score(base, f) >= 1.0), None)


def item_scales(survey: pd.DataFrame) -> dict[str, list[str]]:
    """Return the multi-item scales of a survey: question -> its item columns.

    Ingestion maps the first item of a question ("Service 1") onto the canonical
    column (``service``) and keeps the other items as extra numeric columns under
    their own headers ("Service 2"). Both are put back together here, so a survey
    from the survey kit is analysed as scales without anyone typing a spec.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey with its extra columns.

    Returns
    -------
    dict of str to list of str
        Only questions with two or more items; the canonical column first.
    """
    groups: dict[str, list[str]] = {}
    for column in survey.columns:
        if column in ITEM_FIELDS or not pd.api.types.is_numeric_dtype(survey[column]):
            continue
        if (name := item_field(str(column))) is not None:
            groups.setdefault(name, []).append(str(column))
    scales = {name: ([name] if name in survey.columns else []) + items for name, items in groups.items()}
    return {name: items for name, items in scales.items() if len(items) >= 2}


def with_item_scales(spec: Any, scales: Mapping[str, list[str]]) -> Any:
    """Replace bare question names of ``spec`` by their multi-item scales (typed specs stay as they are)."""
    if spec is None or not scales:
        return spec
    if isinstance(spec, str):
        return {spec: scales[spec]} if spec in scales else spec
    names = list(spec)
    return {n: scales.get(n, [n]) for n in names} if any(n in scales for n in names) else names


@dataclass(frozen=True)
class DiagnoseOptions:
    """What to analyse: drivers, mediator, outcome and the bootstrap.

    Parameters
    ----------
    drivers : tuple of str or str
        Driver column names, or a spec string (``"COMP=comp_1+comp_2,service"``).
    mediator : str or None
        Mediator column or spec (trust); None for drivers -> outcome directly.
    outcome : str
        Outcome column or spec.
    bootstrap : int
        Bootstrap replicates (0 for none).
    seed : int
        Random seed.
    """

    drivers: tuple[str, ...] | str
    mediator: str | None = TRUST
    outcome: str = RECOMMEND
    bootstrap: int = BOOTSTRAP
    seed: int = 0

    def cache_key(self) -> tuple:
        """Return a plain tuple identifying these options (for caches)."""
        return (self.drivers, self.mediator, self.outcome, self.bootstrap, self.seed)


def default_options(
    availability: Availability, bootstrap: int = BOOTSTRAP, seed: int = 0
) -> DiagnoseOptions | None:
    """Return the default analysis for what the survey answers, or None when no model can be fitted.

    Parameters
    ----------
    availability : Availability
        From :func:`survey_availability`.
    bootstrap : int
        Bootstrap replicates.
    seed : int
        Random seed.

    Returns
    -------
    DiagnoseOptions or None
        Full chain, drivers -> outcome (no trust), or trust -> outcome (no drivers).
    """
    if availability.mode not in ("full", "direct", "trust_only"):
        return None
    outcome = availability.outcomes[0]
    if availability.mode == "trust_only":
        return DiagnoseOptions((TRUST,), None, outcome, bootstrap, seed)
    mediator = TRUST if availability.mode == "full" else None
    return DiagnoseOptions(availability.drivers, mediator, outcome, bootstrap, seed)


def run_diagnosis(survey: pd.DataFrame, options: DiagnoseOptions, robustness: bool = True) -> Diagnosis:
    """Fit the driver models for ``options``.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey (extra columns allowed).
    options : DiagnoseOptions
        What to analyse.
    robustness : bool
        Run the ordinal-logit check.

    Returns
    -------
    Diagnosis

    Raises
    ------
    InputError
        Unknown columns, a bad spec, too few complete answers, a constant answer.
    """
    drivers = options.drivers if isinstance(options.drivers, str) else list(options.drivers)
    if not drivers:
        raise InputError("drivers.error.no_drivers")
    scales = item_scales(survey)
    return diagnose(
        survey,
        drivers=with_item_scales(drivers, scales),
        mediator=with_item_scales(options.mediator, scales),
        outcome=with_item_scales(options.outcome, scales),
        bootstrap=options.bootstrap,
        seed=options.seed,
        robustness=robustness,
    )


# --- segments -------------------------------------------------------------------------


def attach_customer_columns(survey: pd.DataFrame, customers: pd.DataFrame | None) -> pd.DataFrame:
    """Add the customers table's label columns (segment, country, ...) to the survey by customer ID.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey.
    customers : pandas.DataFrame or None
        Canonical customers table.

    Returns
    -------
    pandas.DataFrame
        The survey, with each customer label column it does not already have;
        unchanged without customers or customer IDs.
    """
    if customers is None or CUSTOMER_ID not in survey.columns or CUSTOMER_ID not in customers.columns:
        return survey
    columns = [
        c
        for c in customers.columns
        if c not in survey.columns and c not in _NOT_SEGMENTS and _is_label_column(customers[c])
    ]
    if not columns:
        return survey
    lookup = customers.assign(**{CUSTOMER_ID: customers[CUSTOMER_ID].astype(str)})
    lookup = lookup.drop_duplicates(CUSTOMER_ID).set_index(CUSTOMER_ID)
    keys = survey[CUSTOMER_ID].astype(str)
    return survey.assign(**{c: keys.map(lookup[c]) for c in columns})


def _is_label_column(values: pd.Series) -> bool:
    """Whether a column holds a few text labels (a usable segment)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return False
    return 2 <= values.nunique(dropna=True) <= MAX_SEGMENT_LABELS


def segment_columns(survey: pd.DataFrame) -> list[str]:
    """Return the survey columns that can split respondents into segments.

    Parameters
    ----------
    survey : pandas.DataFrame
        Survey, possibly with customer columns attached.

    Returns
    -------
    list of str
        Text columns with 2 to :data:`MAX_SEGMENT_LABELS` labels.
    """
    return [str(c) for c in survey.columns if c not in _NOT_SEGMENTS and _is_label_column(survey[c])]


def complete_answers(survey: pd.DataFrame, diagnosis: Diagnosis) -> pd.Series:
    """Return a boolean per respondent: answered every variable the diagnosis analysed."""
    values, _ = build_scales(survey, diagnosis.spec)
    return values.notna().all(axis=1)


def segment_sizes(survey: pd.DataFrame, diagnosis: Diagnosis, column: str) -> pd.Series:
    """Return complete answers per label of ``column``, largest first."""
    return _sizes(survey, complete_answers(survey, diagnosis), column)


def _sizes(survey: pd.DataFrame, complete: pd.Series, column: str) -> pd.Series:
    labels = survey[column].astype("object").where(survey[column].notna())
    return complete.groupby(labels, dropna=True).sum().astype(int).sort_values(ascending=False)


def segment_table(survey: pd.DataFrame, diagnosis: Diagnosis) -> pd.DataFrame:
    """Return complete answers per segment label, for every segment column.

    Parameters
    ----------
    survey : pandas.DataFrame
        Survey with its segment columns.
    diagnosis : Diagnosis
        The analysis whose variables must be complete.

    Returns
    -------
    pandas.DataFrame
        Columns ``column``, ``value`` (str) and ``n``; within a column, largest first.
    """
    complete = complete_answers(survey, diagnosis)
    rows = [
        (column, str(value), int(n))
        for column in segment_columns(survey)
        for value, n in _sizes(survey, complete, column).items()
    ]
    return pd.DataFrame(rows, columns=["column", "value", "n"])


def segment_candidates(survey: pd.DataFrame, diagnosis: Diagnosis, min_n: int = SEGMENT_MIN_N) -> list[str]:
    """Return the segment columns with at least two labels of ``min_n`` complete answers.

    Parameters
    ----------
    survey : pandas.DataFrame
        Survey with its segment columns.
    diagnosis : Diagnosis
        The analysis whose variables must be complete.
    min_n : int
        Complete answers a segment needs.

    Returns
    -------
    list of str
    """
    if len(diagnosis.drivers) < 2:  # one driver has nothing to rank
        return []
    table = segment_table(survey, diagnosis)
    large = table[table["n"] >= min_n].groupby("column", sort=False).size()
    return [str(c) for c, count in large.items() if count >= 2]


def compare_segments(
    survey: pd.DataFrame,
    column: str,
    options: DiagnoseOptions,
    min_n: int = SEGMENT_MIN_N,
    bootstrap: int = SEGMENT_BOOTSTRAP,
) -> SegmentDiagnosis:
    """Run the diagnosis in every segment of ``column`` with enough complete answers.

    Parameters
    ----------
    survey : pandas.DataFrame
        Survey with the segment column.
    column : str
        Segment column.
    options : DiagnoseOptions
        The analysis to repeat per segment.
    min_n : int
        Complete answers a segment needs.
    bootstrap : int
        Bootstrap replicates per segment.

    Returns
    -------
    SegmentDiagnosis
    """
    drivers = options.drivers if isinstance(options.drivers, str) else list(options.drivers)
    scales = item_scales(survey)
    return diagnose_segments(
        survey,
        column,
        min_n=min_n,
        drivers=with_item_scales(drivers, scales),
        mediator=with_item_scales(options.mediator, scales),
        outcome=with_item_scales(options.outcome, scales),
        bootstrap=bootstrap,
        seed=options.seed,
        robustness=False,
    )


# --- what if ----------------------------------------------------------------------------


def whatif_range(diagnosis: Diagnosis, driver: str) -> tuple[float, float, float]:
    """Return ``(min, max, step)`` of a what-if slider for ``driver``: half the answer scale each way."""
    low, high = diagnosis.scales[driver]
    reach = max(1.0, float(round((high - low) / 2)))
    return -reach, reach, 0.1 if high - low <= 6 else 0.5


def segment_mask(survey: pd.DataFrame, segment: tuple[str, str] | None) -> pd.Series | None:
    """Return the respondents of ``(column, label)``, or None for everyone."""
    if segment is None:
        return None
    column, value = segment
    if column not in survey.columns:
        raise InputError("drivers.error.missing_column", column=column)
    return survey[column].astype("object").where(survey[column].notna()).astype(str) == str(value)


def run_whatif(
    diagnosis: Diagnosis,
    survey: pd.DataFrame,
    deltas: Mapping[str, float],
    segment: tuple[str, str] | None = None,
    n_draws: int = 200,
    seed: int = 0,
) -> WhatIfResult:
    """Predict trust, recommend scores and NPS when drivers move by ``deltas`` points.

    Parameters
    ----------
    diagnosis : Diagnosis
        The fitted diagnosis (its bootstrap draws give the uncertainty band).
    survey : pandas.DataFrame
        The survey that was diagnosed.
    deltas : mapping
        Driver -> change in scale points; zero changes are dropped.
    segment : tuple of str or None
        ``(column, label)`` to simulate one segment only.
    n_draws : int
        Simulation draws.
    seed : int
        Random seed.

    Returns
    -------
    WhatIfResult
    """
    moved = {d: float(v) for d, v in deltas.items() if float(v) != 0.0}
    return simulate_whatif(
        diagnosis, survey, moved, segment_mask(survey, segment), n_draws=n_draws, seed=seed
    )


# --- does trust pay? -------------------------------------------------------------------


@dataclass
class TrustPays:
    """Buying behaviour of surveyed customers by NPS group and trust third.

    Parameters
    ----------
    table : pandas.DataFrame or None
        See :func:`loyalty.drivers.trust_pays`; None when nothing could be matched.
    n_matched, n_surveyed : int
        Surveyed customers found in the transactions, and surveyed customers.
    problem : InputError or None
        Why the comparison could not be made (no customer IDs, no match).
    clv_status : str or None
        Status of the CLV model behind the ``clv`` and ``p_alive`` metrics.
    clv_note : ClvResult or None
        The CLV result without its per-customer tables, for its status message.
    """

    table: pd.DataFrame | None
    n_matched: int = 0
    n_surveyed: int = 0
    problem: InputError | None = None
    clv_status: str | None = None
    clv_note: ClvResult | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict (messages in English)."""
        out: dict[str, Any] = {
            "n_matched": self.n_matched,
            "n_surveyed": self.n_surveyed,
            "clv_status": self.clv_status,
        }
        if self.problem is not None:
            out["problem"] = self.problem.message("en")
        if self.clv_note is not None and self.clv_status != ModelStatus.OK.value:
            out["clv_message"] = self.clv_note.message("en")
        out["groups"] = [] if self.table is None else self.table.to_dict(orient="records")
        return jsonable(out)


def customer_metrics(transactions: pd.DataFrame, clv: ClvResult | None = None) -> pd.DataFrame:
    """Return per-customer behaviour: repeat purchase, revenue and, when modelled, CLV and P(alive).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Canonical ``customer_id``, ``date``, ``amount``.
    clv : ClvResult or None
        A fitted CLV result; its ``clv`` and ``p_alive`` predictions are added when usable.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer ID (str): ``repeat`` (bool: two or more purchase days;
        refunds are not purchases), ``revenue`` (net), and ``clv``/``p_alive``
        when available.
    """
    ids = transactions[CUSTOMER_ID].astype(str)
    revenue = transactions[AMOUNT].groupby(ids).sum()
    bought = transactions[AMOUNT] >= 0
    days = transactions.loc[bought, DATE].dt.normalize().groupby(ids[bought]).nunique()
    metrics = pd.DataFrame(
        {"repeat": days.reindex(revenue.index, fill_value=0).to_numpy() >= 2, "revenue": revenue.to_numpy()},
        index=revenue.index.astype(str),
    )
    if clv is not None and clv.predictions is not None:
        predictions = clv.predictions.copy()
        predictions.index = predictions.index.astype(str)
        if clv.status.has_clv:
            metrics["clv"] = predictions["clv"].reindex(metrics.index)
        if clv.status.has_purchase_model:
            metrics["p_alive"] = predictions["p_alive"].reindex(metrics.index)
    return metrics


def trust_pays_analysis(survey: pd.DataFrame, transactions: pd.DataFrame, with_clv: bool = True) -> TrustPays:
    """Compare repeat rate, revenue, CLV and P(alive) across NPS groups and trust thirds.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey with ``customer_id``.
    transactions : pandas.DataFrame
        Canonical transactions.
    with_clv : bool
        Fit BG/NBD and Gamma-Gamma for predicted CLV and P(alive).

    Returns
    -------
    TrustPays
        With ``problem`` set (and no table) when the survey cannot be linked.
    """
    try:  # link first: fitting CLV is wasted on a survey that matches no customer
        trust_pays(survey, customer_metrics(transactions))
    except InputError as err:
        return TrustPays(None, problem=err)
    clv = fit_clv(transactions, horizon=CLV_HORIZON_WEEKS) if with_clv else None
    table = trust_pays(survey, customer_metrics(transactions, clv))
    return TrustPays(
        table,
        n_matched=int(table.attrs["n_matched"]),
        n_surveyed=int(table.attrs["n_surveyed"]),
        clv_status=None if clv is None else clv.status.value,
        clv_note=None if clv is None else ClvResult(clv.status, clv.message_key, dict(clv.message_params)),
    )


# --- plain sentences --------------------------------------------------------------------


def signed(value: float, lang: str, decimals: int = 2) -> str:
    """Return ``value`` with an explicit sign (+0.30, −0.12) in the language's number format."""
    if value is None or not math.isfinite(value):
        return "–"
    text = format_number(abs(float(value)), lang, decimals)
    if round(abs(float(value)), decimals) == 0:  # "+0.00" would claim a direction the number lacks
        return text
    return ("+" if value > 0 else _MINUS) + text


def plain(value: float, lang: str, decimals: int = 2) -> str:
    """Return ``value`` in the language's format, with a typographic minus."""
    return format_number(value, lang, decimals).replace("-", _MINUS)


def interval(low: float, high: float, lang: str, decimals: int = 2, percent: bool = False) -> str:
    """Return "95% CI a–b" (or "a to b" when a bound is negative) in ``lang``."""
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return t("diagnose.ci_none", lang)
    show = (lambda v: format_percent(v, lang, decimals)) if percent else (lambda v: plain(v, lang, decimals))
    key = "diagnose.ci" if low >= 0 else "diagnose.ci_signed"
    return t(key, lang, low=show(low), high=show(high))


def effect_sentence(
    driver: str, target: str, coef: float, low: float, high: float, lang: str, significant: bool | None = None
) -> str:
    """Return "Raising <driver> scores by one point is linked to +0.30 <target> (95% CI 0.20–0.40)".

    Parameters
    ----------
    driver, target : str
        Variable names (shown as their labels).
    coef, low, high : float
        Raw coefficient (target points per driver point) and its 95% limits.
    lang : str
        Language.
    significant : bool or None
        Whether the interval excludes zero; computed from the limits when None.

    Returns
    -------
    str
    """
    if significant is None:
        significant = bool(low > 0 or high < 0)
    key = "diagnose.sentence.effect" if significant else "diagnose.sentence.effect_unclear"
    return t(
        key,
        lang,
        driver=label(driver, lang),
        target=label(target, lang),
        effect=signed(coef, lang),
        ci=interval(low, high, lang),
    )


def path_sentences(diagnosis: Diagnosis, lang: str) -> list[str]:
    """Return one effect sentence per arrow of the path diagram (drivers first, then trust)."""
    model = diagnosis.driver_model
    rows = [
        effect_sentence(name, model.target, c, lo, hi, lang)
        for name, c, lo, hi in zip(model.names, model.coef, model.ci_low, model.ci_high, strict=True)
    ]
    if diagnosis.mediator is not None:
        out = diagnosis.outcome_model
        rows.append(
            effect_sentence(diagnosis.mediator, out.target, out.coef[0], out.ci_low[0], out.ci_high[0], lang)
        )
    return rows


def r2_sentence(target: str, r2: float, lang: str, predictors: str = "drivers") -> str:
    """Return "Together, the drivers explain 52% of the differences in <target> between respondents"."""
    return t(
        f"diagnose.sentence.r2_{predictors}", lang, r2=format_percent(r2, lang, 0), target=label(target, lang)
    )


def top_driver_sentence(diagnosis: Diagnosis, lang: str) -> str:
    """Return how sure we are which driver matters most.

    "Clearly the most important" needs both: the driver wins in at least
    :data:`CLEAR_TOP` of the bootstrap resamples *and* its interval clears the
    runner-up's. A frequent winner whose interval overlaps is "most likely";
    otherwise the top spot is shared.
    """
    imp = diagnosis.importance
    frame = imp.to_frame()
    target = label(imp.target, lang)
    if imp.p_top is None or len(frame) < 2:
        return t(
            "diagnose.sentence.top_point", lang, driver=label(frame.iloc[0]["driver"], lang), target=target
        )
    by_p = frame.sort_values("p_top", ascending=False, kind="stable")
    leader, runner = by_p.iloc[0], by_p.iloc[1]
    params = {
        "driver": label(leader["driver"], lang),
        "target": target,
        "p": format_percent(leader["p_top"], lang, 0),
        "second": label(runner["driver"], lang),
        "p2": format_percent(runner["p_top"], lang, 0),
    }
    if leader["p_top"] < CLEAR_TOP:
        return t("diagnose.sentence.top_unclear", lang, **params)
    others = frame[frame["driver"] != leader["driver"]]
    separated = bool(leader["ci_low"] > others["ci_high"].max())
    return t("diagnose.sentence.top_clear" if separated else "diagnose.sentence.top_likely", lang, **params)


def importance_sentences(diagnosis: Diagnosis, lang: str) -> list[str]:
    """Return one sentence per driver: its share of explained variation, interval and P(top)."""
    imp = diagnosis.importance
    target = label(imp.target, lang)
    rows = []
    for row in imp.to_frame().itertuples(index=False):
        params = {
            "driver": label(row.driver, lang),
            "target": target,
            "share": format_percent(row.share / 100, lang, 0),
        }
        if math.isfinite(row.ci_low):
            text = t(
                "diagnose.sentence.share",
                lang,
                **params,
                ci=interval(row.ci_low / 100, row.ci_high / 100, lang, 0, percent=True),
                p=format_percent(row.p_top, lang, 0),
            )
        else:
            text = t("diagnose.sentence.share_point", lang, **params)
        if row.sign < 0:
            text += " " + t("diagnose.sentence.negative", lang, driver=params["driver"], target=target)
        rows.append(text)
    return rows


def ipa_sentences(ipa: IPAResult, lang: str) -> list[str]:
    """Return one sentence per non-empty quadrant, naming its drivers with their numbers."""
    frame = ipa.to_frame()
    rows = []
    for code in ("fix_first", "keep_it_up", "low_priority", "possibly_over_invested"):
        part = frame[frame["quadrant"] == code]
        if part.empty:
            continue
        drivers = ", ".join(
            t(
                "diagnose.ipa.point",
                lang,
                driver=label(r.driver, lang),
                importance=format_percent(r.importance / 100, lang, 0),
                performance=format_number(r.performance, lang, 0),
            )
            for r in part.itertuples(index=False)
        )
        rows.append(t(f"diagnose.sentence.quadrant.{code}", lang, drivers=drivers))
    return rows


def mediation_sentences(diagnosis: Diagnosis, lang: str) -> list[str]:
    """Return per driver: total effect of one SD, split into through-trust and direct parts."""
    med = diagnosis.mediation
    if med is None:
        return []
    rows = []
    for row in med.to_frame().itertuples(index=False):
        text = t(
            "diagnose.sentence.mediation",
            lang,
            driver=label(row.driver, lang),
            sd=plain(row.sd, lang, 1),
            outcome=label(med.outcome, lang),
            total=signed(row.total, lang),
            ci=interval(row.total_low, row.total_high, lang),
            indirect=signed(row.indirect, lang),
            direct=signed(row.direct, lang),
            mediator=label(med.mediator, lang),
        )
        clear_total = row.total_low > 0 or row.total_high < 0
        if clear_total and 0 <= row.proportion <= 1:
            text += " " + t(
                "diagnose.sentence.mediation_share",
                lang,
                share=format_percent(row.proportion, lang, 0),
                mediator=label(med.mediator, lang),
            )
        elif not clear_total:
            text += " " + t("diagnose.sentence.mediation_unclear", lang)
        rows.append(text)
    return rows


def whatif_sentence(result: WhatIfResult, diagnosis: Diagnosis, lang: str) -> str:
    """Return the predicted NPS (or mean outcome) with its change and 95% band, in one sentence."""
    metrics = result.metrics.set_index("metric")
    metric, decimals = ("nps", 0) if "nps" in metrics.index else ("outcome_mean", 2)
    row = metrics.loc[metric]
    outcome = label(diagnosis.outcome, lang)
    baseline = plain(row["baseline"], lang, decimals)
    # Name the respondents: the baseline covers complete answers only, so it may differ from Measure.
    n = format_number(result.n, lang)
    if not result.deltas:
        return t(f"diagnose.sentence.whatif_zero_{metric}", lang, baseline=baseline, outcome=outcome, n=n)
    return t(
        f"diagnose.sentence.whatif_{metric}",
        lang,
        predicted=plain(row["predicted"], lang, decimals),
        baseline=baseline,
        change=signed(row["change"], lang, decimals if decimals else 1),
        low=signed(row["change_low"], lang, decimals if decimals else 1),
        high=signed(row["change_high"], lang, decimals if decimals else 1),
        outcome=outcome,
        n=n,
    )


#: Metrics whose mean is itself a probability, shown as a percentage like proportions.
PROBABILITY_METRICS = frozenset({"p_alive"})


def format_metric(value: float, kind: str, lang: str, metric: str = "") -> str:
    """Return a proportion (or a mean probability) as a percentage, any other mean as a number."""
    if kind == "proportion" or metric in PROBABILITY_METRICS:
        return format_percent(value, lang, 0)
    return format_number(value, lang, 2 if abs(value) < 10 else 0)


def trust_pays_sentences(result: TrustPays, grouping: str, lang: str) -> list[str]:
    """Return one sentence per metric: the best group against the worst, and whether the CIs overlap.

    Parameters
    ----------
    result : TrustPays
        From :func:`trust_pays_analysis`.
    grouping : str
        ``nps_group`` (promoters vs detractors) or ``trust_tertile`` (high vs low trust).
    lang : str
        Language.

    Returns
    -------
    list of str
    """
    if result.table is None:
        return []
    table = result.table[result.table["grouping"] == grouping]
    top, bottom = ("promoter", "detractor") if grouping == "nps_group" else ("high", "low")
    rows = []
    for metric, part in table.groupby("metric", sort=False):
        best, worst = part.set_index("group").loc[top], part.set_index("group").loc[bottom]
        if best["n"] < 2 or worst["n"] < 2:
            continue
        kind = best["kind"]
        overlap = not (best["ci_low"] > worst["ci_high"] or worst["ci_low"] > best["ci_high"])
        rows.append(
            t(
                "diagnose.sentence.trust_pays",
                lang,
                metric=t(f"diagnose.tp.metric.{metric}", lang),
                top=t(f"drivers.group.{top}", lang),
                top_value=format_metric(best["estimate"], kind, lang, metric),
                top_ci=_ci_text(best, kind, lang, metric),
                bottom=t(f"drivers.group.{bottom}", lang),
                bottom_value=format_metric(worst["estimate"], kind, lang, metric),
                bottom_ci=_ci_text(worst, kind, lang, metric),
            )
            + " "
            + t(
                "diagnose.sentence.trust_pays_unclear" if overlap else "diagnose.sentence.trust_pays_clear",
                lang,
            )
        )
    return rows


def _ci_text(row: pd.Series, kind: str, lang: str, metric: str) -> str:
    if not (math.isfinite(row["ci_low"]) and math.isfinite(row["ci_high"])):
        return t("diagnose.ci_none", lang)
    low, high = (format_metric(row[c], kind, lang, metric) for c in ("ci_low", "ci_high"))
    return t("diagnose.ci" if row["ci_low"] >= 0 else "diagnose.ci_signed", lang, low=low, high=high)


def alpha_sentence(name: str, items: Sequence[str], alpha: float | None, lang: str) -> str:
    """Return Cronbach's alpha of a multi-item scale with a plain verdict (0.7 is the usual bar)."""
    if alpha is None:
        return t("diagnose.diag.alpha_single", lang, name=label(name, lang))
    verdict = "diagnose.diag.alpha_good" if alpha >= 0.7 else "diagnose.diag.alpha_weak"
    return t(
        "diagnose.diag.alpha_sentence",
        lang,
        name=label(name, lang),
        alpha=format_number(alpha, lang, 2),
        k=len(items),
        verdict=t(verdict, lang),
    )


# --- the JSON report ---------------------------------------------------------------------


def _ci(low: Any, high: Any) -> list[float | None]:
    return jsonable([low, high])


def _model_report(model: Any) -> dict[str, Any] | None:
    """Return ``{r2, n, intercept, coefficients {name: {beta, beta_std, ci95, p, vif, se}}}``."""
    if model is None:
        return None
    coefficients = {
        name: {
            "beta": model.coef[i],
            "beta_std": model.std_beta[i],
            "ci95": _ci(model.ci_low[i], model.ci_high[i]),
            "p": model.p_value[i],
            "vif": model.vif[i],
            "se": model.se[i],
        }
        for i, name in enumerate(model.names)
    }
    return jsonable(
        {
            "target": model.target,
            "r2": model.r2,
            "adj_r2": model.adj_r2,
            "n": model.n,
            "intercept": model.intercept,
            "coefficients": coefficients,
        }
    )


def _importance_report(diagnosis: Diagnosis) -> dict[str, Any]:
    """Return ``{driver: {share, ci95, p_top, sign, relative_weight}}``; shares are fractions summing to 1."""
    out = {}
    for row in diagnosis.importance.to_frame().itertuples(index=False):
        out[row.driver] = {
            "share": row.share / 100,
            "ci95": _ci(row.ci_low / 100, row.ci_high / 100),
            "p_top": row.p_top,
            "sign": int(row.sign),
            "relative_weight": row.relative_weight / 100,
        }
    return jsonable(out)


def _mediation_report(diagnosis: Diagnosis) -> dict[str, Any] | None:
    """Return ``{driver: {indirect, direct, total, proportion_mediated: {estimate, ci95}}}`` (per SD)."""
    if diagnosis.mediation is None:
        return None
    names = {
        "indirect": "indirect",
        "direct": "direct",
        "total": "total",
        "proportion": "proportion_mediated",
    }
    out = {}
    for row in diagnosis.mediation.to_frame().to_dict(orient="records"):
        entry: dict[str, Any] = {"sd": row["sd"]}
        for effect, key in names.items():
            entry[key] = {"estimate": row[effect], "ci95": _ci(row[f"{effect}_low"], row[f"{effect}_high"])}
        out[row["driver"]] = entry
    return jsonable(out)


def diagnosis_report(
    diagnosis: Diagnosis, trust_pays_result: TrustPays | None = None, lang: str = "en"
) -> dict[str, Any]:
    """Return the command line's JSON object.

    Parameters
    ----------
    diagnosis : Diagnosis
        A fitted diagnosis.
    trust_pays_result : TrustPays or None
        The "does trust pay?" comparison, when transactions were given.
    lang : str
        Language of the warnings.

    Returns
    -------
    dict
        ``n``, ``missing`` (respondents dropped), ``scales``, ``mediator_model``,
        ``outcome_model``, ``importance``, ``mediation``, ``quadrants``,
        ``warnings`` and, with transactions, ``trust_pays``; plus the variables
        analysed, the mediation unit and the ordinal check.
    """
    ipa = ipa_from_diagnosis(diagnosis)
    report = {
        "n": diagnosis.n_used,
        "n_total": diagnosis.n_total,
        "missing": diagnosis.n_dropped,
        "missing_by_variable": diagnosis.missing,
        "drivers": diagnosis.drivers,
        "mediator": diagnosis.mediator,
        "outcome": diagnosis.outcome,
        "scales": {
            name: {**info, "range": list(diagnosis.scales[name])}
            for name, info in diagnosis.reliability.items()
        },
        "mediator_model": _model_report(diagnosis.mediator_model),
        "outcome_model": _model_report(diagnosis.outcome_model),
        "importance_target": diagnosis.importance.target,
        "importance": _importance_report(diagnosis),
        "mediation_unit": "outcome points per one standard deviation of the driver",
        "mediation": _mediation_report(diagnosis),
        "quadrants": dict(zip(ipa.drivers, ipa.quadrant, strict=True)),
        "performance": dict(zip(ipa.drivers, ipa.performance.tolist(), strict=True)),
        "warnings": [w.message(lang) for w in diagnosis.warnings],
        "warning_codes": [w.code for w in diagnosis.warnings],
        "robustness": None if diagnosis.robustness is None else diagnosis.robustness.to_dict(),
        "bootstrap": diagnosis.n_boot,
        "seed": diagnosis.seed,
    }
    if trust_pays_result is not None:
        report["trust_pays"] = trust_pays_result.to_dict()
    return jsonable(report)
