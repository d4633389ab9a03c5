"""Drive the real app with AppTest: every page, every language, every sample, uploads."""

from __future__ import annotations

import pytest

from loyalty.datasets import samples
from loyalty.i18n import LANGS, t

from ..conftest import ROOT
from .helpers import raw_keys, run_app

DUTCH_EXPORT = (
    "\ufeffOrdernummer;Klantnummer;Besteldatum;Totaalbedrag;E-mail\n"
    "A-1;1001;03-01-2024;€ 1.234,56;a@example.nl\n"
    "A-2;1001;15-02-2024;12,50;a@example.nl\n"
    "A-3;1002;31-01-2024;-5,00;b@example.nl\n"
    "A-4;1003;niet bekend;20,00;c@example.nl\n"
    "A-2;1001;15-02-2024;12,50;a@example.nl\n"
).encode("utf-8")


@pytest.mark.parametrize("locale, lang", [("en-US", "en"), ("nl-NL", "nl"), ("pl-PL", "pl")])
def test_home_opens_in_the_browser_language_with_a_sample_loaded(locale, lang):
    at = run_app(locale)
    assert at.title[0].value == t("home.title", lang)
    assert at.session_state["lang"] == lang
    assert {"transactions", "survey", "customers"} <= set(at.session_state["datasets"])
    assert at.get("vega_lite_chart"), "the trust diagram is drawn"
    sidebar = " ".join(e.value for e in at.sidebar.markdown)
    assert t("kind.transactions", lang) in sidebar
    assert raw_keys(at) == []


@pytest.mark.parametrize("lang", LANGS)
def test_data_page_shows_format_mapping_and_validation_without_raw_keys(lang):
    at = run_app({"en": "en-GB", "nl": "nl-BE", "pl": "pl-PL"}[lang], page="pages/data.py")
    assert at.title[0].value == t("data.title", lang)
    labels = [m.label for m in at.metric]
    assert t("data.rows.read", lang) in labels and t("data.format.delimiter", lang) in labels
    assert raw_keys(at) == []


@pytest.mark.parametrize("name", list(samples()))
def test_every_sample_loads_through_the_data_page(name):
    at = run_app("en-US", sample=name)
    loaded = at.session_state["datasets"]
    assert set(loaded) == set(samples()[name].files)
    for result in loaded.values():
        assert result.rows_used > 0
        assert result.rows_used + sum(result.by_reason.values()) >= result.rows_read - result.by_reason.get(
            "order_line", 0
        )
    read = [m.value for m in at.metric if m.label == t("data.rows.read", "en")]
    assert read[0] == f"{loaded['transactions'].rows_read:,}"
    assert at.session_state["source"] == {"sample": name}


def test_cdnow_sample_has_the_published_size():
    at = run_app("en-US", sample="cdnow")
    tx = at.session_state["datasets"]["transactions"]
    summary = tx.summary()
    assert summary["customers"] == 2357 and summary["rows"]["read"] == 6919
    assert summary["first_date"] == "1997-01-01" and summary["last_date"] == "1998-06-30"


def test_uploading_a_dutch_export_maps_parses_and_reports_rejections():
    at = run_app("nl-NL", page="pages/data.py")
    at.file_uploader(key="upload_transactions").set_value(
        ("bestellingen.csv", DUTCH_EXPORT, "text/csv")
    ).run()
    assert not at.exception
    result = at.session_state["datasets"]["transactions"]
    assert result.mapping["customer_id"] == "Klantnummer"
    assert result.mapping["date"] == "Besteldatum" and result.mapping["amount"] == "Totaalbedrag"
    assert result.mapping["order_id"] == "Ordernummer"
    assert result.format.delimiter == ";" and result.format.decimal == ","
    assert result.by_reason.get("unparseable_date") == 1 and result.by_reason.get("duplicate_row") == 1
    assert result.rows_used == 3
    assert sorted(result.frame["amount"].round(2)) == [-5.0, 12.5, 1234.56]
    assert "E-mail" in result.dropped_columns
    assert at.session_state["source"] == {"upload": True}
    reasons = at.table[0].value
    assert reasons.loc[t("reason.unparseable_date", "nl")].iloc[0] == 1
    assert reasons.loc[t("reason.duplicate_row", "nl")].iloc[0] == 1
    assert any(b.label == t("data.rows.download_rejected", "nl") for b in at.get("download_button"))
    assert raw_keys(at) == []


