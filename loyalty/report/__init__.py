"""Reports and exports: the whole playbook as HTML, PDF, Excel, PowerPoint (and the plan as CSV).

:func:`~loyalty.report.content.build_content` computes what a report says;
:func:`build_report` lays it out in one format. The Report page and
``python -m loyalty report`` call the same two functions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from loyalty.errors import InputError
from loyalty.report.content import ReportContent, build_content, content_from_results

#: Formats, in the order the page offers them.
FORMATS: tuple[str, ...] = ("html", "xlsx", "pdf", "pptx", "csv")
#: MIME type per format (for downloads).
MIME: dict[str, str] = {
    "html": "text/html",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
}


def report_format(path_or_format: str | Path) -> str:
    """Return the format named by a file suffix (``report.pdf``) or by itself (``"pdf"``).

    Raises
    ------
    InputError
        ``report.error.format`` for anything else.
    """
    text = str(path_or_format)
    name = text.lower().lstrip(".")
    fmt = name if name in FORMATS else Path(text).suffix.lower().lstrip(".")
    if fmt == "htm":
        fmt = "html"
    if fmt not in FORMATS:
        raise InputError("report.error.format", file=text)
    return fmt


def _builder(fmt: str) -> Callable[[ReportContent], bytes]:
    # Each format imports its own library (fpdf2, python-pptx, ...) only when it is asked for.
    if fmt == "html":
        from loyalty.report.html import build_html as build
    elif fmt == "xlsx":
        from loyalty.report.xlsx import build_xlsx as build
    elif fmt == "pdf":
        from loyalty.report.pdf import build_pdf as build
    elif fmt == "pptx":
        from loyalty.report.pptx import build_pptx as build
    else:
        from loyalty.report.csv import build_csv as build
    return build


def build_report(content: ReportContent, path_or_format: str | Path) -> bytes:
    """Return the report in the format of ``path_or_format`` (a file name or a format name).

    Parameters
    ----------
    content : ReportContent
        From :func:`build_content` or :func:`content_from_results`.
    path_or_format : str or Path
        ``"report.pdf"``, ``"pdf"``, ...

    Returns
    -------
    bytes
        The file's bytes (nothing is written to disk).

    Raises
    ------
    InputError
        When the format is not one of :data:`FORMATS`.
    """
    return _builder(report_format(path_or_format))(content)


__all__ = [
    "FORMATS",
    "MIME",
    "ReportContent",
    "build_content",
    "build_report",
    "content_from_results",
    "report_format",
]
