"""Consolidation plans on hand-made organizations whose best plan is known."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from smartmoves.engines.capacity.consolidate import Consolidation, plan_consolidation
from smartmoves.engines.capacity.consolidate._greedy import greedy_solution
from smartmoves.engines.capacity.consolidate._instance import build_instance
from smartmoves.engines.capacity.decisions import apply_decisions
from smartmoves.engines.capacity.decisions._tables import activity_table, people_table
from smartmoves.errors import ConfigError, DataError


def org(
    work: dict[str, dict[str, float]],
    skills: dict[str, str] | None = None,
    activity_skill: dict[str, str] | None = None,
    potential: dict[str, float] | None = None,
    contracted: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """people, activities, allocations from ``{person: {activity: hours}}``."""
    skills, activity_skill = skills or {}, activity_skill or {}
    potential, contracted = potential or {}, contracted or {}
    names = sorted({a for hours in work.values() for a in hours} | set(activity_skill))
    people = pd.DataFrame(
        {
            "person_id": list(work),
            "unit_id": "u1",
            "contracted_hours": [contracted.get(p, 40.0) for p in work],
            "skills": [skills.get(p, "") for p in work],
        }
    )
    activities = pd.DataFrame(
        {
            "activity_id": names,
            "name": [n.title() for n in names],
            "skill": [activity_skill.get(n) for n in names],
            "automation_potential": [potential.get(n) for n in names],
        }
    )
    allocations = pd.DataFrame(
        [(p, a, h) for p, hours in work.items() for a, h in hours.items()],
        columns=["person_id", "activity_id", "hours_per_week"],
    )
    return people, activities, allocations


def plan(tables, volunteers, **options):
    options = {"min_pilot": 1, "time_limit": 10.0, **options}
    return plan_consolidation(*tables, volunteers, **options)


def handoffs(result) -> set[tuple[str, str, str, int]]:
    return {tuple(row) for row in result.handoffs.itertuples(index=False)}


def test_both_volunteers_freed_where_the_greedy_frees_one():
    # v1 could give X or Y; v2 only X, whose one receiver has room for one of them.
    tables = org(
        {
            "v1": {"x": 6, "y": 6, "desk": 4},
            "v2": {"x": 8, "desk": 10},
            "r1": {"idle": 32},
            "r2": {"idle": 34},
        },
        skills={"r1": "sx", "r2": "sy"},
        activity_skill={"x": "sx", "y": "sy"},
    )
    result = plan(tables, ["v1", "v2"])
    assert result.status == "optimal" and result.gap == 0.0 and result.bound == 2
    assert handoffs(result) == {("x", "v2", "r1", 8), ("y", "v1", "r2", 6)}
    assert result.objective == {"freed_count": 2, "max_receiver_load": 1.0, "handoff_count": 2}

    people, activities, allocations = tables
    folks, acts = people_table(people), activity_table(activities)
    inst = build_instance(
        apply_decisions(people, activities, allocations),
        dict(zip(folks["person_id"], folks["skills"], strict=True)),
        dict(zip(acts["activity_id"], acts["skill"], strict=True)),
        {},
        ["v1", "v2"],
        target_free=0.75,
        max_load=1.0,
    )
    assert len(greedy_solution(inst, 60).freed) == 1  # the trap is real


def test_the_least_loaded_receiver_takes_the_work():
    tables = org(
        {"v": {"x": 16}, "r1": {"x": 30}, "r2": {"x": 20}, "r3": {"x": 36}},
    )
    result = plan(tables, ["v"])
    assert result.status == "optimal"
    assert handoffs(result) == {("x", "v", "r2", 6)}
    receivers = result.receivers.set_index("person_id")
    assert receivers.loc["r2", ["load_before", "load_after"]].tolist() == [20.0, 26.0]
    assert result.objective["max_receiver_load"] == 0.65


def test_a_lighter_load_comes_before_fewer_handoffs():
    tables = org({"v": {"x": 20}, "r1": {"x": 20}, "r2": {"x": 20}})
    result = plan(tables, ["v"])
    assert handoffs(result) == {("x", "v", "r1", 5), ("x", "v", "r2", 5)}
    assert result.objective == {"freed_count": 1, "max_receiver_load": 0.625, "handoff_count": 2}


def test_fewest_handoffs_among_equally_light_plans():
    tables = org(
        {
            "v1": {"x": 14},
            "v2": {"x": 14},
            "r1": {"x": 20},
            "r2": {"x": 20},
            "r3": {"x": 36},
        }
    )
    result = plan(tables, ["v1", "v2"])
    assert result.status == "optimal"
    assert result.objective == {"freed_count": 2, "max_receiver_load": 0.6, "handoff_count": 2}
    assert {(h[1], h[3]) for h in handoffs(result)} == {("v1", 4), ("v2", 4)}


def test_max_pilot_caps_the_freed_and_says_so():
    work = {f"v{i}": {"x": 12} for i in range(3)} | {"r": {"x": 10}}
    result = plan(org(work), ["v0", "v1", "v2"], max_pilot=2)
    assert result.status == "optimal" and result.objective["freed_count"] == 2
    assert result.not_freed["cause"].tolist() == ["max_pilot"]
    assert "max_pilot reached (2 volunteers freed)" in result.not_freed["reason"].iloc[0]


def test_whole_hours_move_and_fractions_stay():
    tables = org(
        {"v": {"x": 21, "y": 19}, "r": {"x": 2, "y": 2}},
        potential={"x": 0.5},
    )
    decisions = pd.DataFrame({"activity_id": ["x"], "decision": ["automate"]})
    result = plan(tables, ["v"], decisions=decisions)
    freed = result.freed.set_index("person_id").loc["v"]
    assert freed["automated"] == 10.5  # x: 21 h, half automated, 10.5 h left
    assert freed["handed_off"] == 20  # ceil(29.5 - 10) whole hours
    assert freed["remaining_hours"] == 9.5
    assert freed["original_hours"] == 40 == 10.5 + 0 + 20 + 9.5
    assert result.hours == {
        "automated": 10.5, "stopped": 0.0, "handed_off": 20.0, "kept": 9.5, "total": 40.0
    }  # fmt: skip
    assert all(isinstance(h, int) for h in result.handoffs["hours"])


def test_receivers_load_counts_their_own_hours_after_decisions():
    tables = org({"v": {"x": 30}, "r": {"x": 30, "z": 10}}, potential={"x": 0.5})
    decisions = pd.DataFrame({"activity_id": ["x"], "decision": ["automate"]})
    result = plan(tables, ["v"], decisions=decisions)
    receiver = result.receivers.set_index("person_id").loc["r"]
    assert receiver["load_before"] == 25.0  # 15 h of x left + 10 h of z
    assert receiver["load_after"] == 30.0  # v keeps 10 of their 15 h of x


def test_volunteers_never_receive():
    # v2 does x and has room, but is a volunteer: without r, v1 cannot be freed.
    work = {"v1": {"x": 16}, "v2": {"x": 2}, "r": {"x": 34}}
    result = plan(org(work), ["v1", "v2"])
    assert {h[2] for h in handoffs(result)} == {"r"}
    alone = plan(org({k: w for k, w in work.items() if k != "r"}), ["v1", "v2"])
    assert alone.freed["person_id"].tolist() == ["v2"]


def test_no_qualified_receiver_is_explained_not_crashed():
    tables = org({"v": {"x": 18, "y": 22}, "r": {"y": 10}}, activity_skill={"x": "sx"})
    result = plan(tables, ["v"])
    assert result.status == "infeasible" and result.objective["freed_count"] == 0
    reason = result.not_freed.set_index("person_id").loc["v", "reason"]
    assert "activity x 'X' (18 h): no qualified receiver" in reason
    assert "at most 22 h can be handed off" in reason  # y only; 30 h are needed
    assert "activity x: no qualified receiver (blocks 1 volunteer)" in result.reasons
    assert result.hours["handed_off"] == 0.0 and result.handoffs.empty


def test_qualified_receivers_without_room_are_named():
    result = plan(org({"v": {"x": 40}, "r": {"x": 40}}), ["v"])
    assert result.status == "infeasible"
    assert "no qualified receiver with room" in result.not_freed["reason"].iloc[0]


def test_below_min_pilot_frees_what_it_can_and_says_why():
    work = {"v1": {"x": 18}, "v2": {"x": 18}, "v3": {"y": 30}, "r": {"x": 30}}
    result = plan(org(work), ["v1", "v2", "v3"], min_pilot=3)
    assert result.status == "below_min_pilot"
    assert result.objective["freed_count"] == 1 and result.gap == 0.0
    causes = result.not_freed.set_index("person_id")["cause"].to_dict()
    assert causes == {"v2": "receivers_taken", "v3": "no_receiver"} or causes == {
        "v1": "receivers_taken",
        "v3": "no_receiver",
    }
    assert result.reasons[0] == "only 1 of 3 volunteers can be freed; min_pilot is 3"
    assert "activity y: no qualified receiver (blocks 1 volunteer)" in result.reasons
    taken = result.not_freed.query("cause == 'receivers_taken'")["reason"].iloc[0]
    assert "activity x 'X' (18 h): 2 h" in taken  # r's room left after the plan


def test_no_volunteers_is_an_infeasible_plan_with_a_reason():
    result = plan(org({"r": {"x": 10}}), [])
    assert result.status == "infeasible"
    assert result.reasons == ("no volunteers were given",)


def test_unknown_volunteers_and_bad_options_fail_clearly():
    tables = org({"v": {"x": 10}})
    with pytest.raises(DataError, match="volunteers not in people: ghost"):
        plan(tables, ["ghost"])
    with pytest.raises(ConfigError, match="target_free"):
        Consolidation(target_free=1.5)
    with pytest.raises(ConfigError, match="min_pilot <= max_pilot"):
        plan(tables, ["v"], min_pilot=10, max_pilot=5)


def test_to_dict_has_the_documented_keys_and_is_json():
    result = plan(org({"v": {"x": 16}, "r": {"x": 20}}), pd.DataFrame({"person_id": ["v"]}))
    data = json.loads(json.dumps(result.to_dict()))
    assert {"freed", "not_freed", "handoffs", "receivers", "hours", "objective"} <= set(data)
    assert {"bound", "gap", "status"} <= set(data)
    assert data["freed"][0].keys() >= {
        "person_id", "contracted_hours", "remaining_hours", "freed_share"
    }  # fmt: skip
    assert data["handoffs"] == [
        {"activity_id": "x", "from_person": "v", "to_person": "r", "hours": 6}
    ]
    assert result.to_frame()["freed"].tolist() == [True]
