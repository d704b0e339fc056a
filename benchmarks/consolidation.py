"""Consolidation plan: CP-SAT at scale, and against greedy baselines on planted instances.

Run: ``.venv/bin/python benchmarks/consolidation.py [--quick]``

(a) A 5,000-person organization (300 activities, 200 volunteers), generated with a seed:
    time to plan, freed count, CP-SAT's bound and gap.
(b) Planted instances whose optimum is known by construction (every volunteer can be
    freed) but where first-fit greedies fall short: freed counts side by side for a
    naive greedy (written here), the engine's own greedy hint, and CP-SAT.

Timings on a shared machine are disturbed by other work: read them as orders of magnitude.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from smartmoves.engines.capacity.consolidate import plan_consolidation
from smartmoves.engines.capacity.consolidate._greedy import greedy_solution
from smartmoves.engines.capacity.consolidate._instance import Instance, build_instance
from smartmoves.engines.capacity.decisions import apply_decisions
from smartmoves.engines.capacity.decisions._tables import activity_table as _activities
from smartmoves.engines.capacity.decisions._tables import people_table as _people


def organization(seed: int, people: int = 5000, activities: int = 300, volunteers: int = 200):
    """A realistic organization: units with their own activities, shared admin work, skills
    that cover several activities, automation potential, and volunteers from a few units."""
    rng = np.random.default_rng(seed)
    units = [f"U{u:02d}" for u in range(40)]
    acts = pd.DataFrame(
        {
            "activity_id": [f"A{i:03d}" for i in range(activities)],
            "name": [f"activity {i}" for i in range(activities)],
            "skill": [f"S{i // 3:03d}" for i in range(activities)],  # a skill covers 3
            "automation_potential": rng.beta(2, 3, activities).round(2),
            "eliminable": rng.random(activities) < 0.03,
        }
    )
    shared = np.arange(10)  # admin activities everyone may do
    # Neighbouring units share some activities; far ones none.
    own = {u: 10 + (7 * i + np.arange(25)) % (activities - 10) for i, u in enumerate(units)}
    rows, staff = [], []
    for p in range(people):
        unit = units[p % len(units)]
        pid = f"P{p:05d}"
        contracted = float(rng.choice([40, 40, 40, 36, 32, 20]))
        k = int(rng.integers(3, 8))
        mine = np.concatenate([rng.choice(own[unit], k - 1, replace=False), rng.choice(shared, 1)])
        share = rng.dirichlet(np.ones(k))
        hours = np.round(share * contracted * rng.uniform(1.02, 1.1) * 2) / 2
        rows += [(pid, acts.activity_id[a], h) for a, h in zip(mine, hours, strict=True) if h > 0]
        extra = rng.choice(own[unit], 2, replace=False)
        skills = {acts.skill[a] for a in np.concatenate([mine, extra])}
        staff.append((pid, unit, contracted, ";".join(sorted(skills))))
    people_frame = pd.DataFrame(
        staff, columns=["person_id", "unit_id", "contracted_hours", "skills"]
    )
    allocations = pd.DataFrame(rows, columns=["person_id", "activity_id", "hours_per_week"])
    decided = acts[acts["automation_potential"] >= 0.7]["activity_id"]
    stopped = acts[acts["eliminable"]]["activity_id"]
    decisions = pd.DataFrame(
        {
            "activity_id": [*decided, *stopped],
            "decision": ["automate"] * len(decided) + ["stop"] * len(stopped),
        }
    ).drop_duplicates("activity_id", keep="last")
    pilot_units = set(units[:5])
    pool = people_frame[people_frame["unit_id"].isin(pilot_units)]["person_id"]
    chosen = list(rng.choice(pool.to_numpy(), size=volunteers, replace=False))
    return people_frame, acts, allocations, decisions, chosen


def naive_greedy(inst: Instance, max_pilot: int) -> int:
    """First come, first served: volunteers in application order, each activity to the
    qualified receivers with the most room first; freed only if all of the need fits."""
    room = [r.room for r in inst.receivers]
    freed = 0
    for vol in inst.volunteers:
        if freed >= max_pilot:
            break
        left = vol.need
        taken: dict[int, int] = {}
        for activity, centi in vol.gives:
            can = min(centi // 100, left)
            for r in sorted(inst.qualified.get(activity, ()), key=lambda r: -room[r]):
                take = min(can, room[r] - taken.get(r, 0))
                if take > 0:
                    taken[r] = taken.get(r, 0) + take
                    can, left = can - take, left - take
        if left == 0:
            freed += 1
            for r, hours in taken.items():
                room[r] -= hours
    return freed


def planted(seed: int, blocks: int):
    """Blocks of two volunteers that can both be freed, but not the way greedies pick.

    Each volunteer keeps 10 h of ``desk`` work nobody else can take (25% of 40 h).
    Type 1 (traps "most room first"): v1 gives X (receivers r1, r2), v2 gives Y (only r1);
    r1 has more room, so X goes to r1 and v2 is stuck. Type 2 (traps "biggest activity
    first"): v1 can free itself with X or Y (equal hours), v2 only with X, whose one
    receiver has room for just one of them. The optimum frees everyone.
    """
    rng = np.random.default_rng(seed)
    people: list[tuple[str, str]] = []
    alloc: list[tuple[str, str, float]] = []
    acts: list[tuple[str, str, str | None]] = [("desk", "desk work", None)]
    volunteers: list[str] = []
    for b in range(blocks):
        need = int(rng.integers(6, 11))
        x, y = f"X{b:03d}", f"Y{b:03d}"
        acts += [(x, x, f"s{x}"), (y, y, f"s{y}")]
        v1, v2, r1, r2 = (f"B{b:03d}{s}" for s in ("v1", "v2", "r1", "r2"))
        if b % 2 == 0:
            people += [(v1, ""), (v2, ""), (r1, f"s{x};s{y}"), (r2, f"s{x}")]
            alloc += [
                (v1, x, need),
                (v2, y, need),
                (r1, "idle", 38 - need),
                (r2, "idle", 40 - need),
            ]
        else:
            later = need + int(rng.integers(1, 4))
            people += [(v1, ""), (v2, ""), (r1, f"s{x}"), (r2, f"s{y}")]
            alloc += [(v1, x, need), (v1, y, need), (v1, "desk", 10 - need), (v2, x, later)]
            alloc += [(r1, "idle", 40 - later), (r2, "idle", 40 - need)]
        alloc += [(v1, "desk", 10), (v2, "desk", 10)] if b % 2 == 0 else [(v2, "desk", 10)]
        volunteers += [v1, v2]
    order = rng.permutation(len(volunteers))
    frame = pd.DataFrame(people, columns=["person_id", "skills"]).assign(unit_id="U")
    activities = pd.DataFrame(
        [*acts, ("idle", "other work", None)], columns=["activity_id", "name", "skill"]
    )
    allocations = pd.DataFrame(alloc, columns=["person_id", "activity_id", "hours_per_week"])
    allocations = allocations[allocations["hours_per_week"] > 0]
    return frame, activities, allocations, [volunteers[i] for i in order]


def _instance(people, activities, allocations, decisions, volunteers) -> Instance:
    """The engine's integer problem, for the greedy baselines to work on the same terms."""
    after = apply_decisions(people, activities, allocations, decisions)
    folks, acts = _people(people), _activities(activities)
    return build_instance(
        after,
        dict(zip(folks["person_id"], folks["skills"], strict=True)),
        dict(zip(acts["activity_id"], acts["skill"], strict=True)),
        dict(zip(acts["activity_id"], acts["name"], strict=True)),
        list(volunteers),
        target_free=0.75,
        max_load=1.0,
    )


def at_scale(seed: int, max_pilot: int, time_limit: float) -> None:
    people, acts, allocations, decisions, volunteers = organization(seed)
    started = time.perf_counter()
    plan = plan_consolidation(
        people,
        acts,
        allocations,
        volunteers,
        decisions=decisions,
        max_pilot=max_pilot,
        time_limit=time_limit,
        seed=seed,
    )
    seconds = time.perf_counter() - started
    inst = _instance(people, acts, allocations, decisions, volunteers)
    hint = len(greedy_solution(inst, max_pilot).freed)
    naive = naive_greedy(inst, max_pilot)
    stages = ", ".join(f"{s.objective} {s.status} {s.seconds:.1f}s" for s in plan.stages)
    print(
        f"max_pilot={max_pilot:3d}: {seconds:5.1f} s to plan; freed {plan.objective['freed_count']}"
        f" (bound {plan.bound}, gap {plan.gap:.3f}, status {plan.status}); "
        f"max load {plan.objective['max_receiver_load']:.3f}, "
        f"{plan.objective['handoff_count']} handoffs | greedy hint {hint}, naive greedy {naive}"
    )
    print(f"    stages: {stages}")


def side_by_side(seeds: range, blocks: int, time_limit: float) -> None:
    print(f"{'seed':>4} {'planted':>8} {'naive':>6} {'hint':>6} {'CP-SAT':>7} {'gap':>6} {'s':>6}")
    for seed in seeds:
        people, acts, allocations, volunteers = planted(seed, blocks)
        inst = _instance(people, acts, allocations, None, volunteers)
        started = time.perf_counter()
        plan = plan_consolidation(
            people, acts, allocations, volunteers, min_pilot=0, max_pilot=len(volunteers),
            time_limit=time_limit, seed=seed,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        print(
            f"{seed:>4} {len(volunteers):>8} {naive_greedy(inst, len(volunteers)):>6} "
            f"{len(greedy_solution(inst, len(volunteers)).freed):>6} "
            f"{plan.objective['freed_count']:>7} {plan.gap:>6.3f} {seconds:>6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    args = parser.parse_args()
    limit = 10.0 if args.quick else 60.0
    print("(a) 5,000 people, 300 activities, 200 volunteers (time_limit", limit, "s)")
    for max_pilot in (60, 200):
        at_scale(0, max_pilot, limit)
    print("\n(b) planted instances, freed volunteers: naive greedy vs the engine's greedy")
    print("    hint vs CP-SAT (the planted optimum frees every volunteer)")
    side_by_side(range(3 if args.quick else 5), 20 if args.quick else 50, limit / 2)


if __name__ == "__main__":
    main()
