"""The History page in AppTest: save, list, rename, open, compare, delete, import; against a tmp SQLite file.

``LOYALTY_DATABASE_URL`` points every test at its own file under ``tmp_path``, so no test
ever reads or writes the user's real database.
"""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty.i18n import format_number, t
from loyalty.plan import plan_from_strategies
from loyalty.store import Store, StoreError
from loyalty.store.compare import compare, kpi_value
from loyalty.store.location import sqlite_url
from loyalty.strategies import get_strategy

from .helpers import raw_keys, run_app

PAGE = "pages/history.py"
STRATEGIES = ["crm", "train_teams"]


@pytest.fixture()
def db(monkeypatch, tmp_path):
    """A database file that does not exist yet, under the test's own folder."""
    path = tmp_path / "history" / "assessments.sqlite"
    monkeypatch.setenv("LOYALTY_DATABASE_URL", sqlite_url(path))
    return path


def _store(path) -> Store:
    return Store(sqlite_url(path))


def _clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _with_plan(at, lang: str = "en"):
    """Put a plan in the session as the Plan page leaves it."""
    at.session_state["plan.selected"] = list(STRATEGIES)
    at.session_state["plan.actions"] = plan_from_strategies(STRATEGIES, lang)
    at.session_state["plan.business_type"] = "b2b"
    at.session_state["plan.assumptions"] = {"margin": 0.4, "horizon_months": 24}
    return at


def _save(at, client: str, title: str, raw: bool = False):
    at.text_input(key="history_save_client").input(client)
    at.text_input(key="history_save_title").input(title)
    if raw:
        at.checkbox(key="history_save_raw").check()
    at.button(key="history_save_submit").click().run()
    _clean(at)
    return at


def _load_sample(at, name: str):
    at.switch_page("pages/data.py").run()
    at.selectbox(key="sample_choice").set_value(name).run()
    at.button(key="load_sample").click().run()
    at.switch_page(PAGE).run()
    _clean(at)
    return at


def test_nothing_is_written_before_saving_and_the_location_is_shown(db):
    at = run_app("en-GB", page=PAGE)
    assert not db.exists() and not db.parent.exists()  # listing an absent database never creates it
    assert t("history.saved.none", "en") in [i.value for i in at.info]
    location = t("history.location", "en", location=str(db.resolve()), env="LOYALTY_DATABASE_URL")
    assert location in [c.value for c in at.caption]
    assert raw_keys(at) == []


def test_save_lists_the_assessment_then_rename(db):
    at = _with_plan(run_app("en-GB", page=PAGE))
    _save(at, "Acme BV", "Workshop 1")
    assert t("history.save.done", "en", title="Workshop 1", client="Acme BV") in [s.value for s in at.success]
    assert db.exists()
    (summary,) = _store(db).list()
    assert (summary.client, summary.title, summary.has_raw) == ("Acme BV", "Workshop 1", False)
    saved = _store(db).get(summary.id)
    assert saved.strategies == STRATEGIES and saved.business_type == "b2b"
    assert len(saved.actions) == len(plan_from_strategies(STRATEGIES, "en"))
    assert kpi_value(saved.kpis, "nps") is not None and saved.diagnosis["importance"]
    # The list shows it under its client.
    assert at.selectbox(key="history_client").value == "Acme BV"
    table = at.dataframe[0].value
    assert list(table[t("history.col.title", "en")]) == ["Workshop 1"]

    at.text_input(key="history_rename_text").input("Workshop 1 (March)")
    at.button(key="history_rename").click().run()
    _clean(at)
    assert _store(db).get(summary.id).title == "Workshop 1 (March)"
    assert list(at.dataframe[0].value[t("history.col.title", "en")]) == ["Workshop 1 (March)"]
    assert t("history.rename.done", "en", title="Workshop 1 (March)") in [s.value for s in at.success]


def test_saving_needs_a_client_name(db):
    at = run_app("en-GB", page=PAGE)
    _save(at, "", "No client")
    assert t("history.save.no_client", "en") in [e.value for e in at.error]
    assert not db.exists()


