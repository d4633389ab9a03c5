"""The assessment store: SQLAlchemy Core over SQLite (default) or PostgreSQL.

Safety rules, in the order :class:`Store` applies them:

* Nothing is read or written before a ``Store`` is constructed (a user action).
* A SQLite file is checked read-only first: a file that is not SQLite, is corrupt, belongs
  to another program or was written by a newer version is refused with a
  :class:`StoreError`, and its bytes are never touched.
* Migrations run at start (see :mod:`loyalty.store.schema`).
* Every write is one transaction. SQLite runs in WAL mode and each transaction takes the
  write lock up front (``BEGIN IMMEDIATE``) and waits for it (busy timeout), so two browser
  tabs saving at once are serialised instead of failing or losing a save.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    exists,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError, SQLAlchemyError

from loyalty.store import codec, schema
from loyalty.store.errors import StoreError
from loyalty.store.location import database_location, default_database_url, sqlite_path, sqlite_url
from loyalty.store.model import Assessment, AssessmentSummary
from loyalty.store.privacy import pseudonymise

SQLITE_HEADER = b"SQLite format 3\x00"
#: How long a writer waits for another tab's transaction, in seconds.
BUSY_TIMEOUT = 30
#: Columns holding customer ids in raw frames (canonical names after ingestion).
ID_COLUMNS: tuple[str, ...] = ("customer_id",)
#: Export document identity and version.
EXPORT_FORMAT = "loyalty-playbook-assessments"
EXPORT_VERSION = 1
#: Advisory lock id that serialises migrations on PostgreSQL (any fixed 64-bit number).
PG_MIGRATION_LOCK = 7_406_915_301

_list = builtins.list  # ``Store.list`` shadows the builtin inside the class body


def _sqlite_version(path: Path, location: str) -> int:
    """Return the schema version of an existing SQLite file, opened read-only.

    Returns 0 for an empty database. Raises StoreError for a file that is not SQLite,
    is corrupt, holds another program's tables or is newer than this code.
    """
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise StoreError("store.error.not_sqlite", location=location)
    if not header:
        return 0
    try:
        # ``immutable``: read without locks, so not even a -wal/-shm file appears next to a
        # file we may refuse. With a -wal file present its pages count, so plain read-only.
        wal = path.with_name(path.name + "-wal").exists()
        mode = "mode=ro" if wal else "immutable=1"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
        try:
            check = conn.execute("PRAGMA quick_check(1)").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(check[0] if check else "quick_check failed")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = _version_of(tables, lambda: conn.execute("SELECT max(version) FROM schema_version"))
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise StoreError("store.error.corrupt", location=location, detail=str(err)) from None
    return _checked(version, location)


def _version_of(tables: set[str], query) -> int:
    """Return the version recorded in ``schema_version``; -1 for a database of another program."""
    if "schema_version" not in tables:
        return -1 if tables - {"sqlite_sequence"} else 0
    value = query().fetchone()[0]
    return int(value or 0)


def _checked(version: int, location: str) -> int:
    if version < 0:
        raise StoreError("store.error.foreign", location=location)
    if version > schema.LATEST:
        raise StoreError("store.error.newer", location=location, version=version, latest=schema.LATEST)
    return version


def _sqlite_engine(url: str) -> Engine:
    """Return an engine whose connections use WAL, a busy timeout and ``BEGIN IMMEDIATE``."""
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (SQLAlchemy's recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Take the write lock at the start: a deferred transaction that reads, then writes,
        # can fail at once with SQLITE_BUSY when another tab wrote in between.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _engine(url: str, location: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            return _sqlite_engine(url)
        return create_engine(_with_driver(url), pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as err:
        raise StoreError("store.error.bad_url", location=location, detail=str(err)) from None


def _with_driver(url: str) -> str | URL:
    """Name an installed PostgreSQL driver when the URL names none.

    SQLAlchemy 2.1 reads a bare ``postgresql://`` as psycopg 3; the pinned requirements
    ship psycopg2, so a team's plain URL uses whichever of the two is installed.
    """
    parsed = make_url(url)
    if parsed.drivername != "postgresql" or find_spec("psycopg") is not None:
        return url
    return parsed.set(drivername="postgresql+psycopg2") if find_spec("psycopg2") is not None else url


def _now() -> datetime:
    return datetime.now()


def _text(value: Any, name: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise StoreError("store.error.missing_field", field=name)
    return text


class Store:
    """A database of saved assessments.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; :func:`~loyalty.store.default_database_url` when omitted.

    Attributes
    ----------
    url : str
        The database URL (may hold a password: show :attr:`location` instead).
    location : str
        Human-readable location (file path or ``host/database``), without password.

    Raises
    ------
    StoreError
        When the database is corrupt, not ours, newer than this code, or cannot be reached.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_database_url()
        self.location = database_location(self.url)
        engine_url = self.url
        path = sqlite_path(self.url)
        if path is not None:
            path = path.expanduser()
            engine_url = sqlite_url(path)  # SQLite itself does not expand "~"
            if path.exists():
                if path.is_dir():
                    raise StoreError("store.error.cannot_open", location=self.location, detail="directory")
                _sqlite_version(path, self.location)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
        self._engine = _engine(engine_url, self.location)
        try:
            self._migrate()
        except StoreError:
            self._engine.dispose()
            raise

    # --- plumbing ----------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """Yield a connection inside one transaction; database errors become StoreError."""
        try:
            with self._engine.begin() as conn:
                yield conn
        except StoreError:
            raise
        except OperationalError as err:
            raise StoreError("store.error.cannot_open", location=self.location, detail=_short(err)) from None
        except DatabaseError as err:
            raise StoreError("store.error.corrupt", location=self.location, detail=_short(err)) from None
        except SQLAlchemyError as err:
            raise StoreError("store.error.database", location=self.location, detail=_short(err)) from None

    def _migrate(self) -> None:
        """Bring the schema up to :data:`schema.LATEST`, one step per transaction."""
        while True:
            with self._transaction() as conn:
                if conn.dialect.name == "postgresql":
                    # Two servers starting at once must not both create the tables; SQLite
                    # gets the same guarantee from BEGIN IMMEDIATE.
                    conn.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
                tables = set(inspect(conn).get_table_names())
                version = _checked(
                    _version_of(tables, lambda: conn.execute(select(schema.schema_version.c.version))),
                    self.location,
                )
                if version == schema.LATEST:
                    return
                schema.MIGRATIONS[version](conn)
                conn.execute(update(schema.schema_version).values(version=version + 1))

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def _salt(self, conn: Connection) -> bytes:
        value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == schema.SALT_KEY)).scalar()
        return bytes.fromhex(value)

    # --- writing -----------------------------------------------------------------------

    def save(self, a: Assessment, *, store_raw: bool = False) -> int:
        """Insert (``a.id`` is None) or update an assessment, in one transaction.

        Parameters
        ----------
        a : Assessment
            The assessment; its ``id`` and ``updated`` are set on success.
        store_raw : bool
            Store ``a.raw`` (customer ids pseudonymised). When False, raw data are never
            written; raw data saved earlier with the assessment are kept (see :meth:`drop_raw`).

        Returns
        -------
        int
            The assessment's id.
        """
        updated = _now()
        with self._transaction() as conn:
            new_id = self._write(conn, a, updated, store_raw)
        a.id, a.updated = new_id, updated
        return new_id

    def _write(self, conn: Connection, a: Assessment, updated: datetime, store_raw: bool) -> int:
        row = {
            "client": _text(a.client, "client"),
            "title": _text(a.title, "title"),
            "created": codec.iso(a.created),
            "updated": codec.iso(updated),
            "lang": a.lang or "en",
            "business_type": a.business_type,
            "payload": codec.dumps(codec.payload(a)),
        }
        if not isinstance(a.created, datetime):
            raise StoreError("store.error.bad_value", field="created", value=str(a.created))
        rows = [{**codec.action_to_dict(x), "position": i} for i, x in enumerate(a.actions)]
        for item in rows:
            codec.check_status(item["status"])
        if a.id is None:
            assessment_id = int(
                conn.execute(insert(schema.assessments).values(**row)).inserted_primary_key[0]
            )
        else:
            assessment_id = int(a.id)
            done = conn.execute(
                update(schema.assessments).where(schema.assessments.c.id == a.id).values(**row)
            )
            if done.rowcount == 0:
                raise StoreError("store.error.not_found", id=a.id)
            conn.execute(delete(schema.actions).where(schema.actions.c.assessment_id == assessment_id))
        if rows:
            conn.execute(insert(schema.actions), [{**r, "assessment_id": assessment_id} for r in rows])
        if store_raw and a.raw is not None:
            self._write_raw(conn, assessment_id, a.raw)
        return assessment_id

    def _write_raw(self, conn: Connection, assessment_id: int, raw: dict[str, pd.DataFrame]) -> None:
        salt = self._salt(conn)
        conn.execute(delete(schema.raw_data).where(schema.raw_data.c.assessment_id == assessment_id))
        for kind, frame in raw.items():
            conn.execute(
                insert(schema.raw_data).values(
                    assessment_id=assessment_id,
                    kind=str(kind),
                    frame=codec.frame_to_json(_private(frame, salt)),
                )
            )

    def drop_raw(self, assessment_id: int) -> None:
        """Delete the raw data stored with an assessment (the assessment stays)."""
        with self._transaction() as conn:
            self._require(conn, assessment_id)
            conn.execute(delete(schema.raw_data).where(schema.raw_data.c.assessment_id == assessment_id))

    def rename(self, assessment_id: int, title: str) -> None:
        """Give an assessment a new title."""
        title = _text(title, "title")
        with self._transaction() as conn:
            done = conn.execute(
                update(schema.assessments)
                .where(schema.assessments.c.id == assessment_id)
                .values(title=title, updated=codec.iso(_now()))
            )
            if done.rowcount == 0:
                raise StoreError("store.error.not_found", id=assessment_id)

    def delete(self, assessment_id: int) -> None:
        """Delete an assessment with its actions and raw data (the caller asks for confirmation)."""
        with self._transaction() as conn:
            self._require(conn, assessment_id)
            for table in (schema.actions, schema.raw_data):
                conn.execute(delete(table).where(table.c.assessment_id == assessment_id))
            conn.execute(delete(schema.assessments).where(schema.assessments.c.id == assessment_id))

    def set_action_status(self, assessment_id: int, index: int, status: str) -> None:
        """Set the progress of action number ``index`` (0-based) of an assessment."""
        codec.check_status(status)
        with self._transaction() as conn:
            self._require(conn, assessment_id)
            done = conn.execute(
                update(schema.actions)
                .where(schema.actions.c.assessment_id == assessment_id, schema.actions.c.position == index)
                .values(status=status)
            )
            if done.rowcount == 0:
                raise StoreError("store.error.bad_action", id=assessment_id, index=index)
            conn.execute(
                update(schema.assessments)
                .where(schema.assessments.c.id == assessment_id)
                .values(updated=codec.iso(_now()))
            )

    # --- reading -----------------------------------------------------------------------

    def _require(self, conn: Connection, assessment_id: int) -> Any:
        row = conn.execute(select(schema.assessments).where(schema.assessments.c.id == assessment_id)).first()
        if row is None:
            raise StoreError("store.error.not_found", id=assessment_id)
        return row

    def get(self, assessment_id: int, *, raw: bool = True) -> Assessment:
        """Return a saved assessment (with its raw data when stored and ``raw`` is True)."""
        with self._transaction() as conn:
            row = self._require(conn, assessment_id)
            action_rows = conn.execute(
                select(schema.actions)
                .where(schema.actions.c.assessment_id == assessment_id)
                .order_by(schema.actions.c.position)
            ).all()
            raw_rows = (
                conn.execute(
                    select(schema.raw_data)
                    .where(schema.raw_data.c.assessment_id == assessment_id)
                    .order_by(schema.raw_data.c.kind)
                ).all()
                if raw
                else []
            )
        data = {
            **json.loads(row.payload),
            "id": row.id,
            "client": row.client,
            "title": row.title,
            "created": row.created,
            "updated": row.updated,
            "lang": row.lang,
            "business_type": row.business_type,
            "actions": [_action_dict(r) for r in action_rows],
        }
        assessment = codec.assessment_from_dict(data)
        if raw_rows:
            assessment.raw = {r.kind: codec.frame_from_json(r.frame) for r in raw_rows}
        return assessment

    def list(self, client: str | None = None) -> _list[AssessmentSummary]:
        """Return the saved assessments, newest first (of one client when ``client`` is given)."""
        a = schema.assessments
        has_raw = exists().where(schema.raw_data.c.assessment_id == a.c.id)
        query = select(a.c.id, a.c.client, a.c.title, a.c.created, a.c.updated, a.c.lang, a.c.business_type,
                       has_raw.label("has_raw"))  # fmt: skip
        if client is not None:
            query = query.where(a.c.client == client)
        with self._transaction() as conn:
            rows = conn.execute(query).all()
        summaries = [
            AssessmentSummary(
                id=r.id,
                client=r.client,
                title=r.title,
                created=datetime.fromisoformat(r.created),
                updated=datetime.fromisoformat(r.updated) if r.updated else None,
                lang=r.lang,
                business_type=r.business_type,
                has_raw=bool(r.has_raw),
            )
            for r in rows
        ]
        # ISO text sorts naive and aware datetimes alike without raising.
        return sorted(summaries, key=lambda s: (s.created.isoformat(), s.id), reverse=True)

    def clients(self) -> _list[str]:
        """Return the client names, alphabetically (case-insensitive)."""
        with self._transaction() as conn:
            names = conn.execute(select(schema.assessments.c.client).distinct()).scalars().all()
        return sorted(names, key=lambda n: (n.casefold(), n))

    # --- exchange ----------------------------------------------------------------------

    def export_json(self, ids: _list[int] | None = None) -> str:
        """Return a versioned JSON document of the given assessments (all when ``ids`` is None)."""
        chosen = [s.id for s in reversed(self.list())] if ids is None else _list(ids)
        document = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "schema_version": schema.LATEST,
            "exported": _now().isoformat(timespec="seconds"),
            "assessments": [codec.assessment_to_dict(self.get(i)) for i in chosen],
        }
        return json.dumps(document, ensure_ascii=False, indent=2)

    def import_json(self, text: str) -> _list[int]:
        """Add the assessments of an export document, all or none; return their new ids."""
        assessments = parse_export(text)
        updated = _now()
        with self._transaction() as conn:
            ids = []
            for a in assessments:
                a.id = None
                ids.append(self._write(conn, a, a.updated or updated, store_raw=True))
        return ids


