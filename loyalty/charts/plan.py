"""Chart of the action plan: a timeline with one bar per action, coloured by strategy."""

from __future__ import annotations

import altair as alt
import pandas as pd

from loyalty.charts.theme import PALETTE
from loyalty.i18n import t
from loyalty.strategies import strategies

_ROW_HEIGHT = 26
_MIN_HEIGHT = 120
_LABEL_CHARS = 60


def _short(text: str) -> str:
    """Cut a long action to one readable line (the full text is in the tooltip)."""
    text = " ".join(str(text).split())
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1].rstrip() + "…"


def timeline_chart(plan: pd.DataFrame, lang: str = "en") -> alt.Chart | None:
    """Return the plan as horizontal bars from start to due date.

    Parameters
    ----------
    plan : pandas.DataFrame
        An action plan (:data:`loyalty.plan.COLUMNS`).
    lang : str
        Language of titles, labels and strategy names.

    Returns
    -------
    alt.Chart or None
        None when no row has both dates.
    """
    rows = plan.dropna(subset=["start", "due"]).copy()
    if rows.empty:
        return None
    names = {s.id: s.title(lang) for s in strategies()}
    rows["strategy"] = [names.get(sid, str(sid)) for sid in rows["strategy_id"]]
    # Number the labels: two identical actions must stay two bars.
    rows["label"] = [f"{i}. {_short(a)}" for i, a in enumerate(rows["action"], start=1)]
    order = list(rows["label"])
    domain = list(dict.fromkeys(rows["strategy"]))
    palette = [PALETTE[i % len(PALETTE)] for i in range(len(domain))]
    data = rows[["label", "strategy", "action", "owner", "start", "due"]]
    return (
        alt.Chart(data, title=t("plan.chart.title", lang))
        .mark_bar(cornerRadius=3)
        .encode(
            x=alt.X("start:T", title=t("plan.chart.time", lang)),
            x2="due:T",
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=420)),
            color=alt.Color(
                "strategy:N",
                title=t("plan.col.strategy", lang),
                scale=alt.Scale(domain=domain, range=palette),
                legend=alt.Legend(orient="bottom", labelLimit=0, columns=2),
            ),
            tooltip=[
                alt.Tooltip("strategy:N", title=t("plan.col.strategy", lang)),
                alt.Tooltip("action:N", title=t("plan.col.action", lang)),
                alt.Tooltip("owner:N", title=t("plan.col.owner", lang)),
                alt.Tooltip("start:T", title=t("plan.col.start", lang)),
                alt.Tooltip("due:T", title=t("plan.col.due", lang)),
            ],
        )
        .properties(height=max(_MIN_HEIGHT, _ROW_HEIGHT * len(rows)))
    )