def test_an_upload_over_a_sample_unloads_the_samples_other_files_and_says_so():
    at = run_app("nl-NL", page="pages/data.py")  # the Dutch sample: transactions, survey, customers
    assert set(at.session_state["datasets"]) == {"transactions", "survey", "customers"}
    at.file_uploader(key="upload_transactions").set_value(
        ("bestellingen.csv", DUTCH_EXPORT, "text/csv")
    ).run()
    assert not at.exception
    # The sample's survey is about other customers: keeping it would mix two businesses.
    assert set(at.session_state["datasets"]) == {"transactions"}
    notices = [i.value for i in at.info]
    assert any(t("kind.survey", "nl") in n and t("kind.customers", "nl") in n for n in notices), notices
    # A second upload, now over the user's own data, keeps the first one.
    survey = b"Klantnummer;Datum;Aanbevelen (0-10)\n1001;05-03-2024;9\n1002;06-03-2024;4\n"
    at.file_uploader(key="upload_survey").set_value(("enquete.csv", survey, "text/csv")).run()
    assert set(at.session_state["datasets"]) == {"transactions", "survey"}


def test_a_broken_upload_gets_one_clear_message_and_keeps_the_previous_data():
    at = run_app("en-US", page="pages/data.py")
    before = at.session_state["datasets"]["transactions"].file_name
    at.file_uploader(key="upload_transactions").set_value(
        ("orders.xlsx", b"PK\x03\x04 not really", "x")
    ).run()
    assert not at.exception
    assert at.error and "orders.xlsx" in at.error[0].value
    assert at.session_state["datasets"]["transactions"].file_name == before


def test_editing_the_mapping_reloads_the_file_with_the_new_column():
    at = run_app("en-US", page="pages/data.py")
    at.file_uploader(key="upload_transactions").set_value(
        ("bestellingen.csv", DUTCH_EXPORT, "text/csv")
    ).run()
    # data_editor.set_value is not supported by AppTest: inject the edit state.
    # Row 0 is customer_id: identify customers by e-mail instead of number.
    at.session_state["mapping_transactions"] = {
        "edited_rows": {0: {"column": "E-mail"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="apply_mapping_transactions").click().run()
    assert not at.exception
    result = at.session_state["datasets"]["transactions"]
    assert result.mapping["customer_id"] == "E-mail"
    # The e-mail is needed as the identifier, so it is kept only as a pseudonym.
    assert "E-mail" in result.pseudonymised
    assert not result.frame["customer_id"].str.contains("@").any()
    assert result.frame["customer_id"].nunique() == 2


def test_switching_pages_keeps_the_loaded_data():
    at = run_app("en-US", sample="pl_retail")
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/data.py").run()
    assert at.session_state["source"] == {"sample": "pl_retail"}
    assert at.session_state["datasets"]["survey"].rows_used > 0


def test_changing_the_language_translates_every_page():
    at = run_app("en-US")
    at.selectbox(key="lang_picker").set_value("pl").run()
    assert at.title[0].value == t("home.title", "pl")
    # AppTest's switch_page runs the page script alone, so the picker's value must live in session state.
    at.switch_page("pages/data.py").run()
    assert at.title[0].value == t("data.title", "pl")
    assert raw_keys(at) == []


def test_every_page_url_is_its_script_name_so_a_first_deep_link_finds_it():
    """A bookmarked /survey_kit right after a server start is served by Streamlit's legacy
    multipage mode, which only knows script names; a url_path like "survey-kit" gave
    "Page not found" there (see loyalty/ui/router.py)."""
    import ast
    from pathlib import PurePosixPath

    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page"
    ]
    assert len(pages) >= 10
    for call in pages:
        script = call.args[0].value
        url = next(k.value.value for k in call.keywords if k.arg == "url_path")
        assert url == PurePosixPath(script).stem, (script, url)


def test_no_page_ends_with_st_stop_which_would_also_stop_the_sidebar():
    """app.py draws the sidebar's "Loaded data" after the page; st.stop() in a page ended the
    whole script run, so pages that stop early (no survey yet) lost it. AppTest runs a page
    without app.py, so this is checked on the source."""
    import re

    for script in sorted((ROOT / "pages").glob("*.py")):
        code = "\n".join(line.split("#")[0] for line in script.read_text(encoding="utf-8").splitlines())
        assert not re.search(r"\bst\.stop\(\)", code), script.name