@pytest.mark.slow  # ends on the Report page, which renders its charts
def test_open_restores_the_plan_and_checks_the_loaded_files(db):
    at = _with_plan(run_app("en-GB", page=PAGE))
    expected_plan = at.session_state["plan.actions"]
    _save(at, "Acme BV", "Workshop 1")
    # The user moves on: another plan, other assumptions.
    at.session_state["plan.selected"] = []
    at.session_state["plan.actions"] = plan_from_strategies([], "en")
    at.session_state["plan.business_type"] = None
    at.session_state["plan.assumptions"] = {}
    at.run()
    at.button(key="history_open").click().run()
    _clean(at)
    assert at.session_state["plan.selected"] == STRATEGIES
    assert at.session_state["plan.business_type"] == "b2b"
    assert at.session_state["plan.assumptions"] == {"margin": 0.4, "horizon_months": 24}
    restored = at.session_state["plan.actions"]
    pd.testing.assert_frame_equal(restored, expected_plan.reset_index(drop=True), check_dtype=True)
    # No data stored: the same sample is still loaded, so every file's fingerprint matches.
    successes = [s.value for s in at.success]
    assert t("history.open.done", "en", title="Workshop 1") in successes
    for kind in ("transactions", "survey", "customers"):
        assert t("history.open.check.match", "en", kind=t(f"kind.{kind}", "en")) in successes
    # A different file is told apart.
    at.session_state["datasets"].pop("survey")
    at.session_state["files"].pop("survey")
    at.run()
    missing = t("history.open.check.missing", "en", kind=t("kind.survey", "en"))
    assert missing in [c.value for c in at.caption]
    kinds = ", ".join(t(f"kind.{k}", "en") for k in _store(db).get(1).fingerprints)
    assert t("history.open.load_again", "en", kinds=kinds) in [i.value for i in at.info]
    # The Plan page now shows the restored plan.
    at.switch_page("pages/plan.py").run()
    _clean(at)
    assert at.checkbox(key="plan_pick_crm").value is True
    assert len(at.session_state["plan.actions"]) == len(expected_plan)
    # And the Report covers the restored strategies.
    at.switch_page("pages/report.py").run()
    _clean(at)
    names = ", ".join(get_strategy(s).title("en") for s in STRATEGIES)
    assert t("report.page.strategies_from_plan", "en", names=names) in [c.value for c in at.caption]


def test_open_with_stored_data_loads_it_back_pseudonymised(db):
    at = _with_plan(run_app("en-GB", page=PAGE))
    rows = {k: len(r.frame) for k, r in at.session_state["datasets"].items()}
    ids = set(at.session_state["datasets"]["transactions"].frame["customer_id"])
    _save(at, "Acme BV", "With data", raw=True)
    assert _store(db).list()[0].has_raw
    at.session_state["datasets"].clear()
    at.session_state["files"].clear()
    at.run()
    at.button(key="history_open").click().run()
    _clean(at)
    loaded = at.session_state["datasets"]
    assert {k: len(r.frame) for k, r in loaded.items()} == rows
    restored_ids = set(loaded["transactions"].frame["customer_id"])
    assert len(restored_ids) == len(ids) and not restored_ids & ids  # same customers, no real id left
    kinds = ", ".join(t(f"kind.{k}", "en") for k in sorted(rows))
    assert t("history.open.raw_loaded", "en", kinds=kinds) in [i.value for i in at.info]


def _kpi_row(at, kpi_name: str) -> dict:
    for frame in at.dataframe:
        table = frame.value
        column = t("history.compare.kpi", "en")
        if column in table.columns:
            return table.set_index(column).loc[kpi_name].to_dict()
    raise AssertionError("no KPI table on the page")


def test_compare_two_assessments_shows_the_deltas_and_the_nps_test(db):
    at = _with_plan(run_app("en-GB", page=PAGE))
    _save(at, "Acme BV", "Before")
    _load_sample(at, "nl_webshop")
    _save(at, "Acme BV", "After")
    store = _store(db)
    ids = {s.title: s.id for s in store.list()}
    before, after = store.get(ids["Before"]), store.get(ids["After"])
    nps_old, nps_new = kpi_value(before.kpis, "nps"), kpi_value(after.kpis, "nps")
    assert nps_old is not None and nps_new is not None and nps_old != nps_new
    row = _kpi_row(at, t("strategies.kpi.nps", "en"))
    # Hand check: the change column is later minus earlier, one decimal, signed.
    delta = nps_new - nps_old
    signed = ("+" if delta > 0 else "") + format_number(delta, "en", 1)
    assert row[t("history.compare.change", "en")] == signed
    assert (row["Before"], row["After"]) == (format_number(nps_old, "en", 1), format_number(nps_new, "en", 1))
    test = compare(before, after)["nps_test"]
    key = "history.compare.nps_significant" if test["significant"] else "history.compare.nps_not_significant"
    sentence = t(
        key,
        "en",
        delta=("+" if test["delta"] > 0 else "") + format_number(test["delta"], "en", 1),
        z=format_number(test["z"], "en", 2),
        p="< 0.001" if test["p"] < 0.001 else "= " + format_number(test["p"], "en", 3),
    )
    assert sentence in [m.value for m in at.markdown]
    assert len(at.get("vega_lite_chart")) >= 2 + 1  # drivers side by side, and the KPI trend
    # Progress: the later plan has every action to do; mark the first one done.
    key = f"history_status_cmp_{ids['After']}_0"
    at.selectbox(key=key).set_value("done").run()
    _clean(at)
    assert _store(db).get(ids["After"]).actions[0].status == "done"
    progress = next(f.value for f in at.dataframe if t("history.compare.status", "en") in f.value.columns)
    done = progress.set_index(t("history.compare.status", "en")).loc[t("history.status.done", "en")]
    assert (done["Before"], done["After"]) == (0, 1)
    # The same action's box under the Assessments tab follows the database.
    at.selectbox(key="history_pick").set_value(ids["After"]).run()
    assert at.selectbox(key=f"history_status_list_{ids['After']}_0").value == "done"
    # Saving the plan again (it is the one just saved, so the open one) keeps that progress.
    _save(at, "Acme BV", "After, again")
    again = next(s for s in _store(db).list() if s.title == "After, again")
    assert [a.status for a in _store(db).get(again.id).actions][:2] == ["done", "todo"]


