"""The exact optimum of the workgroup problem, and a feasible start by CP-SAT.

The optimum (``distances`` given) comes from the set-partitioning bound in
``_columns``: every allowed group is listed, column generation prices people until the
linear bound is tight, groups that cannot be in a partition as good as the exchange
search's are ruled out, and a small MILP over the rest is solved to proven optimality.
Measured (one thread, shared 2-core machine; 180 seeded cases with N = 18..24, all
proved): N=24 in 4-6 groups in 0.3-1.5 s, in 3 groups 2-3 s, in 2 groups (exhaustive)
1-2 s; the former CP-SAT pair model (``p[i, j]`` per pair, bound
from each person's best partners) proved only up to about N=16 and left N=20 in 4
groups unproved after 100 s. ``MAX_EXACT_PEOPLE`` caps the method at 24 people: the
lists hold up to 2^24 subsets.

A feasible partition alone (``distances=None``, any size of input) is asked of CP-SAT
with the assignment model: ``x[i, g]`` says person ``i`` is in group ``g``, with every
size box, pin, must-link block, apart class and balance bound as a constraint, and
interchangeable groups ordered by their first member. It runs on one worker, so a run
is deterministic.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from smartmoves.engines.teams._columns import solve_by_columns
from smartmoves.engines.teams._plan import REFUSED, Plan
from smartmoves.errors import ConfigError, InfeasibleError

__all__ = ["MAX_EXACT_PEOPLE", "ExactSolution", "solve_exact"]

MAX_EXACT_PEOPLE = 24


@dataclass(frozen=True)
class ExactSolution:
    """Group codes found, whether they are proved optimal, and the upper bound on
    diversity held at the end (NaN when only feasibility was asked)."""

    codes: np.ndarray
    optimal: bool
    bound: float


def _allowed(plan: Plan) -> np.ndarray:
    """Which person may be in which group: pins, then order among interchangeable groups."""
    n, k = plan.size, plan.groups
    allowed = np.ones((n, k), dtype=bool)
    pinned = plan.pinned >= 0
    allowed[pinned] = False
    allowed[np.flatnonzero(pinned), plan.pinned[pinned]] = True
    loose = np.flatnonzero(~plan.named)
    # The t-th unpinned person can only open the t-th interchangeable group (or earlier).
    for rank, i in enumerate(np.flatnonzero(~pinned)):
        allowed[i, loose[rank + 1 :]] = False
    return allowed


def _assignment_model(plan: Plan) -> tuple[Any, dict[tuple[int, int], Any]]:
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    allowed = _allowed(plan)
    x = {(i, g): model.new_bool_var(f"x{i}_{g}") for i, g in zip(*np.nonzero(allowed), strict=True)}
    x = {(int(i), int(g)): v for (i, g), v in x.items()}
    for i in range(plan.size):
        model.add_exactly_one(x[i, g] for g in range(plan.groups) if (i, g) in x)
    for g in range(plan.groups):
        members = [x[i, g] for i in range(plan.size) if (i, g) in x]
        model.add(sum(members) >= int(plan.lo[g]))
        model.add(sum(members) <= int(plan.hi[g]))
    for block in plan.blocks:
        first = int(block[0])
        for i, g in itertools.product(block[1:], range(plan.groups)):
            a, b = x.get((first, g)), x.get((int(i), g))
            if a is not None and b is not None:
                model.add(a == b)
            elif a is not None or b is not None:
                model.add((a if a is not None else b) == 0)
    for c in range(int(plan.apart.max(initial=-1)) + 1):
        people = np.flatnonzero(plan.apart == c)
        for g in range(plan.groups):
            model.add_at_most_one(x[int(i), g] for i in people if (int(i), g) in x)
    for c in range(len(plan.balance_hi)):
        people = np.flatnonzero(plan.balance == c)
        for g in range(plan.groups):
            held = sum(x[int(i), g] for i in people if (int(i), g) in x)
            model.add_linear_constraint(held, int(plan.balance_lo[c]), int(plan.balance_hi[c]))
    return model, x


def _exchange_start(distances: np.ndarray, plan: Plan, seed: int) -> np.ndarray:
    from smartmoves.engines.teams._exchange import exchange_search

    return exchange_search(
        distances,
        plan,
        restarts=30,
        rng=np.random.default_rng(seed),
        fallback=lambda: solve_exact(None, plan, time_limit=20.0, seed=seed).codes,
    )


def solve_exact(
    distances: np.ndarray | None,
    plan: Plan,
    *,
    hint: np.ndarray | None = None,
    time_limit: float = 60.0,
    seed: int = 0,
) -> ExactSolution:
    """The optimum partition, proved unless ``time_limit`` (seconds) runs out first.

    ``hint`` (group codes that keep the plan) is the start whose diversity rules groups
    out; without a valid one the exchange search (seeded by ``seed``) provides it. With
    ``distances=None`` only a feasible partition is sought, by CP-SAT (any size of input).

    Raises
    ------
    InfeasibleError
        When CP-SAT proves that no partition keeps every constraint, or finds none in time.
    ConfigError
        The optimum is asked for more than ``MAX_EXACT_PEOPLE`` people.
    """
    from ortools.sat.python import cp_model

    if distances is not None:
        if plan.size > MAX_EXACT_PEOPLE:
            raise ConfigError(
                f"the exact method handles at most {MAX_EXACT_PEOPLE} people, not {plan.size}"
            )
        found = solve_by_columns(
            distances, plan, hint, lambda: _exchange_start(distances, plan, seed), time_limit
        )
        return ExactSolution(found.codes, found.optimal, found.bound)
    model, x = _assignment_model(plan)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = time_limit
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        raise InfeasibleError(
            REFUSED, ["no partition keeps the sizes and every constraint at once"]
        )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise InfeasibleError(
            REFUSED,
            [
                f"no partition that keeps every constraint was found in {time_limit:g} s; "
                "the constraints are probably too tight"
            ],
        )
    codes = np.full(plan.size, -1)
    for (i, g), v in x.items():
        if solver.value(v):
            codes[i] = g
    return ExactSolution(codes, status == cp_model.OPTIMAL, np.nan)
