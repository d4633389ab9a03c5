"""In a real Chromium: pick a strategy, save the assessment, lose the plan, and reopen it from History."""

from __future__ import annotations

import pytest

from loyalty.i18n import t
from loyalty.store import Store
from loyalty.store.location import sqlite_url

from .conftest import _serve

pytestmark = pytest.mark.browser


@pytest.fixture()
def history_app(monkeypatch, tmp_path):
    """An app server whose assessment database is a fresh file of this test (never the user's)."""
    path = tmp_path / "assessments.sqlite"
    monkeypatch.setenv("LOYALTY_DATABASE_URL", sqlite_url(path))
    with _serve() as url:
        yield url, path


def _settled(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0", timeout=30_000
    )


def _go(page, nav_key: str, title_key: str) -> None:
    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_role("link", name=t(nav_key, "en"), exact=True).click()
    page.get_by_role("heading", name=t(title_key, "en")).first.wait_for(timeout=60_000)
    _settled(page)
    assert page.locator("[data-testid='stException']").count() == 0, nav_key


def _first_pick(page):
    return page.locator("[data-testid='stCheckbox']").filter(has_text=t("plan.card.pick", "en")).first


def test_save_an_assessment_and_reopen_it(page, history_app, artifacts):
    url, db = history_app
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(url + "/")
    _settled(page)

    _go(page, "nav.plan", "plan.title")
    _first_pick(page).click()
    _settled(page)
    assert _first_pick(page).locator("input").is_checked()

    _go(page, "nav.history", "history.title")
    assert not db.exists()  # opening the page wrote nothing
    page.get_by_label(t("history.save.client", "en")).fill("Bakkerij Jansen")
    page.get_by_label(t("history.save.title_label", "en")).fill("Workshop March")
    page.get_by_role("button", name=t("history.save.button", "en")).click()
    done = t("history.save.done", "en", title="Workshop March", client="Bakkerij Jansen")
    page.get_by_text(done).wait_for(timeout=60_000)
    _settled(page)
    page.screenshot(path=str(artifacts / "21_history_saved.png"), full_page=True)
    store = Store(sqlite_url(db))
    try:
        (saved,) = store.list()
        assert (saved.client, saved.title) == ("Bakkerij Jansen", "Workshop March")
        assert len(store.get(saved.id).strategies) == 1
    finally:
        store.close()

    # The user unpicks the strategy: the plan is empty again.
    _go(page, "nav.plan", "plan.title")
    _first_pick(page).click()
    _settled(page)
    assert not _first_pick(page).locator("input").is_checked()

    _go(page, "nav.history", "history.title")
    # Not get_by_role: the select boxes' "Open" toggles share the name; Streamlit also keeps a hidden copy.
    primary = page.locator("[data-testid='stBaseButton-primary']:visible")
    primary.filter(has_text=t("history.open.button", "en")).click()
    page.get_by_text(t("history.open.done", "en", title="Workshop March")).wait_for(timeout=60_000)
    _settled(page)
    body = page.inner_text("body")
    # The sample is still loaded, so the saved fingerprints match the loaded files.
    assert t("history.open.check.match", "en", kind=t("kind.survey", "en")) in body
    page.screenshot(path=str(artifacts / "22_history_reopened.png"), full_page=True)

    _go(page, "nav.plan", "plan.title")
    assert _first_pick(page).locator("input").is_checked()  # the plan came back
    page.screenshot(path=str(artifacts / "23_plan_restored.png"), full_page=True)
