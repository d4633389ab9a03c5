"""JSON export and import: backups and moving between machines."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from loyalty.store import Store, StoreError
from tests.store.conftest import make_assessment, raw_frames


def _same(a, b) -> None:
    """Assert two assessments are equal in everything but the database id."""
    left, right = dataclasses.asdict(a), dataclasses.asdict(b)
    for values in (left, right):
        values.pop("id")
        values.pop("raw")
    assert left == right
    assert (a.raw is None) == (b.raw is None)
    for kind in a.raw or {}:
        pd.testing.assert_frame_equal(a.raw[kind], b.raw[kind])


def test_export_then_import_into_a_fresh_database_reproduces_the_assessments(tmp_path, store):
    first = store.save(make_assessment("A", "first"))
    second = store.save(make_assessment("B", "second", notes="with raw", raw=raw_frames()), store_raw=True)
    store.set_action_status(first, 2, "todo")
    text = store.export_json()
    document = json.loads(text)
    assert (document["format"], document["version"], document["schema_version"]) == (
        "loyalty-playbook-assessments", 1, 3)  # fmt: skip
    assert [a["title"] for a in document["assessments"]] == ["first", "second"]

    fresh = Store(f"sqlite:///{tmp_path / 'other.sqlite'}")
    new_ids = fresh.import_json(text)
    assert len(new_ids) == 2
    for old_id, new_id in zip((first, second), new_ids, strict=True):
        _same(store.get(old_id), fresh.get(new_id))
    assert fresh.get(new_ids[0]).actions[2].status == "todo"
    assert fresh.list()[0].has_raw
    # Importing again adds copies with new ids; it never overwrites.
    assert fresh.import_json(text) == [new_ids[1] + 1, new_ids[1] + 2]


def test_export_of_chosen_ids(store):
    ids = [store.save(make_assessment(title=f"t{k}")) for k in range(3)]
    document = json.loads(store.export_json([ids[2], ids[0]]))
    assert [a["title"] for a in document["assessments"]] == ["t2", "t0"]
    with pytest.raises(StoreError) as err:
        store.export_json([999])
    assert err.value.key == "store.error.not_found"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("{not json", "store.error.bad_json"),
        ("[1, 2]", "store.error.not_export"),
        ('{"format": "something-else", "version": 1, "assessments": []}', "store.error.not_export"),
        ('{"format": "loyalty-playbook-assessments", "version": 7, "assessments": []}',
         "store.error.newer_export"),
        ('{"format": "loyalty-playbook-assessments", "version": 1, "assessments": {}}',
         "store.error.not_export"),
    ],
)  # fmt: skip
def test_bad_documents_are_clear_errors(store, text, key):
    with pytest.raises(StoreError) as err:
        store.import_json(text)
    assert err.value.key == key
    assert err.value.message("nl") != err.value.message("en")


def test_one_bad_assessment_imports_nothing(store):
    document = json.loads(_export_of_two(store))
    document["assessments"][1]["actions"][0]["status"] = "finished"
    before = len(store.list())
    with pytest.raises(StoreError) as err:
        store.import_json(json.dumps(document))
    assert err.value.key == "store.error.bad_item" and err.value.params["number"] == 2
    assert "finished" in err.value.message("en")
    assert len(store.list()) == before


def _export_of_two(store) -> str:
    store.save(make_assessment(title="one"))
    store.save(make_assessment(title="two"))
    return store.export_json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"created": "yesterday"}, "created"),
        ({"client": ""}, "client"),
        ({"kpis": [1, 2]}, "kpis"),
        ({"actions": [{"action": "no strategy"}]}, "actions"),
    ],
)
def test_invalid_fields_are_named(store, change, field):
    document = json.loads(_export_of_two(store))
    document["assessments"][0].update(change)
    with pytest.raises(StoreError) as err:
        store.import_json(json.dumps(document))
    assert f"'{field}'" in err.value.message("en")
