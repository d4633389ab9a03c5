"""Read file bytes into a raw table: every cell a stripped-or-not string, or NA.

Delimited text goes through ``pandas.read_csv(dtype=str)`` (the pyarrow engine
for big clean files, the C engine otherwise), Excel through openpyxl and Parquet
through pyarrow. The reader also knows where each row is in the file, so a
rejected row can be found again: the line number for text (header on line 1),
the sheet row number for Excel, the 1-based record number for Parquet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loyalty.errors import InputError
from loyalty.ingest.numbers import detect_separators
from loyalty.ingest.result import TableFormat
from loyalty.ingest.sniff import (
    detect_delimiter,
    detect_encoding,
    detect_file_type,
    explicit_delimiter,
    field_counts,
    sample_text,
)

_PYARROW_MIN_BYTES = 1_000_000
_MAX_PAD_RETRIES = 4
_HEADER_SCAN_ROWS = 20
# Numbers and dates (1.234,50; 2024-01-13; 05/03/2024 10:00): a first line of only these is data.
_DATA_LIKE = re.compile(r"^[-+]?(?=.*\d)[\d.,/: -]+$")


@dataclass
class RawTable:
    """A table as read, before any mapping.

    Parameters
    ----------
    frame : pandas.DataFrame
        Cells as strings (NA when empty), columns named from the header.
    format : TableFormat
        How the file was read.
    rows : numpy.ndarray
        Where each row is in the file (see module docstring).
    warnings : list
        ``(catalog key, params)`` notes from reading.
    """

    frame: pd.DataFrame
    format: TableFormat
    rows: np.ndarray
    warnings: list[tuple[str, dict]] = field(default_factory=list)


def read_table(
    data: bytes,
    file_name: str,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
    sheet: str | None = None,
) -> tuple[pd.DataFrame, TableFormat]:
    """Read a file into a raw table of strings.

    Parameters
    ----------
    data : bytes
        The file.
    file_name : str
        Its name (for messages, and as a hint of the type).
    delimiter, encoding, decimal, thousands, sheet : str, optional
        Overrides that beat sniffing.

    Returns
    -------
    tuple
        ``(frame, format)``: all cells as strings or NA, and the detected format.

    Raises
    ------
    InputError
        For files that are not readable tables.
    """
    raw = read_raw(
        data,
        file_name,
        delimiter=delimiter,
        encoding=encoding,
        decimal=decimal,
        thousands=thousands,
        sheet=sheet,
    )
    return raw.frame, raw.format


def read_raw(
    data: bytes,
    file_name: str,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
    sheet: str | None = None,
) -> RawTable:
    """:func:`read_table`, plus row positions and reading notes."""
    file_type = detect_file_type(data, file_name)
    if file_type == "xlsx":
        raw = _read_excel(data, file_name, sheet)
    elif file_type == "parquet":
        raw = _read_parquet(data, file_name)
    else:
        raw = _read_delimited(data, file_name, delimiter, encoding)
    raw.frame = _trim_trailing_empty(raw.frame)
    raw.rows = raw.rows[: len(raw.frame)]
    hint = "," if raw.format.delimiter == ";" else "."
    sample = _number_sample(raw.frame)
    detected_decimal, detected_thousands = detect_separators(sample, hint)
    raw.format.decimal = decimal or detected_decimal
    raw.format.thousands = thousands if thousands is not None else detected_thousands
    return raw


def _number_sample(frame: pd.DataFrame, per_column: int = 500) -> pd.Series:
    """Cells from every column, for separator detection."""
    parts = [frame[c].dropna().head(per_column).astype("str") for c in frame.columns]
    return pd.concat(parts, ignore_index=True) if parts else pd.Series([], dtype="str")


def _trim_trailing_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop empty rows at the end (spreadsheet artefacts, ``;;;`` lines), never in the middle."""
    end = len(frame)
    while end > 0 and len(frame.columns):
        start = max(0, end - 1000)
        block = frame.iloc[start:end]
        filled = np.zeros(len(block), dtype=bool)
        for col in block.columns:
            cells = block[col]
            filled |= (cells.notna() & (cells.astype("str").str.strip() != "")).to_numpy(dtype=bool)
        hits = np.flatnonzero(filled)
        if len(hits):
            end = start + int(hits[-1]) + 1
            break
        end = start
    return frame if end == len(frame) else frame.iloc[:end]


