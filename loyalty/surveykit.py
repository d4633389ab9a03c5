"""The survey kit: the customer survey the Diagnose step expects, ready to print or fill in.

The questions are data (``loyalty/data/survey_kit.json``): per trust driver three
statements on a 1-5 agree scale, then overall trust, the 0-10 recommend question,
repurchase intent, an open comment and an optional customer number. The kit comes as

* a CSV template whose headers (in the chosen language) auto-map on upload: each
  header is a synonym of its field in ``loyalty/data/synonyms.json``, and the items
  of one driver ("Service 1", "Service 2", ...) become one multi-item scale in the
  Diagnose step (:func:`loyalty.diagnose.item_scales`);
* a printable, self-contained HTML page (inline CSS, no external resource);
* a PDF with the bundled DejaVu Sans font, so Polish diacritics print.

Nothing here touches the disk or the network: every function returns text or bytes.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from loyalty.i18n import format_number, format_percent, normalize_lang, t

#: Column types of the kit.
TYPES: tuple[str, ...] = ("id", "date", "rating", "nps", "text")
#: CSV delimiter per language: what Excel expects in that locale, so the template opens in columns.
DELIMITERS: dict[str, str] = {"en": ",", "nl": ";", "pl": ";"}


@dataclass(frozen=True)
class Column:
    """One column of the survey: a question, or one item of a multi-item question.

    Parameters
    ----------
    field : str
        Canonical survey field it feeds (``service``, ``recommend``, ...).
    header : str
        CSV header in the kit's language ("Obsługa klienta 2").
    text : str
        The question or statement as the respondent reads it.
    type : str
        One of :data:`TYPES`.
    item : int or None
        Item number within a multi-item question, None for a single question.
    optional : bool
        The respondent may leave it blank.
    """

    field: str
    header: str
    text: str
    type: str
    item: int | None = None
    optional: bool = False


@lru_cache(maxsize=1)
def kit() -> dict[str, Any]:
    """Return the survey kit data file as a dict."""
    return json.loads((resources.files("loyalty") / "data" / "survey_kit.json").read_text(encoding="utf-8"))


def columns(lang: str) -> list[Column]:
    """Return the survey's columns in ``lang``, in template order.

    Parameters
    ----------
    lang : str
        ``en``, ``nl`` or ``pl`` (others fall back to English).

    Returns
    -------
    list of Column
    """
    lang = normalize_lang(lang)
    out: list[Column] = []
    for q in kit()["questions"]:
        header, optional = q["header"][lang], bool(q.get("optional", False))
        if "items" in q:
            out += [
                Column(q["field"], f"{header} {i}", item[lang], q["type"], i, optional)
                for i, item in enumerate(q["items"], start=1)
            ]
        else:
            out.append(Column(q["field"], header, q["text"][lang], q["type"], None, optional))
    return out


def headers(lang: str) -> list[str]:
    """Return the CSV template's headers in ``lang``."""
    return [c.header for c in columns(lang)]


