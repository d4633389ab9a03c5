"""Generator profiles: the parameters of each synthetic business, read from data.

The profiles live in ``loyalty/data/profiles.json`` so that a new business type
is a data change, not a code change. Each profile is merged over the file's
``defaults`` block.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

#: Faker locale per comment/name language.
FAKER_LOCALES: dict[str, str] = {"en": "en_US", "nl": "nl_NL", "pl": "pl_PL"}


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Return ``base`` updated recursively with ``override`` (neither is modified)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@lru_cache(maxsize=1)
def _load() -> dict[str, dict[str, Any]]:
    """Read ``profiles.json`` once and merge the defaults into every profile."""
    path = resources.files("loyalty").joinpath("data", "profiles.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {name: _merge(raw["defaults"], spec) for name, spec in raw["profiles"].items()}


#: Read-only view of the profiles, ``{name: parameters}``, in file order.
PROFILES: MappingProxyType[str, dict[str, Any]] = MappingProxyType(_load())


def get_profile(name: str) -> dict[str, Any]:
    """Return a private copy of profile ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`PROFILES`.

    Returns
    -------
    dict
        The merged profile parameters.

    Raises
    ------
    ValueError
        When the profile is unknown.
    """
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}")
    return copy.deepcopy(PROFILES[name])


def resolve_language(profile: dict[str, Any], locale: str | None) -> str:
    """Return the language (en|nl|pl) for comments and fake names.

    Parameters
    ----------
    profile : dict
        Profile parameters; its ``language`` is the default.
    locale : str or None
        Override such as ``"pl"``, ``"nl_NL"`` or ``"en-US"``.

    Returns
    -------
    str
        Two-letter language code.

    Raises
    ------
    ValueError
        When ``locale`` is not English, Dutch or Polish.
    """
    if locale is None:
        return str(profile["language"])
    lang = str(locale).replace("_", "-").split("-")[0].lower()
    if lang not in FAKER_LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; choose one of {', '.join(FAKER_LOCALES)}")
    return lang
