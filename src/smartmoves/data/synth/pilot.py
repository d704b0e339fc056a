"""The planted pilot: which teams of the entry point run it and who volunteers.

The pilot runs in the collections teams of the most motivated supervisors (the seeds'
"motivated frontline supervisors"); its volunteers are people of those teams whose own
work is at least 76% automatable or eliminable, so each of them can be freed for the
seeds' 75% of their hours without loading it all onto colleagues. The other teams of the
unit are the comparison for the pilot's effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from smartmoves.data.synth.activities import Inventory
from smartmoves.data.synth.org import Org
from smartmoves.data.synth.spec import BEST_ENTRY_POINT

__all__ = ["MIN_VOLUNTEERS", "Pilot", "plan_pilot"]

MIN_VOLUNTEERS, MAX_VOLUNTEERS = 15, 60
QUALIFYING_SHARE = 0.76  # a margin above 75% so rounding never tips anyone below it
# Share of the entry point that volunteers, before the 15-60 limits: 0.22 plants 44 in the
# 2,000-person bank, so its demo pilot can select 40 freed volunteers (4 workgroups of 10).
VOLUNTEER_RATE = 0.22
# The pilot has run this many weeks by the end of the history (the demo's "eight weeks
# in"), or half the history when it is too short to give the weeks before it as many.
PILOT_WEEKS = 8


@dataclass(frozen=True)
class Pilot:
    """Pilot teams, comparison teams, volunteers (person positions) and start week."""

    unit_id: str
    teams: tuple[str, ...]
    comparison: tuple[str, ...]
    volunteers: np.ndarray
    qualified: int
    start_week: int | None

    @property
    def feasible(self) -> bool:
        return MIN_VOLUNTEERS <= len(self.volunteers) <= MAX_VOLUNTEERS and bool(self.comparison)


def plan_pilot(org: Org, inventory: Inventory, weeks: int, rng: np.random.Generator) -> Pilot:
    """Choose pilot teams and volunteers in the entry point; raise their readiness.

    Mutates ``org.people["change_readiness"]``: pilot supervisors and volunteers are the
    motivated ones (that is what made these teams the pilot's).
    """
    people = org.people
    unit = org.unit_index(BEST_ENTRY_POINT)
    size = int(org.unit_size[unit])
    target = int(np.clip(round(VOLUNTEER_RATE * size), MIN_VOLUNTEERS, MAX_VOLUNTEERS))
    share = inventory.freeable_share(people["contracted_hours"].to_numpy(dtype=float))
    member = (org.unit_of == unit) & (people["is_supervisor"].to_numpy() == "false")
    qualified = member & (share >= QUALIFYING_SHARE)
    teams = org.teams[org.teams["unit_id"] == BEST_ENTRY_POINT].reset_index(drop=True)
    most = len(teams) - 1 if len(teams) > 1 else 1
    most = min(most, max(1, int(np.ceil(0.6 * len(teams)))))
    order = rng.permutation(len(teams))
    chosen: list[int] = []
    count = 0
    for t in order[:most]:
        chosen.append(int(t))
        lo, n = int(teams["start"].iat[t]), int(teams["size"].iat[t])
        count += int(qualified[lo : lo + n].sum())
        if count >= int(np.ceil(1.25 * target)):
            break
    chosen.sort()
    in_pilot = np.zeros(org.n, dtype=bool)
    for t in chosen:
        lo, n = int(teams["start"].iat[t]), int(teams["size"].iat[t])
        in_pilot[lo : lo + n] = True
    pool = np.flatnonzero(qualified & in_pilot)
    volunteers = np.sort(rng.choice(pool, size=min(target, len(pool)), replace=False))

    readiness = people["change_readiness"].to_numpy(dtype=float).copy()
    sups = teams["start"].to_numpy()[chosen]
    readiness[sups] = np.round(rng.uniform(4.4, 5.0, len(sups)), 1)
    readiness[volunteers] = np.maximum(
        readiness[volunteers], np.round(rng.uniform(3.8, 5.0, len(volunteers)), 1)
    )
    people["change_readiness"] = readiness
    ids = teams["team_id"].to_numpy()
    rest = [i for i in range(len(teams)) if i not in set(chosen)]
    return Pilot(
        BEST_ENTRY_POINT,
        tuple(str(x) for x in ids[chosen]),
        tuple(str(x) for x in ids[rest]),
        volunteers,
        int(qualified.sum()),
        _start_week(weeks),
    )


def _start_week(weeks: int) -> int | None:
    """The week the pilot starts: eight weeks before the end, keeping at least as many
    weeks before it; none when the history has under two weeks."""
    if weeks < 2:
        return None
    return max(weeks - PILOT_WEEKS, weeks // 2)
