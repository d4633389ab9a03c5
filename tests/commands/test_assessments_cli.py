"""``python -m loyalty assessments list|export|import|delete``: JSON out, exit codes, one-line errors."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from loyalty.store import Store
from tests.store.conftest import make_assessment


@pytest.fixture
def saved(tmp_path):
    """A database with three assessments of two clients; returns (url, ids)."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = Store(url)
    ids = [
        store.save(make_assessment("Jansen", "Q1", created=datetime(2025, 1, 10))),
        store.save(make_assessment("Kowalski", "Maj", created=datetime(2025, 5, 1))),
        store.save(make_assessment("Jansen", "Q3", created=datetime(2025, 7, 1))),
    ]
    store.close()
    return url, ids


def test_list_newest_first_and_by_client(run_cli, saved):
    url, ids = saved
    result = run_cli("assessments", "list", "--database", url, "--json")
    assert result.code == 0
    assert [a["title"] for a in result.out["assessments"]] == ["Q3", "Maj", "Q1"]
    assert result.out["database"].endswith("db.sqlite")
    first = result.out["assessments"][0]
    assert first == {
        "id": ids[2],
        "client": "Jansen",
        "title": "Q3",
        "created": "2025-07-01T00:00:00",
        "updated": first["updated"],
        "lang": "nl",
        "business_type": "b2c",
        "has_raw": False,
    }
    jansen = run_cli("assessments", "list", "--client", "Jansen", "--database", url)
    assert [a["id"] for a in jansen.out["assessments"]] == [ids[2], ids[0]]


def test_a_plain_path_is_a_sqlite_database(run_cli, saved, tmp_path):
    result = run_cli("assessments", "list", "--database", str(tmp_path / "db.sqlite"))
    assert result.code == 0 and len(result.out["assessments"]) == 3


def test_export_import_round_trip(run_cli, saved, tmp_path):
    url, ids = saved
    out = tmp_path / "backup.json"
    exported = run_cli("assessments", "export", "--out", str(out), "--id", str(ids[1]), str(ids[0]),
                       "--database", url)  # fmt: skip
    assert exported.code == 0 and exported.out["ids"] == [ids[1], ids[0]]
    assert [a["title"] for a in json.loads(out.read_text(encoding="utf-8"))["assessments"]] == ["Maj", "Q1"]

    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    imported = run_cli("assessments", "import", str(out), "--database", other)
    assert imported.code == 0 and imported.out["imported"] == [1, 2]
    store = Store(other)
    assert store.get(1).client == "Kowalski" and store.get(2).title == "Q1"
    assert store.get(2).actions == Store(url).get(ids[0]).actions

    everything = run_cli("assessments", "export", "--out", str(out), "--database", url)
    assert everything.out["ids"] == ids


def test_delete_needs_yes(run_cli, saved):
    url, ids = saved
    refused = run_cli("assessments", "delete", "--id", str(ids[0]), "--database", url)
    assert refused.code == 2 and "--yes" in refused.err and len(refused.err.strip().splitlines()) == 1
    assert len(Store(url).list()) == 3
    done = run_cli("assessments", "delete", "--id", str(ids[0]), "--yes", "--database", url)
    assert done.code == 0 and done.out["deleted"] == ids[0]
    assert [s.id for s in Store(url).list()] == [ids[2], ids[1]]
    again = run_cli("assessments", "delete", "--id", str(ids[0]), "--yes", "--database", url)
    assert again.code == 2 and "no saved assessment" in again.err


@pytest.mark.parametrize(
    "args",
    [
        ("assessments",),
        ("assessments", "list", "--bogus"),
        ("assessments", "delete", "--id", "zero", "--yes"),
        ("assessments", "export"),
        ("assessments", "import", "missing.json"),
        ("assessments", "export", "--out", "x.json", "--id", "99"),
    ],
)
def test_bad_input_is_exit_2_with_one_line(run_cli, saved, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = run_cli(*args, "--database", saved[0]) if len(args) > 1 else run_cli(*args)
    assert result.code == 2
    assert result.err.startswith("error: ") and len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "x.json").exists()


def test_bad_files_and_databases(run_cli, saved, tmp_path):
    url, _ids = saved
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    result = run_cli("assessments", "import", str(bad), "--database", url)
    assert result.code == 2 and "not valid JSON" in result.err
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 10)
    result = run_cli("assessments", "list", "--database", str(garbage))
    assert result.code == 2 and "not a SQLite file" in result.err
    assert garbage.read_bytes() == b"not a database at all" * 10
    result = run_cli("assessments", "export", "--out", str(tmp_path / "no" / "dir.json"), "--database", url)
    assert result.code == 2 and "cannot write" in result.err


def test_default_database_comes_from_the_environment(run_cli, saved, monkeypatch):
    monkeypatch.setenv("LOYALTY_DATABASE_URL", saved[0])
    assert len(run_cli("assessments", "list").out["assessments"]) == 3
