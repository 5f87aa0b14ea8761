"""The scoring rules, one by one: each normalisation, ranks, ties, the cap and the budget."""

from __future__ import annotations

import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

from mantianxing.evaluation.scoring import competition_ranks, evaluate, normalize, rewards

NO_TARGETS: dict[str, float | None] = {}
MILLION = 1_000_000


def test_it_normalizes_by_the_largest_value() -> None:
    assert normalize("max", {"a": 50, "b": 100, "c": 0}, NO_TARGETS) == {"a": 50, "b": 100, "c": 0}


def test_it_gives_nothing_by_max_when_no_unit_grew() -> None:
    assert normalize("max", {"a": 0, "b": -5}, NO_TARGETS) == {"a": 0, "b": 0}


def test_it_normalizes_between_smallest_and_largest() -> None:
    assert normalize("minmax", {"a": 10, "b": 20, "c": 30}, NO_TARGETS) == {"a": 0, "b": 50, "c": 100}


def test_it_gives_every_unit_full_marks_by_minmax_when_all_are_equal() -> None:
    assert normalize("minmax", {"a": 7, "b": 7}, NO_TARGETS) == {"a": 100, "b": 100}


def test_it_normalizes_to_standard_scores_with_the_population_deviation() -> None:
    z = normalize("zscore", {"a": 1, "b": 2, "c": 3}, NO_TARGETS)
    assert z["b"] == 0
    assert math.isclose(z["c"], 1 / math.sqrt(2 / 3)) and math.isclose(z["a"], -z["c"])


def test_it_normalizes_by_rank_with_ties_sharing_the_mean_rank() -> None:
    assert normalize("rank", {"a": 10, "b": 30, "c": 20}, NO_TARGETS) == {"a": 0, "b": 100, "c": 50}
    assert normalize("rank", {"a": 10, "b": 10, "c": 5}, NO_TARGETS) == {"a": 75, "b": 75, "c": 0}


def test_it_normalizes_against_the_target_capped_at_120() -> None:
    targets = {"a": 100.0, "b": 100.0, "c": None, "d": 0.0}
    assert normalize("target", {"a": 50, "b": 200, "c": 80, "d": 5}, targets) == {
        "a": 50,
        "b": 120,
        "c": 0,
        "d": 0,
    }


def test_it_ranks_ties_at_the_best_place_of_their_group() -> None:
    assert competition_ranks([90, 80, 80, 70, 70, 70, 10]) == [1, 2, 2, 4, 4, 4, 7]


def test_it_shares_the_occupied_tiers_equally_between_tied_units() -> None:
    steps = rewards([90, 80, 80, 70], {"tiers": [30 * MILLION, 20 * MILLION, 15 * MILLION, 10 * MILLION]})
    assert [float(s["reward"]) for s in steps] == [30 * MILLION, 17.5 * MILLION, 17.5 * MILLION, 10 * MILLION]


def test_it_gives_nothing_to_places_beyond_the_tiers_even_when_tied_across_them() -> None:
    steps = rewards([9, 8, 8, 1], {"tiers": [3 * MILLION, 2 * MILLION]})
    assert [float(s["reward"]) for s in steps] == [3 * MILLION, MILLION, MILLION, 0]


def test_it_caps_each_unit() -> None:
    steps = rewards(
        [3, 2, 1], {"tiers": [40 * MILLION, 20 * MILLION, 5 * MILLION], "cap_per_unit": 30 * MILLION}
    )
    assert [float(s["reward"]) for s in steps] == [30 * MILLION, 20 * MILLION, 5 * MILLION]
    assert float(steps[0]["tier_share"]) == 40 * MILLION


def test_it_scales_rewards_down_to_the_budget_in_proportion() -> None:
    tiers = [30 * MILLION, 20 * MILLION, 15 * MILLION, 10 * MILLION, 10 * MILLION, 10 * MILLION]
    steps = rewards(
        [6, 5, 4, 3, 2, 1], {"tiers": tiers, "cap_per_unit": 30 * MILLION, "budget": 50 * MILLION}
    )
    amounts = [float(s["reward"]) for s in steps]
    assert sum(amounts) <= 50 * MILLION and sum(amounts) > 50 * MILLION - 1
    assert math.isclose(amounts[0] / amounts[1], 1.5, rel_tol=1e-6)
    assert math.isclose(amounts[0], 30 * MILLION * 50 / 95, rel_tol=1e-6)


def test_it_leaves_rewards_alone_within_the_budget() -> None:
    steps = rewards([2, 1], {"tiers": [3 * MILLION, 2 * MILLION], "budget": 10 * MILLION})
    assert [float(s["reward"]) for s in steps] == [3 * MILLION, 2 * MILLION]
    assert all(s["factor"] == 1 for s in steps)


@given(
    st.lists(st.integers(0, 5), min_size=1, max_size=12),
    st.lists(st.integers(0, 50 * MILLION), max_size=8),
    st.one_of(st.none(), st.integers(0, 40 * MILLION)),
    st.one_of(st.none(), st.integers(0, 120 * MILLION)),
)
def test_it_never_breaks_the_cap_or_the_budget(
    scores: list[int], tiers: list[int], cap: int | None, budget: int | None
) -> None:
    ordered, tiers = sorted(scores, reverse=True), sorted(tiers, reverse=True)
    amounts = [s["reward"] for s in rewards(ordered, {"tiers": tiers, "cap_per_unit": cap, "budget": budget})]
    if cap is not None:
        assert all(amount <= cap for amount in amounts)
    if budget is not None:
        assert sum(amounts) <= budget
    assert all(a >= b for a, b in itertools.pairwise(amounts))  # a better place never earns less
    for score in set(ordered):  # tied units get the same
        assert len({a for s, a in zip(ordered, amounts, strict=True) if s == score}) == 1


def test_it_scores_term_by_term_and_lists_rows_in_rank_order() -> None:
    scheme = {
        "indicators": [
            {"code": "new_enterprises", "weight": 0.5, "normalize": "max"},
            {"code": "new_employees", "weight": 0.5, "normalize": "target"},
        ],
        "rewards": {"tiers": [2 * MILLION, MILLION], "cap_per_unit": None, "budget": None},
    }
    inputs = {
        "units": [{"code": "A", "name": "甲"}, {"code": "B", "name": "乙"}, {"code": "C", "name": "丙"}],
        "values": {
            "A": {"new_enterprises": 10, "new_employees": 50},
            "B": {"new_enterprises": 20, "new_employees": 100},
            "C": {"new_enterprises": 5, "new_employees": 300},
        },
        "targets": {
            "A": {"new_employees": 100},
            "B": {"new_employees": 100},
            "C": {"new_employees": 100},
        },
    }
    rows = evaluate(scheme, inputs)
    assert [row["unit"] for row in rows] == ["B", "C", "A"]
    b, c, a = rows
    assert b["normalized"] == {"new_enterprises": 100, "new_employees": 100}
    assert c["normalized"] == {"new_enterprises": 25, "new_employees": 120}
    assert c["terms"] == {"new_enterprises": 12.5, "new_employees": 60}
    assert (b["score"], c["score"], a["score"]) == (100, 72.5, 50)
    assert [row["rank"] for row in rows] == [1, 2, 3]
    assert [row["reward"] for row in rows] == [2 * MILLION, MILLION, 0]
