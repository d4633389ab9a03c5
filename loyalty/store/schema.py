"""The database schema and its ordered migrations.

The ``schema_version`` table holds one row: the version the data are in. At start the
store applies every step above that version, in order, each in the same transaction as
the version bump, so a crash never leaves a half-migrated database. A database with a
version above :data:`LATEST` was written by a newer program and is refused untouched.

Only portable types are used (Integer, String, Text; JSON and dates as text) so the same
code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

# Each table is built by a function named after the schema version that introduced it. A
# migration step builds its tables in a throwaway MetaData, so a later change to a table
# (a new step that ALTERs it, and a new builder for the module-level Table) never changes
# what an old step creates.


def _schema_version_v1(md: MetaData) -> Table:
    return Table("schema_version", md, Column("version", Integer, nullable=False))


def _meta_v1(md: MetaData) -> Table:
    return Table(
        "meta",
        md,
        Column("key", String(64), primary_key=True),
        Column("value", Text, nullable=False),
    )


def _assessments_v1(md: MetaData) -> Table:
    # ``sqlite_autoincrement``: ids of deleted assessments are never reused, so a stale link
    # (an old tab, an exported id) can never open someone else's assessment.
    return Table(
        "assessments",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client", String(200), nullable=False, index=True),
        Column("title", String(300), nullable=False),
        Column("created", String(40), nullable=False),
        Column("updated", String(40), nullable=True),
        Column("lang", String(8), nullable=False),
        Column("business_type", String(40), nullable=True),
        Column("payload", Text, nullable=False),
        sqlite_autoincrement=True,
    )


def _actions_v2(md: MetaData) -> Table:
    return Table(
        "actions",
        md,
        Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        Column("position", Integer, primary_key=True),
        Column("strategy", String(100), nullable=False),
        Column("action", Text, nullable=False),
        Column("owner", String(200), nullable=False),
        Column("start", String(10), nullable=True),
        Column("due", String(10), nullable=True),
        Column("kpi", String(100), nullable=False),
        Column("target", Float, nullable=True),
        Column("status", String(10), nullable=False),
    )


def _raw_data_v3(md: MetaData) -> Table:
    return Table(
        "raw_data",
        md,
        Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        Column("kind", String(20), primary_key=True),
        Column("frame", Text, nullable=False),
    )


#: The current schema, used by the queries.
metadata = MetaData()
schema_version = _schema_version_v1(metadata)
meta = _meta_v1(metadata)
assessments = _assessments_v1(metadata)
actions = _actions_v2(metadata)
raw_data = _raw_data_v3(metadata)

SALT_KEY = "salt"


def _v1(conn: Connection) -> None:
    """First schema: assessments with everything (actions included) in a JSON payload."""
    md = MetaData()
    version, info = _schema_version_v1(md), _meta_v1(md)
    for table in (version, info, _assessments_v1(md)):
        table.create(conn)
    conn.execute(insert(version).values(version=0))
    conn.execute(insert(info).values(key="created", value=datetime.now().isoformat(timespec="seconds")))


def _v2(conn: Connection) -> None:
    """Actions move to their own table, so one status changes without rewriting the payload."""
    md = MetaData()
    table, action_table = _assessments_v1(md), _actions_v2(md)
    action_table.create(conn)
    for row in conn.execute(select(table.c.id, table.c.payload)).all():
        data = json.loads(row.payload)
        rows = [_action_row(row.id, i, item) for i, item in enumerate(data.pop("actions", None) or [])]
        if rows:
            conn.execute(insert(action_table), rows)
        new_payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
        conn.execute(update(table).where(table.c.id == row.id).values(payload=new_payload))


def _action_row(assessment_id: int, position: int, item: dict) -> dict:
    """Return one v1 payload action as a v2 ``actions`` row."""
    target = item.get("target")
    return {
        "assessment_id": assessment_id,
        "position": position,
        "strategy": str(item.get("strategy", "")),
        "action": str(item.get("action", "")),
        "owner": str(item.get("owner") or ""),
        "start": item.get("start"),
        "due": item.get("due"),
        "kpi": str(item.get("kpi") or ""),
        "target": None if target is None else float(target),
        "status": str(item.get("status") or "todo"),
    }


def _v3(conn: Connection) -> None:
    """Optional raw data, with the per-database salt that pseudonymises its customer ids."""
    md = MetaData()
    info = _meta_v1(md)
    _assessments_v1(md)  # the foreign key's target
    _raw_data_v3(md).create(conn)
    conn.execute(delete(info).where(info.c.key == SALT_KEY))
    conn.execute(insert(info).values(key=SALT_KEY, value=secrets.token_bytes(32).hex()))


#: Migration steps in order; step ``i`` brings the database from version ``i`` to ``i + 1``.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1, _v2, _v3)
LATEST = len(MIGRATIONS)
