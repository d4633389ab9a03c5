"""The History page in AppTest: save, list, rename, open, compare, delete, import; against a tmp SQLite file.

``LOYALTY_DATABASE_URL`` points every test at its own file under ``tmp_path``, so no test
ever reads or writes the user's real database.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from loyalty.i18n import format_number, t
from loyalty.plan import plan_from_strategies
from loyalty.store import Assessment, Store, StoreError
from loyalty.store.compare import TREND_KPIS, compare, kpi_value
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


@pytest.mark.slow  # visits the Report page twice, which builds the report content
def test_report_names_the_opened_assessment_and_warns_when_other_data_is_loaded(db):
    at = _with_plan(run_app("en-GB", page=PAGE))  # the en_b2b sample is loaded
    _save(at, "Acme BV", "Workshop March")
    saved_kinds = list(_store(db).get(1).fingerprints)
    _load_sample(at, "nl_webshop")
    at.button(key="history_open").click().run()
    _clean(at)
    at.switch_page("pages/report.py").run()
    _clean(at)
    named = t("report.page.opened", "en", client="Acme BV", title="Workshop March")
    assert named in [i.value for i in at.info]
    # Another sample is loaded: every file of the assessment differs, and the page says so.
    kinds = ", ".join(t(f"kind.{k}", "en") for k in saved_kinds)
    warning = t("report.page.opened_other_data", "en", title="Workshop March", kinds=kinds)
    assert [w.value for w in at.warning] == [warning]
    # The assessment's own files again: the name stays, the warning goes.
    _load_sample(at, "en_b2b")
    at.switch_page("pages/report.py").run()
    _clean(at)
    assert named in [i.value for i in at.info] and not at.warning
    assert raw_keys(at) == []


@pytest.mark.slow  # ends on the Report page, which builds the report content
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
    # The restored tables are the assessment's own data: the Report names it and does not warn.
    at.switch_page("pages/report.py").run()
    _clean(at)
    assert t("report.page.opened", "en", client="Acme BV", title="With data") in [i.value for i in at.info]
    assert not at.warning


def _kpi_row(at, kpi_name: str) -> dict:
    for frame in at.dataframe:
        table = frame.value
        column = t("history.compare.kpi", "en")
        if column in table.columns:
            return table.set_index(column).loc[kpi_name].to_dict()
    raise AssertionError("no KPI table on the page")


def _status_box(at, place: str, assessment_id: int, index: int):
    """The status box of one action, whatever revision its key carries now."""
    prefix = f"history_status_{place}_{assessment_id}_{index}_r"
    (box,) = [b for b in at.selectbox if str(b.key).startswith(prefix)]
    return box


class _Browser:
    """Send widget values the way the browser does: a box keeps the value it showed under its key.

    The browser's box is the same widget as long as its key is the same; it does not
    take a new default from the server, and it sends its value back on every run.
    AppTest would read the server's value instead, which hides stale boxes.
    """

    def __init__(self, at):
        self.at, self.shown = at, {}
        self._remember()

    def _remember(self) -> None:
        for box in self.at.selectbox:
            if str(box.key).startswith("history_status_"):
                self.shown.setdefault(box.key, box.value)

    def choose(self, place: str, assessment_id: int, index: int, value: str) -> None:
        target = _status_box(self.at, place, assessment_id, index)
        for box in self.at.selectbox:
            if box.key in self.shown and box.key != target.key:
                box.set_value(self.shown[box.key])
        target.set_value(value)
        self.shown[target.key] = value
        self.at.run()
        _clean(self.at)
        self._remember()


def test_status_changes_in_a_row_all_reach_the_database(db):
    """Two boxes changed one after the other (in both places) keep both changes and raise nothing.

    The boxes used to delete each other's values in the change handler; the browser sent
    the old values back, so the second change crashed with a KeyError and undid the first.
    """
    at = _with_plan(run_app("en-GB", page=PAGE))
    _save(at, "Acme BV", "Before")
    _save(at, "Acme BV", "After")
    after = next(s.id for s in _store(db).list() if s.title == "After")
    at.selectbox(key="history_pick").set_value(after).run()
    browser = _Browser(at)
    browser.choose("cmp", after, 0, "doing")
    browser.choose("cmp", after, 1, "done")
    browser.choose("list", after, 2, "doing")
    browser.choose("cmp", after, 0, "done")
    statuses = [a.status for a in _store(db).get(after).actions]
    assert statuses[:4] == ["done", "done", "doing", "todo"] and set(statuses[4:]) <= {"todo"}
    # Every box shows the database's value, in both places.
    for place in ("cmp", "list"):
        assert [_status_box(at, place, after, i).value for i in range(3)] == ["done", "done", "doing"]
    progress = next(f.value for f in at.dataframe if t("history.compare.status", "en") in f.value.columns)
    counts = progress.set_index(t("history.compare.status", "en"))["After"]
    assert counts[t("history.status.done", "en")] == 2 and counts[t("history.status.doing", "en")] == 1


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
    # Hand check: the change column is later minus earlier, one decimal, signed with a true minus.
    delta = nps_new - nps_old
    signed = ("+" if delta > 0 else "\u2212") + format_number(abs(delta), "en", 1)
    assert row[t("history.compare.change", "en")] == t("history.compare.points", "en", value=signed)
    plain = [format_number(v, "en", 1).replace("-", "\u2212") for v in (nps_old, nps_new)]
    assert [row["Before"], row["After"]] == plain
    # The sentence repeats the table's change; the caption names the adjusted one the test uses.
    test = compare(before, after)["nps_test"]
    key = "history.compare.nps_significant" if test["significant"] else "history.compare.nps_not_significant"
    sentence = t(
        key,
        "en",
        delta=signed,
        z=format_number(test["z"], "en", 2).replace("-", "\u2212"),
        p="< 0.001" if test["p"] < 0.001 else "= " + format_number(test["p"], "en", 3),
    )
    assert sentence in [m.value for m in at.markdown]
    adjusted = ("+" if test["delta"] > 0 else "\u2212") + format_number(abs(test["delta"]), "en", 1)
    assert t("history.compare.nps_method", "en", adjusted=adjusted) in [c.value for c in at.caption]
    # Customer feedback reads out of 100; a KPI of only one assessment shows – and a note.
    feedback = {k: kpi_value(a.kpis, "feedback") for k, a in (("Before", before), ("After", after))}
    row = _kpi_row(at, t("strategies.kpi.feedback", "en"))
    for name, value in feedback.items():
        expected = (
            "–"
            if value is None
            else t("history.compare.out_of_100", "en", value=format_number(value, "en", 1))
        )
        assert row[name] == expected
    some_missing = any(
        (kpi_value(before.kpis, k) is None) != (kpi_value(after.kpis, k) is None) for k in TREND_KPIS
    )
    assert some_missing == (t("history.compare.not_measured", "en") in [c.value for c in at.caption])
    assert len(at.get("vega_lite_chart")) >= 2 + 1  # drivers side by side, and the KPI trend
    # Progress: the later plan has every action to do; mark the first one done.
    _status_box(at, "cmp", ids["After"], 0).set_value("done").run()
    _clean(at)
    assert _store(db).get(ids["After"]).actions[0].status == "done"
    progress = next(f.value for f in at.dataframe if t("history.compare.status", "en") in f.value.columns)
    done = progress.set_index(t("history.compare.status", "en")).loc[t("history.status.done", "en")]
    assert (done["Before"], done["After"]) == (0, 1)
    # The same action's box under the Assessments tab follows the database.
    at.selectbox(key="history_pick").set_value(ids["After"]).run()
    assert _status_box(at, "list", ids["After"], 0).value == "done"
    # Saving the plan again (it is the one just saved, so the open one) keeps that progress.
    _save(at, "Acme BV", "After, again")
    again = next(s for s in _store(db).list() if s.title == "After, again")
    assert [a.status for a in _store(db).get(again.id).actions][:2] == ["done", "todo"]


def test_a_kpi_of_one_assessment_only_shows_a_gap_with_a_note(db):
    """Hand-made assessments: feedback measured only later, NPS falling by 12.5 points."""
    store = _store(db)
    nps = {"promoters": 40, "passives": 30, "detractors": 30}
    later = {"nps": {"value": -2.5, **nps}, "feedback": {"headline": {"score": 61.25}}}
    store.save(
        Assessment(
            client="Acme",
            title="March",
            created=datetime(2026, 3, 1, 9),
            kpis={"nps": {"value": 10.0, **nps}},
        )
    )
    store.save(Assessment(client="Acme", title="March, later", created=datetime(2026, 3, 1, 16), kpis=later))
    store.close()
    at = run_app("en-GB", page=PAGE)
    _clean(at)
    row = _kpi_row(at, t("strategies.kpi.feedback", "en"))
    assert (row["March"], row["March, later"]) == ("–", t("history.compare.out_of_100", "en", value="61.2"))
    assert row[t("history.compare.change", "en")] == "–"
    assert t("history.compare.not_measured", "en") in [c.value for c in at.caption]
    nps_row = _kpi_row(at, t("strategies.kpi.nps", "en"))
    assert (nps_row["March"], nps_row["March, later"]) == ("10.0", "\u22122.5")
    assert nps_row[t("history.compare.change", "en")] == t("history.compare.points", "en", value="\u221212.5")
    assert len(at.get("vega_lite_chart")) >= 1  # two saves on one day: the trend still draws


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
