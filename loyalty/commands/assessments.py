"""``python -m loyalty assessments``: list, export, import and delete saved assessments.

Usage::

    python -m loyalty assessments list [--client C] [--database URL] --json
    python -m loyalty assessments export --out FILE.json [--id N ...] [--database URL]
    python -m loyalty assessments import FILE.json [--database URL]
    python -m loyalty assessments delete --id N --yes [--database URL]

``--database`` takes a SQLAlchemy URL or a SQLite file path; by default the app's
database (``$LOYALTY_DATABASE_URL`` or the file in the user's data directory).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from loyalty.commands.args import positive_int, read_file
from loyalty.errors import InputError


def _store(args: argparse.Namespace) -> Any:
    from loyalty.store import Store
    from loyalty.store.location import sqlite_url

    url = args.database
    if url and "://" not in url:
        url = sqlite_url(Path(url))
    return Store(url)


def _summary(summary: Any) -> dict[str, Any]:
    return {
        "id": summary.id,
        "client": summary.client,
        "title": summary.title,
        "created": summary.created.isoformat(),
        "updated": summary.updated.isoformat() if summary.updated else None,
        "lang": summary.lang,
        "business_type": summary.business_type,
        "has_raw": summary.has_raw,
    }


def run_list(args: argparse.Namespace) -> dict:
    """Print the saved assessments, newest first."""
    store = _store(args)
    return {"database": store.location, "assessments": [_summary(s) for s in store.list(args.client)]}


def run_export(args: argparse.Namespace) -> dict:
    """Write the chosen (or all) assessments to a JSON file."""
    store = _store(args)
    text = store.export_json(args.id)
    out = Path(args.out)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as err:
        raise InputError("store.cli.cannot_write", file=str(out), reason=err.strerror or str(err)) from None
    from loyalty.store.database import parse_export

    return {"out": str(out), "ids": [a.id for a in parse_export(text)], "database": store.location}


def run_import(args: argparse.Namespace) -> dict:
    """Add the assessments of an export file; all or none."""
    _name, data = read_file(args.file)
    store = _store(args)
    return {"imported": store.import_json(data.decode("utf-8", errors="replace")), "database": store.location}


def run_delete(args: argparse.Namespace) -> dict:
    """Delete one assessment; refuses without ``--yes``."""
    if not args.yes:
        raise InputError("store.cli.confirm_delete", id=args.id)
    store = _store(args)
    store.delete(args.id)
    return {"deleted": args.id, "database": store.location}


def add(sub: argparse._SubParsersAction) -> None:
    """Register ``assessments`` and its subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database", default=None, metavar="URL", help="SQLAlchemy URL or SQLite file (default: the app's)"
    )
    p = sub.add_parser("assessments", help="list, export, import or delete saved assessments")
    actions = p.add_subparsers(dest="assessments_action", required=True)

    listing = actions.add_parser("list", parents=[common], help="the saved assessments, newest first")
    listing.add_argument("--client", default=None, help="only this client's assessments")
    listing.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    listing.set_defaults(func=run_list)

    export = actions.add_parser("export", parents=[common], help="write assessments to a JSON file")
    export.add_argument("--out", required=True, metavar="FILE.json")
    export.add_argument(
        "--id", type=positive_int, nargs="+", default=None, help="ids to export (default: all)"
    )
    export.set_defaults(func=run_export)

    importing = actions.add_parser("import", parents=[common], help="add the assessments of an export file")
    importing.add_argument("file", metavar="FILE.json")
    importing.set_defaults(func=run_import)

    remove = actions.add_parser("delete", parents=[common], help="delete one assessment (needs --yes)")
    remove.add_argument("--id", type=positive_int, required=True)
    remove.add_argument("--yes", action="store_true", help="confirm: deleting cannot be undone")
    remove.set_defaults(func=run_delete)
