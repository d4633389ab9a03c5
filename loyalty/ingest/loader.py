"""From file bytes to a :class:`LoadResult`: read, map, protect privacy, validate, build.

:func:`load_file` never lets an exception other than :class:`InputError` escape
for any input bytes: unexpected failures are logged and reported as an
unreadable file.
"""

from __future__ import annotations

import codecs
import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd

from loyalty.errors import InputError
from loyalty.ingest.extras import ExtraColumns, classify_extras
from loyalty.ingest.mapping import kind_from_profiles, map_with_profiles
from loyalty.ingest.numbers import parse_numbers
from loyalty.ingest.privacy import personal_columns, pseudonymise
from loyalty.ingest.profile import profile_frame
from loyalty.ingest.reader import RawTable, read_raw
from loyalty.ingest.result import LoadResult
from loyalty.ingest.validate import (
    CHECK_ORDER,
    Parsed,
    duplicated_rows,
    duplicates_apply,
    parse_fields,
    reject_reasons,
    stripped,
)
from loyalty.schema import CUSTOMER_ID, DATE, FIELDS, KINDS, SIGNUP_DATE, field_names, required_fields

log = logging.getLogger(__name__)

#: Mappings below this confidence are pointed out to the user.
LOW_CONFIDENCE = 0.6
_ROW, _REASON = "row", "reason"


