"""``python -m loyalty report``: the whole playbook as one file, HTML, PDF, Excel, PowerPoint or CSV.

Usage::

    python -m loyalty report --transactions F [--survey F] [--map field=column ...]
        [--strategies id,id] [--lang en|nl|pl] --out FILE.html|.pdf|.xlsx|.pptx|.csv

The format comes from the suffix of ``--out``. Without ``--strategies`` the report
takes the recommender's top five. Its impact section values the default plan's
retention and NPS targets with the calculator's default assumptions
(:mod:`loyalty.plan.value`), exactly as the Plan page would. It prints
``{"out": path, "format": ...}``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from loyalty.commands.args import seed
from loyalty.commands.measure import MAP_HELP, load, mappings
from loyalty.errors import InputError

LANGS = ("en", "nl", "pl")


def _strategy_ids(text: str | None) -> list[str] | None:
    """Split ``--strategies a,b`` into ids (None when not given)."""
    if not text:
        return None
    return [part.strip() for part in text.split(",") if part.strip()] or None


def run(args: argparse.Namespace) -> dict:
    """Build the report named by ``--out`` from the files given and write it."""
    from loyalty.report import build_report, content_from_results, report_format
    from loyalty.report.content import check_strategy_ids

    fmt = report_format(args.out)  # before any work: a bad suffix or strategy fails fast
    check_strategy_ids(_strategy_ids(args.strategies))
    files = {
        kind: path for kind, path in (("transactions", args.transactions), ("survey", args.survey)) if path
    }
    maps = mappings(args.map, list(files))
    loaded = {kind: load(kind, path, maps.get(kind, {})) for kind, path in files.items()}
    content = content_from_results(
        loaded, lang=args.lang, strategies=_strategy_ids(args.strategies), bootstrap=args.bootstrap
    )
    data = build_report(content, fmt)
    out = Path(args.out)
    try:
        out.write_bytes(data)
    except OSError as err:
        raise InputError("report.error.write", file=str(out), reason=err.strerror or str(err)) from None
    return {"out": str(out), "format": fmt}


def add(sub: argparse._SubParsersAction) -> None:
    """Register ``report``."""
    p = sub.add_parser(
        "report", help="write the playbook report: .html, .pdf, .xlsx, .pptx or .csv (action plan)"
    )
    p.add_argument(
        "--transactions", required=True, metavar="F", help="transactions file (csv, xlsx, parquet)"
    )
    p.add_argument("--survey", default=None, metavar="F", help="survey answers file (NPS, feedback, drivers)")
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN", help=MAP_HELP)
    p.add_argument(
        "--strategies", default=None, metavar="ID,ID", help="strategy ids to report (default: the top five)"
    )
    p.add_argument("--lang", choices=LANGS, default="en", help="language of the report (default: en)")
    p.add_argument(
        "--bootstrap", type=seed, default=1000, metavar="N", help="bootstrap replicates of the drivers"
    )
    p.add_argument("--out", required=True, metavar="FILE", help="output file; its suffix gives the format")
    p.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    p.set_defaults(func=run)
