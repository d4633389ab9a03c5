"""``python -m loyalty inspect --json`` lists what the user should know: warnings with a stable code."""

from __future__ import annotations

from loyalty.i18n import t
from loyalty.ingest import load_file

#: Day/month order undecidable from the data (no day above 12), and an e-mail column to drop.
AMBIGUOUS = (
    "customer_id,date,amount,email\n"
    "1,01/02/2024,5,ann@example.com\n"
    "2,03/04/2024,6,bob@example.com\n"
    "2,05/06/2024,7,bob@example.com\n"
)
SURVEY = "respondent,nps,trust\nr1,9,4\nr2,3,2\nr3,10,5\nr4,7,1\n"


def _codes(out: dict) -> dict[str, str]:
    return {w["code"]: w["message"] for w in out["warnings"]}


def test_inspect_json_lists_ambiguous_dates_and_dropped_personal_columns(run_cli, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(AMBIGUOUS, encoding="utf-8")
    run = run_cli("inspect", str(path), "--json")
    assert run.code == 0, run.err
    warnings = _codes(run.out)
    assert run.out["dropped_columns"] == ["email"]
    # Translated English text, with the catalog's own wording and the file's names in it.
    expected = t("ingest.warning.ambiguous_dates", "en", column="date", format="dd/mm/yyyy")
    assert warnings["ambiguous_dates"] == expected
    assert warnings["personal_dropped"] == t("ingest.warning.personal_dropped", "en", columns="email")
    assert all("{" not in m for m in warnings.values())


def test_inspect_json_names_the_detected_scales(run_cli, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY, encoding="utf-8")
    run = run_cli("inspect", str(path), "--json")
    assert run.code == 0, run.err
    assert run.out["scales"] == {"recommend": [0, 10], "trust": [1, 5]}
    message = _codes(run.out)["scales_detected"]
    assert "recommend 0-10" in message and "trust 1-5" in message


def test_a_clean_file_has_an_empty_warning_list_and_codes_stay_when_the_language_changes():
    clean = load_file(b"customer_id,date,amount\n1,2024-01-05,10\n2,2024-02-01,12\n", "ok.csv")
    assert clean.summary()["warnings"] == []
    result = load_file(AMBIGUOUS.encode(), "orders.csv")
    english, dutch = result.warning_list("en"), result.warning_list("nl")
    assert [w["code"] for w in english] == [w["code"] for w in dutch]
    assert [w["message"] for w in dutch] == [
        t(f"ingest.warning.{w['code']}", "nl", **p) for w, (_, p) in zip(english, result.notes(), strict=True)
    ]
