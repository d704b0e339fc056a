"""The consolidation problem in whole numbers: who must hand off what, and who can take it.

Hours come from :func:`apply_decisions` in hundredths of an hour ("centi-hours"); what
moves between people is whole hours, so a volunteer can hand off at most the whole hours
of each remaining activity and keeps any fraction.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import require_columns
from smartmoves.engines.capacity.decisions import CapacityAfterDecisions
from smartmoves.engines.capacity.decisions._tables import cell_text
from smartmoves.errors import DataError

__all__ = ["Instance", "Receiver", "Volunteer", "build_instance", "volunteer_ids"]


@dataclass(frozen=True)
class Volunteer:
    """A candidate pilot member. Hour figures in centi-hours; ``need`` in whole hours."""

    person_id: str
    contracted: int
    original: int
    automated: int
    stopped: int
    remaining: int
    allowed: int  # what they may keep: (1 - target_free) x contracted
    need: int  # whole hours to hand off so that remaining - need x 100 <= allowed
    gives: tuple[tuple[str, int], ...]  # (activity_id, remaining centi-hours), > 0 only

    def capacity(self, activity: str) -> int:
        """Whole hours of ``activity`` this volunteer could hand off."""
        return dict(self.gives).get(activity, 0) // 100


@dataclass(frozen=True)
class Receiver:
    """A non-volunteer who could take work. ``room`` in whole hours, the rest centi-hours."""

    person_id: str
    contracted: int
    load: int
    room: int


@dataclass(frozen=True)
class Instance:
    """Everything the optimizer and the explanations need, ids resolved to indices.

    ``qualified[a]`` lists the receivers (indices) qualified for activity ``a`` with at
    least one whole hour of room; ``qualified_anyone[a]`` counts qualified non-volunteers
    whatever their room, so an explanation can tell "nobody" from "nobody with room".
    """

    volunteers: tuple[Volunteer, ...]
    receivers: tuple[Receiver, ...]
    qualified: dict[str, tuple[int, ...]]
    qualified_anyone: dict[str, int]
    activity_names: dict[str, str]
    target_free: float
    max_load: float
    # Receiver index -> volunteer index, for volunteers who may take work when not freed
    # (the quick count, where anyone may be freed and whoever is not takes work).
    receiver_of: dict[int, int] = field(default_factory=dict)

    def pairs(self) -> list[tuple[int, str, int]]:
        """(volunteer index, activity, whole hours) a volunteer could hand to someone."""
        return [
            (v, a, centi // 100)
            for v, vol in enumerate(self.volunteers)
            for a, centi in vol.gives
            if centi >= 100 and self.qualified.get(a)
        ]


def volunteer_ids(volunteers: pd.DataFrame | Iterable[object], known: set[str]) -> list[str]:
    """The volunteers' person_ids in input order, once each; unknown ids fail."""
    if isinstance(volunteers, pd.DataFrame):
        require_columns(volunteers, ["person_id"], what="volunteers")
        volunteers = volunteers["person_id"]
    ids = [t for t in (cell_text(v) for v in volunteers) if t is not None]
    unknown = sorted({i for i in ids if i not in known})
    if unknown:
        raise DataError(f"volunteers not in people: {', '.join(unknown[:10])}")
    return list(dict.fromkeys(ids))


def _centi(value: Any) -> int:
    return round(float(value) * 100)


def build_instance(
    after: CapacityAfterDecisions,
    skills: dict[str, frozenset[str]],
    activity_skill: dict[str, str | None],
    activity_names: dict[str, str],
    volunteers: list[str],
    *,
    target_free: float,
    max_load: float,
    unfreed_receive: bool = False,
) -> Instance:
    """Turn the inventory after decisions into the integer consolidation problem.

    With ``unfreed_receive`` volunteers are receivers too: the model lets one take work
    only when they are not freed."""
    alloc = after.allocations
    people = after.people.set_index("person_id")
    chosen = set(volunteers)

    per_person: dict[str, list[tuple[str, int]]] = defaultdict(list)
    keep = alloc[alloc["person_id"].isin(chosen) & (alloc["remaining"] > 0)]
    for person, activity, rest in zip(
        keep["person_id"], keep["activity_id"], keep["remaining"], strict=True
    ):
        per_person[person].append((activity, _centi(rest)))

    vols = []
    for pid in volunteers:
        row = people.loc[pid]
        hours, remaining = _centi(row["contracted_hours"]), _centi(row["remaining"])
        allowed = math.floor((1.0 - target_free) * hours + 1e-6)
        vols.append(
            Volunteer(
                person_id=pid,
                contracted=hours,
                original=_centi(row["hours"]),
                automated=_centi(row["automated"]),
                stopped=_centi(row["stopped"]),
                remaining=remaining,
                allowed=allowed,
                need=max(0, -((allowed - remaining) // 100)),
                gives=tuple(sorted(per_person.get(pid, []))),
            )
        )

    # Who is qualified for each activity a volunteer hands off: non-volunteers who
    # already do it (before decisions: a stopped activity is still known) or have its skill.
    wanted = {a for vol in vols for a, _ in vol.gives}
    doers = alloc[alloc["activity_id"].isin(wanted) & (alloc["hours"] > 0)]
    # Whoever may not receive: the volunteers, unless those not freed may.
    barred = set() if unfreed_receive else chosen
    doers = doers[~doers["person_id"].isin(barred)]
    able: dict[str, set[str]] = defaultdict(set)
    for person, activity in zip(doers["person_id"], doers["activity_id"], strict=True):
        able[activity].add(person)
    by_skill: dict[str, set[str]] = defaultdict(set)
    for person, owned in skills.items():
        if person not in barred:
            for owned_skill in owned:
                by_skill[owned_skill].add(person)
    for activity in wanted:
        skill = activity_skill.get(activity)
        if skill:
            able[activity] |= by_skill.get(skill, set())

    candidates = sorted(set().union(*able.values()) if able else set())
    table = people.reindex(candidates)
    contracted = np.round(table["contracted_hours"].to_numpy(dtype=float) * 100).astype(int)
    load = np.round(table["remaining"].to_numpy(dtype=float) * 100).astype(int)
    room = np.floor((max_load * contracted - load) / 100 + 1e-6).astype(int).clip(min=0)
    receivers: list[Receiver] = []
    index: dict[str, int] = {}
    for i, pid in enumerate(candidates):
        if room[i] >= 1:
            index[pid] = len(receivers)
            receivers.append(Receiver(pid, int(contracted[i]), int(load[i]), int(room[i])))
    qualified = {
        a: tuple(sorted(index[p] for p in able.get(a, ()) if p in index)) for a in sorted(wanted)
    }
    position = {pid: v for v, pid in enumerate(volunteers)}
    return Instance(
        volunteers=tuple(vols),
        receivers=tuple(receivers),
        qualified=qualified,
        qualified_anyone={a: len(able.get(a, ())) for a in sorted(wanted)},
        activity_names=activity_names,
        target_free=target_free,
        max_load=max_load,
        receiver_of={
            r: position[rec.person_id]
            for r, rec in enumerate(receivers)
            if rec.person_id in position
        },
    )
