""" "Does trust pay?": repeat rate, revenue, predicted CLV and P(alive) of promoters vs detractors."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from loyalty import diagnose as service
from loyalty.i18n import format_number
from loyalty.ui import diagnose_data as data
from loyalty.ui import state
from loyalty.ui.diagnose_sections import bullets

tr = state.tr
GROUPS = {"nps_group": ("promoter", "passive", "detractor"), "trust_tertile": ("high", "middle", "low")}


def _cell(row: pd.Series, metric: str, lang: str) -> str:
    """Return "62% (55% to 68%)" for a rate or probability, "1,234 (1,100 to 1,400)" for a mean."""
    if row["n"] == 0 or not math.isfinite(row["estimate"]):
        return "–"
    value = service.format_metric(row["estimate"], row["kind"], lang, metric)
    if not (math.isfinite(row["ci_low"]) and math.isfinite(row["ci_high"])):
        return value
    low, high = (service.format_metric(row[c], row["kind"], lang, metric) for c in ("ci_low", "ci_high"))
    return tr("diagnose.table.estimate", value=value, low=low, high=high)


def _table(result: service.TrustPays, grouping: str, lang: str) -> pd.DataFrame:
    """Return one row per group and one column per metric, each cell an estimate with its 95% CI."""
    part = result.table[result.table["grouping"] == grouping]
    rows = []
    for group in GROUPS[grouping]:
        cells = part[part["group"] == group].set_index("metric")
        row = {
            tr("diagnose.tp.group"): tr(f"drivers.group.{group}"),
            tr("diagnose.tp.n"): format_number(int(cells["n"].max()) if len(cells) else 0, lang),
        }
        for metric, cell in cells.iterrows():
            row[tr(f"diagnose.tp.metric.{metric}")] = _cell(cell, metric, lang)
        rows.append(row)
    return pd.DataFrame(rows)


def trust_pays_section(survey: pd.DataFrame) -> None:
    """Render the comparison of buying behaviour across NPS groups and trust thirds."""
    lang = state.lang()
    st.subheader(tr("diagnose.section.trust_pays"))
    if data.frame("transactions") is None:
        st.info(tr("diagnose.tp.no_transactions"))
        return
    with data.guard(lang):
        result = data.trust_pays(survey)
        if result is None:
            return
        if result.problem is not None:
            st.info(result.problem.message(lang))
            return
        st.markdown(
            tr(
                "diagnose.tp.matched",
                matched=format_number(result.n_matched, lang),
                surveyed=format_number(result.n_surveyed, lang),
            )
        )
        groupings = [g for g in GROUPS if g in set(result.table["grouping"])]
        names = {g: tr(f"drivers.grouping.{g}") for g in groupings}
        grouping = st.radio(
            tr("diagnose.tp.grouping"),
            groupings,
            format_func=names.__getitem__,
            horizontal=True,
            key="diagnose_tp_grouping",
        )
        st.dataframe(_table(result, grouping, lang), hide_index=True, width="stretch")
        st.caption(tr("diagnose.tp.caption", weeks=format_number(service.CLV_HORIZON_WEEKS, lang)))
        if result.clv_note is not None and result.clv_status != "ok":
            st.caption(tr("diagnose.tp.clv_note", reason=result.clv_note.message(lang)))
        bullets(service.trust_pays_sentences(result, grouping, lang))