def clean_header(names: list[object]) -> list[str]:
    """Strip header cells, name empty ones ``column_N`` and number repeated ones ``name (2)``."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        text = "" if name is None or (isinstance(name, float) and math.isnan(name)) else str(name)
        text = re.sub(r"\s+", " ", text.replace("\ufeff", "")).strip()
        text = text or f"column_{i + 1}"
        key = text.lower()
        if key in seen:
            seen[key] += 1
            text = f"{text} ({seen[key]})"
        else:
            seen[key] = 1
        out.append(text)
    return out


def _is_data_like(cells: list[str]) -> bool:
    """A first line of only numbers and dates is data, not a header."""
    filled = [c.strip() for c in cells if c and c.strip()]
    return bool(filled) and all(_DATA_LIKE.match(c) for c in filled)


# --- delimited text ---------------------------------------------------------------------


def _read_delimited(data: bytes, file_name: str, delimiter: str | None, encoding: str | None) -> RawTable:
    encoding = encoding or detect_encoding(data)
    text, _cut = sample_text(data, encoding)
    stripped = text.lstrip()
    if stripped[:1] in ("<", "{", "["):
        raise InputError("ingest.error.not_a_table", file=file_name)
    skip = 0
    sep_line = explicit_delimiter(text)
    if sep_line:
        skip, text = 1, text.split("\n", 1)[1] if "\n" in text else ""
    sniffed = delimiter is None and sep_line is None
    delimiter = delimiter or sep_line or detect_delimiter(text)
    if delimiter is None:
        delimiter = _single_column_or_fail(text, file_name)
    elif sniffed and _is_ragged_prose(text, delimiter):
        raise InputError("ingest.error.not_a_table", file=file_name)
    header = _first_record(text, delimiter)
    notes: list[tuple[str, dict]] = []
    if _is_data_like(header):
        names = [f"column_{i + 1}" for i in range(len(header))]
        notes.append(("ingest.warning.no_header", {}))
        header_lines = 0
    else:
        names = clean_header(list(header))
        header_lines = 1
    width = max([len(names), *field_counts(text, delimiter)])
    names = names + [f"column_{i + 1}" for i in range(len(names), width)]
    frame = _parse_csv(data, file_name, names, delimiter, encoding, skip + header_lines, notes)
    named = [bool(str(h).strip()) for h in header] if header_lines else []
    frame = _drop_empty_padding(frame, named)
    first_line = skip + header_lines + 1
    rows = first_line + np.arange(len(frame), dtype=np.int64)
    if data.find(b'"') >= 0:  # find() scans in place; a slice would copy up to the whole upload
        rows = rows + _embedded_newlines(frame)
    fmt = TableFormat(file_type="csv", delimiter=delimiter, encoding=encoding)
    return RawTable(frame=frame, format=fmt, rows=rows, warnings=notes)


def _first_record(text: str, delimiter: str) -> list[str]:
    """The header cells, respecting quotes (plain split when the csv module objects)."""
    try:
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error:
        first = text.splitlines()[0] if text.splitlines() else ""
        return first.split(delimiter)


def _prose_lines(lines: list[str]) -> int:
    """Lines that read like sentences: long, or a sentence end followed by a new sentence."""
    return sum(1 for ln in lines if len(ln) > 60 or re.search(r"[a-z]{2,}[.!?]\s+[A-Z]", ln))


def _single_column_or_fail(text: str, file_name: str) -> str:
    """A file no delimiter splits: a one-column table, or prose (not a table)."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:50]
    if not lines:
        raise InputError("ingest.error.empty", file=file_name)
    if _prose_lines(lines) > len(lines) / 4 or len(lines) < 2:
        raise InputError("ingest.error.not_a_table", file=file_name)
    return ","


def _is_ragged_prose(text: str, delimiter: str) -> bool:
    """A letter whose commas fooled the sniffer: ragged records that read like sentences.

    Both are needed: a real export with a comment column has long lines too, but
    its records all have the same number of fields.
    """
    counts = field_counts(text, delimiter)
    consistent = sum(1 for n in counts if n == counts[0]) / len(counts) if counts else 0.0
    lines = [ln for ln in text.splitlines() if ln.strip()][:50]
    return consistent < 0.8 and _prose_lines(lines) > len(lines) / 2


