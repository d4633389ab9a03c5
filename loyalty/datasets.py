"""The ready sample datasets in ``sample_data/`` and how to load them.

The registry is a data file (``loyalty/data/samples.json``). Samples go through
the same ingestion as uploads, so what a user sees for a sample is exactly what
they would see for their own export.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from loyalty.errors import InputError

#: ``LOYALTY_SAMPLE_DIR`` points elsewhere, e.g. for a regenerated copy.
SAMPLE_DIR = Path(
    os.environ.get("LOYALTY_SAMPLE_DIR", Path(__file__).resolve().parent.parent / "sample_data")
)

#: The sample preloaded for each interface language.
DEFAULT_SAMPLE_FOR_LANG = {"en": "en_b2b", "nl": "nl_webshop", "pl": "pl_retail"}


@dataclass(frozen=True)
class Sample:
    """One ready dataset.

    Parameters
    ----------
    name : str
        Registry name, also the folder in ``sample_data/``.
    lang : str
        Language of the data (comments, segment labels).
    synthetic : bool
        True when generated with a known truth; False for real data (CDNOW).
    files : dict
        Kind (``transactions``/``survey``/``customers``) -> path.
    truth : Path or None
        The generator's ``truth.json``.
    """

    name: str
    lang: str
    synthetic: bool
    files: dict[str, Path]
    truth: Path | None


@lru_cache(maxsize=1)
def samples() -> dict[str, Sample]:
    """Return the sample registry, in display order."""
    raw = json.loads((resources.files("loyalty") / "data" / "samples.json").read_text(encoding="utf-8"))
    return {
        name: Sample(
            name=name,
            lang=spec["lang"],
            synthetic=spec["synthetic"],
            files={kind: SAMPLE_DIR / rel for kind, rel in spec["files"].items()},
            truth=SAMPLE_DIR / spec["truth"] if spec["truth"] else None,
        )
        for name, spec in raw.items()
    }


def get_sample(name: str) -> Sample:
    """Return sample ``name``; InputError naming the known samples otherwise."""
    try:
        return samples()[name]
    except KeyError:
        raise InputError("data.error.unknown_sample", name=name, names=", ".join(samples())) from None


def sample_files(name: str) -> dict[str, tuple[str, bytes]]:
    """Return ``{kind: (file name, bytes)}`` for the files of sample ``name``."""
    return {kind: (path.name, path.read_bytes()) for kind, path in get_sample(name).files.items()}


def load_truth(name: str) -> dict | None:
    """Return the generator's truth for a synthetic sample, or None."""
    sample = get_sample(name)
    if sample.truth is None or not sample.truth.exists():
        return None
    return json.loads(sample.truth.read_text(encoding="utf-8"))


def load_sample(name: str) -> dict:
    """Load every file of a sample through ingestion.

    Returns
    -------
    dict
        Kind -> :class:`loyalty.ingest.LoadResult`.
    """
    from loyalty.ingest import load_file

    return {
        kind: load_file(data, file_name, kind=kind) for kind, (file_name, data) in sample_files(name).items()
    }
