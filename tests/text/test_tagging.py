"""Theme tagging: inflected forms hit their theme, negation flips tone, other themes stay out.

Every expectation below is the complete set of themes of the comment, so a word that
leaked into a second theme fails the test as surely as a missed theme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.schema import DRIVERS
from loyalty.text import tag_columns, tag_comments, themes

from .conftest import tagged

INFLECTED_DELIVERY = [
    ("pl", "Czekałam na dostawę tydzień, bez informacji o statusie dostawy."),
    ("pl", "Jestem zadowolony z dostawy."),
    ("pl", "Z dostawą nigdy nie było kłopotu."),
    ("pl", "Przesyłki zawsze docierają na czas."),
    ("nl", "Ze bezorgde het pakket netjes."),
    ("nl", "Leveringen zijn altijd op tijd."),
    ("en", "Everything was delivered on time."),
]


@pytest.mark.parametrize(("lang", "text"), INFLECTED_DELIVERY)
def test_inflected_delivery_words_hit_delivery(lang: str, text: str) -> None:
    assert "delivery" in tagged(text, lang)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Polish: case endings, aspect, negation ("nie polecam", "nie jest dobra").
        ("Dostawa była szybka, polecam.", {"delivery": 1}),
        ("Przesyłki często opóźnione, nie polecam.", {"delivery": -1}),
        ("Obsługa nie jest dobra.", {"service": -1}),
        ("Bardzo miła i pomocna obsługa klienta.", {"service": 1}),
        ("Brak odpowiedzi na maila od tygodnia.", {"communication": -1}),
        ("Wyciek danych osobowych, RODO to dla nich pusty dźwięk.", {"data_security": -1}),
        ("Świetne opinie w internecie i zasłużone.", {"reputation": 1}),
        ("Ceny za wysokie.", {"price": -1}),
        ("Produkt zepsuł się po tygodniu.", {"product": -1}),
        # Dutch.
        ("De levering was niet goed.", {"delivery": -1}),
        ("Geen antwoord op mijn vraag.", {"communication": -1}),
        ("De bezorging was te laat.", {"delivery": -1}),
        ("Vriendelijke en behulpzame medewerkers.", {"service": 1}),
        ("Ik maak me zorgen over mijn persoonsgegevens en de AVG.", {"data_security": -1}),
        ("Veel slechte recensies online.", {"reputation": -1}),
        ("Veel te duur.", {"price": -1}),
        # English.
        ("The support was not helpful.", {"service": -1}),
        ("Shipping was fast and the parcel arrived early.", {"delivery": 1}),
        ("They had a data breach, GDPR means nothing to them.", {"data_security": -1}),
        ("Great reviews on Trustpilot.", {"reputation": 1}),
        ("The product is excellent quality.", {"product": 1}),
        ("Never had a problem with shipping.", {"delivery": 1}),
        ("Customer service didn't answer my emails.", {"service": -1, "communication": -1}),
    ],
)
def test_themes_and_tone_of_hand_written_comments(text: str, expected: dict[str, int]) -> None:
    assert tagged(text) == expected


@pytest.mark.parametrize(
    ("plain", "negated", "theme"),
    [
        ("Polecam ten sklep, obsługa super.", "Nie polecam, obsługa super.", None),
        ("Polecam, dostawa sprawna.", "Nie polecam tej dostawy.", "delivery"),
        ("De service was goed.", "De service was niet goed.", "service"),
        ("The staff were helpful.", "The staff were not helpful.", "service"),
        ("Antwoord binnen een uur, prima.", "Geen antwoord, slecht.", "communication"),
    ],
)
def test_negation_flips_the_tone(plain: str, negated: str, theme: str | None) -> None:
    before, after = tagged(plain), tagged(negated)
    if theme is None:
        assert before["service"] == 1  # both sentences praise the service; "nie" flips "polecam" only
        assert after["service"] == 0
    else:
        assert (before[theme], after[theme]) == (1, -1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Nie tylko szybka dostawa, ale też dobre ceny.",
            {"delivery": 1, "price": 1},
        ),  # "nie tylko" is no negation
        ("Bez problemu z dostawą.", {"delivery": 1}),  # "bez" flips the negative "problem"
        ("Bez wątpienia polecam tę obsługę.", {"service": 1}),
        ("Not only cheap but fast delivery too.", {"price": 1, "delivery": 1}),
        ("Nigdy nie polecę tej obsługi.", {"service": -1}),  # negative concord is one negation
        ("Fast delivery but rude staff.", {"delivery": 1, "service": -1}),
        ("Snelle levering en onvriendelijke medewerkers.", {"delivery": 1, "service": -1}),
        ("Niet alleen snelle levering, ook goede prijzen.", {"delivery": 1, "price": 1}),
        ("The parcel never arrived.", {"delivery": -1}),  # a denial without sentiment words
    ],
)
def test_negation_scope_exceptions_and_clauses(text: str, expected: dict[str, int]) -> None:
    assert tagged(text) == expected


def test_a_negator_flips_only_the_next_sentiment_word() -> None:
    # "niet goed en traag": goed is denied, traag is not, so both count against the service.
    assert tagged("De service was niet goed en traag.") == {"service": -1}


def test_comments_without_theme_words_tag_nothing() -> None:
    assert tagged("Dziękuję, wszystko w porządku.") == {}
    assert tagged("Top!") == {}
    assert tagged("I have nothing to add.") == {}


def test_the_frame_is_indexed_like_the_input_and_handles_missing_comments() -> None:
    comments = pd.Series(["Snelle levering", None, "   ", np.nan, "Snelle levering"], index=[10, 3, 7, 7, 1])
    tags = tag_comments(comments, "nl")
    assert list(tags.columns) == tag_columns()
    assert tags.index.tolist() == [10, 3, 7, 7, 1]
    assert tags["delivery"].tolist() == [True, False, False, False, True]
    assert tags["delivery_sentiment"].tolist() == [1, 0, 0, 0, 1]
    assert tags["language"].isna().tolist() == [False, True, True, True, False]
    assert tags[list(themes())].dtypes.eq(bool).all()


def test_the_taxonomy_covers_the_five_trust_drivers_plus_price_delivery_product() -> None:
    assert themes() == (*DRIVERS, "price", "delivery", "product")


def test_an_empty_series_gives_an_empty_frame_with_all_columns() -> None:
    tags = tag_comments(pd.Series([], dtype="str"))
    assert tags.empty
    assert list(tags.columns) == tag_columns()


def test_a_large_batch_gives_the_same_answer_as_one_by_one() -> None:
    texts = ["Dostawa była szybka.", "Geen antwoord.", "Rude staff.", "ok"]
    batch = tag_comments(pd.Series(texts * 500))
    assert len(batch) == 2000
    for i, text in enumerate(texts):
        assert tagged(text) == {
            th: int(batch.iloc[i][f"{th}_sentiment"]) for th in themes() if batch.iloc[i + 4 * 100][th]
        }
