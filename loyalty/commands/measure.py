"""``python -m loyalty measure``: the five loyalty KPIs of a transactions file (and a survey) as JSON.

Rates are fractions, NPS runs from −100 to 100. The object holds ``nps``,
``retention_rate``, ``repeat_purchase_rate``, ``purchase_frequency``, ``aov``,
``clv``, ``feedback`` and ``data`` (the ``inspect`` summary of each file), plus
``orders``, ``churn``, ``window`` and ``missing`` (see :func:`loyalty.measure.measure`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from loyalty.commands.args import parse_mapping, read_file
from loyalty.schema import KINDS, field_names

if TYPE_CHECKING:
    from loyalty.ingest import LoadResult

#: ``loyalty.kpi.periods.PERIODS``, spelled out so that building the parser imports no
#: pandas: every command pays for this module's imports (a test checks they agree).
PERIODS: tuple[str, ...] = ("month", "quarter", "year")
MAP_HELP = (
    "override the auto-mapping, e.g. --map customer_id=Klantnummer; a field shared by both files "
    "(customer_id, date) applies to both unless prefixed with the kind: --map survey.date=Datum"
)


def mappings(pairs: list[str] | None, kinds: list[str]) -> dict[str, dict[str, str]]:
    """Split ``--map`` options over the files being read.

    Parameters
    ----------
    pairs : list of str or None
        ``field=column`` or ``kind.field=column`` options.
    kinds : list of str
        The kinds of the files given, in order.

    Returns
    -------
    dict
        Kind -> ``{field: column}``. A prefixed field goes to its kind; an unprefixed one
        to every given kind that has the field (to the first kind when none has it, so
        ingestion names the valid fields in its error).
    """
    out: dict[str, dict[str, str]] = {kind: {} for kind in kinds}
    for field, column in parse_mapping(pairs).items():
        prefix, dot, name = field.partition(".")
        if dot and prefix in KINDS:
            out.setdefault(prefix, {})[name] = column
            continue
        targets = [kind for kind in kinds if field in field_names(kind)] or kinds[:1]
        for kind in targets:
            out[kind][field] = column
    return out


def load(kind: str, path: str, mapping: dict[str, str]) -> LoadResult:
    """Read and ingest one file as ``kind``; InputError when it cannot be used."""
    from loyalty.ingest import load_file

    name, data = read_file(path)
    return load_file(data, name, kind=kind, mapping=mapping or None)


def run(args: argparse.Namespace) -> dict:
    """Measure the KPIs of the files named on the command line."""
    from loyalty.measure import measure

    files = {
        kind: path for kind, path in (("transactions", args.transactions), ("survey", args.survey)) if path
    }
    maps = mappings(args.map, list(files))
    loaded = {kind: load(kind, path, maps.get(kind, {})) for kind, path in files.items()}
    survey = loaded.get("survey")
    out = measure(
        loaded["transactions"].frame,
        survey.frame if survey is not None else None,
        scales=dict(survey.scales) if survey is not None else None,
        period=args.period,
        as_of=args.as_of,
        data={kind: result.summary() for kind, result in loaded.items()},
    )
    note_clamped_as_of(args.as_of, out["window"]["end"])
    return out


def note_clamped_as_of(as_of: str | None, end: str | None) -> None:
    """Say on stderr (stdout stays pure JSON) when ``--as-of`` lies after the data's last day.

    Parameters
    ----------
    as_of : str or None
        The ``--as-of`` option (already checked to be a date by :func:`loyalty.measure.measure`).
    end : str or None
        The window's last day actually measured (ISO).
    """
    import pandas as pd

    from loyalty.i18n import t

    if as_of is None or end is None:
        return
    asked = pd.Timestamp(as_of).date().isoformat()
    if asked > end:
        print(f"note: {t('measure.cli.as_of_clamped', 'en', as_of=asked, end=end)}", file=sys.stderr)


def add(sub: argparse._SubParsersAction) -> None:
    """Register ``measure``."""
    p = sub.add_parser("measure", help="the five loyalty KPIs of your data as one JSON object")
    p.add_argument(
        "--transactions", required=True, metavar="F", help="transactions file (csv, xlsx, parquet)"
    )
    p.add_argument("--survey", default=None, metavar="F", help="survey answers file (for NPS and feedback)")
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN", help=MAP_HELP)
    p.add_argument(
        "--period",
        choices=PERIODS,
        default="quarter",
        help="period of the comparison: the last complete one against the one before (default: quarter)",
    )
    p.add_argument(
        "--as-of", default=None, metavar="YYYY-MM-DD", help="reference date: data after it is ignored"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    p.set_defaults(func=run)
