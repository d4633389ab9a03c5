"""Canonical column names and field specifications.

This module is the single owner of the names every other module uses. Ingestion
maps source columns onto these names; KPI, driver and strategy code reads only
these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# --- shared -----------------------------------------------------------------
CUSTOMER_ID = "customer_id"
DATE = "date"

# --- transactions -------------------------------------------------------------
AMOUNT = "amount"
ORDER_ID = "order_id"

# --- survey responses -------------------------------------------------------------
RECOMMEND = "recommend"
TRUST = "trust"
CONSISTENCY = "consistency"
COMMUNICATION = "communication"
SERVICE = "service"
DATA_SECURITY = "data_security"
REPUTATION = "reputation"
REPURCHASE_INTENT = "repurchase_intent"
COMMENT = "comment"

#: The five trust drivers, in the order the source articles give them.
DRIVERS: tuple[str, ...] = (CONSISTENCY, COMMUNICATION, SERVICE, DATA_SECURITY, REPUTATION)

# --- customers -------------------------------------------------------------------
SIGNUP_DATE = "signup_date"
SEGMENT = "segment"
BUSINESS_TYPE = "business_type"
COUNTRY = "country"

Kind = Literal["transactions", "survey", "customers"]
KINDS: tuple[Kind, ...] = ("transactions", "survey", "customers")

#: How a field's values are parsed and validated.
#: ``id``: text key; ``datetime``: date with optional time; ``money``: number with
#: decimal comma, thousands separators and currency markers; ``nps``: 0-10 score;
#: ``rating``: a rating whose scale (1-5, 1-7, 1-10, 0-10) is detected;
#: ``text``: free text; ``category``: a segment label.
FieldType = Literal["id", "datetime", "money", "nps", "rating", "text", "category"]


@dataclass(frozen=True)
class FieldSpec:
    """One canonical field of a kind of table.

    Parameters
    ----------
    name : str
        Canonical column name.
    type : FieldType
        How values are parsed and validated.
    required : bool
        Whether a table of this kind is unusable without it.
    """

    name: str
    type: FieldType
    required: bool = False


FIELDS: dict[Kind, tuple[FieldSpec, ...]] = {
    "transactions": (
        FieldSpec(CUSTOMER_ID, "id", required=True),
        FieldSpec(DATE, "datetime", required=True),
        FieldSpec(AMOUNT, "money", required=True),
        FieldSpec(ORDER_ID, "id"),
    ),
    "survey": (
        FieldSpec(CUSTOMER_ID, "id"),
        FieldSpec(DATE, "datetime"),
        FieldSpec(RECOMMEND, "nps", required=True),
        FieldSpec(TRUST, "rating"),
        *(FieldSpec(d, "rating") for d in DRIVERS),
        FieldSpec(REPURCHASE_INTENT, "rating"),
        FieldSpec(COMMENT, "text"),
    ),
    "customers": (
        FieldSpec(CUSTOMER_ID, "id", required=True),
        FieldSpec(SIGNUP_DATE, "datetime"),
        FieldSpec(SEGMENT, "category"),
        FieldSpec(BUSINESS_TYPE, "category"),
        FieldSpec(COUNTRY, "category"),
    ),
}

#: Rating scales we recognise, as (min, max); the first that contains the data wins.
RATING_SCALES: tuple[tuple[int, int], ...] = ((1, 5), (1, 7), (1, 10), (0, 10))
NPS_SCALE: tuple[int, int] = (0, 10)

#: Stable codes for why a row was rejected (translated via ``reason.<code>``).
REJECT_REASONS: tuple[str, ...] = (
    "missing_customer_id",
    "unparseable_date",
    "non_numeric_amount",
    "score_out_of_range",
    "non_numeric_score",
    "duplicate_row",
    "empty_row",
    # A line-item row of a multi-line order export (Shopify): folded into its order.
    "order_line",
)


def field_names(kind: Kind) -> list[str]:
    """Return the canonical field names of a kind, in display order."""
    return [f.name for f in FIELDS[kind]]


def required_fields(kind: Kind) -> list[str]:
    """Return the canonical fields a table of ``kind`` cannot do without."""
    return [f.name for f in FIELDS[kind] if f.required]


def field_spec(kind: Kind, name: str) -> FieldSpec:
    """Return the spec of field ``name`` in ``kind``; KeyError when unknown."""
    for spec in FIELDS[kind]:
        if spec.name == name:
            return spec
    raise KeyError(name)
