"""A quick feasible plan: the optimizer's starting point (its hint), never the answer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from smartmoves.engines.capacity.consolidate._instance import Instance

__all__ = ["Solution", "greedy_solution"]


@dataclass
class Solution:
    """Freed volunteers (indices) and handoffs ``(volunteer, activity, receiver, hours)``."""

    freed: list[int] = field(default_factory=list)
    handoffs: list[tuple[int, str, int, int]] = field(default_factory=list)


def greedy_solution(inst: Instance, max_pilot: int) -> Solution:
    """Free the volunteers who need the fewest hours handed off first.

    Work goes first to the receivers qualified for the fewest activities in play (the
    flexible ones stay available for later volunteers), then to those with most room.
    A volunteer is freed only if all of their need finds room; otherwise nothing of
    theirs moves. Volunteers who may receive (``inst.receiver_of``) come last among the
    receivers, those with the most to hand off first (the least likely to be freed);
    one freed never receives, and one who received is not freed.
    """
    room = [r.room for r in inst.receivers]
    flexibility = Counter(r for receivers in inst.qualified.values() for r in receivers)
    order = sorted(range(len(inst.volunteers)), key=lambda v: (inst.volunteers[v].need, v))
    plan = Solution()
    as_volunteer = inst.receiver_of
    freed: set[int] = set()
    received: set[int] = set()

    def rank(r: int, taken: Counter[int]) -> tuple[bool, int, int, int, int]:
        other = as_volunteer.get(r)
        need = 0 if other is None else -inst.volunteers[other].need
        return (other is not None, need, flexibility[r], -(room[r] - taken[r]), r)

    for v in order:
        if len(plan.freed) >= max_pilot:
            break
        if v in received:
            continue
        vol = inst.volunteers[v]
        left, taken, moves = vol.need, Counter[int](), []
        for activity, centi in sorted(vol.gives, key=lambda g: (-g[1], g[0])):
            if left == 0:
                break
            can = min(centi // 100, left)
            ranked = sorted(
                (
                    r
                    for r in inst.qualified.get(activity, ())
                    if as_volunteer.get(r) not in freed and as_volunteer.get(r) != v
                ),
                key=lambda r: rank(r, taken),
            )
            for r in ranked:
                take = min(can, room[r] - taken[r])
                if take > 0:
                    moves.append((v, activity, r, take))
                    taken[r] += take
                    can -= take
                    left -= take
                if can == 0:
                    break
        if left == 0:
            plan.freed.append(v)
            freed.add(v)
            plan.handoffs.extend(moves)
            for r, hours in taken.items():
                room[r] -= hours
                if r in as_volunteer:
                    received.add(as_volunteer[r])
    plan.freed.sort()
    return plan
