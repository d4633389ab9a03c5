"""Argument helpers shared by every command of ``python -m loyalty``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from loyalty.errors import InputError


def parse_mapping(pairs: Sequence[str] | None) -> dict[str, str]:
    """Parse ``--map field=column`` options into ``{field: column}``.

    Raises
    ------
    InputError
        When an option has no ``=``.
    """
    mapping: dict[str, str] = {}
    for pair in pairs or ():
        field, sep, column = pair.partition("=")
        if not sep or not field.strip():
            raise InputError("cli.error.bad_map", value=pair)
        mapping[field.strip()] = column.strip()
    return mapping


def read_file(path: str) -> tuple[str, bytes]:
    """Read a whole input file; a missing or unreadable file is an InputError."""
    try:
        return Path(path).name, Path(path).read_bytes()
    except OSError as err:
        raise InputError("cli.error.unreadable", file=path, reason=err.strerror or str(err)) from None


def positive_int(text: str) -> int:
    """argparse type: a whole number ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def seed(text: str) -> int:
    """argparse type: a whole number ≥ 0."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 0, got {text!r}")
    return int(text)
