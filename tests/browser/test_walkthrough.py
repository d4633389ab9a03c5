"""A user's walk through the app in a real Chromium: sample, upload, next page."""

from __future__ import annotations

import pytest

from loyalty.i18n import t

pytestmark = pytest.mark.browser

UPLOAD = (
    "Klantnummer;Besteldatum;Totaalbedrag\n"
    "K-1;03-01-2024;12,50\nK-1;15-02-2024;7,25\nK-2;31-01-2024;€ 1.234,56\nK-3;geen datum;3,00\n"
).encode()


def _settled(page) -> None:
    """Wait until the script has finished and no placeholder remains."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0", timeout=30_000
    )


def test_sample_upload_and_page_switch(page, app_url, artifacts):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(app_url + "/")
    _settled(page)
    page.wait_for_selector("[data-testid='stVegaLiteChart']")
    assert t("home.title", "en") in page.inner_text("h1")
    page.screenshot(path=str(artifacts / "01_home.png"), full_page=True)

    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_role("link", name=t("nav.data", "en"), exact=True).click()
    _settled(page)
    page.get_by_role("button", name=t("data.sample.load", "en")).click()
    _settled(page)
    values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert values, "the validation metrics are shown"
    page.screenshot(path=str(artifacts / "02_data_sample.png"), full_page=True)

    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        files=[{"name": "bestellingen.csv", "mimeType": "text/csv", "buffer": UPLOAD}]
    )
    page.get_by_text(t("reason.unparseable_date", "en")).first.wait_for(timeout=30_000)
    _settled(page)
    body = page.inner_text("body")
    assert "bestellingen.csv" in body
    assert t("reason.unparseable_date", "en") in body
    assert page.locator("[data-testid='stDownloadButton']").count() >= 1
    page.screenshot(path=str(artifacts / "03_data_upload.png"), full_page=True)

    nav.get_by_role("link", name=t("nav.home", "en"), exact=True).click()
    _settled(page)
    assert "bestellingen.csv" not in page.inner_text("h1")
    assert t("sidebar.source_upload", "en") in page.inner_text("[data-testid='stSidebar']")
    page.screenshot(path=str(artifacts / "04_next_page.png"), full_page=True)

    nav.get_by_role("link", name=t("nav.measure", "en"), exact=True).click()
    _settled(page)
    assert t("measure.title", "en") in page.inner_text("h1")
    page.wait_for_selector("[data-testid='stMetricValue']")
    page.screenshot(path=str(artifacts / "05_measure.png"), full_page=True)

    nav.get_by_role("link", name=t("nav.diagnose", "en"), exact=True).click()
    _settled(page)
    assert t("diagnose.title", "en") in page.inner_text("h1")
    page.screenshot(path=str(artifacts / "06_diagnose.png"), full_page=True)


def test_a_bookmarked_page_opens_through_the_router(page, fresh_app_url, artifacts):
    # With a pages/ folder, Streamlit serves the first deep link after start in legacy
    # mode (the page script alone). The page must hand it back to app.py.
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(fresh_app_url + "/measure")
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
    _settled(page)
    assert page.locator("[data-testid='stMetricValue']").count() >= 5  # the five KPI cards, sample preloaded
    assert t("measure.title", "en") in page.inner_text("h1")
    nav = page.inner_text("[data-testid='stSidebarNav']")
    assert t("nav.methods", "en") in nav and "methods" not in nav  # app.py's titles, not file names
    assert t("sidebar.data_title", "en") in page.inner_text("[data-testid='stSidebar']")
    page.screenshot(path=str(artifacts / "07_deep_link.png"), full_page=True)


def test_click_through_every_step_to_the_html_report(page, app_url, artifacts):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(app_url + "/")
    _settled(page)
    nav = page.locator("[data-testid='stSidebarNav']")
    steps = [
        ("nav.data", "data.title"),
        ("nav.measure", "measure.title"),
        ("nav.diagnose", "diagnose.title"),
        ("nav.plan", "plan.title"),
        ("nav.report", "report.page.title"),
    ]
    for n, (link, title) in enumerate(steps, start=1):
        nav.get_by_role("link", name=t(link, "en"), exact=True).click()
        page.get_by_role("heading", name=t(title, "en")).first.wait_for(timeout=60_000)
        _settled(page)
        assert page.locator("[data-testid='stException']").count() == 0, link
        page.screenshot(path=str(artifacts / f"1{n}_{link.split('.')[1]}.png"), full_page=True)

    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=t("report.download.html", "en")).click()
    html = artifacts / "report.html"
    download.value.save_as(html)
    text = html.read_text(encoding="utf-8")
    assert text.count("<svg") >= 3  # the charts are inline
    assert 'src="http' not in text and 'href="http' not in text  # it opens offline
