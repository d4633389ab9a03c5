"""Run the command line in-process and read its JSON, exit code and stderr."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from loyalty.cli import main


@dataclass
class Run:
    code: int
    out: dict | None
    err: str


@pytest.fixture
def run_cli(capsys):
    """Return a function that runs ``python -m loyalty <args>`` in-process."""

    def run(*args: str) -> Run:
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, json.loads(captured.out) if code == 0 else None, captured.err)

    return run
