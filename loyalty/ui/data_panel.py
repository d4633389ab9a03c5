"""Data page widgets: detected format, column mapping, validation report, preview."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from loyalty.i18n import format_date, format_number
from loyalty.ingest import LoadResult, rejected_to_csv, workbook_sheets
from loyalty.schema import FIELDS, required_fields
from loyalty.ui import state

UNMAPPED = "—"
#: The "automatic" choice of a format setting: not a value, so it survives a language change.
AUTO = ""
_DELIMITERS = {",": ",", ";": ";", "\t": "TAB", "|": "|"}
_ENCODINGS = ("utf-8", "utf-8-sig", "cp1250", "cp1252")
_DECIMALS = (".", ",")
#: Date formats a user can force; labels are the library's (loyalty.ingest.dates.format_from_label).
DATE_FORMATS = (
    "yyyy-mm-dd",
    "dd-mm-yyyy",
    "dd/mm/yyyy",
    "dd.mm.yyyy",
    "mm/dd/yyyy",
    "mm-dd-yyyy",
    "dd-mm-yy",
    "yyyymmdd",
    "excel-serial",
)
_ORDERS = ("auto", "dayfirst", "monthfirst")


def _reload(kind: str, *, mapping: dict | None = None, options: dict | None = None) -> None:
    """Re-ingest the ``kind`` file with new mapping or format options."""
    record = state.files()[kind]
    new_mapping = record["mapping"] if mapping is None else mapping
    new_options = record["options"] if options is None else options
    state.load_into_session(kind, record["name"], record["data"], mapping=new_mapping, options=new_options)


def _current_options(kind: str) -> dict:
    """The format settings the user chose for the loaded ``kind`` file (empty: all detected)."""
    return dict((state.files().get(kind) or {}).get("options") or {})


def _widget_key(kind: str, name: str) -> str:
    """A widget key tied to the file, so a new upload starts from its own detected format."""
    digest = (state.files().get(kind) or {}).get("digest", "")[:12]
    return f"fmt_{name}_{kind}_{digest}"


def _choice(options: list, value: object) -> int:
    return options.index(value) if value in options else 0


def format_options(choices: dict, sheet: str | None) -> dict:
    """Turn the form's choices into ``load_file`` options: automatic choices are left out.

    Parameters
    ----------
    choices : dict
        ``delimiter``, ``encoding``, ``decimal``, ``date_format`` (``AUTO`` or a value)
        and ``order`` (``"auto"``, ``"dayfirst"`` or ``"monthfirst"``).
    sheet : str or None
        The Excel sheet in use, kept when the form is applied.

    Returns
    -------
    dict
        Keyword options for :func:`loyalty.ingest.load_file`.
    """
    options = {k: choices.get(k) for k in ("delimiter", "encoding", "decimal", "date_format")}
    options = {k: v for k, v in options.items() if v not in (AUTO, None)}
    order = choices.get("order", "auto")
    if order != "auto" and "date_format" not in options:
        options["dayfirst"] = order == "dayfirst"
    if sheet:
        options["sheet"] = sheet
    return options


def _choose_sheet(kind: str, key: str) -> None:
    """Callback of the sheet picker: read the chosen sheet with the other settings kept."""
    options = _current_options(kind)
    options["sheet"] = st.session_state[key]
    _reload(kind, options=options)


def _describe(options: dict) -> str:
    """The user's format settings in words, e.g. "Delimiter ;, Date format dd-mm-yyyy"."""
    tr = state.tr
    parts = []
    for name, value in options.items():
        if name == "dayfirst":
            parts.append(tr(f"data.format.date_order.{'dayfirst' if value else 'monthfirst'}"))
        elif name in ("delimiter", "encoding", "decimal", "date_format"):
            title = tr("data.format.date_pattern" if name == "date_format" else f"data.format.{name}")
            parts.append(f"{title} {_DELIMITERS.get(value, value)}")
    return ", ".join(parts)


def _format_metrics(result: LoadResult) -> None:
    fmt, tr = result.format, state.tr
    delimiter = _DELIMITERS.get(fmt.delimiter or "", fmt.delimiter or UNMAPPED)
    cols = st.columns(5)
    cols[0].metric(tr("data.format.file_type"), (fmt.file_type or UNMAPPED).upper())
    cols[1].metric(tr("data.format.delimiter"), delimiter)
    cols[2].metric(tr("data.format.encoding"), fmt.encoding or UNMAPPED)
    cols[3].metric(
        tr("data.format.decimal"),
        tr("data.format.decimal_comma") if fmt.decimal == "," else tr("data.format.decimal_point"),
    )
    cols[4].metric(tr("data.format.date_format"), fmt.date_format or UNMAPPED)


