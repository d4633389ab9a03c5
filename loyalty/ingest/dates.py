"""Detect and parse the date formats found in exports.

Recognised: ISO ``yyyy-mm-dd`` (also with ``/`` or ``.``), ``dd-mm-yyyy`` /
``mm/dd/yyyy`` / ``dd.mm.yyyy`` (also two-digit years), compact ``yyyymmdd``,
each with an optional time (``hh:mm[:ss]``, ``T`` separator, AM/PM) and an
optional UTC offset that is dropped so the local wall time stays (Shopify's
``2024-03-05 14:22:11 +0100``), Excel serial day numbers (origin 1899-12-30;
also single cells among text dates, as a spreadsheet column where some cells
lost their date format holds them), and as a last resort anything pandas'
mixed parser understands.

Day/month order is decided from the data: a first part above 12 means day
first, a second part above 12 means month first; without evidence the order is
day first and the format is flagged ambiguous (the caller warns).

Detection looks at a sample of distinct values. Parsing works on the distinct
values of a column with an explicit format (fast), and only values that fail it
go through a regex that accepts any unambiguous spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

#: Dates outside these years are treated as typos (0001-01-01 placeholders, 2202 for 2022).
YEAR_RANGE = (1900, 2100)
_SAMPLE_UNIQUES = 5000
_SAMPLE_ROWS = 100_000  # rows looked at before taking distinct values (hashing a million costs more)
_DISTINCT_PROBE = 10_000  # rows that decide whether parsing distinct values pays
_EXCEL_ORIGIN = "1899-12-30"
_SERIAL_RANGE = (20000, 80000)  # 1954-2119: what a real transaction date can be

_DATE_RE = (
    r"^(?:(?P<y1>\d{4})(?P<s1>[-/.])(?P<a1>\d{1,2})[-/.](?P<b1>\d{1,2})"
    r"|(?P<a2>\d{1,2})(?P<s2>[-/.])(?P<b2>\d{1,2})[-/.](?P<y2>\d{4}|\d{2})"
    r"|(?P<y3>(?:19|20)\d{2})(?P<a3>[01]\d)(?P<b3>[0-3]\d))"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?P<ap>[AaPp]\.?[Mm]\.?)?)?$"
)
# Python's \s spelled out as literal characters: pandas sends any pattern with \s to Python's
# re one cell at a time (RE2's \s is narrower), which made prepare ten times slower.
_SPACE = "[" + "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "]"
_TZ_RE = rf"(?i)(\d:\d{{2}}(?::\d{{2}}(?:[.,]\d+)?)?){_SPACE}*(?:z|utc|gmt|[+-]\d{{2}}:?\d{{2}})$"
_SERIAL_RE = r"\d{1,7}(?:\.\d+)?"
#: Zero-padded spellings decoded from their bytes (see :func:`fixed_width_dates`); "-" is the separator.
_FIXED_DATES = {"ymd": "YYYY-MM-DD", "dmy": "DD-MM-YYYY", "mdy": "MM-DD-YYYY", "compact": "YYYYMMDD"}
_FIELD_CHARS = frozenset("YMDhms")
_BLOCK_ROWS = 1 << 18  # rows decoded at a time: bounds the temporary arrays at 10M rows
#: Day number of the first of every month from January of the first plausible year on.
_MONTH_STARTS = (
    np.arange(f"{YEAR_RANGE[0]}-01", f"{YEAR_RANGE[1] + 1}-02", dtype="datetime64[M]")
    .astype("datetime64[D]")
    .astype(np.int64)
)
_LABEL_RE = re.compile(r"^(?P<date>[a-z./ -]+?|yyyymmdd|excel-serial|auto)(?: (?P<time>hh:mm(?::ss)?))?$")


@dataclass(frozen=True)
class DateFormat:
    """A detected date format.

    Parameters
    ----------
    family : str
        ``"ymd"``, ``"dmy"``, ``"mdy"``, ``"compact"``, ``"serial"``, ``"mixed"`` or
        ``"strftime"`` (a user-given ``%`` pattern in ``pattern``).
    sep : str
        Separator between the date parts.
    two_digit_year : bool
        Whether years are written with two digits.
    time : str
        ``""``, ``"hh:mm"`` or ``"hh:mm:ss"``.
    ambiguous : bool
        True when day/month order could not be decided from the data.
    pattern : str or None
        The strftime pattern of a ``"strftime"`` format.
    """

    family: str
    sep: str = "-"
    two_digit_year: bool = False
    time: str = ""
    ambiguous: bool = False
    pattern: str | None = None

    @property
    def label(self) -> str:
        """Human label such as ``"dd-mm-yyyy hh:mm"``."""
        year = "yy" if self.two_digit_year else "yyyy"
        s = self.sep
        base = {
            "ymd": f"yyyy{s}mm{s}dd",
            "dmy": f"dd{s}mm{s}{year}",
            "mdy": f"mm{s}dd{s}{year}",
            "compact": "yyyymmdd",
            "serial": "excel-serial",
            "mixed": "auto",
            "strftime": self.pattern or "",
        }[self.family]
        return f"{base} {self.time}" if self.time and self.family not in ("serial", "strftime") else base

    @property
    def strftime(self) -> str | None:
        """The explicit pattern for pandas' fast parser, or None."""
        s, year = self.sep, "%y" if self.two_digit_year else "%Y"
        base = {
            "ymd": f"%Y{s}%m{s}%d",
            "dmy": f"%d{s}%m{s}{year}",
            "mdy": f"%m{s}%d{s}{year}",
            "compact": "%Y%m%d",
        }.get(self.family)
        if self.family == "strftime":
            return self.pattern
        if base is None:
            return None
        return base + {"": "", "hh:mm": " %H:%M", "hh:mm:ss": " %H:%M:%S"}[self.time]

    @property
    def dayfirst(self) -> bool:
        """Whether the day comes before the month."""
        return self.family != "mdy"


