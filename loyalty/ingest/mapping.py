"""Auto-map source columns onto canonical fields, and tell what kind of table a file is.

Header synonyms (English, Dutch, Polish) live in ``loyalty/data/synonyms.json``.
A header scores 1.0 when it equals a synonym after :func:`normalize_header`, a
listed confidence for weak synonyms (``Email`` as a customer id), and less when
it only contains a synonym or a head word (``Totaalbedrag incl. verzending``).
When the column's content is known, the header score is multiplied by how well
the content fits the field's type (a "Datum" column must hold dates), and
columns without a header match can still be proposed from content alone, with
low confidence (a column of 0-10 integers for ``recommend``).

Each field takes at most one column and each column serves at most one field:
pairs are assigned greedily, best score first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import pandas as pd

from loyalty.errors import InputError
from loyalty.ingest.profile import ColumnProfile, profile_frame
from loyalty.schema import (
    AMOUNT,
    CUSTOMER_ID,
    DATE,
    FIELDS,
    KINDS,
    ORDER_ID,
    RECOMMEND,
)

#: Below this a candidate pair is not mapped at all.
MIN_CONFIDENCE = 0.3
#: Header confidence that counts as evidence for a kind of table.
KIND_EVIDENCE = 0.6
_SERIAL_DAYS = (20000, 80000)
#: Confidence kept by an exact date/amount header when only some of its cells fit.
_EXACT_FLOOR = 0.4


@lru_cache(maxsize=1)
def synonyms() -> dict:
    """Return the synonym data, with every entry normalised."""
    raw = json.loads((resources.files("loyalty") / "data" / "synonyms.json").read_text(encoding="utf-8"))
    fields = {
        name: {
            "exact": {normalize_header(s) for s in spec["exact"]},
            "weak": {normalize_header(s): float(v) for s, v in spec["weak"].items()},
            "contains": [normalize_header(s) for s in spec["contains"]],
        }
        for name, spec in raw["fields"].items()
    }
    personal = {cat: {normalize_header(s) for s in names} for cat, names in raw["personal"].items()}
    return {
        "fields": fields,
        "personal": personal,
        "personal_qualifiers": {normalize_header(s) for s in raw["personal_qualifiers"]},
        "missing_answers": {normalize_header(s) for s in raw["missing_answers"]},
    }


def normalize_header(text: object) -> str:
    """Lowercase, strip accents and a trailing bracketed note, collapse punctuation.

    >>> normalize_header("Polecenie (0-10)")
    'polecenie'
    >>> normalize_header("Data_zamówienia")
    'data zamowienia'
    """
    s = str(text).replace("ł", "l").replace("Ł", "L").replace("ß", "ss")
    s = (
        "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
        .lower()
        .strip()
    )
    stripped = re.sub(r"(?:\s*[(\[][^)\]]*[)\]])+\s*$", "", s)
    s = stripped if re.search(r"[a-z0-9]", stripped) else s
    s = re.sub(r"[^0-9a-z]+", " ", s).strip()
    return re.sub(r"^(?:q|v|p)\d+[a-z]?\s+(?=\S)", "", s)  # "Q3. How likely ..." -> "how likely ..."


def header_score(header: str, field: str) -> float:
    """Confidence (0..1) that a header names ``field``, from the header text alone."""
    spec = synonyms()["fields"].get(field)
    norm = normalize_header(header)
    if spec is None or not norm:
        return 0.0
    if norm in spec["exact"]:
        return 1.0
    if norm in spec["weak"]:
        return spec["weak"][norm]
    padded = f" {norm} "
    best = 0.0
    for syn in spec["exact"]:
        if len(syn) >= 3 and f" {syn} " in padded:
            best = max(best, 0.55 + 0.3 * len(syn) / len(norm))
    for head in spec["contains"]:
        if head and head in norm:
            best = max(best, 0.45 + 0.3 * len(head) / len(norm))
    return min(best, 0.85)


def _content_factor(field: str, ftype: str, norm: str, prof: ColumnProfile, exact: bool) -> float:
    """How well a column's content fits a field of type ``ftype`` (multiplies the header score).

    ``exact`` headers (score 1.0) get the benefit of the doubt where content is
    only suggestive: customer numbers 1..10 in a small file look like scores,
    and a "Besteldatum" column with some unreadable cells is still the date
    (those rows are rejected one by one instead of the whole file).
    """
    if prof.filled == 0:
        return 0.2
    if ftype == "datetime":
        if prof.date >= 0.8:
            return 1.0
        # Excel day numbers, alone or mixed with text dates (cells that lost their date format).
        in_range = _SERIAL_DAYS[0] <= prof.max_value <= _SERIAL_DAYS[1]
        serial = prof.numeric > 0 and prof.date + prof.numeric >= 0.8 and in_range
        factor = 0.9 if serial else 0.7 if prof.date >= 0.5 else 0.15
        return max(factor, _EXACT_FLOOR) if exact and prof.date > 0 else factor
    if ftype == "money":
        if prof.date >= 0.8 and prof.decimals == 0:
            return 0.3
        factor = 1.0 if prof.numeric >= 0.8 else 0.7 if prof.numeric >= 0.5 else 0.15
        return max(factor, _EXACT_FLOOR) if exact and prof.numeric > 0 else factor
    if ftype in ("nps", "rating"):
        if prof.numeric < 0.6:
            return 0.15
        return 1.0 if prof.integer_0_10 >= 0.75 * prof.numeric else 0.6
    if ftype == "id":
        if field == ORDER_ID and norm in synonyms()["personal"]["name"]:
            return 1.0 if prof.order_number >= 0.8 else 0.0  # Shopify's "Name" is the order number
        if prof.date >= 0.8 or prof.decimals >= 0.5:
            return 0.3
        if prof.integer_0_10 >= 0.95 and prof.distinct <= 11 and not exact:
            return 0.3
        return 1.0
    if ftype == "text":
        return 0.3 if prof.numeric >= 0.9 else 1.0
    if ftype == "category":
        return 1.0 if prof.distinct <= 50 else 0.4
    return 1.0


def _content_only(field: str, ftype: str, prof: ColumnProfile) -> float:
    """Low-confidence proposal from content when the header says nothing."""
    if prof.filled == 0:
        return 0.0
    if ftype == "datetime" and prof.date >= 0.9:
        return 0.4
    if ftype == "money" and prof.numeric >= 0.95 and prof.decimals >= 0.3 and prof.date < 0.5:
        return 0.35
    if field == RECOMMEND and prof.integer_0_10 >= 0.95 and prof.max_value >= 9:
        return 0.35
    if field == CUSTOMER_ID and prof.email >= 0.8:
        return 0.5
    return 0.0


def score_pairs(
    columns: list[str], kind: str, profiles: dict[str, ColumnProfile] | None
) -> list[tuple[float, int, int, str, str]]:
    """All (score, field order, column order, field, column) candidates above the minimum."""
    pairs = []
    for fi, spec in enumerate(FIELDS[kind]):  # type: ignore[index]
        for ci, col in enumerate(columns):
            score = header_score(col, spec.name)
            prof = profiles.get(col) if profiles else None
            if prof is not None:
                if score > 0:
                    score *= _content_factor(spec.name, spec.type, normalize_header(col), prof, score >= 1.0)
                else:
                    score = _content_only(spec.name, spec.type, prof)
            if score >= MIN_CONFIDENCE:
                pairs.append((score, fi, ci, spec.name, col))
    return pairs


def assign(pairs: list[tuple[float, int, int, str, str]]) -> tuple[dict[str, str], dict[str, float]]:
    """Greedy one-to-one assignment, best score first (ties: field order, then column order)."""
    mapping: dict[str, str] = {}
    confidence: dict[str, float] = {}
    for score, _fi, _ci, field, col in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if field in mapping or col in mapping.values():
            continue
        mapping[field] = col
        confidence[field] = round(float(score), 3)
    return mapping, confidence


def auto_map(
    columns: list[str], kind: str, frame: pd.DataFrame | None = None
) -> tuple[dict[str, str], dict[str, float]]:
    """Map source columns onto the canonical fields of ``kind``.

    Parameters
    ----------
    columns : list of str
        Source column names, in file order.
    kind : str
        ``"transactions"``, ``"survey"`` or ``"customers"``.
    frame : pandas.DataFrame, optional
        The raw table; when given, content confirms or proposes mappings.

    Returns
    -------
    tuple of dict
        ``(mapping, confidence)``: canonical field -> source column, and field -> 0..1.
    """
    if kind not in KINDS:
        raise InputError("ingest.error.bad_kind", kind=kind, kinds=", ".join(KINDS))
    profiles = profile_frame(frame[[c for c in columns if c in frame.columns]]) if frame is not None else None
    return map_with_profiles(columns, kind, profiles)


def map_with_profiles(
    columns: list[str], kind: str, profiles: dict[str, ColumnProfile] | None
) -> tuple[dict[str, str], dict[str, float]]:
    """:func:`auto_map` with column profiles computed by the caller."""
    mapping, confidence = assign(score_pairs(columns, kind, profiles))
    order = [spec.name for spec in FIELDS[kind]]  # type: ignore[index]
    mapping = {f: mapping[f] for f in order if f in mapping}
    return mapping, {f: confidence[f] for f in mapping}


def detect_kind(columns: list[str], frame: pd.DataFrame | None = None, *, file_name: str = "") -> str:
    """Tell whether a table holds transactions, survey responses or customers.

    Survey when a recommend column maps by its header; transactions when a
    date and an amount map; customers when a customer id maps and neither an
    amount nor a recommend column does. Content-only evidence is used last,
    and when content rules out every kind the headers alone decide.

    Raises
    ------
    InputError
        When none of the kinds fits.
    """
    profiles = profile_frame(frame[[c for c in columns if c in frame.columns]]) if frame is not None else None
    return kind_from_profiles(columns, profiles, file_name=file_name)


def kind_from_profiles(
    columns: list[str], profiles: dict[str, ColumnProfile] | None, *, file_name: str = ""
) -> str:
    """:func:`detect_kind` with column profiles computed by the caller."""
    maps = {kind: map_with_profiles(columns, kind, profiles) for kind in KINDS}

    def strong(kind: str, field: str) -> bool:
        mapping, conf = maps[kind]
        return (
            field in mapping and header_score(mapping[field], field) >= KIND_EVIDENCE and conf[field] >= 0.3
        )

    if strong("survey", RECOMMEND):
        return "survey"
    tx_map = maps["transactions"][0]
    if DATE in tx_map and AMOUNT in tx_map:
        return "transactions"
    if RECOMMEND in maps["survey"][0] and not strong("transactions", AMOUNT):
        return "survey"
    # An exact amount header ("Totaalbedrag") whose cells are no numbers still
    # says "transactions": such a file is not a customer list.
    bad_amount = AMOUNT not in tx_map and any(header_score(c, AMOUNT) >= 1.0 for c in columns)
    if CUSTOMER_ID in maps["customers"][0] and not strong("transactions", AMOUNT) and not bad_amount:
        return "customers"
    if strong("transactions", AMOUNT) or bad_amount:
        # An amount column says "orders" even without a usable date: validating the file as
        # transactions then names the missing field, instead of claiming nothing was recognised.
        return "transactions"
    if profiles is not None:
        # Headers that clearly name a kind whose content does not fit ("date"
        # holding no dates): take the kind from the headers, so the user hears
        # which field is unusable rather than that nothing was recognised.
        try:
            return kind_from_profiles(columns, None, file_name=file_name)
        except InputError:
            pass
    raise InputError(
        "ingest.error.unknown_kind", file=file_name or "?", columns=", ".join(str(c) for c in columns)
    )


def personal_category(header: str) -> str | None:
    """Return the personal-data category of a header.

    One of ``"name"``, ``"email"``, ``"phone"``, ``"address"`` or ``"other"``, or ``None``.
    """
    data = synonyms()
    norm = normalize_header(header)
    for category, names in data["personal"].items():
        if norm in names:
            return category
    tokens = norm.split(" ")
    if len(tokens) >= 2 and tokens[0] in data["personal_qualifiers"]:
        rest = " ".join(tokens[1:])
        for category, names in data["personal"].items():
            if rest in names:
                return category
    return None


def is_missing_answer(cells: pd.Series) -> pd.Series:
    """True for survey cells meaning "no answer" (``n.v.t.``, ``nie wiem``, ``-``)."""
    words = synonyms()["missing_answers"]
    uniques = pd.Series(cells.dropna().unique(), dtype="str")
    missing = {u for u in uniques if normalize_header(u) in words or not re.search(r"[0-9A-Za-z]", u)}
    return cells.isin(missing)