def load_path(path: str | os.PathLike, **kwargs: object) -> LoadResult:
    """Load a file from disk; see :func:`load_file` for the keyword arguments."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(
            "ingest.error.cannot_open", file=str(path), detail=err.strerror or str(err)
        ) from None
    return load_file(data, Path(path).name, **kwargs)  # type: ignore[arg-type]


def load_file(
    data: bytes,
    file_name: str,
    kind: str | None = None,
    mapping: dict[str, str] | None = None,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    sheet: str | None = None,
    keep_personal: bool = False,
    scales: dict[str, tuple[int, int]] | None = None,
) -> LoadResult:
    """Ingest one file into a canonical table.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    file_name : str
        Its name (shown in messages; the extension is a hint of the type).
    kind : str, optional
        ``"transactions"``, ``"survey"`` or ``"customers"``; detected when None.
    mapping : dict, optional
        Canonical field -> source column overrides; a value of None or ``""``
        unmaps the field. Fields not named keep their auto-mapping.
    delimiter, encoding, decimal, thousands, sheet : str, optional
        Format overrides that beat sniffing.
    date_format : str, optional
        A date label of ours (``"dd/mm/yyyy"``) or a strftime pattern.
    dayfirst : bool, optional
        Force day/month order of ambiguous dates.
    keep_personal : bool
        Keep personal-data columns as they are (no dropping, no pseudonyms).
    scales : dict, optional
        Field -> (min, max) rating scale, overriding detection.

    Returns
    -------
    LoadResult
        The canonical frame, the rejected rows and the report.

    Raises
    ------
    InputError
        For anything the user can fix; never another exception type.
    """
    try:
        return _load(
            data,
            file_name,
            kind,
            mapping,
            delimiter=delimiter,
            encoding=encoding,
            decimal=decimal,
            thousands=thousands,
            date_format=date_format,
            dayfirst=dayfirst,
            sheet=sheet,
            keep_personal=keep_personal,
            scales=scales,
        )
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - the contract: users see a message, never a traceback
        log.exception("unexpected error while ingesting %s", file_name)
        raise InputError("ingest.error.unreadable", file=file_name, detail=type(err).__name__) from err


def _check_options(
    file_name: str, kind: str | None, delimiter: str | None, encoding: str | None, decimal: str | None
) -> None:
    if kind is not None and kind not in KINDS:
        raise InputError("ingest.error.bad_kind", kind=kind, kinds=", ".join(KINDS))
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise InputError("ingest.error.bad_option", file=file_name, option="delimiter", value=repr(delimiter))
    if decimal is not None and decimal not in (".", ","):
        raise InputError("ingest.error.bad_option", file=file_name, option="decimal", value=repr(decimal))
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(
                "ingest.error.bad_option", file=file_name, option="encoding", value=encoding
            ) from None


def _load(data: bytes, file_name: str, kind: str | None, mapping: dict | None, **opts) -> LoadResult:
    _check_options(file_name, kind, opts["delimiter"], opts["encoding"], opts["decimal"])
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InputError("ingest.error.empty", file=file_name)
    raw = read_raw(
        bytes(data),
        file_name,
        delimiter=opts["delimiter"],
        encoding=opts["encoding"],
        decimal=opts["decimal"],
        thousands=opts["thousands"],
        sheet=opts["sheet"],
    )
    frame = raw.frame
    columns = [str(c) for c in frame.columns]
    if not columns:
        raise InputError("ingest.error.not_a_table", file=file_name)
    if len(frame) == 0:
        raise InputError("ingest.error.no_rows", file=file_name)
    profiles = profile_frame(frame, raw.format.decimal)
    kind = kind or kind_from_profiles(columns, profiles, file_name=file_name)
    fields, confidence = map_with_profiles(columns, kind, profiles)
    fields, confidence = _apply_user_mapping(fields, confidence, mapping, kind, columns, file_name)
    _require(kind, fields, columns, file_name)
    personal = {} if opts["keep_personal"] else personal_columns(columns, profiles, fields)
    parsed = parse_fields(
        frame,
        kind,
        fields,
        decimal=raw.format.decimal,
        strict_numbers=opts["decimal"] is not None,
        thousands=opts["thousands"],
        date_format=opts["date_format"],
        dayfirst=opts["dayfirst"],
        scales=opts["scales"],
        file_name=file_name,
    )
    reason = reject_reasons(frame, kind, fields, parsed)
    used = reason == 0
    if not used.any():
        _all_rejected(file_name, reason, raw.rows)
    return _build(raw, file_name, kind, fields, confidence, profiles, personal, parsed, reason)


def _apply_user_mapping(
    fields: dict[str, str],
    confidence: dict[str, float],
    mapping: dict | None,
    kind: str,
    columns: list[str],
    file_name: str,
) -> tuple[dict[str, str], dict[str, float]]:
    """Overlay a (partial) user mapping: named fields win, None/"" unmaps."""
    if not mapping:
        return fields, confidence
    names = field_names(kind)  # type: ignore[arg-type]
    fields, confidence = dict(fields), dict(confidence)
    for field, column in mapping.items():
        if field not in names:
            raise InputError("ingest.error.unknown_field", field=field, fields=", ".join(names))
        if column is None or (isinstance(column, float) and np.isnan(column)) or str(column).strip() == "":
            fields.pop(field, None)
            confidence.pop(field, None)
            continue
        column = str(column)
        if column not in columns:
            raise InputError(
                "ingest.error.no_column", file=file_name, column=column, columns=", ".join(columns)
            )
        for other, col in list(fields.items()):
            if col == column and other != field and other not in mapping:
                fields.pop(other)
                confidence.pop(other, None)
        fields[field] = column
        confidence[field] = 1.0
    ordered = {f: fields[f] for f in names if f in fields}
    return ordered, {f: confidence[f] for f in ordered}


def _require(kind: str, fields: dict[str, str], columns: list[str], file_name: str) -> None:
    for name in required_fields(kind):  # type: ignore[arg-type]
        if name not in fields:
            raise InputError(f"ingest.error.missing.{name}", file=file_name, columns=", ".join(columns))


def _all_rejected(file_name: str, reason: np.ndarray, rows: np.ndarray) -> None:
    codes, counts = np.unique(reason, return_counts=True)
    top = int(codes[np.argmax(counts)])
    first = int(rows[np.flatnonzero(reason == top)[0]])
    # One key per reason, so the message names the problem in the user's language.
    raise InputError(
        f"ingest.error.all_rejected.{CHECK_ORDER[top - 1]}", file=file_name, rows=len(reason), row=first
    )


def _build(
    raw: RawTable,
    file_name: str,
    kind: str,
    fields: dict[str, str],
    confidence: dict[str, float],
    profiles: dict,
    personal: dict[str, str],
    parsed: Parsed,
    reason: np.ndarray,
) -> LoadResult:
    """Assemble the canonical frame, the rejected rows and the report."""
    frame, used = raw.frame, reason == 0
    columns = [str(c) for c in frame.columns]
    id_column = fields.get(CUSTOMER_ID)
    pseudonymised = [id_column] if id_column in personal else []
    mapped = set(fields.values())
    dropped = [c for c in columns if c in personal and c not in mapped]
    extras = classify_extras([c for c in columns if c not in mapped and c not in personal], profiles, frame)
    canonical = _canonical(kind, parsed, used, pseudonymised)
    taken = set(canonical)
    for col in extras.segments:
        canonical[_free_name(col, taken)] = _used_rows(stripped(frame[col]), used)
    for col in extras.numeric:
        canonical[_free_name(col, taken)] = _used_rows(
            parse_numbers(stripped(frame[col]), raw.format.decimal), used
        )
    out = pd.DataFrame(canonical)
    warnings = (
        list(raw.warnings) + parsed.warnings + _notes(kind, fields, confidence, extras, reason, frame, parsed)
    )
    main_date = parsed.date_formats.get(DATE if kind != "customers" else SIGNUP_DATE)
    raw.format.date_format = main_date.label if main_date is not None else None
    return LoadResult(
        kind=kind,
        file_name=file_name,
        frame=out,
        format=raw.format,
        mapping=dict(fields),
        confidence=dict(confidence),
        source_columns=columns,
        rows_read=len(frame),
        rejected=_rejected(frame, raw.rows, reason, dropped, pseudonymised),
        by_reason=_by_reason(reason),
        dropped_columns=dropped,
        pseudonymised=pseudonymised,
        scales=dict(parsed.scales),
        segment_columns=[c for c in out.columns if c in extras.segments],
        extra_numeric_columns=[c for c in out.columns if c in extras.numeric],
        warnings=warnings,
    )


def _free_name(col: str, taken: set[str]) -> str:
    """An extra column's name, renamed when a canonical field already uses it."""
    name = col if col not in taken else f"{col} (source)"
    taken.add(name)
    return name


