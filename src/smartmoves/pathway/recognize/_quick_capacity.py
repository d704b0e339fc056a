"""How many of a unit's people could be freed for 75%: the consolidation planner in a
quick mode (``engines/capacity/consolidate/_quick.py``) instead of counting only those
the decisions alone free.

The planner hands the remaining work of those it frees to their colleagues in the unit
(work stays in the unit before a pilot exists), so it frees at least as many as the
decisions alone. It runs per unit on units of at most ``QUICK_UP_TO`` people, and only on
the ``QUICK_TOP`` best-ranked of them by the first reading: the whole demo's run must
stay within 10 s (and a large bank's within minutes), and a unit ranked far down is not
where a pilot starts. Every other
unit keeps the decisions-only count, and its source says why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from smartmoves.engines.capacity.consolidate import QUICK_TIME_LIMIT, quick_freeable
from smartmoves.engines.entry import EntryPoint, UnitEvidence

__all__ = ["QUICK_TOP", "QUICK_UP_TO", "CapacityInputs", "with_quick_counts"]

QUICK_UP_TO = 400
# Measured on the 2,000-person synthetic bank (benchmarks/entry_capacity.py): about 0.1 s
# a unit, the whole run 5.1 s against 4.1 s without the planner. 40 units cover every
# unit of the demo; a 100,000-person bank adds at most 40 x 0.5 s.
QUICK_TOP = 40
SOURCE = "ability_to_free_capacity"
ESTIMATE = "decisions and exposure alone (people they free for 75% without any handoff)"


@dataclass(frozen=True)
class CapacityInputs:
    """What the planner reads: the organization's tables, indexed people with their
    unit and whether they supervise, and the decisions the estimate applied."""

    people: pd.DataFrame  # indexed by person_id, with unit_id
    supervisor: pd.Series  # bool by person_id
    activities: pd.DataFrame
    allocations: pd.DataFrame
    decisions: pd.DataFrame
    exposure: object


def _planned(unit: UnitEvidence, inputs: CapacityInputs) -> UnitEvidence:
    mine = inputs.people[inputs.people["unit_id"] == unit.unit_id]
    workers = [p for p in mine.index if not inputs.supervisor.get(p, False)]
    allocations = inputs.allocations[inputs.allocations["person_id"].astype(str).isin(mine.index)]
    # Supervisors coach, so they are not counted as freed; they may still take work.
    count = quick_freeable(
        mine.reset_index(), inputs.activities, allocations, workers,
        decisions=inputs.decisions, exposure=inputs.exposure,
    )  # fmt: skip
    proof = "proven best" if count.status == "optimal" else f"best found, at most {count.bound}"
    source = (
        f"{count.method} ({QUICK_TIME_LIMIT:g} s; {proof}): {count.freeable} of "
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
