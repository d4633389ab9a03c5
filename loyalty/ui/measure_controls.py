"""Measure page: the loaded data as one object, and the controls (period, window, segment, CLV settings).

Control values live under plain keys with ``persist_state="session"``, so they survive a
trip to another page; they are reset when other data are loaded, since a date window or
a segment of one file means nothing for another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from loyalty import measure
from loyalty.clv import TIME_UNITS, convert
from loyalty.errors import InputError
from loyalty.i18n import has_key
from loyalty.kpi.periods import PERIODS
from loyalty.schema import KINDS
from loyalty.ui import state

PERIOD = "measure_period"
WINDOW = "measure_window"
SEGMENT_COLUMN = "measure_segment_column"
SEGMENT_VALUE = "measure_segment_value"
MARGIN = "measure_margin_pct"
HORIZON = "measure_horizon"
TIME_UNIT = "measure_time_unit"
DISCOUNT = "measure_discount_pct"
CHURN_DAYS = "measure_churn_days"
CALIBRATION_END = "measure_calibration_end"
#: Keys whose values depend on the data; dropped when the data change.
DATA_BOUND = (WINDOW, SEGMENT_COLUMN, SEGMENT_VALUE, CALIBRATION_END, CHURN_DAYS)
DATA_KEY = "measure_data_key"
_PREVIOUS_UNIT = "measure_time_unit_before"
ALL = "__all__"
DEFAULT_HORIZON = {"day": 365, "week": 52, "month": 12}
_DATE_FORMATS = {"en": "YYYY-MM-DD", "nl": "DD-MM-YYYY", "pl": "DD.MM.YYYY"}


@dataclass(frozen=True)
class Inputs:
    """The loaded data, as the Measure page uses it.

    Parameters
    ----------
    tx, sv, cu : pandas.DataFrame or None
        Canonical transactions, survey responses and customers.
    keys : dict
        Kind -> what identifies its frame (None when not loaded): the file's sha256
        with the mapping and format options it was read with. The cache keys.
    scales : dict
        Rating scale per survey field.
    extra : dict
        Kind -> extra segment columns kept by ingestion.
    """

    tx: pd.DataFrame | None
    sv: pd.DataFrame | None
    cu: pd.DataFrame | None
    keys: dict[str, tuple | None]
    scales: dict[str, tuple[int, int]] = field(default_factory=dict)
    extra: dict[str, list[str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when neither transactions nor a survey is loaded."""
        return self.tx is None and self.sv is None

    def key(self) -> tuple:
        """Return the data keys of transactions, survey and customers as one hashable key."""
        return tuple(self.keys.get(k) for k in KINDS)


def _pairs(options: dict | None) -> tuple:
    return tuple(sorted((str(k), str(v)) for k, v in (options or {}).items()))


def frame_key(kind: str, frame: pd.DataFrame | None) -> tuple | None:
    """Return what identifies the session's ``kind`` frame, for cache keys.

    The file's digest alone is not enough: the same file re-read with another column
    mapping or date order gives another frame. A frame without a file record (put in
    the session some other way) is keyed on a hash of its content.
    """
    if frame is None:
        return None
    record = state.files().get(kind)
    if record and record.get("digest"):
        return (record["digest"], _pairs(record.get("mapping")), _pairs(record.get("options")))
    return ("content", int(pd.util.hash_pandas_object(frame, index=True).sum()), tuple(frame.columns))


def inputs() -> Inputs:
    """Collect the session's datasets for the Measure page."""
    loaded = state.datasets()
    frames = {k: loaded[k].frame if k in loaded else None for k in KINDS}
    survey = loaded.get("survey")
    return Inputs(
        tx=frames["transactions"],
        sv=frames["survey"],
        cu=frames["customers"],
        keys={k: frame_key(k, f) for k, f in frames.items()},
        scales=dict(survey.scales) if survey is not None else {},
        extra={k: list(r.segment_columns) for k, r in loaded.items()},
    )


