"""Session state: the one place that names the keys pages share.

Data lives under non-widget keys, so it survives page switches (a plain keyed
widget loses its value when its page is left).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import streamlit as st

from loyalty.datasets import DEFAULT_SAMPLE_FOR_LANG, sample_files
from loyalty.errors import InputError
from loyalty.i18n import normalize_lang, t
from loyalty.ingest import LoadResult, load_file

LANG = "lang"
DATASETS = "datasets"  # kind -> LoadResult
FILES = "files"  # kind -> {"name", "digest", "data", "options", "mapping"}
NOTICE = "data_notice"
SOURCE = "source"  # {"sample": name} | {"upload": True}
ERRORS = "load_errors"  # kind -> message shown on the Data page

log = logging.getLogger(__name__)


def lang() -> str:
    """Return the interface language, defaulting from the browser locale."""
    if LANG not in st.session_state:
        st.session_state[LANG] = normalize_lang(st.context.locale)
    return st.session_state[LANG]


def tr(key: str, **params: Any) -> str:
    """Translate ``key`` into the current interface language."""
    return t(key, lang(), **params)


def datasets() -> dict[str, LoadResult]:
    """Return the loaded datasets, kind -> LoadResult (never None)."""
    return st.session_state.setdefault(DATASETS, {})


def files() -> dict[str, dict]:
    """Return the raw files behind the loaded datasets, kind -> file record."""
    return st.session_state.setdefault(FILES, {})


def errors() -> dict[str, str]:
    """Return the last load error per kind."""
    return st.session_state.setdefault(ERRORS, {})


@st.cache_data(show_spinner=False, max_entries=24, scope="session")
def _cached_load(
    digest: str, file_name: str, kind: str, mapping: tuple, options: tuple, _data: bytes
) -> LoadResult:
    # The cache key is the file's digest, never the bytes or the UploadedFile:
    # hashing hundreds of MB on every call would defeat the cache.
    return load_file(_data, file_name, kind=kind, mapping=dict(mapping) or None, **dict(options))


def load_into_session(
    kind: str, file_name: str, data: bytes, *, mapping: dict | None = None, options: dict | None = None
) -> LoadResult | None:
    """Ingest one file and keep it as the session's ``kind`` dataset.

    Returns the LoadResult, or None after storing a translated error message
    for the Data page (the app never shows a traceback).
    """
    digest = hashlib.sha256(data).hexdigest()
    mapping = {k: v for k, v in (mapping or {}).items()}
    options = {k: v for k, v in (options or {}).items() if v is not None}
    try:
        result = _cached_load(
            digest,
            file_name,
            kind,
            tuple(sorted(mapping.items(), key=str)),
            tuple(sorted(options.items())),
            data,
        )
    except InputError as err:
        errors()[kind] = err.message(lang())
        return None
    except Exception:  # a bug must not become a traceback on a client's screen
        log.exception("unexpected error while loading %s", file_name)
        errors()[kind] = tr("data.error.unexpected", file=file_name)
        return None
    errors().pop(kind, None)
    datasets()[kind] = result
    files()[kind] = {
        "name": file_name,
        "digest": digest,
        "data": data,
        "options": options,
        "mapping": mapping,
    }
    return result


def load_upload_into_session(kind: str, file_name: str, data: bytes, **options: Any) -> LoadResult | None:
    """Ingest an uploaded file; the first upload over a sample unloads the sample's other files.

    A sample's survey next to the user's own transactions would describe different
    customers, and every linked number (NPS beside revenue, "does trust pay?") would
    be about nobody. A failed upload keeps whatever was loaded before.
    """
    result = load_into_session(kind, file_name, data, options=options or None)
    if result is None:
        return None
    sample = (st.session_state.get(SOURCE) or {}).get("sample")
    if sample:
        others = [k for k in list(datasets()) if k != kind]
        for other in others:
            datasets().pop(other, None)
            files().pop(other, None)
        if others:
            st.session_state[NOTICE] = tr(
                "data.upload.sample_unloaded",
                sample=tr(f"sample.{sample}.title"),
                kinds=", ".join(tr(f"kind.{k}") for k in others),
            )
    st.session_state[SOURCE] = {"upload": True}
    return result


def pop_notice() -> str | None:
    """Return (once) the last notice about what a load changed."""
    return st.session_state.pop(NOTICE, None)


def load_sample_into_session(name: str) -> bool:
    """Replace the session's data by sample ``name``; True when every file loaded."""
    datasets().clear()
    files().clear()
    errors().clear()
    ok = all(
        load_into_session(kind, fname, data) is not None for kind, (fname, data) in sample_files(name).items()
    )
    st.session_state[SOURCE] = {"sample": name}
    return ok


def unload(kind: str) -> None:
    """Forget the ``kind`` dataset."""
    datasets().pop(kind, None)
    files().pop(kind, None)
    errors().pop(kind, None)
    if not datasets():
        st.session_state[SOURCE] = {}


def ensure_default_data() -> None:
    """Preload a sample on a session's first run, so the app opens on real numbers."""
    if SOURCE in st.session_state:
        return
    import os

    name = os.environ.get("LOYALTY_SAMPLE") or DEFAULT_SAMPLE_FOR_LANG[lang()]
    if name.lower() in ("", "none"):
        st.session_state[SOURCE] = {}
        return
    load_sample_into_session(name)


def source_label() -> str:
    """Describe where the loaded data comes from, in the interface language."""
    source = st.session_state.get(SOURCE) or {}
    if "sample" in source:
        return tr("sidebar.source_sample", name=tr(f"sample.{source['sample']}.title"))
    if datasets():
        return tr("sidebar.source_upload")
    return tr("sidebar.no_data")