def _canonical(kind: str, parsed: Parsed, used: np.ndarray, pseudonymised: list[str]) -> dict[str, pd.Series]:
    """The used rows of every mapped field, typed."""
    out: dict[str, pd.Series] = {}
    for spec in FIELDS[kind]:  # type: ignore[index]
        if spec.name not in parsed.text:
            continue
        if spec.name in parsed.values:
            series = parsed.values[spec.name]
        else:
            series = parsed.text[spec.name]
            if spec.name == CUSTOMER_ID and pseudonymised:
                series = pseudonymise(series)
        out[spec.name] = _used_rows(series, used)
    return out


def _used_rows(series: pd.Series, used: np.ndarray) -> pd.Series:
    """The used rows of a column, renumbered from 0 (no copy when every row is used)."""
    return series.reset_index(drop=True) if used.all() else series[used].reset_index(drop=True)


def _rejected(
    frame: pd.DataFrame, rows: np.ndarray, reason: np.ndarray, dropped: list[str], pseudonymised: list[str]
) -> pd.DataFrame:
    """The rejected source rows with their file position and reason, privacy rules applied."""
    bad = reason != 0
    part = frame.loc[bad, [c for c in frame.columns if c not in dropped]].reset_index(drop=True)
    for col in pseudonymised:
        part[col] = pseudonymise(stripped(part[col]))
    part = part.rename(columns={c: f"{c} (source)" for c in part.columns if c in (_ROW, _REASON)})
    part.insert(0, _REASON, pd.Series([CHECK_ORDER[c - 1] for c in reason[bad]], dtype="str"))
    part.insert(0, _ROW, rows[bad].astype(np.int64))
    return part


def _by_reason(reason: np.ndarray) -> dict[str, int]:
    counts = np.bincount(reason, minlength=len(CHECK_ORDER) + 1)
    return {name: int(counts[i + 1]) for i, name in enumerate(CHECK_ORDER) if counts[i + 1]}


def _notes(
    kind: str,
    fields: dict[str, str],
    confidence: dict[str, float],
    extras: ExtraColumns,
    reason: np.ndarray,
    frame: pd.DataFrame,
    parsed: Parsed,
) -> list[tuple[str, dict]]:
    """Non-fatal notes for the user."""
    notes: list[tuple[str, dict]] = []
    low = [f"{fields[f]} → {f}" for f, c in confidence.items() if c < LOW_CONFIDENCE]
    if low:
        notes.append(("ingest.warning.low_confidence", {"fields": ", ".join(low)}))
    if extras.unused:
        notes.append(("ingest.warning.unused_columns", {"columns": ", ".join(extras.unused)}))
    if extras.empty:
        notes.append(("ingest.warning.empty_columns", {"columns": ", ".join(extras.empty)}))
    lines = int((reason == CHECK_ORDER.index("order_line") + 1).sum())
    if lines:
        notes.append(("ingest.warning.order_lines", {"count": lines}))
    if kind == "transactions" and not duplicates_apply(kind, fields, parsed):
        same = int(duplicated_rows(frame).sum())
        if same:
            notes.append(("ingest.warning.identical_rows_kept", {"count": same}))
    return notes