@dataclass(frozen=True)
class Controls:
    """What the user chose.

    Parameters
    ----------
    period : str
        Granularity ("month", "quarter", "year").
    start, end : datetime.date or None
        Date window (None: from the first / to the last day of the data).
    segment : tuple or None
        ``(column, value)`` filter.
    margin : float
        Gross margin share (1.0 = revenue).
    horizon : float
        CLV forecast horizon in ``time_unit``.
    time_unit : str
        Unit of the CLV model and horizon.
    discount : float
        Annual discount rate (0.10 = 10%).
    """

    period: str
    start: dt.date | None
    end: dt.date | None
    segment: tuple[str, str] | None
    margin: float
    horizon: float
    time_unit: str
    discount: float


@st.cache_data(show_spinner=False, max_entries=16)
def _segment_options(key: tuple, _data: Inputs) -> dict[str, list[str]]:
    frames = {"transactions": _data.tx, "survey": _data.sv, "customers": _data.cu}
    return measure.segment_columns(frames, _data.extra)


def segment_options(data: Inputs) -> dict[str, list[str]]:
    """Return the columns that can segment the KPIs and their values (cached per data)."""
    return _segment_options(data.key(), data)


def forget_stale(data: Inputs) -> None:
    """Drop the data-bound control values when other data were loaded."""
    if st.session_state.get(DATA_KEY) != data.key():
        for key in DATA_BOUND:
            st.session_state.pop(key, None)
        st.session_state[DATA_KEY] = data.key()


def column_label(column: str) -> str:
    """Return a readable name of a segment column (canonical fields translated, others as they are)."""
    key = f"field.{column}"
    return state.tr(key) if has_key(key) else column


def _convert_horizon() -> None:
    # Keep the same length of time when the unit changes: 52 weeks become 12 months.
    before = st.session_state.get(_PREVIOUS_UNIT, "week")
    after = st.session_state[TIME_UNIT]
    horizon = float(st.session_state.get(HORIZON, DEFAULT_HORIZON[before]))
    st.session_state[HORIZON] = max(1, round(convert(horizon, before, after)))
    st.session_state[_PREVIOUS_UNIT] = after


