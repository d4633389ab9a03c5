"""The playbook file validates, holds every strategy the articles name, and is really translated."""

from __future__ import annotations

import copy
import json
import re
from importlib import resources

import pytest

from loyalty.errors import InputError
from loyalty.i18n import LANGS, catalog, t
from loyalty.schema import DRIVERS
from loyalty.strategies import KPIS, CatalogError, get_strategy, load_catalog, strategies, validate_catalog
from loyalty.strategies.catalog import parse_catalog

PROVEN = {
    "personalise",
    "reward_programme",
    "stay_in_touch",
    "train_teams",
    "brand_community",
    "act_on_feedback",
}
ECOMMERCE = {
    "loyalty_cards",
    "exclusive_offers",
    "complaint_management",
    "content_marketing",
    "social_media",
    "email_segmentation",
    "shop_usability",
    "trust_marks",
    "product_information",
    "multichannel_service",
    "crm",
    "reactivation_analytics",
}
POLISH_LETTERS = re.compile("[ąćęłńóśźż]", re.IGNORECASE)


def raw_catalog() -> dict:
    return json.loads((resources.files("loyalty") / "data" / "strategies.json").read_text(encoding="utf-8"))


def test_the_shipped_catalog_validates_and_holds_every_strategy_of_the_articles():
    assert validate_catalog(raw_catalog()) == []
    by_group = {g: {s.id for s in strategies() if s.group == g} for g in ("proven", "ecommerce")}
    assert by_group == {"proven": PROVEN, "ecommerce": ECOMMERCE}


def test_every_strategy_is_complete_in_three_languages():
    for s in strategies():
        for lang in LANGS:
            assert s.title(lang) and s.short_name(lang) and s.describe(lang), (s.id, lang)
            assert 3 <= len(s.first_actions(lang)) <= 5
        # Real translations: the languages differ, and the Polish text carries Polish letters.
        assert len({s.describe(lang) for lang in LANGS}) == 3, s.id
        polish = " ".join([s.describe("pl"), *s.first_actions("pl")])
        assert POLISH_LETTERS.search(polish), s.id


def test_descriptions_are_two_sentences():
    for s in strategies():
        for lang in LANGS:
            assert len(re.split(r"(?<=[.!?])\s+", s.describe(lang).strip())) == 2, (s.id, lang)


def test_weights_fit_and_enums_are_in_range():
    for s in strategies():
        assert s.drivers and set(s.drivers) <= set(DRIVERS)
        assert s.kpis and set(s.kpis) <= set(KPIS)
        assert all(0 < w <= 1 for w in [*s.drivers.values(), *s.kpis.values()])
        assert set(s.fit) == {"b2b", "b2c"} and all(0 <= f <= 1 for f in s.fit.values())
        assert s.monitor.kpi in KPIS and s.monitor.change > 0 and s.monitor.months > 0
        assert set(s.sources) <= {"000", "001", "002", "003", "004"} and s.sources


def test_every_driver_and_kpi_has_strategies_built_for_it():
    for driver in DRIVERS:
        assert any(driver in s.main_drivers for s in strategies()), driver
    for kpi in KPIS:
        assert any(s.kpis.get(kpi, 0) >= 0.8 for s in strategies()), kpi


def test_fit_follows_the_b2b_b2c_contrast_of_article_004():
    # B2C loyalty rests on loyalty programmes and emotional bonds; B2B on service and relationship quality.
    for sid in ("loyalty_cards", "reward_programme", "exclusive_offers", "brand_community", "social_media"):
        assert get_strategy(sid).fit["b2c"] > get_strategy(sid).fit["b2b"], sid
    for sid in ("train_teams", "crm", "stay_in_touch", "content_marketing"):
        assert get_strategy(sid).fit["b2b"] > get_strategy(sid).fit["b2c"], sid


def test_every_enum_label_is_in_the_i18n_catalog():
    for s in strategies():
        for lang in LANGS:
            labels = s.labels(lang)
            assert all(v and not v.startswith("strategies.") for v in labels.values())
    keys = [f"strategies.kpi.{k}" for k in KPIS] + [f"strategies.driver.{d}" for d in DRIVERS]
    keys += [f"strategies.{kind}.{v}" for kind in ("effort", "cost") for v in ("low", "medium", "high")]
    keys += [f"strategies.time.{v}" for v in ("short", "medium", "long")]
    assert [k for k in keys if k not in catalog()] == []


def test_monitor_targets_apply_in_their_unit_and_render():
    repeat = get_strategy("personalise").monitor
    assert (repeat.kpi, repeat.unit, repeat.change) == ("repeat_purchase_rate", "pp", 5)
    assert repeat.apply(0.30) == pytest.approx(0.35)
    clv = get_strategy("crm").monitor
    assert clv.unit == "percent" and clv.apply(200.0) == pytest.approx(220.0)
    nps = get_strategy("train_teams").monitor
    assert nps.unit == "points" and nps.apply(12.0) == pytest.approx(17.0)
    assert repeat.text("en") == "Repeat purchase rate: +5 percentage points within 6 months"
    assert repeat.text("pl") == "Wskaźnik powtórnych zakupów: +5 pkt proc. w ciągu 6 mies."
    assert clv.text("nl") == "Customer lifetime value (CLV): +10% binnen 12 maanden"


def test_a_broken_catalog_lists_every_problem():
    raw = copy.deepcopy(raw_catalog())
    first = raw["strategies"][0]
    first["drivers"] = {"service": 1.5, "price": 0.3}
    first["description"]["pl"] = ""
    first["actions"] = first["actions"][:2]
    first["effort"] = "tiny"
    raw["strategies"][1]["id"] = first["id"]
    problems = validate_catalog(raw)
    expected = [
        "weight 1.5",
        "unknown name 'price'",
        "missing or empty 'pl'",
        "3 to 5 actions",
        "'tiny'",
        "duplicate",
    ]
    for fragment in expected:
        assert any(fragment in p for p in problems), fragment
    with pytest.raises(CatalogError) as err:
        parse_catalog(raw)
    assert len(err.value.problems) == len(problems)


def test_a_custom_catalog_file_loads(tmp_path):
    raw = raw_catalog()
    raw["strategies"] = raw["strategies"][:2]
    path = tmp_path / "playbook.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert [s.id for s in load_catalog(path)] == ["personalise", "reward_programme"]


def test_an_unknown_strategy_id_is_a_user_error_in_every_language():
    with pytest.raises(InputError) as err:
        get_strategy("personalize")
    assert "personalise" in err.value.message("en")
    assert err.value.message("pl").startswith("Nieznana strategia")
    assert t("strategies.error.unknown_strategy", "nl", strategy="x", allowed="y").startswith("Onbekende")


def test_strategy_cards_are_json_friendly():
    card = get_strategy("complaint_management").to_dict("pl")
    assert json.loads(json.dumps(card, ensure_ascii=False)) == card
    assert card["name"] == "Zarządzanie reklamacjami" and card["labels"]["effort"] == "Niski"
