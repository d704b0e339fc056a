"""The consolidation plan a user reads: who is freed, who takes what, and the proof."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd

from smartmoves.engines._common import EngineResult
from smartmoves.engines.capacity.consolidate._explain import Blocked
from smartmoves.engines.capacity.consolidate._greedy import Solution
from smartmoves.engines.capacity.consolidate._instance import Instance
from smartmoves.engines.capacity.consolidate._stages import Stage

__all__ = ["ConsolidationPlan", "assemble_plan"]


@dataclass(frozen=True, eq=False)
class ConsolidationPlan(EngineResult):
    """A plan that frees pilot volunteers by handing their remaining work to others.

    Attributes
    ----------
    freed : DataFrame
        person_id, contracted_hours, remaining_hours, freed_share (1 - remaining /
        contracted), and the hours behind them: original_hours, automated, stopped,
        handed_off (original = automated + stopped + handed_off + remaining, exactly).
    not_freed : DataFrame
        person_id, reason (a sentence) and cause (``no_receiver``, ``max_pilot``,
        ``receivers_taken`` or ``time_limit``).
    handoffs : DataFrame
        activity_id, from_person, to_person, hours (whole hours).
    receivers : DataFrame
        person_id, contracted_hours, load_before (their own hours after decisions),
        load_after, and both as shares of contracted hours.
    hours : dict
        Over all volunteers: ``automated``, ``stopped``, ``handed_off``, ``kept`` (what
        they still do) and ``total`` (their hours before; the sum of the four).
    objective : dict
        ``freed_count``, ``max_receiver_load`` (a share of contracted hours; 0 when nobody
        receives) and ``handoff_count``.
    bound : int
        CP-SAT's proven upper bound on the volunteers that can be freed.
    gap : float
        (bound - freed_count) / max(1, freed_count), CP-SAT's relative gap; 0 when proven.
    status : str
        ``optimal`` (every stage proven), ``feasible`` (the time limit ended a stage),
        ``below_min_pilot`` or ``infeasible`` (no volunteer can be freed).
    reasons : tuple of str
        What binds, for below_min_pilot and infeasible plans (and unproven ones).
    stages : tuple of Stage
        Each lexicographic stage's value, bound, status and seconds (``to_dict`` leaves
        the seconds out: they are the clock's, not the plan's).
    """

    freed: pd.DataFrame
    not_freed: pd.DataFrame
    handoffs: pd.DataFrame
    receivers: pd.DataFrame
    hours: dict[str, float]
    objective: dict[str, Any]
    bound: int
    gap: float
    status: str
    reasons: tuple[str, ...]
    stages: tuple[Stage, ...]

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain JSON types, each stage without its ``seconds``: the same
        inputs and seed give the same dict (the seconds stay on :attr:`stages`)."""
        out = super().to_dict()
        for stage in out["stages"]:
            del stage["seconds"]
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per volunteer: freed or not, their hours, and why not."""
        freed = self.freed.assign(freed=True)
        rest = self.not_freed.assign(freed=False)
        table = pd.concat([freed, rest], ignore_index=True) if len(rest) else freed
        return table.sort_values("person_id", kind="stable").reset_index(drop=True)


def _h(centi: int) -> float:
    return centi / 100


def assemble_plan(
    inst: Instance,
    plan: Solution,
    stages: list[Stage],
    blocked: dict[int, Blocked],
    *,
    status: str,
    bound: int,
    reasons: list[str],
) -> ConsolidationPlan:
    """Turn a solver solution (indices, whole hours) into the plan's tables."""
    handed: dict[int, int] = defaultdict(int)
    received: dict[int, int] = defaultdict(int)
    for v, _, r, hours in plan.handoffs:
        handed[v] += hours * 100
        received[r] += hours * 100
    rows, not_freed = [], []
    totals = dict.fromkeys(("automated", "stopped", "handed_off", "kept", "total"), 0)
    for v, vol in enumerate(inst.volunteers):
        kept = vol.remaining - handed[v]
        for key, centi in (
            ("automated", vol.automated),
            ("stopped", vol.stopped),
            ("handed_off", handed[v]),
            ("kept", kept),
            ("total", vol.original),
        ):
            totals[key] += centi
        figures = {
            "person_id": vol.person_id,
            "contracted_hours": _h(vol.contracted),
            "remaining_hours": _h(kept),
            "freed_share": 1 - kept / vol.contracted if vol.contracted else 1.0,
            "original_hours": _h(vol.original),
            "automated": _h(vol.automated),
            "stopped": _h(vol.stopped),
            "handed_off": _h(handed[v]),
        }
        if v in blocked:
            not_freed.append({**figures, "reason": blocked[v].reason, "cause": blocked[v].cause})
        else:
            rows.append(figures)
    handoffs = pd.DataFrame(
        [
            (a, inst.volunteers[v].person_id, inst.receivers[r].person_id, hours)
            for v, a, r, hours in sorted(plan.handoffs, key=lambda h: (h[1], h[0], h[2]))
        ],
        columns=["activity_id", "from_person", "to_person", "hours"],
    )
    receivers = pd.DataFrame(
        [
            {
                "person_id": rec.person_id,
                "contracted_hours": _h(rec.contracted),
                "load_before": _h(rec.load),
                "load_after": _h(rec.load + received[r]),
                "load_share_before": rec.load / rec.contracted,
                "load_share_after": (rec.load + received[r]) / rec.contracted,
            }
            for r, rec in enumerate(inst.receivers)
            if received[r] > 0
        ],
        columns=[
            "person_id",
            "contracted_hours",
            "load_before",
            "load_after",
            "load_share_before",
            "load_share_after",
        ],
    )
    freed_count = len(rows)
    return ConsolidationPlan(
        freed=pd.DataFrame(rows, columns=list(_FREED)),
        not_freed=pd.DataFrame(not_freed, columns=["person_id", "reason", "cause", *_FREED[1:]]),
        handoffs=handoffs,
        receivers=receivers,
        hours={k: _h(c) for k, c in totals.items()},
        objective={
            "freed_count": freed_count,
            "max_receiver_load": float(receivers["load_share_after"].max())
            if len(receivers)
            else 0.0,
            "handoff_count": len(handoffs),
        },
        bound=bound,
        gap=(bound - freed_count) / max(1, freed_count),
        status=status,
        reasons=tuple(reasons),
        stages=tuple(stages),
    )


_FREED = (
    "person_id",
    "contracted_hours",
    "remaining_hours",
    "freed_share",
    "original_hours",
    "automated",
    "stopped",
    "handed_off",
)
