"""The store on a real PostgreSQL server: LOYALTY_DATABASE_URL=postgresql://… works for a team.

The same behaviour tests as on SQLite run against a throwaway server (see
``postgres_server.py``), plus PostgreSQL's own cases: tabs saving at once, a first
opening by many sessions, a schema from a newer version, and no original customer
id anywhere in the tables.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from loyalty.store import Store, StoreError, schema
from tests.store import test_concurrency, test_exchange, test_store
from tests.store.conftest import make_assessment, raw_frames
from tests.store.postgres_server import running_server, server_bin


@pytest.fixture(scope="module")
def pg_server():
    bin_dir = server_bin()
    if bin_dir is None:  # CI installs Debian's postgresql, and a skip fails the run there
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    with running_server(bin_dir) as url:
        yield url


def _admin(server: str) -> sa.Engine:
    return sa.create_engine(
        server.format(database="postgres").replace("postgresql://", "postgresql+psycopg2://", 1),
        isolation_level="AUTOCOMMIT",
    )


@pytest.fixture
def pg_url(pg_server):
    """URL of a new, empty database on the test server (dropped afterwards)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = _admin(pg_server)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield pg_server.format(database=name)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_store(pg_url):
    store = Store(pg_url)
    yield store
    store.close()


_SAME_AS_SQLITE = [
    test_store.test_round_trip_equals_the_saved_assessment,
    test_store.test_update_replaces_fields_and_actions,
    test_store.test_update_of_a_deleted_assessment_is_a_clear_error,
    test_store.test_list_is_newest_first_and_filters_by_client,
    test_store.test_rename_delete_and_status,
    test_store.test_deleted_ids_are_never_reused,
    test_store.test_invalid_assessment_is_refused_and_nothing_is_saved,
    test_store.test_resaving_loaded_raw_data_does_not_hash_twice,
    test_store.test_saving_without_the_option_keeps_earlier_raw_data_until_dropped,
    test_concurrency.test_concurrent_inserts_through_one_shared_store,
    test_concurrency.test_concurrent_updates_to_different_assessments,
    test_exchange.test_export_of_chosen_ids,
    test_exchange.test_one_bad_assessment_imports_nothing,
]


@pytest.mark.parametrize("case", _SAME_AS_SQLITE, ids=lambda case: case.__name__.removeprefix("test_"))
def test_same_behaviour_as_sqlite(pg_store, case):
    case(pg_store)


def test_round_trip_survives_reopening(pg_url):
    test_store.test_round_trip_survives_reopening_the_file(pg_url)


def test_tabs_saving_at_once_from_separate_stores_keep_every_row(pg_url):
    test_concurrency.test_concurrent_inserts_from_separate_stores_keep_every_row(pg_url)


def test_many_sessions_opening_a_new_database_migrate_it_once(pg_url):
    stores = test_concurrency._run(lambda _w: Store(pg_url))
    test_concurrency._run(lambda w: stores[w].save(make_assessment(f"c{w}")))
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version FROM schema_version")).all() == [(schema.LATEST,)]
        assert conn.execute(sa.text("SELECT count(*) FROM meta WHERE key = 'salt'")).scalar() == 1
    engine.dispose()
    assert len(stores[0].list()) == test_concurrency.THREADS
    for store in stores:
        store.close()


def test_export_from_sqlite_imports_into_postgresql(tmp_path, pg_store):
    """Moving a consultant's local assessments onto the team server keeps every field."""
    local = Store(f"sqlite:///{tmp_path / 'local.sqlite'}")
    ids = [local.save(make_assessment("A", "first")),
           local.save(make_assessment("B", "with raw", raw=raw_frames()), store_raw=True)]  # fmt: skip
    new_ids = pg_store.import_json(local.export_json())
    for old_id, new_id in zip(ids, new_ids, strict=True):
        test_exchange._same(local.get(old_id), pg_store.get(new_id))
    local.close()


def test_no_original_customer_id_is_stored(pg_url, pg_store):
    pg_store.save(make_assessment(raw=raw_frames()), store_raw=True)
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.connect() as conn:
        tables = list(
            conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
        )
        raw_rows = conn.execute(sa.text("SELECT count(*) FROM raw_data")).scalar()
        dump = "".join(
            str(row) for table in tables for row in conn.execute(sa.text(f'SELECT * FROM "{table}"'))
        )
    engine.dispose()
    assert "raw_data" in tables and raw_rows > 0  # the data are there...
    assert "CUST-000" not in dump  # ...but no original customer id, in any table


def test_a_schema_from_a_newer_version_is_refused_and_left_alone(pg_url):
    Store(pg_url).close()
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE schema_version SET version = :v"), {"v": schema.LATEST + 1})
    with pytest.raises(StoreError) as err:
        Store(pg_url)
    assert err.value.key == "store.error.newer"
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version FROM schema_version")).scalar() == schema.LATEST + 1
    engine.dispose()
