"""Sniff what a file is: its type (text, Excel, Parquet), text encoding and delimiter.

The sniffers look at a sample of the bytes, so they cost the same for a 1 KB
and a 200 MB upload; only the UTF-8 check and the empty-file check scan the
whole file, in place and without copying it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from pathlib import PurePath

from loyalty.errors import InputError

#: How much of a file the sniffers look at.
SAMPLE_BYTES = 256 * 1024
#: How many lines the delimiter sniffer compares.
SAMPLE_LINES = 60
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")

_ZIP_MAGIC = b"PK\x03\x04"
_PARQUET_MAGIC = b"PAR1"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .xls (and .doc)
# Bytes of an "empty" file: whitespace, NULs and byte-order marks.
_BLANK = re.compile(rb"[ \t\r\n\x00\xef\xbb\xbf\xff\xfe]*")
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xltx"}

# Letters that betray the code page. Polish text read as cp1252 turns into
# symbols (ą -> ¹, ł -> ³, ż -> ¿), Dutch/German/French text read as cp1250
# turns into Central European letters (è -> č, à -> ŕ, ï -> ď).
_POLISH = set("ąćęłńśźżĄĆĘŁŃŚŹŻóÓ")
_WESTERN = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßÀÁÂÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÖØÙÚÛÜ€")


def detect_file_type(data: bytes, file_name: str) -> str:
    """Return ``"xlsx"``, ``"parquet"`` or ``"csv"`` from the content, then the name.

    Parameters
    ----------
    data : bytes
        The whole file.
    file_name : str
        Its name, used for the error messages and as a hint.

    Returns
    -------
    str
        The file type.

    Raises
    ------
    InputError
        Empty file, an old binary ``.xls``, a ``.xlsx`` that is no workbook, or binary data.
    """
    if _BLANK.fullmatch(data[:SAMPLE_BYTES]) and _BLANK.fullmatch(data):  # no strip(): it copies the file
        raise InputError("ingest.error.empty", file=file_name)
    suffix = PurePath(file_name).suffix.lower()
    if data.startswith(_ZIP_MAGIC):
        return "xlsx"
    if data.startswith(_PARQUET_MAGIC):
        return "parquet"
    if data.startswith(_OLE_MAGIC):
        raise InputError("ingest.error.old_excel", file=file_name)
    if suffix in _EXCEL_SUFFIXES:
        raise InputError("ingest.error.fake_excel", file=file_name)
    if suffix == ".parquet":
        raise InputError("ingest.error.fake_parquet", file=file_name)
    if _looks_binary(data[:SAMPLE_BYTES]):
        raise InputError("ingest.error.binary", file=file_name)
    return "csv"


def _looks_binary(sample: bytes) -> bool:
    """NUL bytes or many control characters mean binary (UTF-16 with a BOM excepted)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(bytes([c])) for c in range(32) if c not in (9, 10, 12, 13))
    return controls > max(2, len(sample) // 100)


def detect_encoding(data: bytes) -> str:
    """Return the text encoding of ``data``.

    UTF-8 (with or without BOM) wins whenever the whole file decodes as UTF-8;
    otherwise a sample is decoded as cp1250 and cp1252 and the reading with more
    plausible letters wins (ties go to cp1252).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if _is_utf8(data):
        return "utf-8"
    sample = data[:SAMPLE_BYTES]
    scores = {enc: _letter_score(sample.decode(enc, errors="replace"), enc) for enc in ("cp1250", "cp1252")}
    return "cp1250" if scores["cp1250"] > scores["cp1252"] else "cp1252"


def _is_utf8(data: bytes, chunk: int = 8 * 1024 * 1024) -> bool:
    """Whether all of ``data`` is valid UTF-8, checked chunk by chunk.

    An incremental decoder keeps memory flat: decoding a 200 MB upload in one
    go would build a second copy of it as a string just to throw it away.
    """
    if data.isascii():  # one fast pass: ASCII is valid UTF-8, and most exports are ASCII
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), chunk):
            decoder.decode(view[start : start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _letter_score(text: str, encoding: str) -> int:
    """Plausible letters minus implausible characters among the non-ASCII ones."""
    wanted = _POLISH if encoding == "cp1250" else _WESTERN
    counts = Counter(ch for ch in text if ord(ch) > 127)
    good = sum(n for ch, n in counts.items() if ch in wanted)
    bad = sum(n for ch, n in counts.items() if ch not in wanted and not ch.isalpha())
    return good - 2 * bad


def sample_text(data: bytes, encoding: str) -> tuple[str, bool]:
    """Decode the first bytes of ``data``; also say whether the sample was cut short."""
    cut = len(data) > SAMPLE_BYTES
    text = data[:SAMPLE_BYTES].decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    if cut and "\n" in text:
        text = text[: text.rfind("\n") + 1]  # never judge a half line
    return text, cut


def explicit_delimiter(text: str) -> str | None:
    """Return the delimiter of Excel's ``sep=;`` first line, if there is one."""
    first = text.split("\n", 1)[0].strip()
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4]
    return None


def field_counts(text: str, delimiter: str, max_lines: int = SAMPLE_LINES) -> list[int]:
    """Fields per record of the first ``max_lines`` records, respecting quotes."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    counts: list[int] = []
    try:
        for record in reader:
            if record and any(cell.strip() for cell in record):
                counts.append(len(record))
            if len(counts) >= max_lines:
                break
    except csv.Error:  # e.g. a NUL byte or a field over the size limit
        pass
    return counts


def detect_delimiter(text: str) -> str | None:
    """Return the delimiter that splits the sample most consistently, or None.

    A candidate scores by how many records have the same number of fields as
    the header (at least two); ties go to the candidate giving more fields.
    ``csv.Sniffer`` is not used: it guesses letters as delimiters on real exports.
    """
    best: tuple[float, int, str] | None = None
    for delimiter in DELIMITERS:
        counts = field_counts(text, delimiter)
        if not counts or counts[0] < 2:
            continue
        header = counts[0]
        consistent = sum(1 for n in counts if n == header) / len(counts)
        score = (consistent, header, delimiter)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None or best[0] < 0.5:
        return None
    return best[2]
