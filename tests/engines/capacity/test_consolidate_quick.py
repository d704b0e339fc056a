"""The consolidation planner in a quick mode: its count is never above the people it
may free, agrees with the full planner where both answer the same question, and with
brute force over who is freed where anyone may be."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from smartmoves.engines.capacity.consolidate import plan_consolidation, quick_freeable
from smartmoves.errors import ConfigError, DataError

ACTIVITIES = ["a", "b", "c"]


@st.composite
def units(draw, most: int = 6):
    """2-``most`` people over three activities, with skills and an automation potential."""
    n = draw(st.integers(2, most))
    people, allocations = [], []
    for i in range(n):
        pid = f"p{i}"
        does = draw(st.lists(st.sampled_from(ACTIVITIES), min_size=1, max_size=3, unique=True))
        for activity in does:
            allocations.append((pid, activity, float(draw(st.integers(1, 24)))))
        skills = draw(st.lists(st.sampled_from(["sa", "sb", "sc"]), max_size=2, unique=True))
        people.append((pid, "u1", draw(st.sampled_from([20.0, 32.0, 40.0])), ";".join(skills)))
    potential = [draw(st.sampled_from([None, 0.2, 0.5])) for _ in ACTIVITIES]
    activities = pd.DataFrame(
        {"activity_id": ACTIVITIES, "name": ACTIVITIES, "skill": ["sa", "sb", "sc"],
         "automation_potential": potential}
    )  # fmt: skip
    decided = [a for a, p in zip(ACTIVITIES, potential, strict=True) if p is not None]
    return (
        pd.DataFrame(people, columns=["person_id", "unit_id", "contracted_hours", "skills"]),
        activities,
        pd.DataFrame(allocations, columns=["person_id", "activity_id", "hours_per_week"]),
        pd.DataFrame({"activity_id": decided, "decision": "automate"}),
    )


def _full(people, activities, allocations, decisions, volunteers) -> int:
    if not volunteers:
        return 0
    plan = plan_consolidation(
        people, activities, allocations, volunteers, decisions=decisions,
        min_pilot=0, max_pilot=len(volunteers), time_limit=5.0,
    )  # fmt: skip
    return len(plan.freed)


@hypothesis_settings(max_examples=40, deadline=None)
@given(case=units(), share=st.floats(0.0, 1.0))
def test_the_count_is_never_above_the_people_it_may_free(case, share) -> None:
    people, activities, allocations, decisions = case
    ids = list(people["person_id"])
    candidates = ids[: max(1, round(share * len(ids)))]
    count = quick_freeable(people, activities, allocations, candidates, decisions=decisions)
    assert count.candidates == len(candidates) <= len(people)
    assert count.by_decisions <= count.freeable <= count.bound <= count.candidates
    assert count.status in ("optimal", "feasible", "greedy")


@hypothesis_settings(max_examples=25, deadline=None)
@given(case=units(most=5))
def test_it_agrees_with_the_full_planner_on_a_small_unit(case) -> None:
    people, activities, allocations, decisions = case
    ids = list(people["person_id"])
    volunteers = ids[: len(ids) // 2 + 1]
    # The full planner's rule (volunteers never receive): the same question, one answer.
    same = quick_freeable(
        people, activities, allocations, volunteers, decisions=decisions, unfreed_receive=False,
        time_limit=5.0,
    )  # fmt: skip
    assert same.status == "optimal"
    assert same.freeable == _full(people, activities, allocations, decisions, volunteers)
    # Anyone may be freed, whoever is not may receive: the best over every choice of
    # volunteers the full planner could be given.
    anyone = quick_freeable(people, activities, allocations, decisions=decisions, time_limit=5.0)
    best = max(
        _full(people, activities, allocations, decisions, list(chosen))
        for k in range(len(ids) + 1)
        for chosen in itertools.combinations(ids, k)
    )
    assert anyone.status == "optimal" and anyone.freeable == best


def test_one_freed_of_three_by_hand() -> None:
    people = pd.DataFrame({"person_id": ["ana", "bo", "cy"], "unit_id": "u1"})
    activities = pd.DataFrame({"activity_id": ["bill"], "name": ["Billing"]})
    allocations = pd.DataFrame(
        {"person_id": ["ana", "bo", "cy"], "activity_id": ["bill"] * 3,
         "hours_per_week": [30, 30, 10]}
    )  # fmt: skip
    # Cy keeps 10 h, the quarter of 40 a freed person may keep: freed as is. Or cy stays
    # and takes 20 h of ana's (or bo's) 30; the other then has no one with room left.
    count = quick_freeable(people, activities, allocations)
    assert (count.freeable, count.by_decisions, count.status) == (1, 1, "optimal")
    # Only ana and bo may be freed (cy coaches): cy takes the work of one of them.
    two = quick_freeable(people, activities, allocations, ["ana", "bo"])
    assert (two.freeable, two.by_decisions, two.candidates) == (1, 0, 2)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"target_free": 1.5}, "target_free must be between 0 and 1"),
        ({"max_load": 0}, "max_load must be a positive number"),
        ({"time_limit": 0}, "time_limit must be positive"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_options_are_one_clear_line(options, message) -> None:
    people = pd.DataFrame({"person_id": ["ana"], "unit_id": "u1"})
    activities = pd.DataFrame({"activity_id": ["bill"], "name": ["Billing"]})
    allocations = pd.DataFrame(
        {"person_id": ["ana"], "activity_id": ["bill"], "hours_per_week": [8]}
    )
    with pytest.raises(ConfigError, match=message):
        quick_freeable(people, activities, allocations, **options)
    with pytest.raises(DataError, match="not in people"):
        quick_freeable(people, activities, allocations, ["zed"])