def test_delete_asks_for_confirmation_first(db):
    at = _with_plan(run_app("en-GB", page=PAGE))
    _save(at, "Acme BV", "Keep me")
    _save(at, "Acme BV", "Delete me")
    at.selectbox(key="history_pick").set_value(_store(db).list()[0].id).run()  # newest first
    at.button(key="history_delete").click().run()
    _clean(at)
    assert t("history.delete.confirm_text", "en", title="Delete me") in [w.value for w in at.warning]
    assert len(_store(db).list()) == 2  # nothing deleted yet
    at.button(key="history_delete_cancel").click().run()
    assert len(_store(db).list()) == 2 and not at.warning
    at.button(key="history_delete").click().run()
    at.button(key="history_delete_confirm").click().run()
    _clean(at)
    assert [s.title for s in _store(db).list()] == ["Keep me"]
    assert t("history.delete.done", "en", title="Delete me") in [s.value for s in at.success]


@pytest.mark.parametrize(
    ("locale", "lang", "payload"),
    [("nl-NL", "nl", b"{this is not json"), ("pl-PL", "pl", b'{"format": "something else"}')],
)
def test_a_bad_import_file_gives_a_translated_message(db, locale, lang, payload):
    at = run_app(locale, page=PAGE)
    at.file_uploader(key="history_import_file").set_value(("backup.json", payload, "application/json"))
    at.button(key="history_import").click().run()
    _clean(at)
    with pytest.raises(StoreError) as err:
        Store(sqlite_url(db.parent / "other.sqlite")).import_json(payload.decode())
    expected = t("history.import.failed", lang, file="backup.json", reason=err.value.message(lang))
    assert expected in [e.value for e in at.error]
    assert raw_keys(at) == []


def test_export_then_import_adds_the_same_assessment(db):
    at = _with_plan(run_app("en-GB", page=PAGE))
    _save(at, "Acme BV", "Workshop 1")
    document = _store(db).export_json()
    at.file_uploader(key="history_import_file").set_value(
        ("backup.json", document.encode(), "application/json")
    )
    at.button(key="history_import").click().run()
    _clean(at)
    assert t("history.import.done", "en", n=1) in [s.value for s in at.success]
    first, second = sorted(_store(db).list(), key=lambda s: s.id)
    a, b = _store(db).get(first.id), _store(db).get(second.id)
    assert (a.title, a.kpis, a.strategies) == (b.title, b.kpis, b.strategies)
    assert len(at.get("download_button")) == 1


def test_a_corrupt_database_is_reported_and_left_untouched(db):
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database" * 100)
    before = db.read_bytes()
    at = run_app("en-GB", page=PAGE)
    with pytest.raises(StoreError) as err:
        Store(sqlite_url(db))
    assert err.value.message("en") in [e.value for e in at.error]
    assert db.read_bytes() == before
    _save(at, "Acme BV", "Workshop 1")
    assert any(e.value.startswith(t("history.save.failed", "en", reason="")) for e in at.error)
    assert db.read_bytes() == before


@pytest.mark.slow  # each language loads its own sample
@pytest.mark.parametrize(("locale", "lang"), [("en-GB", "en"), ("nl-NL", "nl"), ("pl-PL", "pl")])
def test_no_raw_keys_in_any_language(db, locale, lang):
    at = _with_plan(run_app(locale, page=PAGE), lang)
    _save(at, "Klient", "A")
    _save(at, "Klient", "B")
    at.button(key="history_open").click().run()
    at.button(key="history_delete").click().run()
    _clean(at)
    assert len(at.get("vega_lite_chart")) >= 1
    assert raw_keys(at) == []


def test_without_data_the_plan_alone_is_saved(db, monkeypatch):
    monkeypatch.setenv("LOYALTY_SAMPLE", "none")
    at = run_app("en-GB", page=PAGE)
    assert t("history.save.nothing", "en") in [i.value for i in at.info]
    _with_plan(at).run()
    _save(at, "Acme BV", "Plan only", raw=True)
    (summary,) = _store(db).list()
    saved = _store(db).get(summary.id)
    assert (saved.kpis, saved.diagnosis, saved.fingerprints, saved.strategies) == ({}, {}, {}, STRATEGIES)
    at.button(key="history_open").click().run()
    _clean(at)
    assert t("history.open.no_files", "en") in [i.value for i in at.info]
    assert raw_keys(at) == []
