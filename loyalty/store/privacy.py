"""Fingerprints of data files and pseudonymous customer ids."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

#: Hex characters kept of each HMAC: 64 bits, collision-free in practice for any customer base.
TOKEN_LENGTH = 16


def fingerprint(data: bytes | pd.DataFrame) -> str:
    """Return the SHA-256 hex digest of a file's bytes or of a DataFrame's content.

    A frame is hashed through its CSV text (with column names and index), so the same
    table gives the same fingerprint on every machine and pandas version.
    """
    if isinstance(data, pd.DataFrame):
        data = data.to_csv(index=True, lineterminator="\n").encode("utf-8")
    return hashlib.sha256(bytes(data)).hexdigest()


def pseudonymise(ids: pd.Series, salt: bytes) -> pd.Series:
    """Replace customer ids by keyed hashes: HMAC-SHA256 with ``salt``, truncated hex.

    The same id gives the same token with the same salt, so rows of one customer stay
    linked; without the salt the original id cannot be recovered. Missing ids stay missing.
    """

    def token(value: object) -> str:
        return hmac.new(salt, str(value).encode("utf-8"), hashlib.sha256).hexdigest()[:TOKEN_LENGTH]

    out = ids.map(lambda v: None if pd.isna(v) else token(v))
    return out.astype("string").rename(ids.name)
