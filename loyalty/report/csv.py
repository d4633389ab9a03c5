"""The action plan as a CSV that opens cleanly in Excel and cannot run formulas."""

from __future__ import annotations

from loyalty.report.content import ReportContent
from loyalty.report.tables import plan_display
from loyalty.report.xlsx import safe_frame


def build_csv(content: ReportContent) -> bytes:
    """Return the action plan as CSV bytes: UTF-8 with a BOM (Excel reads the diacritics), text neutralised.

    Parameters
    ----------
    content : ReportContent
        From :func:`loyalty.report.content.build_content`.

    Returns
    -------
    bytes
    """
    text = safe_frame(plan_display(content)).to_csv(index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")
