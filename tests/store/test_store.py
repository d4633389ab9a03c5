"""Save, reload, list, rename, delete and action progress against a real SQLite file."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pandas as pd
import pytest

from loyalty.store import (
    Assessment,
    Store,
    StoreError,
    database_location,
    default_database_url,
    fingerprint,
    pseudonymise,
)
from tests.store.conftest import make_assessment, raw_frames


def _fields(a: Assessment) -> dict:
    """Every field except the ones the store sets (id, updated) and raw frames (compared apart)."""
    values = dataclasses.asdict(a)
    for name in ("id", "updated", "raw"):
        values.pop(name)
    return values


def test_round_trip_equals_the_saved_assessment(store):
    original = make_assessment()
    new_id = store.save(original)
    loaded = store.get(new_id)
    assert _fields(loaded) == _fields(make_assessment())
    assert loaded.id == new_id == original.id
    assert loaded.actions[0].due.isoformat() == "2025-06-30"
    assert loaded.actions[0].target == 30.0
    assert loaded.assumptions["nested"] == {"a": [1, 2, {"b": None}]}
    assert loaded.created == datetime(2025, 3, 14, 9, 30, 15)
    assert loaded.updated == original.updated
    assert loaded.raw is None


def test_round_trip_survives_reopening_the_file(db_url):
    first = Store(db_url)
    new_id = first.save(make_assessment())
    first.close()
    assert _fields(Store(db_url).get(new_id)) == _fields(make_assessment())


def test_update_replaces_fields_and_actions(store):
    a = make_assessment()
    new_id = store.save(a)
    a.notes = "second visit"
    a.actions = a.actions[:1]
    a.kpis["nps"]["value"] = 25.0
    assert store.save(a) == new_id
    loaded = store.get(new_id)
    assert (loaded.notes, len(loaded.actions), loaded.kpis["nps"]["value"]) == ("second visit", 1, 25.0)
    assert len(store.list()) == 1


def test_update_of_a_deleted_assessment_is_a_clear_error(store):
    a = make_assessment()
    store.save(a)
    store.delete(a.id)
    with pytest.raises(StoreError) as err:
        store.save(a)
    assert err.value.key == "store.error.not_found"


def test_list_is_newest_first_and_filters_by_client(store):
    ids = [
        store.save(make_assessment("A", "old", created=datetime(2024, 1, 1))),
        store.save(make_assessment("B", "mid", created=datetime(2024, 6, 1))),
        store.save(make_assessment("A", "new", created=datetime(2025, 1, 1))),
    ]
    assert [s.title for s in store.list()] == ["new", "mid", "old"]
    assert [s.id for s in store.list("A")] == [ids[2], ids[0]]
    assert store.list("nobody") == []
    assert store.clients() == ["A", "B"]
    summary = store.list("B")[0]
    assert (summary.lang, summary.business_type, summary.has_raw) == ("nl", "b2c", False)


def test_rename_delete_and_status(store):
    keep, gone = store.save(make_assessment()), store.save(make_assessment(title="other"))
    store.rename(keep, "  Renamed  ")
    store.set_action_status(keep, 1, "done")
    store.delete(gone)
    loaded = store.get(keep)
    assert loaded.title == "Renamed"
    assert [x.status for x in loaded.actions] == ["doing", "done", "done"]
    assert [s.id for s in store.list()] == [keep]
    with pytest.raises(StoreError, match="no saved assessment"):
        store.get(gone)
    for call, key in [
        (lambda: store.rename(keep, "   "), "store.error.missing_field"),
        (lambda: store.rename(gone, "x"), "store.error.not_found"),
        (lambda: store.delete(gone), "store.error.not_found"),
        (lambda: store.set_action_status(keep, 3, "done"), "store.error.bad_action"),
        (lambda: store.set_action_status(keep, 0, "finished"), "store.error.bad_status"),
    ]:
        with pytest.raises(StoreError) as err:
            call()
        assert err.value.key == key


def test_deleted_ids_are_never_reused(store):
    first = store.save(make_assessment())
    store.delete(first)
    assert store.save(make_assessment()) == first + 1


def test_invalid_assessment_is_refused_and_nothing_is_saved(store):
    bad = make_assessment(actions=[dataclasses.replace(make_assessment().actions[0], status="maybe")])
    with pytest.raises(StoreError) as err:
        store.save(bad)
    assert err.value.key == "store.error.bad_status"
    with pytest.raises(StoreError):
        store.save(make_assessment(client=" "))
    assert store.list() == []
    assert "maybe" in err.value.message("pl") and "todo" in err.value.message("nl")


def test_raw_data_only_with_the_option_and_ids_pseudonymised(store):
    without = store.save(make_assessment(raw=raw_frames()))
    assert store.get(without).raw is None
    assert store.list()[0].has_raw is False

    with_raw = store.save(make_assessment(raw=raw_frames()), store_raw=True)
    stored = store.get(with_raw).raw
    original = raw_frames()
    assert set(stored) == {"transactions", "survey"}
    ids = stored["transactions"]["customer_id"]
    assert not set(ids) & {"CUST-0001", "CUST-0002"}
    assert ids.str.fullmatch(r"[0-9a-f]{16}").all()
    assert ids[0] == ids[2] != ids[1]  # same customer, same token
    assert stored["survey"]["customer_id"][0] == ids[1]  # linked across tables
    assert pd.isna(stored["survey"]["customer_id"][1])
    pd.testing.assert_frame_equal(stored["transactions"].drop(columns="customer_id"),
                                  original["transactions"].drop(columns="customer_id"))  # fmt: skip
    # Not a single original id anywhere in the database file.
    raw_bytes = b"".join(p.read_bytes() for p in _db_files(store))
    assert b"CUST-000" not in raw_bytes


def test_resaving_loaded_raw_data_does_not_hash_twice(store):
    new_id = store.save(make_assessment(raw=raw_frames()), store_raw=True)
    loaded = store.get(new_id)
    tokens = loaded.raw["transactions"]["customer_id"].tolist()
    store.save(loaded, store_raw=True)
    assert store.get(new_id).raw["transactions"]["customer_id"].tolist() == tokens


def test_saving_without_the_option_keeps_earlier_raw_data_until_dropped(store):
    a = make_assessment(raw=raw_frames())
    store.save(a, store_raw=True)
    a.raw, a.notes = None, "edited"
    store.save(a)
    assert store.list()[0].has_raw
    store.drop_raw(a.id)
    assert store.get(a.id).raw is None and store.get(a.id).notes == "edited"


def _db_files(store: Store):
    path = store.location
    from pathlib import Path

    return [p for p in Path(path).parent.iterdir() if p.name.startswith(Path(path).name)]


def test_pseudonymise_is_keyed_and_stable():
    ids = pd.Series(["42", "43", "42"], name="customer_id")
    first = pseudonymise(ids, b"salt-one")
    assert first[0] == first[2] != first[1]
    assert first.name == "customer_id"
    assert (pseudonymise(ids, b"salt-two") != first).all()
    import hashlib
    import hmac

    assert first[0] == hmac.new(b"salt-one", b"42", hashlib.sha256).hexdigest()[:16]


def test_each_database_has_its_own_salt(tmp_path):
    tokens = []
    for name in ("a", "b"):
        store = Store(f"sqlite:///{tmp_path / name}.sqlite")
        tokens.append(store.get(store.save(make_assessment(raw=raw_frames()), store_raw=True)).raw)
    assert tokens[0]["transactions"]["customer_id"][0] != tokens[1]["transactions"]["customer_id"][0]


def test_fingerprint_of_bytes_and_frames():
    assert fingerprint(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    frame = pd.DataFrame({"a": [1, 2]})
    assert fingerprint(frame) == fingerprint(frame.copy())
    assert fingerprint(frame) != fingerprint(pd.DataFrame({"a": [1, 3]}))


def test_default_url_and_location(monkeypatch, tmp_path):
    monkeypatch.setenv("LOYALTY_DATABASE_URL", "postgresql://team:s3cret@db.example:5433/loyalty")
    assert default_database_url() == "postgresql://team:s3cret@db.example:5433/loyalty"
    assert database_location(default_database_url()) == "postgresql://team@db.example:5433/loyalty"
    assert "s3cret" not in database_location(default_database_url())
    monkeypatch.delenv("LOYALTY_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = default_database_url()
    assert url.startswith("sqlite:///") and url.endswith("assessments.sqlite")
    assert "loyalty-playbook" in database_location(url)
    assert not (tmp_path / "data").exists()  # asking where it would be creates nothing


def test_store_creates_the_folder_only_when_constructed(tmp_path):
    path = tmp_path / "new" / "folder" / "db.sqlite"
    url = f"sqlite:///{path}"
    assert database_location(url) == str(path)
    assert not path.parent.exists()
    store = Store(url)
    assert path.exists() and store.location == str(path)
