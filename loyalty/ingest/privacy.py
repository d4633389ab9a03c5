"""Find personal-data columns and pseudonymise the ones that are needed.

A column is personal when its header names a person's name, e-mail, phone,
address/postcode or another identifier (``loyalty/data/synonyms.json``, key
``personal``, also with a qualifier such as "Billing"), or when its content is
mostly e-mail addresses or phone numbers. Personal columns are dropped unless
the user keeps them; one that is needed (an e-mail that is the only customer
id) has its values replaced by a stable pseudonym, the same in every file, so
survey answers and purchases of one customer still meet.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from loyalty.ingest.mapping import personal_category
from loyalty.ingest.profile import ColumnProfile
from loyalty.schema import COMMENT, CUSTOMER_ID

#: A fixed salt: pseudonyms stay stable across files and sessions but are not a
#: plain hash of the e-mail that anyone could look up.
_SALT = b"loyalty-playbook/v1:"
PSEUDONYM_PREFIX = "c_"


def personal_columns(
    columns: list[str], profiles: dict[str, ColumnProfile], mapping: dict[str, str]
) -> dict[str, str]:
    """Return ``{column: category}`` for the columns holding personal data.

    Parameters
    ----------
    columns : list of str
        Source columns.
    profiles : dict
        Column profiles (for the content checks).
    mapping : dict
        The field mapping: a column mapped to a field other than the customer id
        (Shopify's "Name" as order number, a comment) is personal only by content.

    Returns
    -------
    dict
        Column -> ``"name"``, ``"email"``, ``"phone"``, ``"address"`` or ``"other"``.
    """
    other_use = {col for field, col in mapping.items() if field != CUSTOMER_ID}
    found: dict[str, str] = {}
    for col in columns:
        if mapping.get(COMMENT) == col:
            continue  # free text is kept, whatever it mentions
        prof = profiles.get(col)
        by_content = None
        if prof is not None:
            by_content = "email" if prof.email >= 0.5 else "phone" if prof.phone >= 0.8 else None
        by_header = None if col in other_use else personal_category(col)
        if by_header == "name" and prof is not None and prof.order_number >= 0.8:
            by_header = None  # "Name" holding #1001 is an order number, not a person
        category = by_header or by_content
        if category:
            found[col] = category
    return found


def pseudonymise(values: pd.Series) -> pd.Series:
    """Replace each value by ``c_`` + 12 hex digits of a salted SHA-256.

    Values are compared case- and space-insensitively first, so ``Jan@X.nl`` and
    ``jan@x.nl`` are one customer. Missing values stay missing.
    """
    codes, uniques = pd.factorize(values)
    keys = np.array(
        [
            PSEUDONYM_PREFIX
            + hashlib.sha256(_SALT + " ".join(str(u).lower().split()).encode("utf-8")).hexdigest()[:12]
            for u in uniques
        ],
        dtype=object,
    )
    out = keys[np.maximum(codes, 0)] if len(keys) else np.full(len(values), None, dtype=object)
    out = np.where(codes >= 0, out, None)
    return pd.Series(out, index=values.index, dtype="str")
