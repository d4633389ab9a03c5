"""Sections of the Diagnose page: each draws one result with a plain sentence per number."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from loyalty import diagnose as service
from loyalty.charts.drivers import importance_chart, ipa_chart, path_diagram, residual_chart
from loyalty.charts.nps import nps_distribution_chart
from loyalty.drivers import Diagnosis, OLSResult, ipa_from_diagnosis
from loyalty.drivers._util import label
from loyalty.i18n import format_number, format_percent
from loyalty.kpi.nps import nps
from loyalty.schema import RECOMMEND
from loyalty.ui import diagnose_data as data
from loyalty.ui import state

tr = state.tr


def bullets(sentences: list[str]) -> None:
    """Show sentences as a bullet list (nothing for an empty list)."""
    if sentences:
        st.markdown("\n".join(f"- {s}" for s in sentences))


def _field_list(fields: tuple[str, ...], lang: str) -> str:
    return ", ".join(label(f, lang) for f in fields)


def missing_notice(availability: service.Availability) -> None:
    """Say what the survey lacks for the full analysis, what is shown instead, and what would help."""
    lang = state.lang()
    mode = availability.mode
    if mode == "full":
        return
    st.info(tr(f"diagnose.missing.{mode}", missing=_field_list(availability.missing, lang)))
    st.markdown(tr("diagnose.missing.template", columns=_field_list(availability.missing, lang)))
    if mode in ("no_survey", "no_outcome"):
        st.page_link("pages/data.py", label=tr("diagnose.go_data"), icon=":material/upload_file:")
    # Missing trust or driver questions: the survey kit asks them all, in columns that map themselves.
    st.page_link("pages/survey_kit.py", label=tr("surveykit.link.no_drivers"), icon=":material/assignment:")


def outcome_only(survey: pd.DataFrame) -> None:
    """The analysis left without drivers and trust: the recommend scores and their NPS."""
    lang = state.lang()
    scores = pd.to_numeric(survey[RECOMMEND], errors="coerce").dropna() if RECOMMEND in survey else None
    if scores is None or scores.empty:
        return
    result = nps(scores)
    st.subheader(tr("diagnose.section.outcome_only"))
    st.metric(tr("diagnose.metric.nps"), service.plain(result.value, lang, 0))
    st.markdown(
        tr(
            "diagnose.sentence.nps",
            nps=service.plain(result.value, lang, 0),
            ci=service.interval(result.ci95[0], result.ci95[1], lang, 0),
            n=format_number(result.n, lang),
            promoters=format_percent(result.shares["promoters"], lang, 0),
            detractors=format_percent(result.shares["detractors"], lang, 0),
        )
    )
    st.altair_chart(nps_distribution_chart(result, lang), width="stretch")


def warnings(diagnosis: Diagnosis) -> None:
    """Show the honesty warnings (small sample, overlapping ranking, collinearity, ...) first."""
    lang = state.lang()
    for warning in diagnosis.warnings:
        st.warning(warning.message(lang), icon=":material/warning:")


def headline(diagnosis: Diagnosis) -> None:
    """Respondents analysed and how much of trust (and of the outcome) the models explain."""
    lang = state.lang()
    model = diagnosis.driver_model
    columns = st.columns(3 if diagnosis.mediator else 2)
    columns[0].metric(
        tr("diagnose.metric.n"),
        format_number(diagnosis.n_used, lang),
        help=tr("diagnose.metric.n_help", total=format_number(diagnosis.n_total, lang)),
    )
    columns[1].metric(
        tr("diagnose.metric.r2", target=label(model.target, lang)), format_percent(model.r2, lang, 0)
    )
    sentences = [
        tr(
            "diagnose.sentence.n",
            used=format_number(diagnosis.n_used, lang),
            total=format_number(diagnosis.n_total, lang),
        ),
        service.r2_sentence(model.target, model.r2, lang),
    ]
    if diagnosis.mediator:
        out = diagnosis.outcome_model
        columns[2].metric(
            tr("diagnose.metric.r2", target=label(out.target, lang)), format_percent(out.r2, lang, 0)
        )
        sentences.append(service.r2_sentence(out.target, out.r2, lang, predictors="trust_drivers"))
    bullets(sentences)


def path(diagnosis: Diagnosis) -> None:
    """The path diagram drivers -> trust -> outcome, and one sentence per arrow (per point)."""
    lang = state.lang()
    st.subheader(tr("diagnose.section.path"))
    st.altair_chart(path_diagram(diagnosis, lang), width="stretch")
    st.caption(tr("diagnose.path.caption"))
    bullets(service.path_sentences(diagnosis, lang))


def importance(diagnosis: Diagnosis) -> None:
    """Importance bars with bootstrap intervals and P(top), and what they mean."""
    lang = state.lang()
    st.subheader(tr("diagnose.section.importance"))
    st.altair_chart(importance_chart(diagnosis.importance, lang), width="content")
    st.markdown(f"**{service.top_driver_sentence(diagnosis, lang)}**")
    bullets(service.importance_sentences(diagnosis, lang))


def ipa(diagnosis: Diagnosis) -> None:
    """The importance-performance matrix and a sentence per quadrant."""
    lang = state.lang()
    st.subheader(tr("diagnose.section.ipa"))
    result = ipa_from_diagnosis(diagnosis)
    st.altair_chart(ipa_chart(result, lang), width="content")
    st.caption(tr("diagnose.ipa.caption", target=label(diagnosis.importance.target, lang)))
    bullets(service.ipa_sentences(result, lang))


def _estimate(value: float, low: float, high: float, lang: str, decimals: int = 2) -> str:
    """Return "0.45 (0.38 to 0.52)" for a table cell."""
    if not math.isfinite(low):
        return service.signed(value, lang, decimals)
    return tr(
        "diagnose.table.estimate",
        value=service.signed(value, lang, decimals),
        low=service.plain(low, lang, decimals),
        high=service.plain(high, lang, decimals),
    )


def mediation(diagnosis: Diagnosis) -> None:
    """The mediation table (per SD of each driver) and a sentence per driver."""
    if diagnosis.mediation is None:
        return
    lang = state.lang()
    st.subheader(tr("diagnose.section.mediation"))
    med = diagnosis.mediation.to_frame()
    table = pd.DataFrame(
        {
            tr("diagnose.med.driver"): [label(d, lang) for d in med["driver"]],
            tr("diagnose.med.sd"): [service.plain(v, lang, 2) for v in med["sd"]],
            tr("diagnose.med.indirect"): [
                _estimate(*r, lang) for r in med[["indirect", "indirect_low", "indirect_high"]].to_numpy()
            ],
            tr("diagnose.med.direct"): [
                _estimate(*r, lang) for r in med[["direct", "direct_low", "direct_high"]].to_numpy()
            ],
            tr("diagnose.med.total"): [
                _estimate(*r, lang) for r in med[["total", "total_low", "total_high"]].to_numpy()
            ],
            tr("diagnose.med.proportion"): [
                format_percent(p, lang, 0) if 0 <= p <= 1 else "–" for p in med["proportion"]
            ],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(tr("diagnose.med.caption", outcome=label(diagnosis.outcome, lang)))
    bullets(service.mediation_sentences(diagnosis, lang))


def segments(survey: pd.DataFrame, diagnosis: Diagnosis, options: service.DiagnoseOptions) -> None:
    """Compare driver importance across segments that have enough complete answers."""
    lang = state.lang()
    st.subheader(tr("diagnose.section.segments"))
    candidates = service.segment_candidates(survey, diagnosis)
    if not candidates:
        st.caption(tr("diagnose.seg.none", min_n=format_number(service.SEGMENT_MIN_N, lang)))
        return
    names = {c: label(c, lang) for c in candidates}
    column = st.selectbox(
        tr("diagnose.seg.pick"), candidates, format_func=names.__getitem__, key="diagnose_segment"
    )
    with data.guard(lang):
        result = data.segments(survey, options, column)
        comparison = result.comparison()
        if comparison.empty:
            st.caption(tr("diagnose.seg.none", min_n=format_number(result.min_n, lang)))
            return
        comparison["cell"] = [
            tr(
                "diagnose.seg.cell",
                share=format_percent(r.share / 100, lang, 0),
                p=format_percent(r.p_top, lang, 0),
            )
            for r in comparison.itertuples(index=False)
        ]
        comparison["column"] = [
            tr("diagnose.seg.header", segment=s, n=format_number(n, lang))
            for s, n in zip(comparison["segment"], comparison["n"], strict=True)
        ]
        table = comparison.pivot(index="driver", columns="column", values="cell")
        table = table.reindex([d for d in diagnosis.drivers if d in table.index])
        table.index = [label(d, lang) for d in table.index]
        table.columns.name = None
        st.dataframe(table, width="stretch")
        st.caption(tr("diagnose.seg.caption", target=label(diagnosis.importance.target, lang)))
        top = comparison[comparison["rank"] == 1]
        bullets(
            [
                tr(
                    "diagnose.sentence.segment_top",
                    segment=r.segment,
                    n=format_number(r.n, lang),
                    driver=label(r.driver, lang),
                    share=format_percent(r.share / 100, lang, 0),
                    p=format_percent(r.p_top, lang, 0),
                )
                for r in top.itertuples(index=False)
            ]
        )
        if result.skipped:
            skipped = ", ".join(
                tr("diagnose.seg.skipped_one", segment=s, n=format_number(info["n"], lang))
                for s, info in result.skipped.items()
            )
            st.caption(tr("diagnose.seg.skipped", segments=skipped, min_n=format_number(result.min_n, lang)))


def _p_value(p: float, lang: str) -> str:
    """Return a p-value with three decimals, or "< 0.001"."""
    if p >= 0.001:
        return format_number(p, lang, 3)
    return tr("diagnose.diag.p_small", value=format_number(0.001, lang, 3))


def _coefficients(model: OLSResult, lang: str) -> pd.DataFrame:
    """Return a model's coefficient table with translated headers."""
    frame = model.to_frame()
    return pd.DataFrame(
        {
            tr("diagnose.diag.variable"): [label(n, lang) for n in frame["name"]],
            tr("diagnose.diag.coef"): [service.signed(v, lang, 3) for v in frame["coef"]],
            tr("diagnose.diag.std_beta"): [service.signed(v, lang, 2) for v in frame["std_beta"]],
            tr("diagnose.diag.ci"): [
                tr("diagnose.table.range", low=service.plain(lo, lang, 3), high=service.plain(hi, lang, 3))
                for lo, hi in zip(frame["ci_low"], frame["ci_high"], strict=True)
            ],
            tr("diagnose.diag.p"): [_p_value(p, lang) for p in frame["p_value"]],
            tr("diagnose.diag.vif"): [format_number(v, lang, 2) for v in frame["vif"]],
        }
    )