def parse_export(text: str | bytes) -> _list[Assessment]:
    """Validate an export document and return its assessments; StoreError on anything wrong."""
    try:
        document = json.loads(text)
    except (ValueError, TypeError) as err:
        raise StoreError("store.error.bad_json", detail=str(err)) from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise StoreError("store.error.not_export")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreError("store.error.not_export")
    if version > EXPORT_VERSION:
        raise StoreError("store.error.newer_export", version=version, latest=EXPORT_VERSION)
    items = document.get("assessments")
    if not isinstance(items, _list):
        raise StoreError("store.error.not_export")
    out = []
    for number, item in enumerate(items, start=1):
        try:
            out.append(codec.assessment_from_dict(item))
        except StoreError as err:
            raise StoreError("store.error.bad_item", number=number, detail=err.message("en")) from None
    return out


def _action_dict(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ("strategy", "action", "owner", "start", "due", "kpi",
                                                  "target", "status")}  # fmt: skip


def _private(frame: pd.DataFrame, salt: bytes) -> pd.DataFrame:
    """Return ``frame`` with customer ids pseudonymised (unless it already is)."""
    if frame.attrs.get(codec.PSEUDONYMISED):
        return frame
    out = frame.copy()
    for column in ID_COLUMNS:
        if column in out.columns:
            out[column] = pseudonymise(out[column], salt)
    return out


def _short(err: Exception) -> str:
    """First line of a driver error, without the SQL statement SQLAlchemy appends."""
    text = str(getattr(err, "orig", None) or err)
    return text.splitlines()[0][:200]