def sheet_picker(kind: str, result: LoadResult) -> None:
    """Let the user choose the sheet of a workbook with more than one."""
    fmt, tr = result.format, state.tr
    if fmt.file_type != "xlsx" or len(fmt.sheets) < 2:
        return
    key = _widget_key(kind, "sheet")
    st.selectbox(
        tr("data.format.sheet"),
        fmt.sheets,
        index=_choice(fmt.sheets, fmt.sheet),
        key=key,
        help=tr("data.format.sheet_help"),
        on_change=_choose_sheet,
        args=(kind, key),
    )


def _load_sheet(kind: str, key: str, name: str, data: bytes) -> None:
    """Callback of the retry picker: read the upload again from the chosen sheet."""
    state.load_upload_into_session(kind, name, data, sheet=st.session_state[key])


def sheet_retry(kind: str, name: str, data: bytes) -> None:
    """After a workbook failed to load, offer its other sheets (the first may hold no table).

    Parameters
    ----------
    kind : str
        The kind of data the upload was for.
    name, data : str, bytes
        The uploaded file.
    """
    sheets = workbook_sheets(data)
    if len(sheets) < 2:
        return
    key = f"retry_sheet_{kind}"
    st.selectbox(
        state.tr("data.format.sheet"),
        sheets,
        index=None,
        placeholder=state.tr("data.format.sheet_retry"),
        key=key,
        on_change=_load_sheet,
        args=(kind, key, name, data),
    )


def format_panel(kind: str, result: LoadResult) -> None:
    """Show the detected format and let the user override it (and pick an Excel sheet)."""
    fmt, tr = result.format, state.tr
    current = _current_options(kind)
    _format_metrics(result)
    overridden = {k: v for k, v in current.items() if k != "sheet"}
    if overridden:
        st.caption(tr("data.format.overridden", settings=_describe(overridden)))
    else:
        st.caption(tr("data.format.detected"))
    sheet_picker(kind, result)
    auto = tr("data.format.auto")

    def label(value: str) -> str:
        return auto if value == AUTO else _DELIMITERS.get(value, value)

    with st.expander(tr("data.format.override"), expanded=bool(overridden)), st.form(f"format_form_{kind}"):
        choices: dict = {}
        if fmt.file_type == "csv":
            c1, c2, c3 = st.columns(3)
            for col, name, values in (
                (c1, "delimiter", [AUTO, *_DELIMITERS]),
                (c2, "encoding", [AUTO, *_ENCODINGS]),
                (c3, "decimal", [AUTO, *_DECIMALS]),
            ):
                choices[name] = col.selectbox(
                    tr(f"data.format.{name}"),
                    values,
                    index=_choice(values, current.get(name)),
                    format_func=label,
                    key=_widget_key(kind, name),
                )
        dates = [AUTO, *DATE_FORMATS]
        choices["date_format"] = st.selectbox(
            tr("data.format.date_pattern"),
            dates,
            index=_choice(dates, current.get("date_format")),
            format_func=label,
            key=_widget_key(kind, "date_format"),
        )
        orders = {o: tr(f"data.format.date_order.{o}") for o in _ORDERS}
        dayfirst = current.get("dayfirst")
        choices["order"] = st.radio(
            tr("data.format.date_order"),
            list(orders),
            index=0 if dayfirst is None else 1 if dayfirst else 2,
            horizontal=True,
            format_func=orders.__getitem__,
            key=_widget_key(kind, "order"),
        )
        if st.form_submit_button(tr("data.format.apply")):
            _reload(kind, options=format_options(choices, current.get("sheet")))
            st.rerun()


def _mapping_table(kind: str, result: LoadResult) -> pd.DataFrame:
    required = set(required_fields(kind))  # type: ignore[arg-type]
    rows = []
    for spec in FIELDS[kind]:  # type: ignore[index]
        label = state.tr(f"field.{spec.name}") + (" *" if spec.name in required else "")
        rows.append(
            {
                "field": label,
                "column": result.mapping.get(spec.name, UNMAPPED),
                "confidence": float(result.confidence.get(spec.name, 0.0))
                if spec.name in result.mapping
                else None,
            }
        )
    return pd.DataFrame(rows)


