"""Solving the lexicographic objective in three CP-SAT stages.

1. Maximize the volunteers freed.
2. With that count fixed, minimize the largest load share among receivers. For a given
   level every receiver's room simply shrinks, so the stage is a bisection over levels
   (in thousandths of contracted hours) where each probe is the stage-1 problem: fast,
   and its "infeasible" answers prove the level optimal. A single min-max objective
   would need a "receives anything" switch per person, whose weak LP bound kept CP-SAT
   from proving even small optima within seconds.
3. With both fixed, minimize the handoffs.

Staging is exact for a lexicographic order and keeps coefficients small; a weighted sum
would need weights above the range of every later objective, which weakens CP-SAT's
bounds. The stages share ``time_limit``; each returns its value, bound and status.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from smartmoves.engines.capacity.consolidate._greedy import Solution
from smartmoves.engines.capacity.consolidate._instance import Instance
from smartmoves.engines.capacity.consolidate._model import (
    PER_MILLE,
    add_handoff_count,
    build_flow_model,
    cap_receivers,
    hint_plan,
    largest_load,
    read_plan,
)

__all__ = ["Stage", "solve_stages"]


@dataclass(frozen=True)
class Stage:
    """One stage's outcome: its objective value, proven bound, status and seconds."""

    objective: str
    value: float
    bound: float
    status: str
    seconds: float


def _solver(workers: int, seed: int, seconds: float, *, core: bool = False) -> Any:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.optimize_with_core = core
    return solver


def solve_stages(
    inst: Instance,
    *,
    max_pilot: int,
    time_limit: float,
    workers: int,
    seed: int,
    hint: Solution,
) -> tuple[Solution, list[Stage]]:
    """The best plan found within ``time_limit`` seconds, and each stage's outcome.

    ``hint`` must be a feasible plan (the greedy one): every stage starts from the best
    plan so far and falls back to it when the solver finds nothing in its time.
    """
    from ortools.sat.python import cp_model

    found = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}
    deadline = time.monotonic() + time_limit
    plan, stages = hint, []

    # Stage 1: most volunteers freed.
    started = time.monotonic()
    model = cp_model.CpModel()
    x = build_flow_model(model, inst, max_pilot)
    hint_plan(model, x, plan)
    model.maximize(sum(x["free"]))
    solver = _solver(workers, seed, (deadline - time.monotonic()) * 0.5)
    status = solver.solve(model)
    if status in found and round(solver.objective_value) >= len(plan.freed):
        plan = read_plan(x, solver.value)
    freed = len(plan.freed)
    bound = max(freed, min(max_pilot, int(solver.best_objective_bound + 1e-6)))
    stages.append(
        Stage("freed_count", freed, bound, _name(found, status), time.monotonic() - started)
    )
    model.add(sum(x["free"]) >= freed)

    # Stage 2: bisect the largest receiver load share.
    started = time.monotonic()
    low, high, proven = 0, largest_load(inst, plan), True
    stage_end = time.monotonic() + (deadline - time.monotonic()) * 0.5
    while low < high:
        level = (low + high) // 2
        probe = model.clone()
        cap_receivers(probe, inst, x, level)
        hint_plan(probe, x, plan)
        solver = _solver(workers, seed, stage_end - time.monotonic())
        status = solver.solve(probe)
        if status in found:
            plan = read_plan(x, solver.value)
            high = largest_load(inst, plan)
        elif status == cp_model.INFEASIBLE:
            low = level + 1
        else:  # out of time: the level stays unproven
            proven = False
            break
    stage = Stage(
        "max_receiver_load",
        high / PER_MILLE,
        low / PER_MILLE,
        "optimal" if proven else "feasible",
        time.monotonic() - started,
    )
    stages.append(stage)
    cap_receivers(model, inst, x, high)

    # Stage 3: fewest handoffs.
    started = time.monotonic()
    count = add_handoff_count(model, inst, x, high)
    hint_plan(model, x, plan)
    model.minimize(count)
    solver = _solver(workers, seed, deadline - time.monotonic(), core=x["exact"])
    status = solver.solve(model)
    if status in found:
        plan = read_plan(x, solver.value)
    # Counted by its spanning-tree upper bound, the handoffs are good but not proven fewest.
    exact = x["exact"]
    stages.append(
        Stage(
            "handoff_count",
            len(plan.handoffs),
            solver.best_objective_bound if status in found and exact else float("nan"),
            _name(found, status) if exact else "feasible",
            time.monotonic() - started,
        )
    )
    return plan, stages


def _name(found: dict[Any, str], status: Any) -> str:
    return found.get(status, "unknown")