def _parse_csv(
    data: bytes, file_name: str, names: list[str], delimiter: str, encoding: str, skip: int, notes: list
) -> pd.DataFrame:
    """``read_csv`` with every cell as a string; widen for ragged rows, relax broken quotes."""
    base = {
        "sep": delimiter,
        "header": None,
        "skiprows": skip,
        "dtype": str,
        "keep_default_na": False,
        "na_values": [""],
        "encoding": encoding,
        "encoding_errors": "replace",
    }
    blank_lines = b"\n\n" in data or b"\n\r\n" in data or b"\r\r" in data
    if (
        len(data) >= _PYARROW_MIN_BYTES
        and encoding.startswith("utf-8")
        and not blank_lines
        and len(delimiter) == 1
    ):
        try:
            return pd.read_csv(io.BytesIO(data), names=names, engine="pyarrow", **base)
        except Exception:  # noqa: BLE001 - any pyarrow complaint: the C engine decides
            pass
    quoting = csv.QUOTE_MINIMAL
    for _ in range(_MAX_PAD_RETRIES + 2):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return pd.read_csv(
                    io.BytesIO(data),
                    names=names,
                    engine="c",
                    skip_blank_lines=False,
                    index_col=False,
                    quoting=quoting,
                    **base,
                )
        except pd.errors.ParserError as err:
            message = str(err)
            wider = re.search(r"saw (\d+)", message)
            if wider and int(wider.group(1)) > len(names):
                names = names + [f"column_{i + 1}" for i in range(len(names), int(wider.group(1)))]
                continue
            if "EOF inside string" in message and quoting != csv.QUOTE_NONE:
                quoting = csv.QUOTE_NONE
                notes.append(("ingest.warning.broken_quotes", {}))
                continue
            raise InputError(
                "ingest.error.unreadable", file=file_name, detail=message.strip()[:200]
            ) from None
        except (UnicodeError, ValueError, OverflowError, MemoryError) as err:
            raise InputError("ingest.error.unreadable", file=file_name, detail=str(err)[:200]) from None
    raise InputError("ingest.error.unreadable", file=file_name, detail="ragged rows")


def _drop_empty_padding(frame: pd.DataFrame, named: list[bool]) -> pd.DataFrame:
    """Drop columns without a header name that hold nothing (trailing delimiters, ``a;b;``).

    ``named`` says for each header cell whether it had a name; it is empty for a
    file without a header, whose columns are all kept.
    """
    if not any(named):
        return frame
    drop = [
        c for i, c in enumerate(frame.columns) if (i >= len(named) or not named[i]) and frame[c].isna().all()
    ]
    return frame.drop(columns=drop) if drop else frame


def _embedded_newlines(frame: pd.DataFrame) -> np.ndarray:
    """Extra lines taken by earlier rows whose quoted cells hold line breaks."""
    extra = np.zeros(len(frame), dtype=np.int64)
    for col in frame.columns:
        counts = frame[col].str.count("\n")
        if counts.fillna(0).any():
            extra += counts.fillna(0).to_numpy(dtype=np.int64)
    shifted = np.concatenate([[0], np.cumsum(extra)[:-1]]) if len(extra) else extra
    return shifted


# --- Excel --------------------------------------------------------------------------


def workbook_sheets(data: bytes) -> list[str]:
    """Return the sheet names of an ``.xlsx`` file, or ``[]`` for anything else.

    Parameters
    ----------
    data : bytes
        The file.

    Returns
    -------
    list of str
        Sheet names in workbook order; empty when ``data`` is no readable workbook.
        Lets a caller offer a sheet choice even when the first sheet could not be used.
    """
    if not data.startswith(b"PK\x03\x04"):
        return []
    try:
        return [str(s) for s in pd.ExcelFile(io.BytesIO(data), engine="openpyxl").sheet_names]
    except Exception:  # noqa: BLE001 - a zip that is no workbook raises many types
        return []


