"""The CP-SAT model of a consolidation: variables, constraints, and reading a plan back.

Who receives is modelled per activity, not per volunteer: qualification depends only on
the activity, so any per-activity flow (volunteers -> activity -> receivers) splits into
(volunteer, activity, receiver) handoffs. Who is freed and every receiver's load are
therefore exact on this small aggregated model. Handoffs are counted exactly with
(volunteer, activity, receiver) variables when there are at most
``EXACT_HANDOFFS_UP_TO`` of them; above that the model minimizes the spanning-tree count
(givers + receivers - 1 per activity), an upper bound that a decomposition always meets.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from smartmoves.engines.capacity.consolidate._greedy import Solution
from smartmoves.engines.capacity.consolidate._instance import Instance

__all__ = [
    "EXACT_HANDOFFS_UP_TO",
    "PER_MILLE",
    "add_handoff_count",
    "build_flow_model",
    "cap_receivers",
    "hint_plan",
    "largest_load",
    "read_plan",
    "room_at",
]

EXACT_HANDOFFS_UP_TO = 20_000
PER_MILLE = 1000  # load shares are compared in thousandths of contracted hours


def room_at(inst: Instance, r: int, level: int) -> int:
    """Whole hours receiver ``r`` can take and stay at or below ``level`` per mille."""
    rec = inst.receivers[r]
    spare = level * rec.contracted - PER_MILLE * rec.load
    return max(0, min(rec.room, spare // (PER_MILLE * 100)))


def largest_load(inst: Instance, plan: Solution) -> int:
    """The largest load share among the plan's receivers, per mille, rounded up."""
    received: dict[int, int] = defaultdict(int)
    for _, _, r, hours in plan.handoffs:
        received[r] += hours
    levels = [
        -(-PER_MILLE * (inst.receivers[r].load + 100 * h) // inst.receivers[r].contracted)
        for r, h in received.items()
    ]
    return max(levels, default=0)


def build_flow_model(model: Any, inst: Instance, max_pilot: int) -> dict[str, Any]:
    """Who is freed and how many hours move from volunteers to activities to receivers."""
    pairs = [(v, a, min(cap, inst.volunteers[v].need)) for v, a, cap in inst.pairs()]
    pairs = [(v, a, cap) for v, a, cap in pairs if cap > 0]
    free = [model.new_bool_var(f"free_{v}") for v in range(len(inst.volunteers))]
    give = {(v, a): model.new_int_var(0, cap, f"give_{v}_{a}") for v, a, cap in pairs}
    # Upper bounds by key: (volunteer, activity) for gives, (activity, receiver) for takes.
    cap_of: dict[Any, int] = {(v, a): cap for v, a, cap in pairs}
    by_vol: dict[int, list[Any]] = defaultdict(list)
    by_act: dict[str, list[Any]] = defaultdict(list)
    supply: dict[str, int] = defaultdict(int)
    for (v, a), var in give.items():
        by_vol[v].append(var)
        by_act[a].append(var)
        supply[a] += cap_of[v, a]
    for v, vol in enumerate(inst.volunteers):
        # Exactly the need moves: handing off more never helps any objective.
        model.add(sum(by_vol[v]) == vol.need * free[v])
    take: dict[tuple[str, int], Any] = {}
    for a, gives in by_act.items():
        for r in inst.qualified[a]:
            cap = cap_of[a, r] = min(inst.receivers[r].room, supply[a])
            take[a, r] = model.new_int_var(0, cap, f"take_{a}_{r}")
        model.add(sum(gives) == sum(take[a, r] for r in inst.qualified[a]))
    per_receiver: dict[int, list[Any]] = defaultdict(list)
    for (_, r), var in take.items():
        per_receiver[r].append(var)
    for r, v in inst.receiver_of.items():  # a volunteer takes work only if not freed
        if per_receiver.get(r):
            model.add(sum(per_receiver[r]) <= inst.receivers[r].room * (1 - free[v]))
    model.add(sum(free) <= max_pilot)
    x = {"free": free, "give": give, "take": take, "per_receiver": per_receiver, "cap": cap_of}
    cap_receivers(model, inst, x, PER_MILLE * 100)  # plain room: max_load is in each room
    return x


def cap_receivers(model: Any, inst: Instance, x: dict[str, Any], level: int) -> None:
    """No receiver above ``level`` per mille of contracted hours (their room caps it too)."""
    for r, takes in x["per_receiver"].items():
        model.add(sum(takes) <= room_at(inst, r, level))


def add_handoff_count(model: Any, inst: Instance, x: dict[str, Any], level: int) -> Any:
    """The number of handoffs (exact, or its spanning-tree upper bound) as an expression.

    In the exact form each freed volunteer also gets a valid cut: at least as many
    handoffs as their need takes when every receiver gives their most (``level`` caps
    receivers' room). It lifts CP-SAT's LP bound from one handoff per volunteer to
    something close to the optimum, which is what lets small optima be proven.
    """
    receivers_of = {a: inst.qualified[a] for _, a in x["give"]}
    x["moves"], x["handoff"] = {}, {}
    x["exact"] = sum(len(receivers_of[a]) for _, a in x["give"]) <= EXACT_HANDOFFS_UP_TO
    if not x["exact"]:
        return _spanning_tree_count(model, x)
    into: dict[tuple[str, int], list[Any]] = defaultdict(list)
    per_volunteer: dict[int, list[Any]] = defaultdict(list)
    caps: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for (v, a), give in x["give"].items():
        outs = []
        for r in receivers_of[a]:
            cap = min(x["cap"][v, a], room_at(inst, r, level))
            if cap == 0:
                continue
            move = x["moves"][v, a, r] = model.new_int_var(0, cap, f"move_{v}_{a}_{r}")
            flag = x["handoff"][v, a, r] = model.new_bool_var(f"handoff_{v}_{a}_{r}")
            model.add(move <= cap * flag)
            outs.append(move)
            into[a, r].append(move)
            per_volunteer[v].append(flag)
            caps[v][a].append(cap)
        model.add(sum(outs) == give)
    for key, take in x["take"].items():
        model.add(sum(into[key]) == take)
    for v, flags in per_volunteer.items():
        fewest = fewest_handoffs(inst.volunteers[v].need, caps[v], dict(inst.volunteers[v].gives))
        model.add(sum(flags) >= fewest * x["free"][v])
    return sum(x["handoff"].values())


def fewest_handoffs(need: int, caps: dict[str, list[int]], gives: dict[str, int]) -> int:
    """Fewest handoffs that could move ``need`` hours, ignoring other volunteers.

    ``caps[a]`` are the most each receiver could take of activity ``a``; ``gives[a]`` the
    volunteer's centi-hours of it. A knapsack over activities: how many hours ``k``
    handoffs can move at best, for growing ``k``.

    >>> fewest_handoffs(10, {"a": [8, 8], "b": [3]}, {"a": 800, "b": 300})
    2
    """
    best = [0]  # best[k]: most hours k handoffs can move
    for a, options in caps.items():
        reach = [0]
        for cap in sorted(options, reverse=True):
            reach.append(min(gives.get(a, 0) // 100, reach[-1] + cap))
        merged = [0] * (len(best) + len(reach) - 1)
        for i, here in enumerate(best):
            for j, there in enumerate(reach):
                merged[i + j] = max(merged[i + j], here + there)
        best = merged
    return next((k for k, hours in enumerate(best) if hours >= need), len(best) - 1)


def _spanning_tree_count(model: Any, x: dict[str, Any]) -> Any:
    count, active = [], defaultdict(list)
    for (v, a), give in x["give"].items():
        flag = model.new_bool_var(f"gives_{v}_{a}")
        model.add(give <= x["cap"][v, a] * flag)
        count.append(flag)
        active[a].append(flag)
    for (a, r), take in x["take"].items():
        flag = model.new_bool_var(f"takes_{a}_{r}")
        model.add(take <= x["cap"][a, r] * flag)
        count.append(flag)
    for a, flags in active.items():
        in_play = model.new_bool_var(f"in_play_{a}")
        model.add(in_play <= sum(flags))
        count.append(-in_play)
    return sum(count)


def read_plan(x: dict[str, Any], value: Any) -> Solution:
    """The solver's plan: exact moves if modelled, else flows split north-west corner."""
    freed = [v for v, f in enumerate(x["free"]) if value(f)]
    if x.get("exact"):
        moves = [(v, a, r, int(value(m))) for (v, a, r), m in x["moves"].items()]
        return Solution(freed, [m for m in moves if m[3] > 0])
    givers: dict[str, list[list[int]]] = defaultdict(list)
    takers: dict[str, list[list[int]]] = defaultdict(list)
    for (v, a), var in x["give"].items():
        if (hours := int(value(var))) > 0:
            givers[a].append([v, hours])
    for (a, r), var in x["take"].items():
        if (hours := int(value(var))) > 0:
            takers[a].append([r, hours])
    handoffs = []
    for a, gives in givers.items():
        takes, j = takers[a], 0
        for giver in gives:
            while giver[1] > 0:
                hours = min(giver[1], takes[j][1])
                handoffs.append((giver[0], a, takes[j][0], hours))
                giver[1] -= hours
                takes[j][1] -= hours
                j += takes[j][1] == 0
    return Solution(freed, handoffs)


def hint_plan(model: Any, x: dict[str, Any], plan: Solution) -> None:
    """Start the next solve from ``plan`` (every variable it determines)."""
    model.clear_hints()
    freed = set(plan.freed)
    give: dict[tuple[int, str], int] = defaultdict(int)
    take: dict[tuple[str, int], int] = defaultdict(int)
    moved = {}
    for v, a, r, hours in plan.handoffs:
        give[v, a] += hours
        take[a, r] += hours
        moved[v, a, r] = hours
    for v, var in enumerate(x["free"]):
        model.add_hint(var, v in freed)
    for key, var in x["give"].items():
        model.add_hint(var, give[key])
    for key, var in x["take"].items():
        model.add_hint(var, take[key])
    for key, var in (x.get("moves") or {}).items():
        model.add_hint(var, moved.get(key, 0))
        model.add_hint(x["handoff"][key], moved.get(key, 0) > 0)
