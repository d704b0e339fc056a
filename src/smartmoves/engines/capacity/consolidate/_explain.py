"""Why a volunteer is not freed, and why a plan falls short, in the product's words."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from smartmoves.engines.capacity.consolidate._greedy import Solution
from smartmoves.engines.capacity.consolidate._instance import Instance

__all__ = ["Blocked", "explain_not_freed", "most_handed_off", "plan_reasons"]


@dataclass(frozen=True)
class Blocked:
    """A not-freed volunteer: ``cause`` (a stable code), ``reason`` (a sentence) and the
    activities that block them (for the plan-level summary)."""

    cause: str
    reason: str
    activities: tuple[tuple[str, str], ...] = ()


def _hours(centi: int) -> str:
    return f"{centi / 100:g} h"


def most_handed_off(inst: Instance, v: int, room: Sequence[int]) -> int:
    """Most whole hours volunteer ``v`` could hand off alone, given receivers' ``room``.

    A max-flow: source -> each activity (its whole hours) -> qualified receivers -> sink
    (their room). Receivers qualified for several activities count their room once.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_flow

    gives = [(a, c // 100) for a, c in inst.volunteers[v].gives if c >= 100]
    takers = sorted({r for a, _ in gives for r in inst.qualified.get(a, ()) if room[r] > 0})
    if not takers:
        return 0
    node = {r: 1 + len(gives) + i for i, r in enumerate(takers)}
    sink = 1 + len(gives) + len(takers)
    edges = [(0, 1 + i, hours) for i, (_, hours) in enumerate(gives)]
    edges += [
        (1 + i, node[r], hours)
        for i, (a, hours) in enumerate(gives)
        for r in inst.qualified.get(a, ())
        if r in node
    ]
    edges += [(node[r], sink, room[r]) for r in takers]
    rows, cols, caps = (np.array(column, dtype=np.int32) for column in zip(*edges, strict=True))
    graph = csr_matrix((caps, (rows, cols)), shape=(sink + 1, sink + 1))
    return int(maximum_flow(graph, 0, sink).flow_value)


def _activity(inst: Instance, a: str, centi: int) -> str:
    name = inst.activity_names.get(a)
    return f"activity {a}" + (f" '{name}'" if name and name != a else "") + f" ({_hours(centi)})"


def explain_not_freed(
    inst: Instance, plan: Solution, *, max_pilot: int, proven: bool
) -> dict[int, Blocked]:
    """A :class:`Blocked` for every volunteer the plan does not free."""
    full = [r.room for r in inst.receivers]
    left = list(full)
    for _, _, r, hours in plan.handoffs:
        left[r] -= hours
    freed, out = set(plan.freed), {}
    for v, vol in enumerate(inst.volunteers):
        if v in freed:
            continue
        needs = (
            f"needs {vol.need} h handed off to keep at most {_hours(vol.allowed)} "
            f"of {_hours(vol.remaining)}"
        )
        alone = most_handed_off(inst, v, full)
        if alone < vol.need:
            parts, blocking = [], []
            for a, centi in vol.gives:
                if centi < 100:
                    parts.append(f"{_activity(inst, a, centi)}: under a whole hour, stays")
                    continue
                if inst.qualified_anyone.get(a, 0) == 0:
                    kind = "no qualified receiver"
                elif not inst.qualified.get(a):
                    kind = "no qualified receiver with room"
                else:
                    room = sum(full[r] for r in inst.qualified[a])
                    kind = f"qualified receivers have {room} h of room"
                parts.append(f"{_activity(inst, a, centi)}: {kind}")
                if kind.startswith("no "):
                    blocking.append((a, kind))
            parts.append(f"at most {alone} h can be handed off")
            out[v] = Blocked("no_receiver", f"{needs}; " + "; ".join(parts), tuple(blocking))
        elif len(freed) >= max_pilot:
            out[v] = Blocked("max_pilot", f"max_pilot reached ({max_pilot} volunteers freed)")
        elif most_handed_off(inst, v, left) >= vol.need and not proven:
            out[v] = Blocked("time_limit", f"{needs}; the time limit ended the search first")
        else:
            rooms = [
                f"{_activity(inst, a, c)}: {sum(max(0, left[r]) for r in inst.qualified[a])} h"
                for a, c in vol.gives
                if c >= 100 and inst.qualified.get(a)
            ]
            out[v] = Blocked(
                "receivers_taken",
                f"{needs}; could be freed alone, but the freed volunteers took the room: "
                f"qualified receivers have {', '.join(rooms)} left",
            )
    return out


def plan_reasons(
    inst: Instance,
    blocked: dict[int, Blocked],
    *,
    freed: int,
    min_pilot: int,
    max_pilot: int,
    bound: int,
) -> list[str]:
    """The plan-level explanation: what binds, most important first."""
    total, reasons = len(inst.volunteers), []
    if total == 0:
        return ["no volunteers were given"]
    if freed < min_pilot:
        reasons.append(f"only {freed} of {total} volunteers can be freed; min_pilot is {min_pilot}")
    if total < min_pilot:
        reasons.append(f"fewer volunteers ({total}) than min_pilot ({min_pilot})")
    if bound > freed:
        reasons.append(f"the time limit ended the search: at most {bound} could be freed")
    by_activity: dict[tuple[str, str], int] = defaultdict(int)
    for b in blocked.values():
        for key in b.activities:
            by_activity[key] += 1
    for (a, kind), n in sorted(by_activity.items(), key=lambda kv: (-kv[1], kv[0])):
        reasons.append(f"activity {a}: {kind} (blocks {n} volunteer{'s' * (n > 1)})")
    causes = Counter(b.cause for b in blocked.values())
    if causes["receivers_taken"]:
        n = causes["receivers_taken"]
        reasons.append(
            f"{n} volunteer{'s' * (n > 1)} could be freed alone but compete for the same "
            "receivers' room"
        )
    if causes["max_pilot"]:
        reasons.append(
            f"max_pilot ({max_pilot}) reached; {causes['max_pilot']} more could be freed"
        )
    return reasons
