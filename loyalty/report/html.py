"""The report as one self-contained HTML file: inline CSS and inline SVG charts, no external resource.

It opens offline and can be mailed as a single file; nothing is fetched from a CDN.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from loyalty.charts.theme import PALETTE, TEXT
from loyalty.i18n import format_date
from loyalty.report.content import ReportContent
from loyalty.report.render import content_svgs
from loyalty.report.tables import (
    data_rows,
    driver_display,
    impact_display,
    kpi_display,
    label_value_display,
    plan_display,
)

_CSS = f"""
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: {TEXT}; max-width: 1100px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }}
h1 {{ color: {PALETTE[0]}; margin-bottom: .2rem; }}
h2 {{ color: {PALETTE[0]}; border-bottom: 2px solid {PALETTE[0]}; padding-bottom: .2rem;
  margin-top: 2.2rem; }}
table {{ border-collapse: collapse; margin: .8rem 0; width: 100%; }}
th, td {{ border: 1px solid #d5dde3; padding: .35rem .55rem; text-align: left; vertical-align: top; }}
th {{ background: #eef5f5; }}
.kpis {{ display: flex; flex-wrap: wrap; gap: .8rem; }}
.kpi {{ border: 1px solid #d5dde3; border-radius: 8px; padding: .7rem 1rem; min-width: 170px; flex: 1; }}
.kpi .value {{ font-size: 1.7rem; font-weight: 600; color: {PALETTE[0]}; }}
.kpi .label {{ font-weight: 600; }} .kpi .note, .muted {{ color: #5b6b78; font-size: .9rem; }}
figure {{ margin: 1rem 0; overflow-x: auto; }} figure svg {{ max-width: 100%; height: auto; }}
.card {{ border-left: 4px solid {PALETTE[1]}; padding: .3rem .9rem; margin: .8rem 0; background: #fafbfc; }}
@media print {{ h2 {{ page-break-after: avoid; }} figure, .card {{ page-break-inside: avoid; }} }}
"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def _table(frame: pd.DataFrame | None) -> str:
    """Return an escaped HTML table (empty string for no table)."""
    if frame is None or frame.empty:
        return ""
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(svg: str | None) -> str:
    return "" if svg is None else f"<figure>{svg}</figure>"


def _paragraphs(texts: Iterable[str]) -> str:
    return "".join(f"<p>{_e(text)}</p>" for text in texts)


def _kpi_cards(content: ReportContent) -> str:
    cards = "".join(
        f'<div class="kpi"><div class="label">{_e(r.label)}</div><div class="value">{_e(r.text)}</div>'
        f'<div class="note">{_e(r.note)}</div></div>'
        for r in content.kpis.itertuples(index=False)
    )
    return f'<div class="kpis">{cards}</div>'


def _strategy_cards(content: ReportContent) -> str:
    return "".join(
        f'<div class="card"><h3>{_e(r.rank)}. {_e(r.name)}</h3><p>{_e(r.explanation)}</p>'
        f'<p class="muted">{_e(r.description)}</p></div>'
        for r in content.strategies.itertuples(index=False)
    )


def _section(title: str, *parts: str) -> str:
    return f"<section><h2>{_e(title)}</h2>{''.join(parts)}</section>"


def _impact(content: ReportContent) -> str:
    impact = impact_display(content)
    assumptions = label_value_display(content.assumptions, content)
    if impact is None and assumptions is None:
        return _section(
            content.tr("report.section.impact"),
            f'<p class="muted">{_e(content.tr("report.impact.none"))}</p>',
        )
    return _section(
        content.tr("report.section.impact"),
        _table(impact),
        _paragraphs(content.impact_notes),
        f"<h3>{_e(content.tr('report.section.assumptions'))}</h3>" if assumptions is not None else "",
        _table(assumptions),
        f'<p class="muted">{_e(content.tr("report.impact.defaults_note"))}</p>',
    )


def render_html(content: ReportContent) -> str:
    """Return the whole report as one HTML document.

    Parameters
    ----------
    content : ReportContent
        From :func:`loyalty.report.content.build_content`.

    Returns
    -------
    str
        UTF-8 HTML with inline CSS and SVG; no external URL is referenced.
    """
    tr, charts = content.tr, content_svgs(content)
    glance = pd.DataFrame(data_rows(content), columns=[tr("report.col.item"), tr("report.col.value")])
    sections = [
        _section(tr("report.section.data"), _table(glance)),
        _section(
            tr("report.section.kpis"),
            _kpi_cards(content),
            _table(kpi_display(content)),
            *(_figure(charts.get(name)) for name in ("nps", "retention", "cohort")),
        ),
        _section(
            tr("report.section.drivers"),
            _paragraphs(content.diagnosis_text),
            _table(driver_display(content)),
            *(_figure(charts.get(name)) for name in ("importance", "ipa")),
        ),
        _section(tr("report.section.strategies"), _strategy_cards(content)),
        _section(tr("report.section.plan"), _table(plan_display(content)), _figure(charts.get("timeline"))),
        _impact(content),
        _section(
            tr("report.section.methods"),
            "".join(f"<h3>{_e(title)}</h3><p>{_e(text)}</p>" for title, text in content.methods),
            f'<p class="muted">{_e(tr("kpi.nps.trademark"))}</p>',
        ),
    ]
    return (
        f'<!DOCTYPE html><html lang="{content.lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(tr('report.title'))}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(tr('report.title'))}</h1>"
        f'<p class="muted">{_e(tr("report.subtitle", date=format_date(content.created, content.lang)))}</p>'
        f"{''.join(sections)}</body></html>"
    )


def build_html(content: ReportContent) -> bytes:
    """Return the HTML report as UTF-8 bytes."""
    return render_html(content).encode("utf-8")