def _robustness(diagnosis: Diagnosis, lang: str) -> None:
    """The ordinal-logit (and promoter-logit) check of the outcome model's conclusions."""
    check = diagnosis.robustness
    st.markdown(f"**{tr('diagnose.diag.robust_title')}**")
    if check is None:
        st.caption(tr("diagnose.diag.robust_none"))
        return
    st.markdown(tr("drivers.robust.consistent" if check.consistent else "drivers.robust.inconsistent"))
    if check.models:
        table = pd.DataFrame({tr("diagnose.diag.variable"): [label(p, lang) for p in check.predictors]})
        for model in check.models:
            table[tr(f"drivers.robust.{model.model}")] = [tr(f"drivers.robust.{s}") for s in model.status]
        st.dataframe(table, hide_index=True, width="stretch")
    if check.failed:
        st.caption(
            tr(
                "diagnose.diag.robust_failed",
                models=", ".join(tr(f"drivers.robust.{m}") for m in check.failed),
            )
        )


def diagnostics(diagnosis: Diagnosis) -> None:
    """Everything a careful reader checks: n, missing answers, α, VIF, R², residuals, the ordinal check."""
    lang = state.lang()
    with st.expander(tr("diagnose.section.diagnostics"), icon=":material/fact_check:"):
        st.markdown(
            tr(
                "diagnose.diag.n",
                used=format_number(diagnosis.n_used, lang),
                total=format_number(diagnosis.n_total, lang),
                dropped=format_number(diagnosis.n_dropped, lang),
            )
        )
        missing = pd.DataFrame(
            {
                tr("diagnose.diag.variable"): [label(n, lang) for n in diagnosis.missing],
                tr("diagnose.diag.missing"): [format_number(v, lang) for v in diagnosis.missing.values()],
            }
        )
        st.dataframe(missing, hide_index=True, width="stretch")
        scales = {n: r for n, r in diagnosis.reliability.items() if len(r["items"]) > 1}
        if scales:
            bullets([service.alpha_sentence(n, r["items"], r["alpha"], lang) for n, r in scales.items()])
        else:
            st.caption(tr("diagnose.diag.alpha_none"))
        models = [m for m in (diagnosis.mediator_model, diagnosis.outcome_model) if m is not None]
        for model in models:
            st.markdown(
                f"**{tr('diagnose.diag.model', target=label(model.target, lang))}** · "
                + tr("diagnose.diag.r2", r2=format_percent(model.r2, lang, 1), n=format_number(model.n, lang))
            )
            st.dataframe(_coefficients(model, lang), hide_index=True, width="stretch")
        driver_vif = diagnosis.driver_model.vif
        high = [label(n, lang) for n, v in zip(diagnosis.drivers, driver_vif, strict=True) if v >= 5]
        st.markdown(
            tr("diagnose.diag.vif_high", drivers=", ".join(high)) if high else tr("diagnose.diag.vif_ok")
        )
        for model in models:
            st.altair_chart(residual_chart(model, lang), width="content")
        _robustness(diagnosis, lang)
