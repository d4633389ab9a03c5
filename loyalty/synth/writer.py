"""Write a generated sample to disk, byte for byte reproducibly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from loyalty.schema import AMOUNT, DATE, SIGNUP_DATE
from loyalty.synth.generate import SampleData, generate

FILES: tuple[str, ...] = ("transactions.csv", "survey.csv", "customers.csv", "truth.json")


def _format_dates(series: pd.Series, with_time: bool) -> pd.Series:
    """Format datetimes as ISO text (``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS``)."""
    values = series.to_numpy(dtype="datetime64[s]")
    text = np.datetime_as_string(values, unit="s" if with_time else "D")
    if with_time:
        text = np.char.replace(text, "T", " ")
    return pd.Series(text, index=series.index, dtype="str")


def _to_csv(frame: pd.DataFrame, path: Path) -> None:
    # Amount is the only float column: two decimals, dot separator, no locale influence.
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.2f")


def write_frames(sample: SampleData, out_dir: str | Path) -> dict[str, Path]:
    """Write the tables and truth of ``sample`` into ``out_dir``.

    Parameters
    ----------
    sample : SampleData
        A generated sample.
    out_dir : str or pathlib.Path
        Target folder (created when missing).

    Returns
    -------
    dict of str to pathlib.Path
        ``{"transactions", "survey", "customers", "truth"}`` to the written files.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name.split(".")[0]: out / name for name in FILES}
    tx = sample.transactions.assign(**{DATE: _format_dates(sample.transactions[DATE], True)})
    tx[AMOUNT] = tx[AMOUNT].astype(float)
    _to_csv(tx, paths["transactions"])
    _to_csv(sample.survey.assign(**{DATE: _format_dates(sample.survey[DATE], False)}), paths["survey"])
    customers = sample.customers.assign(**{SIGNUP_DATE: _format_dates(sample.customers[SIGNUP_DATE], False)})
    _to_csv(customers, paths["customers"])
    text = json.dumps(sample.truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    paths["truth"].write_text(text, encoding="utf-8", newline="\n")
    return paths


def write_sample(
    out_dir: str | Path,
    profile: str = "nl_webshop",
    *,
    customers: int | None = None,
    seed: int = 7,
    locale: str | None = None,
) -> dict[str, Path]:
    """Generate a sample and write ``transactions.csv``, ``survey.csv``, ``customers.csv`` and ``truth.json``.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Target folder (created when missing); existing files are overwritten.
    profile, customers, seed, locale
        As in :func:`loyalty.synth.generate`.

    Returns
    -------
    dict of str to pathlib.Path
        ``{"transactions", "survey", "customers", "truth"}`` to the written files.
        The same arguments always give byte-identical files.
    """
    sample = generate(profile, customers=customers, seed=seed, locale=locale)
    return write_frames(sample, out_dir)
