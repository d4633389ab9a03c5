"""Two (or eight) browser tabs saving at once lose nothing."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from loyalty.store import Store, schema
from tests.store.conftest import make_assessment

THREADS, SAVES = 8, 10


def _run(task, count: int = THREADS) -> list:
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(task, range(count)))  # list() re-raises any thread's error


def test_concurrent_inserts_from_separate_stores_keep_every_row(db_url):
    Store(db_url).close()

    def tab(worker: int) -> list[int]:
        store = Store(db_url)  # each tab opens its own store, as separate sessions do
        ids = [store.save(make_assessment(f"client {worker}", f"save {k}")) for k in range(SAVES)]
        store.close()
        return ids

    ids = [i for batch in _run(tab) for i in batch]
    store = Store(db_url)
    assert len(ids) == len(set(ids)) == THREADS * SAVES
    assert len(store.list()) == THREADS * SAVES
    assert sorted(s.id for s in store.list()) == sorted(ids)
    for worker in range(THREADS):
        assert sorted(s.title for s in store.list(f"client {worker}")) == sorted(
            f"save {k}" for k in range(SAVES)
        )


def test_concurrent_inserts_through_one_shared_store(store):
    _run(lambda w: [store.save(make_assessment(f"c{w}", f"t{k}")) for k in range(SAVES)])
    assert len(store.list()) == THREADS * SAVES
    assert store.clients() == [f"c{w}" for w in range(THREADS)]


def test_concurrent_updates_to_different_assessments(store):
    ids = [store.save(make_assessment(f"c{w}")) for w in range(THREADS)]

    def edit(worker: int) -> None:
        a = store.get(ids[worker])
        for k in range(SAVES):
            status = ("todo", "doing", "done")[k % 3]
            a.notes = f"worker {worker} edit {k}"
            store.save(a)
            store.set_action_status(ids[worker], k % 3, status)
            a.actions[k % 3].status = status

    _run(edit)
    for worker, assessment_id in enumerate(ids):
        loaded = store.get(assessment_id)
        assert loaded.notes == f"worker {worker} edit {SAVES - 1}"
        assert loaded.client == f"c{worker}"
        assert [x.status for x in loaded.actions] == ["todo", "doing", "done"]


def test_concurrent_first_opening_migrates_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    stores = _run(lambda _w: Store(url))
    _run(lambda w: stores[w].save(make_assessment(f"c{w}")))
    conn = sqlite3.connect(Path(stores[0].location))
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(schema.LATEST,)]
    assert conn.execute("SELECT count(*) FROM meta WHERE key = 'salt'").fetchone() == (1,)
    conn.close()
    assert len(stores[0].list()) == THREADS
