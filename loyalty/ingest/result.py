"""What ingestion hands back: the detected file format and the load result."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from loyalty.i18n import t
from loyalty.schema import AMOUNT, CUSTOMER_ID, DATE

#: Catalog prefix of ingestion warnings; the rest of the key is the warning's stable code.
_WARNING_PREFIX = "ingest.warning."


@dataclass
class TableFormat:
    """How a file was read, as detected (or as overridden by the user).

    Parameters
    ----------
    file_type : str
        ``"csv"`` (any delimited text), ``"xlsx"`` or ``"parquet"``.
    delimiter : str or None
        Field separator of delimited text (``","``, ``";"``, ``"\\t"``, ``"|"``).
    encoding : str or None
        Text encoding (``"utf-8"``, ``"utf-8-sig"``, ``"cp1250"``, ``"cp1252"``, ``"utf-16"``).
    decimal : str
        Decimal separator of numbers, ``"."`` or ``","``.
    thousands : str or None
        Thousands separator seen in numbers (``"."``, ``","``, ``" "``), None when none was seen.
    date_format : str or None
        Human label of the main date column's format, e.g. ``"dd-mm-yyyy"`` or
        ``"yyyy-mm-dd hh:mm:ss"``; ``"excel-serial"`` for Excel day numbers.
    sheet : str or None
        The Excel sheet that was read.
    sheets : list of str
        All sheet names of an Excel file (for a sheet picker).
    """

    file_type: str
    delimiter: str | None = None
    encoding: str | None = None
    decimal: str = "."
    thousands: str | None = None
    date_format: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return the format as a plain, JSON-serialisable dict."""
        return asdict(self)


