"""Translations and locale-aware formatting for English, Dutch and Polish.

Catalogs are data files in ``catalogs/``, one JSON file per domain
(``app.json``, ``ingest.json``, ...). Each maps a key to its text in every
language::

    {"data.title": {"en": "Your data", "nl": "Uw gegevens", "pl": "Twoje dane"}}

Keys are unique across files. Texts use ``str.format`` placeholders.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

LANGS: tuple[str, ...] = ("en", "nl", "pl")
LANG_NAMES: dict[str, str] = {"en": "English", "nl": "Nederlands", "pl": "Polski"}
DEFAULT_LANG = "en"

# Separators per language: (decimal, thousands). Polish groups with a
# no-break space so numbers never wrap across lines.
_SEPARATORS: dict[str, tuple[str, str]] = {"en": (".", ","), "nl": (",", "."), "pl": (",", "\u00a0")}
_DATE_FORMATS: dict[str, str] = {"en": "%Y-%m-%d", "nl": "%d-%m-%Y", "pl": "%d.%m.%Y"}


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """Return the merged catalog ``{key: {lang: text}}`` from all catalog files.

    Raises
    ------
    ValueError
        When a key is defined in two files.
    """
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files(__package__) / "catalogs"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        for key, texts in json.loads(entry.read_text(encoding="utf-8")).items():
            if key in merged:
                raise ValueError(f"duplicate catalog key {key!r} in {entry.name}")
            merged[key] = texts
    return merged


def normalize_lang(lang: str | None) -> str:
    """Map a language or locale tag (``"nl-NL"``, ``"pl_PL"``) to a supported language."""
    if not lang:
        return DEFAULT_LANG
    code = str(lang).replace("_", "-").split("-")[0].lower()
    return code if code in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """Translate ``key`` into ``lang`` and fill its placeholders.

    Parameters
    ----------
    key : str
        Catalog key.
    lang : str
        Language code; unknown codes fall back to English.
    **params
        Values for the text's ``{placeholders}``.

    Returns
    -------
    str
        The text. An unknown key raises KeyError, so that a missing key fails
        loudly in tests instead of showing a raw key to a user.
    """
    texts = catalog()[key]
    text = texts.get(normalize_lang(lang)) or texts[DEFAULT_LANG]
    return text.format(**params) if params else text


def has_key(key: str) -> bool:
    """Return whether ``key`` is in the catalog."""
    return key in catalog()


def missing_translations() -> list[tuple[str, str]]:
    """Return ``(key, lang)`` pairs whose text is missing or empty."""
    return [
        (key, lang)
        for key, texts in catalog().items()
        for lang in LANGS
        if not str(texts.get(lang, "")).strip()
    ]


def format_number(value: float | int | None, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """Format a number with the language's decimal and thousands separators.

    >>> format_number(1234.5, "nl", 2)
    '1.234,50'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    dec, thou = _SEPARATORS[normalize_lang(lang)]
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", dec).replace("\x00", thou)


def format_percent(fraction: float | None, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """Format a fraction (0.487) as a percentage ('48.7%' / '48,7%')."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "–"
    sep = "\u00a0" if normalize_lang(lang) == "pl" else ""
    return f"{format_number(100 * fraction, lang, decimals)}{sep}%"


def format_date(value: date | datetime | None, lang: str = DEFAULT_LANG) -> str:
    """Format a date the way the language writes it (ISO, dd-mm-yyyy, dd.mm.yyyy)."""
    if value is None:
        return "–"
    try:
        return value.strftime(_DATE_FORMATS[normalize_lang(lang)])
    except (AttributeError, ValueError):  # NaT and friends
        return "–"
