"""Shared AppTest helpers: run the real app, collect visible text, find raw keys."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from loyalty.i18n import catalog

from ..conftest import ROOT

APP = str(ROOT / "app.py")
_KEYLIKE = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")


def run_app(locale: str | None = None, page: str | None = None, sample: str | None = None) -> AppTest:
    """Run app.py (optionally a page of it) and return the finished AppTest."""
    at = AppTest.from_file(APP, default_timeout=60)
    if locale:
        at.context = {"locale": locale}
    at.run()
    if sample:
        from loyalty.ui import state  # noqa: F401  (imported for the key names)

        at.switch_page("pages/data.py").run()
        at.selectbox(key="sample_choice").set_value(sample).run()
        at.button(key="load_sample").click().run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def visible_texts(at: AppTest) -> list[str]:
    """Every text a user can read on the current run: markdown, labels, metrics, alerts."""
    texts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
    ):
        texts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("button", "selectbox", "radio", "file_uploader", "download_button", "page_link"):
        texts += [str(getattr(e, "label", "")) for e in at.get(kind)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [str(tab.label) for tab in at.tabs]
    texts += [str(e.value) for e in at.sidebar.markdown] + [str(e.value) for e in at.sidebar.caption]
    return texts


def raw_keys(at: AppTest) -> list[str]:
    """Catalog keys that appear untranslated in the visible text."""
    keys = set(catalog())
    return [m for text in visible_texts(at) for m in _KEYLIKE.findall(text) if m in keys]
