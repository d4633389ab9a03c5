"""RFM scores that survive heavy ties, and sensible segment names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty.errors import InputError
from loyalty.i18n import LANGS, t
from loyalty.kpi.rfm import SEGMENTS, rfm_segments, rfm_table, segment_label

from .conftest import frame

AS_OF = "2024-12-31"


def _days(start: str, count: int, step: int = 3) -> list[str]:
    return [str(np.datetime64(start) + step * i) for i in range(count)]


def _customers() -> pd.DataFrame:
    """Twenty customers; fifteen bought once for 0 (free samples): heavy ties on F and M."""
    rows = []
    rows += [(f"recent{i}", "2024-12-20", 0) for i in range(5)]  # one purchase, 11 days ago
    rows += [(f"mid{i}", "2024-06-01", 0) for i in range(6)]  # one purchase, 213 days ago
    rows += [(f"old{i}", "2024-01-05", 0) for i in range(4)]  # one purchase, 361 days ago
    rows += [("champ", d, 100) for d in _days("2024-12-03", 10)]  # 10 days, last on 30 Dec
    rows += [("loyal", d, 50) for d in _days("2024-10-06", 6, 9)]  # 6 days, last on 20 Nov
    rows += [("sleepy", d, 80) for d in _days("2024-01-20", 8, 4)]  # 8 days, last on 17 Feb
    rows += [("twice_recent", d, 10) for d in ("2024-12-01", "2024-12-15")]
    rows += [("twice_old", d, 10) for d in ("2024-01-02", "2024-01-10")]
    return frame(rows)


def test_split_ties_fill_all_five_bins_equally():
    table = rfm_table(_customers(), as_of=AS_OF)
    assert len(table) == 20
    for score in ("r", "f", "m"):
        assert table[score].value_counts().sort_index().to_dict() == {1: 4, 2: 4, 3: 4, 4: 4, 5: 4}


def test_measures_are_recency_days_purchase_days_and_net_revenue():
    table = rfm_table(_customers(), as_of=AS_OF).set_index("customer_id")
    assert table.loc["champ", ["recency_days", "frequency", "monetary"]].tolist() == [1, 10, 1000.0]
    assert table.loc["old0", ["recency_days", "frequency", "monetary"]].tolist() == [361, 1, 0.0]
    assert table.loc["champ", "rfm"] == "555"


def test_segment_names_are_sensible():
    for ties in ("split", "keep"):
        segments = rfm_table(_customers(), as_of=AS_OF, ties=ties).set_index("customer_id")["segment"]
        assert segments["champ"] == "champions", ties
        assert segments["sleepy"] == "cant_lose", ties  # bought 8 times, silent since February
        assert {segments[f"recent{i}"] for i in range(5)} == {"new"}, ties
        assert {segments[f"mid{i}"] for i in range(6)} == {"hibernating"}, ties
        assert {segments[f"old{i}"] for i in range(4)} == {"lost"}, ties
        # A single purchase never makes anyone loyal, whatever a broken tie says.
        one_timers = [c for c in segments.index if c.startswith(("recent", "mid", "old"))]
        assert set(segments[one_timers]) <= {"new", "hibernating", "lost"}, ties


def test_keep_ties_gives_equal_values_equal_scores_and_may_leave_bins_empty():
    table = rfm_table(_customers(), as_of=AS_OF, ties="keep")
    zero = table[table["monetary"] == 0]
    assert set(zero["m"]) == {1} and set(zero["f"]) == {1}
    # Documented behaviour: 15 of 20 tie at 0, so monetary scores jump from 1 to 4.
    assert set(table["m"]) == {1, 4, 5}


def test_scores_do_not_depend_on_row_order():
    data = _customers()
    shuffled = data.sample(frac=1.0, random_state=11).reset_index(drop=True)
    first = rfm_table(data, as_of=AS_OF).sort_values("customer_id").reset_index(drop=True)
    second = rfm_table(shuffled, as_of=AS_OF).sort_values("customer_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(first, second)


def test_refunds_lower_monetary_but_do_not_make_a_customer():
    data = frame([("a", "2024-01-01", 50), ("a", "2024-01-02", -20), ("b", "2024-01-03", -5)])
    table = rfm_table(data)
    assert table["customer_id"].tolist() == ["a"]
    assert table["monetary"].tolist() == [30.0] and table["frequency"].tolist() == [1]


def test_segment_summary_lists_every_segment_and_adds_up():
    data = _customers()
    summary = rfm_segments(rfm_table(data, as_of=AS_OF))
    assert list(summary["segment"]) == list(SEGMENTS)
    assert summary["customers"].sum() == 20
    assert summary["revenue"].sum() == pytest.approx(data["amount"].sum())
    assert summary["share"].sum() == pytest.approx(1.0)
    champions = summary.set_index("segment").loc["champions"]
    assert champions["revenue"] >= 1000.0


def test_every_segment_has_a_name_in_every_language():
    for key in SEGMENTS:
        names = {segment_label(key, lang) for lang in LANGS}
        assert len(names) >= 2, key  # really translated, not copied
        assert all(t(f"kpi.rfm.description.{key}", lang) for lang in LANGS)
    assert segment_label("cant_lose", "pl") == "Nie możemy ich stracić"


def test_bad_tie_policy_is_a_user_error():
    with pytest.raises(InputError) as err:
        rfm_table(_customers(), ties="random")
    assert err.value.key == "kpi.error.ties"


def test_rfm_on_cdnow_keeps_every_customer(cdnow_prepared):
    table = rfm_table(cdnow_prepared)
    assert len(table) == 23_570
    assert table["monetary"].sum() == pytest.approx(2_500_315.63, abs=0.01)
    assert set(table["segment"]) <= set(SEGMENTS)
