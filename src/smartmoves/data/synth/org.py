"""Units and people of the synthetic bank: hierarchy, teams, supervisors, attributes.

People are numbered so that every team, unit and division is a contiguous range
(executive team first, then the units in :data:`~.spec.UNITS` order, team by team with
the supervisor first). The interaction generator relies on that order to pick
colleagues with one multiplication instead of a lookup.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartmoves.data.synth.catalog import catalog
from smartmoves.data.synth.people import draw_choice, people_frame
from smartmoves.data.synth.spec import BANK_ID, BANK_NAME, BEST_ENTRY_POINT, DIVISIONS, UNITS

__all__ = ["EXEC_SIZE", "MIN_PEOPLE", "Org", "build_org", "team_sizes", "unit_sizes"]

EXEC_SIZE = 1 + len(DIVISIONS)
MIN_UNIT = 3
MIN_PEOPLE = EXEC_SIZE + MIN_UNIT * len(UNITS) + 4
# From this size on the entry point keeps at least ENTRY_FLOOR people, so that it can
# yield 15 volunteers and still leave comparison teams for the pilot's effect.
ENTRY_FLOOR, ENTRY_FLOOR_FROM = 48, 150
SECTION = 8  # teams per section manager


@dataclass
class Org:
    """The bank as frames (what gets written) and index arrays (what generators use).

    ``unit_of`` indexes rows of ``units``; ``team_start``/``team_size`` give each
    person's team as a range of people; ``unit_start``/``unit_size`` and
    ``division_start``/``division_size`` do the same per row of ``units``.
    """

    units: pd.DataFrame
    people: pd.DataFrame
    unit_of: np.ndarray
    team_of: np.ndarray
    team_start: np.ndarray
    team_size: np.ndarray
    unit_start: np.ndarray
    unit_size: np.ndarray
    division_start: np.ndarray
    division_size: np.ndarray
    teams: pd.DataFrame

    @property
    def n(self) -> int:
        return len(self.people)

    def unit_index(self, unit_id: str) -> int:
        return int(np.flatnonzero(self.units["unit_id"].to_numpy() == unit_id)[0])


def unit_sizes(people: int) -> np.ndarray:
    """Headcount of each unit in :data:`UNITS`, summing to ``people`` minus executives."""
    total = people - EXEC_SIZE
    shares = np.array([u.share for u in UNITS])
    raw = shares / shares.sum() * total
    sizes = np.maximum(MIN_UNIT, np.floor(raw)).astype(np.int64)
    entry = next(i for i, u in enumerate(UNITS) if u.unit_id == BEST_ENTRY_POINT)
    if people >= ENTRY_FLOOR_FROM:
        sizes[entry] = max(sizes[entry], ENTRY_FLOOR)
    order = np.argsort(-(raw - sizes), kind="stable")
    step = 0
    while sizes.sum() < total:
        sizes[order[step % len(order)]] += 1
        step += 1
    while sizes.sum() > total:
        floor = np.where(np.arange(len(sizes)) == entry, sizes[entry], MIN_UNIT)
        sizes[int(np.argmax(np.where(sizes > floor, sizes, -1)))] -= 1
    return sizes


def team_sizes(n: int, target: int) -> np.ndarray:
    """Split ``n`` people into teams of 3-15 (as equal as possible, about ``target``)."""
    count = max(-(-n // 15), round(n / target), 1)
    count = min(count, max(1, n // MIN_UNIT))
    sizes = np.full(count, n // count, dtype=np.int64)
    sizes[: n % count] += 1
    return sizes


def build_org(people: int, rng: np.random.Generator) -> Org:
    """Draw the bank's units and ``people`` people (see :mod:`.spec` for the design)."""
    sizes = unit_sizes(people)
    roles_by_family = catalog()["roles"]
    unit_rows = [(BANK_ID, BANK_NAME, "", "", "", "high", 4.0)]
    unit_rows += [
        (d.unit_id, d.name, BANK_ID, d.kind, d.position, d.champion_influence, d.leader_support)
        for d in DIVISIONS
    ]
    unit_rows += [
        (u.unit_id, u.name, u.parent_id, u.kind, u.position, u.champion_influence, u.leader_support)
        for u in UNITS
    ]
    n_rows = len(unit_rows)
    unit_of = np.zeros(people, dtype=np.int64)
    unit_of[:EXEC_SIZE] = np.arange(EXEC_SIZE)
    family = np.full(people, "EXEC", dtype=object)
    role = np.empty(people, dtype=object)
    role[0] = "Chief Executive Officer"
    role[1:EXEC_SIZE] = [d.leader_role for d in DIVISIONS]
    rank = np.zeros(people, dtype=np.int64)  # 0 member, 1 supervisor, 2 section, 3 head, 4+ exec
    rank[0], rank[1:EXEC_SIZE] = 5, 4
    manager = np.full(people, -1, dtype=np.int64)
    manager[1:EXEC_SIZE] = 0
    location = np.full(people, "Riverton head office", dtype=object)
    team_ids: list[str] = ["T-EXEC"]
    team_rows = [("T-EXEC", BANK_ID, 0, EXEC_SIZE)]
    team_of = np.zeros(people, dtype=np.int64)
    unit_start = np.zeros(n_rows, dtype=np.int64)
    unit_size = np.zeros(n_rows, dtype=np.int64)
    unit_start[:EXEC_SIZE], unit_size[:EXEC_SIZE] = np.arange(EXEC_SIZE), 1
    leader = {BANK_ID: 0} | {d.unit_id: i + 1 for i, d in enumerate(DIVISIONS)}
    division_leader = dict(leader)

    start = EXEC_SIZE
    for i, (spec, n) in enumerate(zip(UNITS, sizes, strict=True)):
        row = EXEC_SIZE + i
        unit_start[row], unit_size[row] = start, n
        ts = team_sizes(int(n), spec.team_size)
        tstart = start + np.concatenate([[0], np.cumsum(ts)[:-1]])
        local = np.repeat(np.arange(len(ts)), ts)
        idx = np.arange(start, start + n)
        is_sup = idx == tstart[local]
        unit_of[idx], family[idx] = row, spec.family
        team_of[idx] = len(team_ids) + local
        width = max(2, len(str(len(ts))))
        suffix = spec.unit_id.removeprefix("U-")
        for k in range(len(ts)):
            team_ids.append(f"T-{suffix}-{k + 1:0{width}d}")
            team_rows.append((team_ids[-1], spec.unit_id, int(tstart[k]), int(ts[k])))
        location[idx] = np.asarray(spec.locations, dtype=object)[local % len(spec.locations)]
        mix = [r for r in roles_by_family[spec.family] if not r.get("supervisor")]
        shares = np.array([r["share"] for r in mix])
        role[idx] = draw_choice(rng, tuple(r["role"] for r in mix), shares, int(n))
        sup_role = next(r["role"] for r in roles_by_family[spec.family] if r.get("supervisor"))
        sups = tstart
        ks = np.arange(len(ts))
        role[sups] = sup_role
        rank[sups] = 1
        rank[sups[ks % SECTION == 0]] = 2
        rank[sups[0]] = 3
        role[sups[ks % SECTION == 0]] = "Section manager"
        role[sups[0]] = f"Head of {spec.name}"
        manager[idx[~is_sup]] = tstart[local[~is_sup]]
        manager[sups] = np.where(ks % SECTION == 0, sups[0], sups[(ks // SECTION) * SECTION])
        manager[sups[0]] = division_leader[spec.parent_id]
        leader[spec.unit_id] = int(sups[0])
        start += int(n)

    teams = pd.DataFrame(team_rows, columns=["team_id", "unit_id", "start", "size"])
    team_start = teams["start"].to_numpy()[team_of]
    team_size = teams["size"].to_numpy()[team_of]
    division_start, division_size = _division_ranges(unit_start, unit_size, people)
    frame = people_frame(people, rng, unit_rows, unit_of, family, role, rank, manager)
    frame["team_id"] = np.asarray(team_ids, dtype=object)[team_of]
    frame["location"] = location
    units = pd.DataFrame(
        unit_rows,
        columns=[
            "unit_id",
            "name",
            "parent_id",
            "kind",
            "position",
            "champion_influence",
            "leader_support",
        ],
    )
    units.insert(5, "leader_id", [frame["person_id"].iat[leader[u]] for u in units["unit_id"]])
    # A factor of the units that do the work; the bank and its divisions leave it empty.
    units["teams_collaborate"] = [""] * EXEC_SIZE + [
        "true" if u.teams_collaborate else "false" for u in UNITS
    ]
    return Org(
        units,
        frame,
        unit_of,
        team_of,
        team_start,
        team_size,
        unit_start,
        unit_size,
        division_start,
        division_size,
        teams,
    )


def _division_ranges(
    unit_start: np.ndarray, unit_size: np.ndarray, people: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per units row: the range of people of its division (the whole bank for the bank)."""
    d_start = np.zeros(len(unit_start), dtype=np.int64)
    d_size = np.full(len(unit_start), people, dtype=np.int64)
    for i, d in enumerate(DIVISIONS):
        rows = [EXEC_SIZE + j for j, u in enumerate(UNITS) if u.parent_id == d.unit_id]
        lo, hi = unit_start[rows[0]], unit_start[rows[-1]] + unit_size[rows[-1]]
        for r in [1 + i, *rows]:
            d_start[r], d_size[r] = lo, hi - lo
    return d_start, d_size
