"""The HTML report: one self-contained file (no external URL), inline SVG charts, the measured KPIs."""

from __future__ import annotations

from html.parser import HTMLParser

from loyalty.i18n import format_number, format_percent, t
from loyalty.report import build_report


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "action")]

    def handle_data(self, data):
        self.text.append(data)


def _parse(data: bytes) -> _Collector:
    parser = _Collector()
    parser.feed(data.decode("utf-8"))
    return parser


def test_html_is_self_contained_with_inline_svg_charts(content_en):
    data = build_report(content_en, "report.html")
    page = _parse(data)
    assert not [u for u in page.urls if u.lower().startswith(("http://", "https://", "//"))]
    assert "script" not in page.tags and "link" not in page.tags and "iframe" not in page.tags
    assert "@import" not in data.decode("utf-8")
    # nps, retention, cohort, importance, ipa and the plan timeline
    assert page.tags.count("svg") == len(content_en.charts) + 1 == 6


def test_html_shows_the_measured_kpis_and_every_section(content_en):
    text = " ".join(_parse(build_report(content_en, "html")).text)
    m = content_en.measure
    assert format_percent(m["retention_rate"]["value_both_periods"], "en", 1) in text
    assert format_percent(m["repeat_purchase_rate"]["value"], "en", 1) in text
    assert format_number(m["nps"]["value"], "en", 1) in text
    assert format_number(m["clv"]["historical_mean"], "en", 2) in text
    for section in ("data", "kpis", "drivers", "strategies", "plan", "impact", "methods"):
        assert t(f"report.section.{section}", "en") in text
    for explanation in content_en.strategies["explanation"]:
        assert explanation in text
    assert t("kpi.nps.trademark", "en") in text


def test_html_escapes_user_text(malicious_content):
    html = build_report(malicious_content, "html").decode("utf-8")
    assert '<a href="http://evil' not in html
    assert "=HYPERLINK(&quot;http://evil.example/x&quot;" in html


def test_polish_html_keeps_diacritics(content_pl):
    text = build_report(content_pl, "html").decode("utf-8")
    assert t("report.section.kpis", "pl") in text and "ł" in text and '<html lang="pl">' in text
