"""How many of a unit's people could be freed for 75%: the consolidation planner in a
quick mode (``engines/capacity/consolidate/_quick.py``) instead of counting only those
the decisions alone free.

The planner hands the remaining work of those it frees to their colleagues in the unit
(work stays in the unit before a pilot exists), so it frees at least as many as the
decisions alone. It runs per unit on units of at most ``QUICK_UP_TO`` people, and only on
the ``QUICK_TOP`` best-ranked of them by the first reading: the whole demo's run must
stay within 10 s (and a large bank's within minutes), and a unit ranked far down is not
where a pilot starts. Units with fewer than 15 workers are not planned either: no handoff
makes a pilot group of them. Every other unit keeps the decisions-only count, and its
source says why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from smartmoves.engines.capacity.consolidate import quick_freeable
from smartmoves.engines.capacity.decisions import CapacityAfterDecisions
from smartmoves.engines.entry import MIN_VOLUNTEERS, EntryPoint, UnitEvidence

__all__ = ["QUICK_TOP", "QUICK_UP_TO", "CapacityInputs", "with_quick_counts"]

QUICK_UP_TO = 400
# Measured on the 2,000-person synthetic bank and the demo (benchmarks/entry_capacity.py,
# a shared 2-core machine): 0.3-0.7 s a unit (a quarter second of search, the rest
# reading the unit). Planning the 10 best-ranked units took the demo's run from 12.7 s
# to 20 s on the loaded machine, 5 to 11.2 s (within its noise), so 5 are planned: the
# units a pilot could start in. A quarter second finds the same counts as half a second
# there: the first solutions are near the bound, the rest is proof.
QUICK_TOP = 5
TIME_LIMIT = 0.25
SOURCE = "ability_to_free_capacity"
ESTIMATE = "decisions and exposure alone (people they free for 75% without any handoff)"


@dataclass(frozen=True)
class CapacityInputs:
    """What the planner reads: the organization's tables, indexed people with their
    unit and whether they supervise, and the inventory after the decisions the estimate
    applied (applied once for every unit)."""

    people: pd.DataFrame  # indexed by person_id, with unit_id
    supervisor: pd.Series  # bool by person_id
    activities: pd.DataFrame
    allocations: pd.DataFrame
    after: CapacityAfterDecisions


def _planned(unit: UnitEvidence, inputs: CapacityInputs) -> UnitEvidence:
    mine = inputs.people[inputs.people["unit_id"] == unit.unit_id]
    workers = [p for p in mine.index if not inputs.supervisor.get(p, False)]
    if len(workers) < MIN_VOLUNTEERS:  # no handoff makes a pilot group of them
        return _estimated(unit, f"fewer than {MIN_VOLUNTEERS} people who could be freed")
    allocations = inputs.allocations[inputs.allocations["person_id"].astype(str).isin(mine.index)]
    # Supervisors coach, so they are not counted as freed; they may still take work.
    count = quick_freeable(
        mine.reset_index(), inputs.activities, allocations, workers,
        after=inputs.after, time_limit=TIME_LIMIT,
    )  # fmt: skip
    proof = "proven best" if count.status == "optimal" else f"best found, at most {count.bound}"
    source = (
        f"{count.method} ({TIME_LIMIT:g} s; {proof}): {count.freeable} of "
        f"{count.candidates} people freed for 75% with work handed to colleagues in the "
        f"unit; decisions alone free {count.by_decisions}"
    )
    return dataclasses.replace(
        unit, freeable_volunteers=count.freeable, sources={**unit.sources, SOURCE: source}
    )


def _estimated(unit: UnitEvidence, why: str) -> UnitEvidence:
    return dataclasses.replace(unit, sources={**unit.sources, SOURCE: f"{ESTIMATE}: {why}"})


def with_quick_counts(
    units: Sequence[UnitEvidence], first: Sequence[EntryPoint], inputs: CapacityInputs
) -> list[UnitEvidence]:
    """``units`` with the planner's count on the best-ranked small units (by ``first``,
    the ranking from the estimate), and every other unit's source saying why not."""
    known = [u for u in units if u.freeable_volunteers is not None]
    by_id = {u.unit_id: u for u in known}
    small = [
        e.unit_id for e in first if e.unit_id in by_id and by_id[e.unit_id].people <= QUICK_UP_TO
    ]
    planned = set(small[:QUICK_TOP])
    out = []
    for unit in units:
        if unit.freeable_volunteers is None:
            out.append(unit)  # not known to this account: the planner would not be either
        elif unit.unit_id in planned:
            out.append(_planned(unit, inputs))
        elif unit.people > QUICK_UP_TO:
            out.append(
                _estimated(unit, f"more than {QUICK_UP_TO} people, too many for the quick planner")
            )
        else:
            out.append(
                _estimated(unit, f"not among the {QUICK_TOP} best-ranked units the planner counts")
            )
    return out