@dataclass
class LoadResult:
    """One ingested file: the canonical table plus everything a user should know about it.

    Parameters
    ----------
    kind : str
        ``"transactions"``, ``"survey"`` or ``"customers"``.
    file_name : str
        Name of the source file.
    frame : pandas.DataFrame
        Canonical columns (``customer_id`` str, ``date`` datetime64 naive, ``amount``
        float64, scores float64 with NaN for no answer, ``comment`` str) followed by
        the kept extra columns.
    format : TableFormat
        How the file was read.
    mapping : dict
        Canonical field -> source column.
    confidence : dict
        Canonical field -> mapping confidence between 0 and 1.
    source_columns : list of str
        All columns of the file, in order.
    rows_read : int
        Data rows in the file (header excluded).
    rejected : pandas.DataFrame
        The rows not used, with ``row`` (where to find it in the file: the line
        number for delimited text and the sheet row number for Excel, so the
        header is row 1 and the first data row is row 2; for Parquet the 1-based
        record number), ``reason`` (a code of ``schema.REJECT_REASONS``) and the
        source cells as read (personal columns removed like in ``frame``).
    by_reason : dict
        Reason code -> number of rows.
    dropped_columns : list of str
        Personal-data columns removed for privacy.
    pseudonymised : list of str
        Personal columns that were needed (e.g. an e-mail used as customer id) and
        whose values were replaced by a stable pseudonym.
    scales : dict
        Detected (or given) scale per score field, e.g. ``{"trust": (1, 5)}``.
    segment_columns : list of str
        Extra categorical columns kept (channel, region, store, ...).
    extra_numeric_columns : list of str
        Extra numeric columns kept, as floats (survey items such as ``comp_1``).
    warnings : list of tuple
        ``(catalog key, params)`` for non-fatal notes.
    """

    kind: str
    file_name: str
    frame: pd.DataFrame
    format: TableFormat
    mapping: dict[str, str]
    confidence: dict[str, float]
    source_columns: list[str]
    rows_read: int
    rejected: pd.DataFrame
    by_reason: dict[str, int]
    dropped_columns: list[str] = field(default_factory=list)
    pseudonymised: list[str] = field(default_factory=list)
    scales: dict[str, tuple[int, int]] = field(default_factory=dict)
    segment_columns: list[str] = field(default_factory=list)
    extra_numeric_columns: list[str] = field(default_factory=list)
    warnings: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def rows_used(self) -> int:
        """Number of rows in the canonical frame."""
        return int(len(self.frame))

    def summary(self) -> dict:
        """Return the ``inspect --json`` object: plain ints, floats and strings only.

        Returns
        -------
        dict
            Keys ``kind``, ``file``, ``format``, ``mapping``, ``confidence``, ``rows``,
            ``dropped_columns``, ``pseudonymised``, ``segment_columns``, ``warnings``
            (see :meth:`warning_list`) and the kind's own counts (see :func:`_kind_summary`).
        """
        fmt = self.format
        out: dict = {
            "kind": self.kind,
            "file": self.file_name,
            "format": {
                "file_type": fmt.file_type,
                "delimiter": fmt.delimiter,
                "encoding": fmt.encoding,
                "decimal": fmt.decimal,
                "thousands": fmt.thousands,
                "date_format": fmt.date_format,
                "sheet": fmt.sheet,
            },
            "mapping": {str(k): str(v) for k, v in self.mapping.items()},
            "confidence": {str(k): round(float(v), 3) for k, v in self.confidence.items()},
            "rows": {
                "read": int(self.rows_read),
                "used": self.rows_used,
                "rejected": int(self.rows_read - self.rows_used),
                "by_reason": {str(k): int(v) for k, v in self.by_reason.items()},
            },
            "dropped_columns": [str(c) for c in self.dropped_columns],
            "pseudonymised": [str(c) for c in self.pseudonymised],
            "segment_columns": [str(c) for c in self.segment_columns],
            "warnings": self.warning_list(),
        }
        out.update(_kind_summary(self))
        return out

    def notes(self) -> list[tuple[str, dict]]:
        """Return every note a user should read: the loader's warnings, then privacy actions and scales.

        Privacy actions and detected scales are not problems, but a batch user sees
        only the JSON, so they are spelled out next to the warnings.
        """
        notes = list(self.warnings)
        if self.dropped_columns:
            notes.append(("ingest.warning.personal_dropped", {"columns": ", ".join(self.dropped_columns)}))
        if self.pseudonymised:
            notes.append(("ingest.warning.pseudonymised", {"columns": ", ".join(self.pseudonymised)}))
        if self.scales:
            scales = ", ".join(f"{field} {lo}-{hi}" for field, (lo, hi) in self.scales.items())
            notes.append(("ingest.warning.scales_detected", {"scales": scales}))
        return notes

    def warning_list(self, lang: str = "en") -> list[dict[str, str]]:
        """Return the notes as ``{"code": stable code, "message": text in lang}`` dicts.

        Parameters
        ----------
        lang : str
            Language of the messages (the command line prints English).

        Returns
        -------
        list of dict
            ``code`` is the catalog key without its ``ingest.warning.`` prefix, e.g.
            ``ambiguous_dates``; it does not change when the wording does.
        """
        return [
            {"code": key.removeprefix(_WARNING_PREFIX), "message": t(key, lang, **params)}
            for key, params in self.notes()
        ]


def _iso_day(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _kind_summary(result: LoadResult) -> dict:
    """The counts that belong to the result's kind."""
    frame = result.frame
    if result.kind == "transactions":
        amount = frame[AMOUNT] if AMOUNT in frame else pd.Series(dtype="float64")
        dates = frame[DATE] if DATE in frame else pd.Series(dtype="datetime64[ns]")
        return {
            "customers": int(frame[CUSTOMER_ID].nunique()) if CUSTOMER_ID in frame else 0,
            "purchases": int((amount >= 0).sum()),
            "refunds": int((amount < 0).sum()),
            "revenue": round(float(amount.sum()), 2),
            "first_date": _iso_day(dates.min()) if len(dates) else None,
            "last_date": _iso_day(dates.max()) if len(dates) else None,
        }
    if result.kind == "survey":
        return {
            "responses": int(len(frame)),
            "scales": {str(k): [int(lo), int(hi)] for k, (lo, hi) in result.scales.items()},
        }
    return {"customers": int(frame[CUSTOMER_ID].nunique()) if CUSTOMER_ID in frame else 0}
