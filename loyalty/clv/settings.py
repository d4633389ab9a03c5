"""Thresholds of the CLV engine, read from ``settings.json`` (data, not code)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    """Return the thresholds as a dict (cached; treat as read-only)."""
    text = (resources.files(__package__) / "settings.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}
