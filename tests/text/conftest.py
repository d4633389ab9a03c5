"""Helpers of the free-text tests."""

from __future__ import annotations

import pandas as pd

from loyalty.text import tag_comments, themes


def tagged(text: str, lang: str | None = None) -> dict[str, int]:
    """Return ``{theme: sentiment}`` for the themes one comment mentions."""
    row = tag_comments(pd.Series([text]), lang).iloc[0]
    return {theme: int(row[f"{theme}_sentiment"]) for theme in themes() if row[theme]}
