"""The action plan as a timeline (one bar per action, coloured by strategy), for every report format."""

from __future__ import annotations

import altair as alt
import pandas as pd

from loyalty.charts.theme import PALETTE
from loyalty.i18n import t
from loyalty.report.content import ReportContent
from loyalty.report.tables import strategy_names

#: Longest action label on the axis; longer ones are cut with an ellipsis.
LABEL_CHARS = 48


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def plan_timeline(content: ReportContent) -> alt.Chart | None:
    """Return the plan's timeline chart, or None when no action has both dates."""
    plan = content.plan.dropna(subset=["start", "due"])
    if plan.empty:
        return None
    lang = content.lang
    names = strategy_names(content)
    data = pd.DataFrame(
        {
            "action": [f"{i + 1}. {_short(str(a))}" for i, a in enumerate(plan["action"])],
            "strategy": [names.get(str(s), str(s)) for s in plan["strategy_id"]],
            "start": pd.to_datetime(plan["start"]).dt.strftime("%Y-%m-%d"),
            "due": pd.to_datetime(plan["due"]).dt.strftime("%Y-%m-%d"),
        }
    )
    return (
        alt.Chart(data, title=t("report.chart.timeline", lang))
        .mark_bar(cornerRadius=3)
        .encode(
            y=alt.Y("action:N", sort=None, title=None, axis=alt.Axis(labelLimit=360, labelFontSize=11)),
            x=alt.X("start:T", title=t("report.col.start", lang)),
            x2="due:T",
            color=alt.Color(
                "strategy:N",
                title=t("report.col.strategy", lang),
                scale=alt.Scale(range=PALETTE),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=300),
            ),
        )
        .properties(width=520, height=max(120, 18 * len(data)))
    )
