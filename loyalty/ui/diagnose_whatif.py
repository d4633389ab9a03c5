"""The what-if simulator: a slider per driver and the live predicted NPS with its uncertainty band.

It runs as a fragment, so moving a slider reruns only this section; the
simulation itself reuses the diagnosis's bootstrap draws (cached by
:mod:`loyalty.ui.diagnose_data`), so nothing is refitted.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loyalty import diagnose as service
from loyalty.drivers import Diagnosis, WhatIfResult
from loyalty.drivers._util import label
from loyalty.i18n import format_number, format_percent
from loyalty.ui import diagnose_data as data
from loyalty.ui import state

tr = state.tr
EVERYONE = ""
#: A what-if segment needs this many complete answers to be offered.
MIN_SEGMENT_N = 30
_SEP = "\x1f"


def slider_key(driver: str) -> str:
    """Return the widget key of a driver's slider (tests set it by this key)."""
    return f"diagnose_whatif_{driver}"


def _segment_choices(
    survey: pd.DataFrame, diagnosis: Diagnosis, options: service.DiagnoseOptions, lang: str
) -> dict[str, str]:
    """Return option code -> display name: everyone, then each segment label with enough answers."""
    choices = {EVERYONE: tr("diagnose.whatif.everyone")}
    table = data.segment_table(survey, diagnosis, options)
    for row in table[table["n"] >= MIN_SEGMENT_N].itertuples(index=False):
        choices[f"{row.column}{_SEP}{row.value}"] = tr(
            "diagnose.whatif.segment_option",
            column=label(row.column, lang),
            value=row.value,
            n=format_number(row.n, lang),
        )
    return choices


def _shown(result: WhatIfResult, diagnosis: Diagnosis, lang: str) -> list[tuple[str, str, int, bool]]:
    """Return ``(metric, title, decimals, is_share)`` for each metric card, headline first."""
    rows = set(result.metrics["metric"])
    if "nps" in rows:
        shown = [("nps", tr("diagnose.whatif.nps"), 0, False)]
    else:
        outcome = label(diagnosis.outcome, lang)
        shown = [("outcome_mean", tr("diagnose.whatif.outcome", outcome=outcome), 2, False)]
    if "trust_mean" in rows:
        shown.append(
            ("trust_mean", tr("diagnose.whatif.trust", mediator=label(diagnosis.mediator, lang)), 2, False)
        )
    if "promoter_share" in rows:
        shown += [
            ("promoter_share", tr("diagnose.whatif.promoters"), 1, True),
            ("detractor_share", tr("diagnose.whatif.detractors"), 1, True),
        ]
    return shown


def _change(value: float, is_share: bool, decimals: int, lang: str) -> str:
    """Return a change as "+1.2" or, for shares, "+3.4 pp" (percentage points)."""
    if is_share:
        return tr("diagnose.whatif.pp", value=format_number(100 * value, lang, decimals))
    return format_number(value, lang, max(decimals, 1))


def _metrics(result: WhatIfResult, diagnosis: Diagnosis, lang: str) -> None:
    """Show the predicted NPS (or mean outcome), trust and promoter/detractor shares with their changes."""
    rows = result.metrics.set_index("metric")
    shown = _shown(result, diagnosis, lang)
    for column, (metric, title, decimals, is_share) in zip(st.columns(len(shown)), shown, strict=True):
        row = rows.loc[metric]
        if is_share:
            value = format_percent(row["predicted"], lang, decimals)
        else:
            value = service.plain(row["predicted"], lang, decimals)
        delta = _change(row["change"], is_share, decimals, lang) if result.deltas else None
        # Fewer detractors is good news: show a fall in green.
        column.metric(title, value, delta, delta_color="inverse" if metric == "detractor_share" else "normal")
        if result.deltas:
            low, high = (_change(row[c], is_share, decimals, lang) for c in ("change_low", "change_high"))
            column.caption(tr("diagnose.whatif.band", low=low, high=high))


@st.fragment
def whatif_section(survey: pd.DataFrame, diagnosis: Diagnosis, options: service.DiagnoseOptions) -> None:
    """Render the simulator for the fitted ``diagnosis`` of ``survey``."""
    lang = state.lang()
    st.subheader(tr("diagnose.section.whatif"))
    st.markdown(tr("diagnose.whatif.intro"))
    choices = _segment_choices(survey, diagnosis, options, lang)
    choice = st.selectbox(
        tr("diagnose.whatif.segment"),
        list(choices),
        format_func=choices.__getitem__,
        key="diagnose_whatif_segment",
    )
    segment = tuple(choice.split(_SEP, 1)) if choice else None
    columns = st.columns(min(3, len(diagnosis.drivers)))
    deltas = {}
    for i, driver in enumerate(diagnosis.drivers):
        low, high, step = service.whatif_range(diagnosis, driver)
        scale = diagnosis.scales[driver]
        deltas[driver] = columns[i % len(columns)].slider(
            tr(
                "diagnose.whatif.slider",
                driver=label(driver, lang),
                low=format_number(scale[0], lang),
                high=format_number(scale[1], lang),
            ),
            min_value=low,
            max_value=high,
            value=0.0,
            step=step,
            format="%+.1f",
            key=slider_key(driver),
        )
    with data.guard(lang):
        result = data.whatif(survey, diagnosis, options, deltas, segment)
        _metrics(result, diagnosis, lang)
        st.markdown(service.whatif_sentence(result, diagnosis, lang))
    st.caption(tr("diagnose.whatif.note"))