def mapping_panel(kind: str, result: LoadResult) -> None:
    """Show the auto-mapping and let the user confirm or override it."""
    tr = state.tr
    st.caption(tr("data.mapping.help"))
    table = _mapping_table(kind, result)
    edited = st.data_editor(
        table,
        key=f"mapping_{kind}",
        hide_index=True,
        disabled=["field", "confidence"],
        column_config={
            "field": st.column_config.TextColumn(tr("data.mapping.field")),
            "column": st.column_config.SelectboxColumn(
                tr("data.mapping.column"), options=[UNMAPPED, *result.source_columns], required=False
            ),
            "confidence": st.column_config.ProgressColumn(
                tr("data.mapping.confidence"), min_value=0.0, max_value=1.0, format="percent"
            ),
        },
    )
    if st.button(tr("data.mapping.apply"), key=f"apply_mapping_{kind}"):
        fields = [spec.name for spec in FIELDS[kind]]  # type: ignore[index]
        # Under pandas 3 an unset SelectboxColumn cell comes back as NaN.
        chosen = [None if pd.isna(c) or c == UNMAPPED else str(c) for c in edited["column"]]
        _reload(kind, mapping=dict(zip(fields, chosen, strict=True)))
        st.session_state.pop(f"mapping_{kind}", None)
        st.rerun()


def validation_panel(kind: str, result: LoadResult) -> None:
    """Show rows read/used/rejected by reason, privacy actions and scales."""
    tr, lang = state.tr, state.lang()
    rejected = result.rows_read - result.rows_used
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("data.rows.read"), format_number(result.rows_read, lang))
    c2.metric(tr("data.rows.used"), format_number(result.rows_used, lang))
    c3.metric(tr("data.rows.rejected"), format_number(rejected, lang))
    if result.by_reason:
        reasons = pd.DataFrame(
            [
                {tr("data.rows.reason"): tr(f"reason.{code}"), tr("data.rows.count"): n}
                for code, n in result.by_reason.items()
                if n
            ]
        )
        st.table(reasons.set_index(tr("data.rows.reason")))  # a real table: readable on a projector
        st.download_button(
            tr("data.rows.download_rejected"),
            data=partial(rejected_to_csv, result),
            file_name=f"rejected_{kind}.csv",
            mime="text/csv",
            key=f"download_rejected_{kind}",
        )
        with st.expander(tr("data.rows.show_rejected")):
            st.dataframe(result.rejected.head(200), hide_index=True)
    if result.dropped_columns:
        st.info(tr("data.privacy.dropped", columns=", ".join(result.dropped_columns)))
    if result.pseudonymised:
        st.info(tr("data.privacy.pseudonymised", columns=", ".join(result.pseudonymised)))
    if result.scales:
        st.caption(
            tr(
                "data.scales",
                scales=", ".join(f"{tr(f'field.{f}')} {lo}–{hi}" for f, (lo, hi) in result.scales.items()),
            )
        )
    for key, params in result.warnings:
        st.warning(state.tr(key, **params))


def summary_line(kind: str, result: LoadResult) -> str:
    """One plain sentence on what the file holds."""
    tr, lang = state.tr, state.lang()
    s = result.summary()
    if kind == "transactions":
        return tr(
            "data.summary.transactions",
            customers=format_number(s["customers"], lang),
            purchases=format_number(s["purchases"], lang),
            refunds=format_number(s["refunds"], lang),
            revenue=format_number(s["revenue"], lang, 2),
            first=format_date(pd.Timestamp(s["first_date"]), lang) if s["first_date"] else "–",
            last=format_date(pd.Timestamp(s["last_date"]), lang) if s["last_date"] else "–",
        )
    if kind == "survey":
        return tr("data.summary.survey", responses=format_number(s["responses"], lang))
    return tr("data.summary.customers", customers=format_number(s["customers"], lang))


def dataset_panel(kind: str, result: LoadResult) -> None:
    """Everything about one loaded dataset, in tabs."""
    tr = state.tr
    st.success(f"**{result.file_name}** — {summary_line(kind, result)}")
    t_check, t_map, t_format, t_preview = st.tabs(
        [tr("data.tab.check"), tr("data.tab.mapping"), tr("data.tab.format"), tr("data.tab.preview")]
    )
    with t_check:
        validation_panel(kind, result)
    with t_map:
        mapping_panel(kind, result)
    with t_format:
        format_panel(kind, result)
    with t_preview:
        st.dataframe(result.frame.head(100), hide_index=True)
