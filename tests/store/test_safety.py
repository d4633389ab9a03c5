"""Migrations from the first schema, and databases the store must refuse without touching them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine

from loyalty.store import Store, StoreError, schema
from tests.store.conftest import make_assessment, raw_frames

#: The first schema exactly as version 1 of the program wrote it (SQLite dialect).
V1_SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE meta ("key" VARCHAR(64) NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key"));
CREATE TABLE assessments (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    client VARCHAR(200) NOT NULL,
    title VARCHAR(300) NOT NULL,
    created VARCHAR(40) NOT NULL,
    updated VARCHAR(40),
    lang VARCHAR(8) NOT NULL,
    business_type VARCHAR(40),
    payload TEXT NOT NULL
);
CREATE INDEX ix_assessments_client ON assessments (client);
INSERT INTO schema_version (version) VALUES (1);
INSERT INTO meta ("key", value) VALUES ('created', '2024-05-01T10:00:00');
"""

V1_PAYLOAD = {
    "mappings": {"survey": {"recommend": "NPS"}},
    "fingerprints": {"survey": "cd" * 32},
    "kpis": {"nps": {"value": 12.5, "promoters": 40, "passives": 30, "detractors": 30}},
    "diagnosis": {"importance": {"service": {"share": 0.6}}},
    "strategies": ["complaint_sla"],
    "assumptions": {},
    "notes": "written by v1",
    "actions": [
        {"strategy": "complaint_sla", "action": "Answer within a day", "owner": "Piotr",
         "start": "2024-05-02", "due": "2024-06-01", "kpi": "nps", "target": 20, "status": "doing"},
        {"strategy": "complaint_sla", "action": "Log complaints", "owner": "", "start": None, "due": None,
         "kpi": "", "target": None, "status": "done"},
    ],
}  # fmt: skip


def _v1_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute(
        "INSERT INTO assessments (client, title, created, updated, lang, business_type, payload) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("Sklep Kowalski", "Maj 2024", "2024-05-01T10:00:00", None, "pl", "b2b", json.dumps(V1_PAYLOAD)),
    )
    conn.commit()
    conn.close()


def _columns(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    out = {t: [row[1:] for row in conn.execute(f"PRAGMA table_info({t})")] for t in tables}
    conn.close()
    return out


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT version FROM schema_version").fetchall()
    conn.close()
    assert len(rows) == 1
    return rows[0][0]


def test_v1_sql_matches_what_the_first_migration_step_creates(tmp_path):
    by_sql, by_step = tmp_path / "sql.sqlite", tmp_path / "step.sqlite"
    _v1_database(by_sql)
    engine = create_engine(f"sqlite:///{by_step}")
    with engine.begin() as conn:
        schema.MIGRATIONS[0](conn)
    engine.dispose()
    assert _columns(by_sql) == _columns(by_step)


def test_a_v1_database_is_migrated_with_its_data(tmp_path):
    path = tmp_path / "old.sqlite"
    _v1_database(path)
    store = Store(f"sqlite:///{path}")
    assert _version(path) == schema.LATEST == 3
    assert {"actions", "raw_data"} <= set(_columns(path))
    (summary,) = store.list()
    loaded = store.get(summary.id)
    assert (loaded.client, loaded.title, loaded.lang, loaded.business_type) == (
        "Sklep Kowalski", "Maj 2024", "pl", "b2b")  # fmt: skip
    assert loaded.notes == "written by v1" and loaded.kpis == V1_PAYLOAD["kpis"]
    assert [(a.action, a.status, a.target) for a in loaded.actions] == [
        ("Answer within a day", "doing", 20.0), ("Log complaints", "done", None)]  # fmt: skip
    assert loaded.actions[0].start.isoformat() == "2024-05-02"
    # The payload no longer carries the actions: they live in their own table now.
    conn = sqlite3.connect(path)
    assert "actions" not in json.loads(conn.execute("SELECT payload FROM assessments").fetchone()[0])
    conn.close()
    # v2 and v3 features work on the migrated data.
    loaded.raw = raw_frames()
    store.save(loaded, store_raw=True)
    store.set_action_status(summary.id, 0, "done")
    assert store.get(summary.id).actions[0].status == "done"
    assert store.list()[0].has_raw
    store.close()
    assert _version(path) == 3  # reopening migrates nothing twice
    Store(f"sqlite:///{path}").close()
    assert _version(path) == 3


def test_each_step_brings_the_version_up_by_one(tmp_path):
    path = tmp_path / "steps.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    for step in schema.MIGRATIONS:
        with engine.begin() as conn:
            step(conn)
    engine.dispose()
    md = MetaData()
    md.reflect(create_engine(f"sqlite:///{path}"))
    assert set(md.tables) == set(schema.metadata.tables)
    for name, table in schema.metadata.tables.items():
        assert [c.name for c in md.tables[name].columns] == [c.name for c in table.columns]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _refused(path: Path, key: str) -> StoreError:
    before = _files(path.parent)
    with pytest.raises(StoreError) as err:
        Store(f"sqlite:///{path}")
    assert err.value.key == key
    assert _files(path.parent) == before  # not one byte written, no -wal/-shm file created
    assert str(path) in err.value.message("en")
    return err.value


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"client;nps\nJansen;30\n" * 50)
    err = _refused(path, "store.error.not_sqlite")
    assert "SQLite" in err.message("en") and "niet gewijzigd" in err.message("nl")


def _saved_database(path: Path) -> None:
    store = Store(f"sqlite:///{path}")
    store.save(make_assessment())
    store.close()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # WAL checkpointed on close


def test_a_corrupt_database_is_refused_untouched(tmp_path):
    path = tmp_path / "assessments.sqlite"
    _saved_database(path)
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 2 * page
    data[page:] = b"\xa5" * (len(data) - page)  # every page after the first is garbage
    path.write_bytes(bytes(data))
    err = _refused(path, "store.error.corrupt")
    assert "damaged" in err.message("en") and "uszkodzona" in err.message("pl")


def test_a_truncated_database_is_refused_untouched(tmp_path):
    path = tmp_path / "assessments.sqlite"
    _saved_database(path)
    path.write_bytes(path.read_bytes()[:200])
    _refused(path, "store.error.corrupt")


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "assessments.sqlite"
    _saved_database(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = ?", (schema.LATEST + 1,))
    conn.commit()
    conn.close()
    err = _refused(path, "store.error.newer")
    assert err.params["version"] == 4 and err.params["latest"] == 3
    assert "newer version" in err.message("en")


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "crm.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT)")
    conn.commit()
    conn.close()
    _refused(path, "store.error.foreign")


def test_an_empty_file_becomes_a_database(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    Store(f"sqlite:///{path}").close()
    assert _version(path) == schema.LATEST


def test_a_folder_or_unknown_driver_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError) as err:
        Store(f"sqlite:///{tmp_path}")
    assert err.value.key == "store.error.cannot_open"
    with pytest.raises(StoreError) as err:
        Store("nosuchdb://user:pw@host/db")
    assert err.value.key == "store.error.bad_url" and "pw" not in err.value.message("en")


def test_an_unreachable_server_is_a_clear_error():
    # Port 1 on localhost refuses at once: the PostgreSQL path without a PostgreSQL server.
    with pytest.raises(StoreError) as err:
        Store("postgresql://team:s3cret@127.0.0.1:1/loyalty")
    assert err.value.key == "store.error.cannot_open"
    message = err.value.message("en")
    assert "postgresql://team@127.0.0.1:1/loyalty" in message and "s3cret" not in message
