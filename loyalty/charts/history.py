"""Charts of saved assessments: drivers then and now, and each KPI's trend across assessments.

The builders take the plain structures of :mod:`loyalty.store.compare` (a list of driver
dicts, a long KPI trend table) and return Altair charts with translated labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from loyalty.charts.theme import FIT_WIDTH, PALETTE, rows_height, title
from loyalty.drivers._util import label
from loyalty.i18n import _DATE_FORMATS as DATE_FORMATS  # strftime patterns: d3 reads them alike
from loyalty.i18n import has_key, normalize_lang, t

#: The two measures a driver is compared on, and the dict keys that hold them.
DRIVER_MEASURES: tuple[str, ...] = ("importance", "performance")
#: KPIs stored as fractions: their axes read in percent.
FRACTION_KPIS: frozenset[str] = frozenset({"retention_rate", "repeat_purchase_rate"})
_TREND_HEIGHT = 220
#: Pixels kept free above and below the highest and lowest point, so their labels stay readable.
_TREND_PADDING = 16


def kpi_label(kpi: str, lang: str = "en") -> str:
    """Return the display name of a KPI (the key itself for a KPI the catalog does not know).

    Parameters
    ----------
    kpi : str
        KPI key as in the ``measure`` JSON (``nps``, ``retention_rate``, ...).
    lang : str
        Language of the name.

    Returns
    -------
    str
    """
    key = f"strategies.kpi.{kpi}"
    return t(key, lang) if has_key(key) else kpi


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(float(value))


def driver_frame(drivers: Sequence[dict], measure: str, names: tuple[str, str], lang: str) -> pd.DataFrame:
    """Return the long table behind :func:`driver_comparison_chart`: driver, assessment, value.

    Parameters
    ----------
    drivers : sequence of dict
        ``{"driver", "importance_old", "importance_new", "performance_old", "performance_new"}``.
    measure : str
        ``"importance"`` or ``"performance"``.
    names : tuple of str
        Display names of the older and the newer assessment.
    lang : str
        Language of the driver names.

    Returns
    -------
    pandas.DataFrame
        Columns ``driver`` (display name), ``assessment`` and ``value``; drivers without a
        value on one side keep only the other side's row.
    """
    rows = []
    for item in drivers:
        for side, name in zip(("old", "new"), names, strict=True):
            value = item.get(f"{measure}_{side}")
            if _finite(value):
                rows.append({"driver": label(str(item["driver"]), lang), "assessment": name, "value": value})
    return pd.DataFrame(rows, columns=["driver", "assessment", "value"])


def driver_comparison_chart(
    drivers: Sequence[dict], measure: str, names: tuple[str, str], lang: str = "en"
) -> alt.Chart | None:
    """Return grouped bars of one driver measure, the older assessment next to the newer.

    Parameters
    ----------
    drivers : sequence of dict
        The ``drivers`` list of :func:`loyalty.store.compare.compare`.
    measure : str
        ``"importance"`` (share of explained variance) or ``"performance"`` (0-100 score).
    names : tuple of str
        Display names of the older and the newer assessment (two different strings).
    lang : str
        Language of titles and labels.

    Returns
    -------
    alt.Chart or None
        None when neither assessment has a value for any driver.
    """
    if measure not in DRIVER_MEASURES:
        raise ValueError(f"measure must be one of {DRIVER_MEASURES}, not {measure!r}")
    data = driver_frame(drivers, measure, names, lang)
    if data.empty:
        return None
    order = list(dict.fromkeys(data["driver"]))
    axis_format = ".0%" if measure == "importance" else ".0f"
    value_title = t(f"history.chart.{measure}", lang)
    return (
        alt.Chart(data, title=title(t(f"history.chart.{measure}_title", lang)))
        .mark_bar(cornerRadius=2)
        .encode(
            y=alt.Y("driver:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
            yOffset=alt.YOffset("assessment:N", sort=list(names)),
            x=alt.X("value:Q", title=value_title, axis=alt.Axis(format=axis_format)),
            color=alt.Color(
                "assessment:N",
                title=None,
                scale=alt.Scale(domain=list(names), range=[PALETTE[2], PALETTE[0]]),
                # One entry per line above the bars: a row of two long titles under a
                # half-width chart was clipped ("■ Workshop March ■ Work…").
                legend=alt.Legend(orient="top", direction="vertical", columns=1, labelLimit=0, symbolLimit=0),
            ),
            tooltip=[
                alt.Tooltip("driver:N", title=t("history.chart.driver", lang)),
                alt.Tooltip("assessment:N", title=t("history.chart.assessment", lang)),
                alt.Tooltip("value:Q", title=value_title, format=axis_format),
            ],
        )
        .properties(height=rows_height(2 * len(order)), autosize=FIT_WIDTH)
    )


def kpi_trend_charts(trend: pd.DataFrame, lang: str = "en") -> dict[str, alt.Chart]:
    """Return one line chart per KPI: its value at each saved assessment, in date order.

    Parameters
    ----------
    trend : pandas.DataFrame
        :func:`loyalty.store.compare.kpi_trend` output: ``created``, ``title``, ``kpi``, ``value``.
    lang : str
        Language of titles and tooltips.

    Returns
    -------
    dict
        KPI -> chart, in the order the KPIs first appear; KPIs with no value are left out.
    """
    charts: dict[str, alt.Chart] = {}
    if trend is None or trend.empty:
        return charts
    known = trend.dropna(subset=["value"])
    for kpi in dict.fromkeys(known["kpi"]):
        rows = known.loc[known["kpi"] == kpi, ["created", "title", "value"]].sort_values("created")
        charts[str(kpi)] = _trend_chart(rows, str(kpi), lang)
    return charts


def _trend_chart(rows: pd.DataFrame, kpi: str, lang: str) -> alt.LayerChart:
    name = kpi_label(kpi, lang)
    axis_format = ".0%" if kpi in FRACTION_KPIS else ",.1f"
    tip_format = ".1%" if kpi in FRACTION_KPIS else ",.1f"
    day = DATE_FORMATS[normalize_lang(lang)]
    y = alt.Y(
        "value:Q",
        title=None,
        axis=alt.Axis(format=axis_format),
        scale=alt.Scale(zero=False, nice=True, padding=_TREND_PADDING),
    )
    tooltip = [
        alt.Tooltip("title:N", title=t("history.chart.assessment", lang)),
        alt.Tooltip("created:T", title=t("history.chart.date", lang), format=f"{day} %H:%M"),
        alt.Tooltip("value:Q", title=name, format=tip_format),
    ]
    dates = rows["created"].map(lambda c: pd.Timestamp(c).strftime(day))
    if dates.is_unique:
        # One tick per assessment, written the way the language writes dates (Vega would name
        # months in English). DateTime objects, not epoch numbers: Vega reads both them and the
        # data in local time.
        ticks = [_vega_datetime(pd.Timestamp(c)) for c in rows["created"]]
        x = alt.X("created:T", title=t("history.chart.date", lang), axis=alt.Axis(values=ticks, format=day))
        data = rows
    else:
        # Two saves on one day would get two identical date ticks on a time axis: one
        # place per assessment instead, named by a label that tells them apart.
        data = rows.assign(point=point_labels(rows, day))
        x = alt.X(
            "point:O", sort=list(data["point"]), title=t("history.chart.assessment", lang),
            axis=alt.Axis(labelAngle=0, labelLimit=0),
        )  # fmt: skip
    base = alt.Chart(data).encode(x=x, y=y, tooltip=tooltip)
    return (base.mark_line() + base.mark_point(filled=True)).properties(
        title=title(name), height=_TREND_HEIGHT, autosize=FIT_WIDTH
    )


def point_labels(rows: pd.DataFrame, day: str) -> list[str]:
    """Return one distinct label per assessment: the date, with the time or title where dates collide.

    Parameters
    ----------
    rows : pandas.DataFrame
        ``created`` and ``title`` of the assessments, in the order they are drawn.
    day : str
        strftime pattern of a date in the user's language.

    Returns
    -------
    list of str
        The shortest label that is unique among ``rows``; a running number as the last resort.
    """
    moments = [pd.Timestamp(c) for c in rows["created"]]
    titles = [str(x) for x in rows["title"]]
    for labels in (
        [m.strftime(f"{day} %H:%M") for m in moments],
        [f"{x} ({m.strftime(day)})" for x, m in zip(titles, moments, strict=True)],
        [f"{x} ({m.strftime(f'{day} %H:%M')})" for x, m in zip(titles, moments, strict=True)],
    ):
        if len(set(labels)) == len(labels):
            return labels
    return [f"{i + 1}. {label}" for i, label in enumerate(labels)]


def _vega_datetime(moment: pd.Timestamp) -> alt.DateTime:
    return alt.DateTime(
        year=moment.year,
        month=moment.month,
        date=moment.day,
        hours=moment.hour,
        minutes=moment.minute,
        seconds=moment.second,
    )
