"""Data page widgets: detected format, column mapping, validation report, preview."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from loyalty.i18n import format_date, format_number
from loyalty.ingest import LoadResult, rejected_to_csv
from loyalty.schema import FIELDS, required_fields
from loyalty.ui import state

UNMAPPED = "—"
_DELIMITERS = {",": ",", ";": ";", "\t": "TAB", "|": "|"}
_ENCODINGS = ("utf-8", "utf-8-sig", "cp1250", "cp1252")


def _reload(kind: str, *, mapping: dict | None = None, options: dict | None = None) -> None:
    """Re-ingest the ``kind`` file with new mapping or format options."""
    record = state.files()[kind]
    new_mapping = record["mapping"] if mapping is None else mapping
    new_options = record["options"] if options is None else options
    state.load_into_session(kind, record["name"], record["data"], mapping=new_mapping, options=new_options)


def format_panel(kind: str, result: LoadResult) -> None:
    """Show the detected format and let the user override it."""
    fmt = result.format
    tr = state.tr
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
    with st.expander(tr("data.format.override")), st.form(f"format_form_{kind}"):
        auto = tr("data.format.auto")
        options: dict = {}
        if fmt.file_type == "csv":
            c1, c2, c3 = st.columns(3)
            delim = c1.selectbox(
                tr("data.format.delimiter"), [auto, *_DELIMITERS], format_func=lambda d: _DELIMITERS.get(d, d)
            )
            enc = c2.selectbox(tr("data.format.encoding"), [auto, *_ENCODINGS])
            dec = c3.selectbox(tr("data.format.decimal"), [auto, ".", ","])
            options.update(delimiter=delim, encoding=enc, decimal=dec)
        if fmt.file_type == "xlsx" and fmt.sheets:
            options["sheet"] = st.selectbox(
                tr("data.format.sheet"),
                fmt.sheets,
                index=fmt.sheets.index(fmt.sheet) if fmt.sheet in fmt.sheets else 0,
            )
        orders = {o: tr(f"data.format.date_order.{o}") for o in ("auto", "dayfirst", "monthfirst")}
        order = st.radio(
            tr("data.format.date_order"), list(orders), horizontal=True, format_func=orders.__getitem__
        )
        if st.form_submit_button(tr("data.format.apply")):
            options = {k: v for k, v in options.items() if v != auto}
            if order != "auto":
                options["dayfirst"] = order == "dayfirst"
            _reload(kind, options=options)
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
