"""CP-SAT models of the workgroup problem: a feasible start, and the exact optimum.

Both share the assignment model: ``x[i, g]`` says person ``i`` is in group ``g``, with
every size box, pin, must-link block, apart class and balance bound as a constraint.
Interchangeable groups (neither fixed nor existing) are ordered by their first member,
which removes the K! relabellings of one partition. For the optimum, ``p[i, j]`` may be
1 only when ``i`` and ``j`` share a group, and the model maximizes ``sum d_ij p_ij``
(distances scaled to integers). Triangle clauses (``p_ij and p_jk imply p_ik``) are
redundant but prune the search.

The bound of this model is weak (a person's best ``s - 1`` partners), so CP-SAT proves
optimality in seconds only up to about 12-14 people; ``MAX_EXACT_PEOPLE`` caps the exact
method at 24 and the time limit makes larger cases return their best partition unproved.
The search runs on one worker, so a run is deterministic.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from smartmoves.engines.teams._plan import REFUSED, Plan
from smartmoves.errors import ConfigError, InfeasibleError

__all__ = ["MAX_EXACT_PEOPLE", "ExactSolution", "solve_exact"]

MAX_EXACT_PEOPLE = 24


@dataclass(frozen=True)
class ExactSolution:
    """Group codes found by CP-SAT, whether they are proved optimal, and the upper bound
    on diversity CP-SAT holds at the end (NaN when only feasibility was asked)."""

    codes: np.ndarray
    optimal: bool
    bound: float


def _scale(d: np.ndarray) -> float:
    """Integer units per unit of distance: the largest distance becomes 10^6."""
    return 1e6 / max(float(d.max()), 1e-12)


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


def _pair_possible(plan: Plan, i: int, j: int) -> bool:
    pi, pj = plan.pinned[i], plan.pinned[j]
    if pi >= 0 and pj >= 0 and pi != pj:
        return False
    return not (plan.apart[i] >= 0 and plan.apart[i] == plan.apart[j])


def _add_objective(model: Any, x: dict[tuple[int, int], Any], plan: Plan, d: np.ndarray) -> dict:
    n, k = plan.size, plan.groups
    weights = np.rint(d * _scale(d)).astype(np.int64)
    pairs: dict[tuple[int, int], Any] = {}
    for i, j in itertools.combinations(range(n), 2):
        same_block = plan.block[i] >= 0 and plan.block[i] == plan.block[j]
        if same_block or not _pair_possible(plan, i, j):
            continue
        p = model.new_bool_var(f"p{i}_{j}")
        pairs[i, j] = p
        for g in range(k):
            if (i, g) in x:
                clause = [~p, ~x[i, g]] + ([x[j, g]] if (j, g) in x else [])
                model.add_bool_or(clause)
    for i, j, m in itertools.combinations(range(n), 3):
        if (i, j) in pairs and (j, m) in pairs and (i, m) in pairs:
            a, b, c = pairs[i, j], pairs[j, m], pairs[i, m]
            model.add_bool_or([~a, ~b, c])
            model.add_bool_or([~a, ~c, b])
            model.add_bool_or([~b, ~c, a])
    most = int(plan.hi.max()) - 1
    for i in range(n):
        model.add(sum(v for (a, b), v in pairs.items() if i in (a, b)) <= most)
    model.maximize(sum(int(weights[i, j]) * v for (i, j), v in pairs.items()))
    return pairs


def solve_exact(
    distances: np.ndarray | None,
    plan: Plan,
    *,
    hint: np.ndarray | None = None,
    time_limit: float = 60.0,
    seed: int = 0,
) -> ExactSolution:
    """The best partition CP-SAT finds within ``time_limit``, proved optimal or not.

    With ``distances=None`` only a feasible partition is sought (any size of input).

    Raises
    ------
    InfeasibleError
        When CP-SAT proves that no partition keeps every constraint, or finds none in time.
    ConfigError
        The optimum is asked for more than ``MAX_EXACT_PEOPLE`` people.
    """
    from ortools.sat.python import cp_model

    if distances is not None and plan.size > MAX_EXACT_PEOPLE:
        raise ConfigError(
            f"the exact method handles at most {MAX_EXACT_PEOPLE} people, not {plan.size}"
        )
    model, x = _assignment_model(plan)
    pairs = _add_objective(model, x, plan, distances) if distances is not None else {}
    if hint is not None:
        for (i, g), v in x.items():
            model.add_hint(v, bool(hint[i] == g))
        for (i, j), v in pairs.items():
            model.add_hint(v, bool(hint[i] == hint[j]))
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
    bound = np.nan
    if distances is not None:
        # Pairs inside a must-link block are together in every partition: not in the model.
        inside = sum(distances[np.ix_(b, b)].sum() / 2 for b in plan.blocks)
        bound = solver.best_objective_bound / _scale(distances) + inside
    return ExactSolution(codes, status == cp_model.OPTIMAL, float(bound))