def format_from_label(label: str, dayfirst: bool | None = None) -> DateFormat | None:
    """Turn a user's ``date_format`` (a label of ours or a ``%`` pattern) into a DateFormat."""
    text = label.strip().lower()
    if "%" in label:
        return DateFormat("strftime", pattern=label.strip())
    match = _LABEL_RE.match(text)
    if not match:
        return None
    date, time = match.group("date"), match.group("time") or ""
    if date in ("yyyymmdd", "excel-serial", "auto"):
        family = {"yyyymmdd": "compact", "excel-serial": "serial", "auto": "mixed"}[date]
        return DateFormat(family, time=time, ambiguous=False)
    parts = re.split(r"[-/. ]", date)
    seps = re.findall(r"[-/. ]", date)
    if len(parts) != 3 or not seps:
        return None
    order = "".join(p[0] for p in parts)
    family = {"ymd": "ymd", "dmy": "dmy", "mdy": "mdy"}.get(order)
    if family is None:
        return None
    return DateFormat(family, sep=seps[0], two_digit_year=parts[2] == "yy", time=time)


def prepare(values: pd.Series) -> pd.Series:
    """Strip cells, drop a trailing UTC offset and turn an ISO ``T`` into a space."""
    out = values.astype("str").str.strip()
    out = out.str.replace(_TZ_RE, r"\1", regex=True)
    return out.str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})[Tt]", r"\1 ", regex=True)


