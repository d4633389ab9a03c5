"""``python -m loyalty diagnose``: the trust-driver diagnosis of one survey, as one JSON object.

Usage::

    python -m loyalty diagnose --survey survey.csv [--transactions orders.csv]
        [--map field=column ...] [--drivers SPEC] [--trust SPEC] [--outcome SPEC]
        [--bootstrap N] [--seed S] --json

A SPEC is a comma-separated list of ``NAME`` (a column) or ``NAME=col1+col2``
(a multi-item scale averaged into NAME). Without ``--drivers``/``--trust``/
``--outcome`` the mapped canonical fields are used: the five drivers, trust and
recommend. ``--map`` overrides the survey's auto-mapping; the transaction-only
fields (amount, order_id) go to the transactions file.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from loyalty.commands.args import parse_mapping, read_file, seed
from loyalty.errors import InputError
from loyalty.schema import CUSTOMER_ID, DRIVERS, RECOMMEND, TRUST, field_names

if TYPE_CHECKING:
    import pandas as pd

#: Bootstrap replicates by default (the page uses the same number).
DEFAULT_BOOTSTRAP = 1000
_MISSING_RECOMMEND = f"ingest.error.missing.{RECOMMEND}"

# The statistics stack (statsmodels, scipy) is imported inside the functions that
# need it, so building the parser for other commands stays fast.


def _split_mapping(pairs: list[str] | None) -> tuple[dict[str, str], dict[str, str]]:
    """Return the survey's and the transactions' parts of ``--map``."""
    mapping = parse_mapping(pairs)
    survey_fields = set(field_names("survey"))
    only_transactions = set(field_names("transactions")) - survey_fields
    survey = {f: c for f, c in mapping.items() if f not in only_transactions}
    transactions = {f: c for f, c in mapping.items() if f in only_transactions}
    return survey, transactions


def _spec_columns(*specs: str | None) -> list[str]:
    """Return every item column the given specs name (bad specs raise InputError)."""
    from loyalty.drivers.specs import normalize_spec

    columns: list[str] = []
    for spec in specs:
        if spec:
            columns += [c for items in normalize_spec(spec).values() for c in items if c not in columns]
    return columns


def _raw_survey(name: str, data: bytes, mapping: dict[str, str], columns: list[str]) -> pd.DataFrame:
    """Read a survey without a recommend column (its outcome comes from ``--outcome``).

    Ingestion insists on a recommend score; a research survey with its own
    outcome scale has none, so the named item columns are read as numbers
    directly (same format sniffing: delimiter, encoding, decimal comma).
    """
    import pandas as pd

    from loyalty.ingest.numbers import parse_numbers
    from loyalty.ingest.reader import read_raw

    raw = read_raw(data, name)
    missing = [c for c in columns if c not in raw.frame.columns]
    if missing:
        raise InputError("drivers.error.missing_column", column=", ".join(missing))
    survey = pd.DataFrame(
        {c: parse_numbers(raw.frame[c], raw.format.decimal) for c in columns}, index=raw.frame.index
    )
    id_column = mapping.get(CUSTOMER_ID)
    if id_column in raw.frame.columns:
        survey[CUSTOMER_ID] = raw.frame[id_column].astype(str)
    return survey


def load_survey(path: str, mapping: dict[str, str], specs: tuple[str | None, ...]) -> pd.DataFrame:
    """Load the survey through ingestion; fall back to its raw item columns when it has no recommend score.

    Parameters
    ----------
    path : str
        Survey file.
    mapping : dict
        Field -> column overrides.
    specs : tuple
        ``--drivers``, ``--trust`` and ``--outcome`` specs (None when not given).

    Returns
    -------
    pandas.DataFrame
        Canonical survey columns plus the kept extra columns.
    """
    from loyalty.ingest import load_file

    name, data = read_file(path)
    columns = _spec_columns(*specs)  # validates the specs before any file work
    try:
        return load_file(data, name, kind="survey", mapping=mapping or None).frame
    except InputError as err:
        outcome_given = specs[2] is not None and RECOMMEND not in columns
        if err.key != _MISSING_RECOMMEND or not outcome_given:
            raise
    return _raw_survey(name, data, mapping, columns)


def _run(args: argparse.Namespace) -> dict:
    from loyalty.diagnose import diagnosis_report, item_scales, trust_pays_analysis, with_item_scales
    from loyalty.drivers import diagnose
    from loyalty.ingest import load_file

    survey_map, transactions_map = _split_mapping(args.map)
    survey = load_survey(args.survey, survey_map, (args.drivers, args.trust, args.outcome))
    pays = None
    if args.transactions:  # before the bootstrap, so unusable transactions fail fast
        name, data = read_file(args.transactions)
        transactions = load_file(data, name, kind="transactions", mapping=transactions_map or None).frame
        pays = trust_pays_analysis(survey, transactions)
        if pays.problem is not None:
            raise pays.problem
    # Numbered items of a default question ("Service 1..3" from the survey kit) become its scale;
    # a spec the user typed is taken as it is.
    scales = item_scales(survey)
    diagnosis = diagnose(
        survey,
        drivers=args.drivers if args.drivers else with_item_scales(list(DRIVERS), scales),
        mediator=args.trust if args.trust else with_item_scales(TRUST, scales),
        outcome=args.outcome if args.outcome else with_item_scales(RECOMMEND, scales),
        bootstrap=args.bootstrap,
        seed=args.seed,
    )
    return diagnosis_report(diagnosis, pays)


def add(sub: argparse._SubParsersAction) -> None:
    """Register the ``diagnose`` command."""
    p = sub.add_parser(
        "diagnose",
        help="which trust drivers build trust and loyalty, with bootstrap intervals (one JSON object)",
    )
    p.add_argument("--survey", required=True, help="survey responses (csv, xlsx, parquet)")
    p.add_argument(
        "--transactions", default=None, help="transactions with the same customer IDs: adds trust_pays"
    )
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN", help="override the auto-mapping")
    p.add_argument(
        "--drivers",
        default=None,
        metavar="SPEC",
        help='e.g. "COMP=comp_1+comp_2,service" (default: the five)',
    )
    p.add_argument(
        "--trust", default=None, metavar="SPEC", help='mediator, e.g. "CUSA=cusa" (default: trust)'
    )
    p.add_argument(
        "--outcome", default=None, metavar="SPEC", help='e.g. "CUSL=cusl_1+cusl_2" (default: recommend)'
    )
    p.add_argument(
        "--bootstrap",
        type=seed,
        default=DEFAULT_BOOTSTRAP,
        metavar="N",
        help="bootstrap replicates (0 for none)",
    )
    p.add_argument("--seed", type=seed, default=0, metavar="S")
    p.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    p.set_defaults(func=_run)