def _window(first: dt.date | None, last: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    if first is None or last is None:
        return None, None
    chosen = st.session_state.get(WINDOW)
    if not chosen or any(d < first or d > last for d in chosen):
        st.session_state[WINDOW] = (first, last)
    picked = st.date_input(
        state.tr("measure.control.window"),
        min_value=first,
        max_value=last,
        key=WINDOW,
        format=_DATE_FORMATS.get(state.lang(), "YYYY-MM-DD"),
        help=state.tr("measure.control.window_help"),
        persist_state="session",
    )
    # While a range is being picked the widget holds one date only.
    picked = tuple(picked) if isinstance(picked, tuple | list) else (picked,)
    start = picked[0] if picked else None
    end = picked[1] if len(picked) > 1 else None
    return (None if start == first else start), (None if end == last else end)


def _segment(options: dict[str, list[str]]) -> tuple[str, str] | None:
    columns = [ALL, *options]
    if st.session_state.get(SEGMENT_COLUMN) not in columns:
        st.session_state[SEGMENT_COLUMN] = ALL
    labels = {c: state.tr("measure.control.all_customers") if c == ALL else column_label(c) for c in columns}
    left, right = st.columns(2)
    column = left.selectbox(
        state.tr("measure.control.segment"),
        columns,
        format_func=labels.__getitem__,
        key=SEGMENT_COLUMN,
        help=state.tr("measure.control.segment_help"),
        persist_state="session",
    )
    if column == ALL:
        return None
    values = options[column]
    if st.session_state.get(SEGMENT_VALUE) not in values:
        st.session_state[SEGMENT_VALUE] = values[0]
    value = right.selectbox(
        state.tr("measure.control.segment_value", column=labels[column]),
        values,
        key=SEGMENT_VALUE,
        persist_state="session",
    )
    return column, value


def controls(data: Inputs) -> Controls:
    """Render the controls and return the choices."""
    tr = state.tr
    forget_stale(data)
    first, last = measure.data_range(data.tx, data.sv)
    periods = {p: tr(f"kpi.period.{p}") for p in PERIODS}
    st.session_state.setdefault(PERIOD, "quarter")
    st.session_state.setdefault(MARGIN, 100)
    st.session_state.setdefault(TIME_UNIT, "week")
    st.session_state.setdefault(_PREVIOUS_UNIT, st.session_state[TIME_UNIT])
    st.session_state.setdefault(HORIZON, DEFAULT_HORIZON[st.session_state[TIME_UNIT]])
    st.session_state.setdefault(DISCOUNT, 10)
    with st.container(border=True):
        c1, c2, c3 = st.columns([1, 2, 3])
        period = c1.selectbox(
            tr("measure.control.period"),
            list(periods),
            format_func=periods.__getitem__,
            key=PERIOD,
            help=tr("measure.control.period_help"),
            persist_state="session",
        )
        with c2:
            start, end = _window(
                first.date() if first is not None else None, last.date() if last is not None else None
            )
        with c3:
            segment = _segment(segment_options(data))
        units = {u: tr(f"measure.control.unit.{u}") for u in TIME_UNITS}
        c1, c2, c3, c4 = st.columns(4)
        margin = c1.slider(
            tr("measure.control.margin"),
            1,
            100,
            key=MARGIN,
            format="%d%%",
            help=tr("measure.control.margin_help"),
            persist_state="session",
        )
        unit = c3.selectbox(
            tr("measure.control.time_unit"),
            list(units),
            format_func=units.__getitem__,
            key=TIME_UNIT,
            on_change=_convert_horizon,
            help=tr("measure.control.time_unit_help"),
            persist_state="session",
        )
        horizon = c2.number_input(
            tr("measure.control.horizon", unit=tr(f"clv.unit.{unit}")),
            min_value=1,
            max_value=int(convert(10 * 365.25, "day", unit)),
            step=1,
            key=HORIZON,
            help=tr("measure.control.horizon_help"),
            persist_state="session",
        )
        discount = c4.slider(
            tr("measure.control.discount"),
            0,
            30,
            key=DISCOUNT,
            format="%d%%",
            help=tr("measure.control.discount_help"),
            persist_state="session",
        )
    return Controls(
        period=period,
        start=start,
        end=end,
        segment=segment,
        margin=margin / 100,
        horizon=float(horizon),
        time_unit=unit,
        discount=discount / 100,
    )


@dataclass(frozen=True)
class Scope:
    """Everything a Measure section needs: the data, the user's choices and the resolved window.

    Parameters
    ----------
    data : Inputs
        The loaded data.
    controls : Controls
        The user's choices.
    window : loyalty.measure.Window
        The days measured and the two periods the cards compare.
    lang : str
        Interface language.
    """

    data: Inputs
    controls: Controls
    window: measure.Window
    lang: str

    def key(self, *parts: object) -> tuple:
        """Return a cache key of everything chosen plus ``parts`` (name the chart or table first).

        For what depends on the period (trends, comparisons, cohorts by period).
        """
        return (*parts, self.data.key(), self.controls.segment, self.window.key(), self.lang)

    def days_key(self, *parts: object) -> tuple:
        """Return a cache key of the data, segment and days only: for what the period does not change."""
        window = self.window
        days = (_iso(window.start), _iso(window.end), window.limited)
        return (*parts, self.data.key(), self.controls.segment, days, self.lang)

    def model_key(self, *parts: object) -> tuple:
        """Return a cache key of what the CLV model sees: the purchases up to the end, in its time unit."""
        model = (_iso(self.window.end), self.controls.time_unit)
        return (*parts, self.data.key(), self.controls.segment, model, self.lang)


def _iso(day: pd.Timestamp | None) -> str | None:
    return None if day is None else day.strftime("%Y-%m-%d")


def scope(data: Inputs, choices: Controls) -> Scope | None:
    """Resolve the window of the user's choices; None (after a message) when it cannot be used."""
    try:
        window = measure.resolve_window(
            data.tx, data.sv, period=choices.period, start=choices.start, end=choices.end
        )
    except InputError as err:
        st.error(err.message(state.lang()))
        return None
    return Scope(data, choices, window, state.lang())