def _sample_uniques(values: pd.Series) -> pd.Series:
    present = np.flatnonzero(values.notna().to_numpy(dtype=bool))  # positions: no copy of every cell
    if len(present) > 2 * _SAMPLE_ROWS:  # thin a long column evenly before hashing it
        present = present[:: len(present) // _SAMPLE_ROWS]
    uniques = pd.Series(values.iloc[present].unique(), dtype="str")
    uniques = uniques[uniques.str.strip() != ""]
    if len(uniques) > _SAMPLE_UNIQUES:
        step = len(uniques) // _SAMPLE_UNIQUES
        uniques = uniques.iloc[::step]
    return prepare(uniques).reset_index(drop=True)


def detect_date_format(
    values: pd.Series, *, dayfirst: bool | None = None, allow_serial: bool = False, min_share: float = 0.5
) -> DateFormat | None:
    """Detect the date format of a column.

    Parameters
    ----------
    values : pandas.Series
        Cells as strings.
    dayfirst : bool or None
        Force day/month order (None decides from the data).
    allow_serial : bool
        Consider Excel serial numbers (only for columns known to be dates: a
        column of five-digit amounts would look the same).
    min_share : float
        Share of distinct values that must fit the format.

    Returns
    -------
    DateFormat or None
        None when the column does not hold dates.
    """
    sample = _sample_uniques(values)
    if sample.empty:
        return None
    parts = sample.str.extract(_DATE_RE)
    counts = {
        "ymd": int(parts["y1"].notna().sum()),
        "xxy": int(parts["a2"].notna().sum()),
        "compact": int(parts["y3"].notna().sum()),
    }
    if allow_serial:
        numbers = pd.to_numeric(sample.where(sample.str.fullmatch(_SERIAL_RE)), errors="coerce")
        counts["serial"] = int(numbers.between(*_SERIAL_RANGE).sum())
    family = max(counts, key=lambda k: counts[k])
    if counts[family] < min_share * len(sample) or counts[family] == 0:
        return _detect_mixed(sample, dayfirst, min_share)
    if family == "serial":
        return DateFormat("serial")
    time = "hh:mm:ss" if parts["S"].notna().any() else "hh:mm" if parts["H"].notna().any() else ""
    if family == "compact":
        return DateFormat("compact", sep="", time=time)
    if family == "ymd":
        return DateFormat("ymd", sep=str(parts["s1"].mode().iloc[0]), time=time)
    return _day_month_order(parts, dayfirst, time)


def _day_month_order(parts: pd.DataFrame, dayfirst: bool | None, time: str) -> DateFormat:
    """Decide dd-mm vs mm-dd from the values (see module docstring)."""
    rows = parts[parts["a2"].notna()]
    first, second = rows["a2"].astype(int), rows["b2"].astype(int)
    sep = str(rows["s2"].mode().iloc[0])
    two_digit = bool((rows["y2"].str.len() == 2).mean() > 0.5)
    ambiguous = False
    if dayfirst is None:
        day_evidence, month_evidence = int((first > 12).sum()), int((second > 12).sum())
        if day_evidence or month_evidence:
            dayfirst = day_evidence >= month_evidence
        else:
            dayfirst, ambiguous = True, True
    family = "dmy" if dayfirst else "mdy"
    return DateFormat(family, sep=sep, two_digit_year=two_digit, time=time, ambiguous=ambiguous)


def _detect_mixed(sample: pd.Series, dayfirst: bool | None, min_share: float) -> DateFormat | None:
    """Fall back on pandas' mixed parser for spellings such as ``5 March 2024``."""
    letters = sample.str.contains(r"[A-Za-z]{3}", regex=True)
    if letters.mean() < min_share:  # bare numbers are not dates the mixed parser should guess
        return None
    parsed = _mixed(sample, bool(dayfirst))
    if parsed.notna().mean() < max(min_share, 0.8):
        return None
    return DateFormat("mixed")


def _mixed(values: pd.Series, dayfirst: bool) -> pd.Series:
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    ok = values.str.contains(r"\d", regex=True) & values.str.contains(r"[A-Za-z]{3}", regex=True)
    if ok.any():
        parsed = pd.to_datetime(values[ok], format="mixed", dayfirst=dayfirst, errors="coerce")
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = parsed.dt.tz_localize(None)
        out[ok] = plausible(parsed)
    return out


def plausible(parsed: pd.Series) -> pd.Series:
    """Dates outside :data:`YEAR_RANGE` become NaT, then the unit becomes nanoseconds.

    The order matters: pandas parses ``0001-01-01`` (an ERP placeholder) at a
    coarser unit, and casting that to nanoseconds would raise instead of
    rejecting one row.
    """
    years = parsed.dt.year
    return parsed.where((years >= YEAR_RANGE[0]) & (years <= YEAR_RANGE[1])).astype("datetime64[ns]")


def parse_dates(values: pd.Series, fmt: DateFormat) -> pd.Series:
    """Parse a column with a detected format; what does not parse is NaT.

    Parameters
    ----------
    values : pandas.Series
        Cells as strings (missing cells NA).
    fmt : DateFormat
        The column's format.

    Returns
    -------
    pandas.Series
        datetime64[ns], naive local time, same index as ``values``.

    Notes
    -----
    Cells written exactly as the format with zero-padded fields (``2024-03-05
    14:22:11``, ``05.03.2024``: nearly every cell of a machine export) are
    decoded straight from their bytes by :func:`fixed_width_dates`; only the
    others take the general route, which gives the same result for those cells.
    """
    fast = fixed_width_dates(values, fmt)
    if fast is None:
        return _parse_general(values, fmt)
    stamps, done = fast
    if not done.all():
        rest = np.flatnonzero(~done)
        stamps[rest] = _parse_general(values.iloc[rest], fmt).to_numpy(dtype="datetime64[ns]")
    return pd.Series(stamps, index=values.index, dtype="datetime64[ns]")


def _parse_general(values: pd.Series, fmt: DateFormat) -> pd.Series:
    """:func:`parse_dates` for any spelling: explicit pattern, components, serials, mixed."""
    codes, cells = _cells_to_parse(values)
    cells = prepare(cells)
    if fmt.family == "serial":
        parsed = _from_serial(cells)
    elif fmt.family == "mixed":
        parsed = _mixed(cells, fmt.dayfirst)
    else:
        parsed = _explicit(cells, fmt)
    parsed = parsed.to_numpy(dtype="datetime64[ns]")
    if not len(parsed):  # every cell missing
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    out = parsed[np.maximum(codes, 0)]
    out[codes < 0] = np.datetime64("NaT")
    return pd.Series(out, index=values.index, dtype="datetime64[ns]")


def _layout(fmt: DateFormat) -> str | None:
    """The fixed-width spelling of a format (``YYYY-MM-DD hh:mm:ss``), or None when it has none.

    Letters stand for digits (Y year, M month, D day, h hour, m minute, s second),
    ``T`` for the space, ``T`` or ``t`` before an ISO time; anything else must be
    there literally. Two-digit years are left to pandas, which owns the century rule.
    """
    if fmt.two_digit_year or fmt.family not in _FIXED_DATES:
        return None
    time = {"": "", "hh:mm": " hh:mm", "hh:mm:ss": " hh:mm:ss"}[fmt.time]
    if time and fmt.family == "ymd" and fmt.sep == "-":
        time = "T" + time[1:]  # prepare() reads 2024-03-05T14:22 (or t) as 2024-03-05 14:22
    return _FIXED_DATES[fmt.family].replace("-", fmt.sep) + time


def fixed_width_dates(values: pd.Series, fmt: DateFormat) -> tuple[np.ndarray, np.ndarray] | None:
    """Decode the cells spelled exactly like the format's fixed-width layout.

    Parameters
    ----------
    values : pandas.Series
        Cells as strings (pandas' pyarrow-backed ``str``; anything else returns None).
    fmt : DateFormat
        The column's format.

    Returns
    -------
    tuple or None
        ``(stamps, done)``: datetime64[ns] per row (NaT where not done) and a mask
        of the rows decoded, each a real calendar date and time within
        :data:`YEAR_RANGE`; None when the format or the column has no fixed-width
        cells to decode. Rows not done are for :func:`parse_dates`' general route.

    Notes
    -----
    The bytes of a million such cells are one ``(rows, width)`` block of uint8,
    so checking the separators and turning digits into fields are a few numpy
    operations per character position instead of a string parse per cell.
    """
    layout = _layout(fmt)
    chunks = getattr(getattr(values, "array", None), "_pa_array", None)
    if layout is None or chunks is None or not _is_text(chunks.type):
        return None
    width, n = len(layout), len(values)
    stamps = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    done = np.zeros(n, dtype=bool)
    row = 0
    for chunk in chunks.chunks if isinstance(chunks, pa.ChunkedArray) else [chunks]:
        size = len(chunk)
        offsets_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        buffers = chunk.buffers()
        if size and buffers[2] is not None:
            offsets = np.frombuffer(buffers[1], dtype=offsets_type)[chunk.offset : chunk.offset + size + 1]
            data = np.frombuffer(buffers[2], dtype=np.uint8)
            fits = np.diff(offsets) == width
            if chunk.null_count:
                fits &= chunk.is_valid().to_numpy(zero_copy_only=False)
            for start in range(0, size, _BLOCK_ROWS):
                rows = start + np.flatnonzero(fits[start : start + _BLOCK_ROWS])
                if rows.size:
                    ok, ns = _decode_block(_byte_block(data, offsets[rows], width), layout)
                    stamps[row + rows[ok]] = ns[ok]
                    done[row + rows[ok]] = True
        row += size
    return (stamps, done) if done.any() else None


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _byte_block(data: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """The ``(len(starts), width)`` bytes of cells starting at ``starts``: a view when they are adjacent."""
    first = int(starts[0])
    if int(starts[-1]) - first == width * (starts.size - 1) and (np.diff(starts) == width).all():
        return data[first : first + width * starts.size].reshape(starts.size, width)
    return data[starts[:, None] + np.arange(width)]


def _decode_block(block: np.ndarray, layout: str) -> tuple[np.ndarray, np.ndarray]:
    """Check the layout of each row of bytes and return (valid, datetime64[ns])."""
    # Digits become 0-9 and a right literal 0; uint8 wraps anything else high.
    base = np.array([48 if c in _FIELD_CHARS else 0 if c == "T" else ord(c) for c in layout], dtype=np.uint8)
    span = np.array([9 if c in _FIELD_CHARS else 255 if c == "T" else 0 for c in layout], dtype=np.uint8)
    # One row per character position after the transpose: the operations below run on contiguous bytes.
    chars = np.ascontiguousarray(block.T) - base[:, None]
    ok = np.logical_and.reduce(chars <= span[:, None], axis=0)
    if "T" in layout:
        sep = chars[layout.index("T")]
        ok &= (sep == 32) | (sep == 84) | (sep == 116)
    fields = {}
    for char in "YMDhms":
        value = np.zeros(len(block), dtype=np.int64)
        for pos in (p for p, c in enumerate(layout) if c == char):
            value = value * 10 + chars[pos]
        fields[char] = value
    year, month, day = fields["Y"], fields["M"], fields["D"]
    ok &= (year >= YEAR_RANGE[0]) & (year <= YEAR_RANGE[1]) & (month >= 1) & (month <= 12) & (day >= 1)
    ok &= (fields["h"] <= 23) & (fields["m"] <= 59) & (fields["s"] <= 59)
    index = np.where(ok, (year - YEAR_RANGE[0]) * 12 + month - 1, 0)
    first_day = _MONTH_STARTS[index]
    ok &= day <= _MONTH_STARTS[index + 1] - first_day
    seconds = (first_day + day - 1) * 86_400 + fields["h"] * 3600 + fields["m"] * 60 + fields["s"]
    return ok, (seconds * 1_000_000_000).view("datetime64[ns]")


def _cells_to_parse(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """The cells to parse and, per row, the position of its cell among them (-1 for NA).

    Distinct cells when the column repeats itself (a date per day); every present
    cell when it hardly does (timestamps to the second), where hashing a million
    strings would cost more than it saves.
    """
    probe = values.iloc[:: max(len(values) // _DISTINCT_PROBE, 1)]
    present_in_probe = int(probe.notna().sum())
    if not present_in_probe or probe.nunique() < 0.9 * present_in_probe:
        codes, uniques = pd.factorize(values)
        return codes, pd.Series(uniques, dtype="str")
    present = values.notna().to_numpy(dtype=bool)
    codes = np.where(present, np.cumsum(present) - 1, -1)
    return codes, values[present].astype("str").reset_index(drop=True)


def _from_serial(cells: pd.Series) -> pd.Series:
    days = pd.to_numeric(cells.where(cells.str.fullmatch(_SERIAL_RE)), errors="coerce")
    days = days.where(days.between(1, 2958465))
    return plausible(pd.to_datetime(days, unit="D", origin=_EXCEL_ORIGIN, errors="coerce"))


def _explicit(cells: pd.Series, fmt: DateFormat) -> pd.Series:
    """Fast explicit pattern first; the rest through the component regex."""
    pattern = fmt.strftime
    if pattern:
        parsed = plausible(pd.to_datetime(cells, format=pattern, errors="coerce"))
    else:
        parsed = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    if fmt.family == "strftime":
        return parsed
    retry = parsed.isna() & (cells != "")
    if retry.any():
        parsed[retry] = _from_components(cells[retry], fmt.dayfirst)
    # A date column of a spreadsheet where some cells lost their date format
    # holds their day numbers (45000); nothing else in a date column looks like that.
    serial = parsed.isna() & cells.str.fullmatch(_SERIAL_RE).fillna(False).astype(bool)
    if serial.any():
        days = _from_serial(cells[serial])
        parsed[serial] = days.where(pd.to_numeric(cells[serial]).between(*_SERIAL_RANGE))
    return parsed


def _from_components(cells: pd.Series, dayfirst: bool) -> pd.Series:
    """Parse any unambiguous spelling (ISO, compact, or dd/mm in the detected order)."""
    text = cells.str.extract(_DATE_RE)
    parts = text.apply(pd.to_numeric, errors="coerce")
    ap = text["ap"].str.lower().str[0]
    first, second = parts["a2"], parts["b2"]
    year = parts["y1"].fillna(parts["y2"]).fillna(parts["y3"])
    # Two digits written, not a small value: "0001" is year 1 (a placeholder), "01" is 2001.
    two_digit = (text["y2"].str.len() == 2).fillna(False).astype(bool)
    year = year.where(~two_digit, _century(parts["y2"]))
    month = parts["a1"].fillna(parts["a3"]).fillna(second if dayfirst else first)
    day = parts["b1"].fillna(parts["b3"]).fillna(first if dayfirst else second)
    hour = parts["H"].fillna(0)
    hour = hour.where(~((ap == "p") & (hour < 12)), hour + 12).where(~((ap == "a") & (hour == 12)), 0)
    frame = pd.DataFrame(
        {
            "year": year,
            "month": month,
            "day": day,
            "hour": hour,
            "minute": parts["M"].fillna(0),
            "second": parts["S"].fillna(0),
        }
    )
    valid = frame[["year", "month", "day"]].notna().all(axis=1)
    valid &= frame["hour"].between(0, 23) & frame["minute"].between(0, 59) & frame["second"].between(0, 59)
    out = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    if valid.any():
        out[valid] = plausible(pd.to_datetime(frame[valid], errors="coerce"))
    return out


def _century(two_digit: pd.Series) -> pd.Series:
    """Two-digit years the way strptime reads them: 69-99 -> 19xx, 00-68 -> 20xx."""
    return two_digit + np.where(two_digit < 69, 2000, 1900)
