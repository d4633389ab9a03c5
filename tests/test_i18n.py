"""The catalog is complete in every language and every key the code uses exists."""

from __future__ import annotations

import re
import string

from loyalty.datasets import samples
from loyalty.i18n import LANGS, catalog, format_date, format_number, format_percent, missing_translations, t
from loyalty.schema import FIELDS, KINDS, REJECT_REASONS

from .conftest import ROOT

# Literal keys passed to t()/tr() or InputError(...) anywhere in the code.
_KEY_CALL = re.compile(r"""\b(?:tr|t|InputError|LoyaltyError)\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")


def _code_files():
    for folder in ("loyalty", "pages"):
        yield from (ROOT / folder).rglob("*.py")
    yield ROOT / "app.py"


def test_no_language_is_missing_a_text():
    assert missing_translations() == []


def test_every_entry_has_exactly_the_three_languages():
    odd = {key: sorted(texts) for key, texts in catalog().items() if set(texts) != set(LANGS)}
    assert odd == {}


def test_placeholders_are_the_same_in_every_language():
    fmt = string.Formatter()
    for key, texts in catalog().items():
        names = {lang: {f for _, f, _, _ in fmt.parse(text) if f} for lang, text in texts.items()}
        assert names["nl"] == names["en"] == names["pl"], key


def test_every_literal_key_used_in_code_exists():
    used = {
        m.group(1) for path in _code_files() for m in _KEY_CALL.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(used) > 50  # the scan really finds the keys
    assert sorted(used - set(catalog())) == []


def test_dynamic_keys_exist_for_every_field_kind_reason_and_sample():
    keys = [f"kind.{k}" for k in KINDS]
    keys += [f"field.{f.name}" for specs in FIELDS.values() for f in specs]
    keys += [f"reason.{r}" for r in REJECT_REASONS]
    keys += [f"sample.{n}.{part}" for n in samples() for part in ("title", "description")]
    assert [k for k in keys if k not in catalog()] == []


def test_polish_text_keeps_its_diacritics():
    assert t("field.data_security", "pl") == "Bezpieczeństwo danych"
    assert t("field.trust", "nl") == "Vertrouwen"


def test_numbers_dates_and_percentages_follow_the_language():
    assert format_number(1234567.891, "en", 2) == "1,234,567.89"
    assert format_number(1234567.891, "nl", 2) == "1.234.567,89"
    assert format_number(1234567.891, "pl", 2) == "1\u00a0234\u00a0567,89"
    assert format_percent(0.4886, "nl") == "48,9%"
    assert format_percent(0.4886, "pl") == "48,9\u00a0%"
    from datetime import date

    assert format_date(date(1997, 9, 30), "en") == "1997-09-30"
    assert format_date(date(1997, 9, 30), "nl") == "30-09-1997"
    assert format_date(date(1997, 9, 30), "pl") == "30.09.1997"


def test_unknown_language_falls_back_to_english_and_locale_tags_are_understood():
    assert t("field.trust", "de") == "Trust"
    assert t("field.trust", "pl-PL") == "Zaufanie"
