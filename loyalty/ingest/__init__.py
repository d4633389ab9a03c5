"""Ingestion: file bytes -> sniffed format -> raw table -> auto-mapped fields -> validated canonical table.

Public API::

    from loyalty.ingest import load_file, load_path, read_table, detect_kind, auto_map, rejected_to_csv
    from loyalty.ingest import workbook_sheets
"""

from __future__ import annotations

from loyalty.ingest.export import rejected_to_csv
from loyalty.ingest.loader import load_file, load_path
from loyalty.ingest.mapping import auto_map, detect_kind, normalize_header
from loyalty.ingest.reader import read_table, workbook_sheets
from loyalty.ingest.result import LoadResult, TableFormat
from loyalty.ingest.validate import CHECK_ORDER

__all__ = [
    "CHECK_ORDER",
    "LoadResult",
    "TableFormat",
    "auto_map",
    "detect_kind",
    "load_file",
    "load_path",
    "normalize_header",
    "read_table",
    "rejected_to_csv",
    "workbook_sheets",
]
