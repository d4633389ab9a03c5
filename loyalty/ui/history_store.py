"""History page: where the assessment database is, opening it, and the page's session keys.

Nothing may be written to disk before the user saves: an absent SQLite file is never
opened just to list it (opening would create it), so listing an empty history costs
nothing and leaves no file behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from loyalty.errors import LoyaltyError
from loyalty.i18n import format_date
from loyalty.store import AssessmentSummary, Store, database_location, default_database_url
from loyalty.store.location import ENV_VAR, sqlite_path
from loyalty.ui import state

#: ``{"id", "client", "title", "fingerprints", "restored"}`` of the assessment the Plan and Report
#: pages were restored to (see :mod:`loyalty.ui.history_match`).
OPENED = "history.opened"
#: ``(strategy id, action text) -> status`` of the opened assessment, so saving it again keeps progress.
STATUSES = "history.statuses"
#: ``section -> (level, text)`` shown once on the next run: the result of a button's callback.
FLASH = "history.flash"
#: Id of the assessment waiting for the user to confirm its deletion.
CONFIRM_DELETE = "history.confirm_delete"
CLIENT_KEY = "history_client"

log = logging.getLogger(__name__)


def url() -> str:
    """Return the database URL (``$LOYALTY_DATABASE_URL`` or the user's data directory)."""
    return default_database_url()


def location() -> str:
    """Return where the database lives, for the user (never a password)."""
    return database_location(url())


def exists() -> bool:
    """Return whether there may be saved assessments (a SQLite file that is not there has none)."""
    path = sqlite_path(url())
    return path is None or path.expanduser().exists()


def open_store(create: bool = False) -> Store | None:
    """Return the store, or None when it does not exist yet (and ``create`` is False).

    Raises
    ------
    loyalty.store.StoreError
        When the database cannot be used (corrupt, from a newer version, unreachable).
    """
    if not create and not exists():
        return None
    return Store(url())


@contextmanager
def connected(create: bool = False) -> Iterator[Store | None]:
    """Yield the store (None when there is none yet and ``create`` is False), closed afterwards."""
    store = open_store(create)
    try:
        yield store
    finally:
        if store is not None:
            store.close()


def location_caption() -> None:
    """Say where assessments are saved and how to point the app at another database."""
    st.caption(state.tr("history.location", location=location(), env=ENV_VAR))


def flash(section: str, level: str, text: str) -> None:
    """Keep a message for the next run of ``section`` (callbacks cannot draw on the page)."""
    st.session_state.setdefault(FLASH, {})[section] = (level, text)


def show_flash(section: str) -> None:
    """Show the message a callback left for ``section``, once."""
    message = st.session_state.setdefault(FLASH, {}).pop(section, None)
    if message:
        level, text = message
        {"success": st.success, "error": st.error, "info": st.info}.get(level, st.info)(text)


def error_text(err: Exception) -> str:
    """Return the user's-language message of a store problem (a bug gets a generic line, logged)."""
    if isinstance(err, LoyaltyError):
        return err.message(state.lang())
    log.exception("unexpected error on the History page", exc_info=err)
    return state.tr("history.error.unexpected")


@contextmanager
def guard() -> Iterator[None]:
    """Show a problem inside the block as one plain message instead of a traceback."""
    try:
        yield
    except Exception as err:  # noqa: BLE001 - the contract: no traceback on a client's screen
        st.error(error_text(err))


def age(summary: AssessmentSummary) -> tuple[str, int]:
    """Sort key, oldest first: creation time, then id (two saves in the same second stay in order)."""
    return summary.created.isoformat(), summary.id or 0


def summary_label(summary: AssessmentSummary) -> str:
    """Return ``title (date)`` for pickers, in the user's date format."""
    return f"{summary.title} ({format_date(summary.created, state.lang())})"