def _read_excel(data: bytes, file_name: str, sheet: str | None) -> RawTable:
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
        sheets = [str(s) for s in book.sheet_names]
    except Exception:  # noqa: BLE001 - a zip that is no workbook raises many types
        raise InputError("ingest.error.fake_excel", file=file_name) from None
    notes: list[tuple[str, dict]] = []
    if sheet is not None:
        chosen = next((s for s in sheets if s == sheet), None) or next(
            (s for s in sheets if s.strip().lower() == str(sheet).strip().lower()), None
        )
        if chosen is None:
            raise InputError("ingest.error.no_sheet", file=file_name, sheet=sheet, sheets=", ".join(sheets))
        grid = _sheet_grid(book, chosen, file_name)
    else:
        chosen, grid = sheets[0] if sheets else None, None
        for name in sheets:
            grid = _sheet_grid(book, name, file_name)
            if int(grid.notna().any(axis=1).sum()) >= 2:  # a header and at least one row
                if name != sheets[0]:
                    notes.append(("ingest.warning.first_sheet_empty", {"sheet": name}))
                chosen = name
                break
    if grid is None or grid.empty or not grid.notna().any().any():
        raise InputError("ingest.error.empty", file=file_name)
    if sheet is None and int(grid.notna().any(axis=1).sum()) < 2:
        chosen, grid = sheets[0], _sheet_grid(book, sheets[0], file_name)
    frame, rows = _grid_to_table(grid)
    fmt = TableFormat(file_type="xlsx", sheet=chosen, sheets=sheets)
    return RawTable(frame=frame, format=fmt, rows=rows, warnings=notes)


def _sheet_grid(book: pd.ExcelFile, name: str, file_name: str) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            grid = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
    except Exception as err:  # noqa: BLE001 - openpyxl raises many types on odd files
        raise InputError("ingest.error.unreadable", file=file_name, detail=str(err)[:200]) from None
    return grid.map(cell_text)


def cell_text(value: object) -> str | None:
    """One spreadsheet/Parquet cell as text: dates ISO, whole numbers without ``.0``."""
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        if math.isnan(value) or math.isinf(value):
            return None
        return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, dt.datetime):
        if pd.isna(value):
            return None
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        same_day = value.hour == value.minute == value.second == 0
        return value.strftime("%Y-%m-%d" if same_day else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    text = str(value)
    return text if text.strip() else None


def _grid_to_table(grid: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Find the header row (titles above it are skipped) and make the table."""
    grid = grid.dropna(axis=1, how="all")
    top = grid.head(_HEADER_SCAN_ROWS)
    counts = top.notna().sum(axis=1)
    widest = int(counts.max())
    header_at = int(np.flatnonzero(counts.to_numpy() >= max(1, math.ceil(0.6 * widest)))[0])
    header = [None if pd.isna(c) else c for c in grid.iloc[header_at].tolist()]  # empty cells come back NaN
    body = grid.iloc[header_at + 1 :]
    if _is_data_like([h or "" for h in header]):
        header, body = [None] * grid.shape[1], grid.iloc[header_at:]
    names = clean_header(header)
    frame = pd.DataFrame({name: body.iloc[:, j].astype("str") for j, name in enumerate(names)})
    frame = frame.reset_index(drop=True)
    rows = body.index.to_numpy(dtype=np.int64) + 1  # sheet row numbers are 1-based
    return frame, rows


# --- Parquet ------------------------------------------------------------------------


def _read_parquet(data: bytes, file_name: str) -> RawTable:
    try:
        typed = pd.read_parquet(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - pyarrow raises many types on a damaged file
        raise InputError("ingest.error.fake_parquet", file=file_name) from None
    typed = typed.reset_index(drop=isinstance(typed.index, pd.RangeIndex))
    names = clean_header(list(typed.columns))
    frame = pd.DataFrame({name: _typed_to_text(typed.iloc[:, j]) for j, name in enumerate(names)})
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    return RawTable(frame=frame, format=TableFormat(file_type="parquet"), rows=rows)


def _typed_to_text(series: pd.Series) -> pd.Series:
    """A typed column as strings, vectorised for the common types."""
    missing = series.isna()
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        midnight = (series.dropna() == series.dropna().dt.normalize()).all()
        text = series.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M:%S")
    elif pd.api.types.is_bool_dtype(series.dtype):
        text = series.map({True: "TRUE", False: "FALSE"})
    elif pd.api.types.is_integer_dtype(series.dtype):
        text = series.astype("str")
    elif pd.api.types.is_float_dtype(series.dtype):
        finite = series[~missing]
        whole = (
            bool(len(finite)) and bool((finite == finite.round()).all()) and bool((finite.abs() < 1e15).all())
        )
        text = series.fillna(0).astype("int64").astype("str") if whole else series.astype("str")
    elif pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(series.dtype):
        text = series
    else:
        text = series.map(cell_text)
    return text.astype("str").where(~missing & text.notna())
