"""Where the assessment database lives, and how to show that to a user."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

#: Environment variable that overrides the default database (e.g. a team's PostgreSQL server).
ENV_VAR = "LOYALTY_DATABASE_URL"
APP_NAME = "loyalty-playbook"
FILE_NAME = "assessments.sqlite"


def default_database_url() -> str:
    """Return the database URL to use when none is given.

    ``$LOYALTY_DATABASE_URL`` when set, else a SQLite file in the user's data directory.
    Nothing is created here: the folder and file appear only when a store is opened.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env
    from platformdirs import user_data_dir

    return sqlite_url(Path(user_data_dir(APP_NAME, appauthor=False)) / FILE_NAME)


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """Return the SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{Path(path)}"


def sqlite_path(url: str) -> Path | None:
    """Return the file of a SQLite URL; None for other databases and in-memory SQLite."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def database_location(url: str) -> str:
    """Return a human-readable location: the file path for SQLite, ``host/db`` otherwise.

    The password never appears.
    """
    path = sqlite_path(url)
    if path is not None:
        return str(path.expanduser().resolve())
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "?"
    if parsed.get_backend_name() == "sqlite":
        return ":memory:"
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    user = f"{parsed.username}@" if parsed.username else ""
    return f"{parsed.get_backend_name()}://{user}{host}{port}/{parsed.database or ''}"
