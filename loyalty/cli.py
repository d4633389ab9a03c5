"""Command line: ``python -m loyalty <command> ...``.

Every command that reports prints one JSON object on stdout (``--json``), so
batch jobs can parse it. Bad input exits with code 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from loyalty.commands import assessments as assessments_command
from loyalty.commands import clv as clv_command
from loyalty.commands import diagnose as diagnose_command
from loyalty.commands import measure as measure_command
from loyalty.commands import report as report_command
from loyalty.commands.args import parse_mapping, positive_int, read_file, seed
from loyalty.errors import InputError
from loyalty.schema import KINDS

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors are one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise InputError("cli.error.usage", detail=message, prog=self.prog)


def _cmd_sample(args: argparse.Namespace) -> dict:
    from loyalty.synth import write_sample

    try:
        written = write_sample(
            args.out, profile=args.profile, customers=args.customers, seed=args.seed, locale=args.locale
        )
    except OSError as err:  # a read-only place or a file in the way: one line, exit 2
        raise InputError("cli.error.unwritable", folder=args.out, reason=err.strerror or str(err)) from None
    return {"out": str(Path(args.out)), "files": {name: str(path) for name, path in written.items()}}


def _cmd_inspect(args: argparse.Namespace) -> dict:
    from loyalty.ingest import load_file

    name, data = read_file(args.file)
    result = load_file(data, name, kind=args.kind, mapping=parse_mapping(args.map) or None, sheet=args.sheet)
    return result.summary()


def _add_sample(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sample", help="write a synthetic sample dataset with its known truth")
    p.add_argument(
        "--out", required=True, help="folder to write transactions.csv, survey.csv, customers.csv, truth.json"
    )
    from loyalty.synth import PROFILES

    p.add_argument("--profile", default="nl_webshop", choices=sorted(PROFILES))
    p.add_argument(
        "--locale", choices=("en", "nl", "pl"), default=None, help="language of comments and names"
    )
    p.add_argument(
        "--customers", type=positive_int, default=None, help="number of customers (default: the profile's)"
    )
    p.add_argument("--seed", type=seed, default=7)
    p.set_defaults(func=_cmd_sample)


def _add_inspect(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inspect", help="sniff, map and validate one file")
    p.add_argument("file")
    p.add_argument("--kind", choices=KINDS, default=None, help="detected when omitted")
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN", help="override the auto-mapping")
    p.add_argument("--sheet", default=None, help="Excel sheet name (default: the first)")
    p.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    p.set_defaults(func=_cmd_inspect)


#: Each command registers itself here. Later steps live in ``loyalty/commands/<name>.py``,
#: each with an ``add(sub)`` function; add one line per command.
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_sample,
    _add_inspect,
    measure_command.add,
    clv_command.add,
    diagnose_command.add,
    report_command.add,
    assessments_command.add,
]


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every command."""
    parser = _Parser(prog="python -m loyalty", description="Loyalty Playbook command line")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        args = build_parser().parse_args(argv)
        result = args.func(args)
    except InputError as err:
        print(f"error: {err.message('en')}", file=sys.stderr)
        return EXIT_BAD_INPUT
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
    return 0