def template_csv(lang: str) -> bytes:
    """Return the empty CSV template: one header row in ``lang``.

    UTF-8 with a byte-order mark (Excel then reads the diacritics) and the
    delimiter Excel expects in that language's locale. Headers are neutralised
    like every export, although none starts with a formula character.

    Parameters
    ----------
    lang : str
        Language of the headers.

    Returns
    -------
    bytes
    """
    from loyalty.ingest.export import neutralise

    lang = normalize_lang(lang)
    safe = neutralise(pd.Series(headers(lang), dtype="object"))
    text = pd.DataFrame(columns=list(safe)).to_csv(index=False, sep=DELIMITERS[lang], lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def template_file_name(lang: str) -> str:
    """Return the template's download name, e.g. ``survey-template-nl.csv``."""
    return f"survey-template-{normalize_lang(lang)}.csv"


# --- the guide --------------------------------------------------------------------------------


def accuracy_rows(lang: str) -> pd.DataFrame:
    """Return how often a survey of n responses ranks the drivers right (REFERENCE.md §3).

    Parameters
    ----------
    lang : str
        Language of the headers and numbers.

    Returns
    -------
    pandas.DataFrame
        Columns: responses, top driver right, top three in the right order (as text).
    """
    rows = kit()["accuracy"]
    return pd.DataFrame(
        {
            t("surveykit.guide.col.n", lang): [format_number(r["n"], lang) for r in rows],
            t("surveykit.guide.col.top", lang): [format_percent(r["top"], lang, 0) for r in rows],
            t("surveykit.guide.col.top3", lang): [format_percent(r["top3"], lang, 0) for r in rows],
        }
    )


# --- the printable survey ----------------------------------------------------------------------


def _scale(kind: str) -> list[int]:
    low, high = kit()["nps_scale" if kind == "nps" else "rating_scale"]
    return list(range(int(low), int(high) + 1))


def _legend(kind: str, lang: str) -> str:
    return t(f"surveykit.print.legend.{kind}", lang)


def printable_sections(lang: str) -> list[tuple[str, list[Column]]]:
    """Return the printed survey as (section title, columns): about you, statements, overall, comment."""
    cols = columns(lang)
    statements = [c for c in cols if c.item is not None]
    overall = [c for c in cols if c.item is None and c.type in ("rating", "nps")]
    return [
        (t("surveykit.print.section.about", lang), [c for c in cols if c.type in ("id", "date")]),
        (t("surveykit.print.section.statements", lang), statements),
        (t("surveykit.print.section.overall", lang), overall),
        (t("surveykit.print.section.comment", lang), [c for c in cols if c.type == "text"]),
    ]


_CSS = """
body { font-family: "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1e2a32;
  max-width: 800px; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { color: #0f766e; margin-bottom: .3rem; } h2 { color: #0f766e; border-bottom: 2px solid #0f766e;
  padding-bottom: .2rem; margin-top: 1.8rem; }
.q { margin: .9rem 0; page-break-inside: avoid; } .q p { margin: .2rem 0 .4rem; }
.boxes { display: flex; gap: .5rem; flex-wrap: wrap; }
.box { border: 1.5px solid #1e2a32; width: 2rem; height: 1.7rem; text-align: center; line-height: 1.7rem; }
.legend, .muted { color: #5b6b78; font-size: .9rem; }
.line { border-bottom: 1px solid #1e2a32; height: 1.9rem; }
.code { color: #5b6b78; font-size: .8rem; }
@media print { body { margin: 0 auto; } h2 { page-break-after: avoid; } }
"""


def _html_question(col: Column, lang: str) -> str:
    e = html.escape
    head = f'<p>{e(col.text)} <span class="code">[{e(col.header)}]</span></p>'
    if col.type in ("rating", "nps"):
        boxes = "".join(f'<span class="box">{v}</span>' for v in _scale(col.type))
        # The statements share one legend above them; a single question carries its own.
        legend = "" if col.item is not None else f'<div class="legend">{e(_legend(col.type, lang))}</div>'
        body = f'<div class="boxes">{boxes}</div>{legend}'
    else:
        lines = 3 if col.type == "text" else 1
        body = '<div class="line"></div>' * lines
    return f'<div class="q">{head}{body}</div>'


def printable_html(lang: str) -> str:
    """Return the survey as one printable, self-contained HTML page (inline CSS, no URL).

    Parameters
    ----------
    lang : str
        Language of the survey.

    Returns
    -------
    str
        An HTML document; every question shows its CSV header in brackets, so
        answers on paper can be typed into the template column by column.
    """
    lang = normalize_lang(lang)
    e = html.escape
    parts = [
        f"<h1>{e(t('surveykit.print.title', lang))}</h1>",
        f"<p>{e(t('surveykit.print.intro', lang))}</p>",
    ]
    for title, cols in printable_sections(lang):
        parts.append(f"<section><h2>{e(title)}</h2>")
        if cols and cols[0].item is not None:
            parts.append(f'<p class="muted">{e(_legend("rating", lang))}</p>')
        parts += [_html_question(c, lang) for c in cols]
        parts.append("</section>")
    parts.append(f"<p><strong>{e(t('surveykit.print.thanks', lang))}</strong></p>")
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(t('surveykit.print.title', lang))}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def printable_pdf(lang: str) -> bytes:
    """Return the survey as an A4 PDF with the bundled Unicode font (Polish diacritics print).

    Parameters
    ----------
    lang : str
        Language of the survey.

    Returns
    -------
    bytes
    """
    from loyalty.surveykit_pdf import survey_pdf

    return survey_pdf(normalize_lang(lang))
