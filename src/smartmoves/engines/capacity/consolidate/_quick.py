"""The consolidation planner in a quick mode: how many people could be freed at all.

Before any pilot there are no volunteers, so the question is not the plan but its size:
who could be freed for at least ``target_free`` of their hours if the others took their
remaining work. Anyone among the candidates may be freed, and whoever is not freed may
receive (``unfreed_receive``), which the full planner never allows (its volunteers are
the pilot's candidates). Only the first stage runs (most freed: the load and handoff
stages do not change the count), from the greedy plan, with one worker and a short
time limit: a count per unit in well under a second, proven where the search ends.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from smartmoves.engines._common import EngineResult, check_seed
from smartmoves.engines.capacity.consolidate._greedy import greedy_solution
from smartmoves.engines.capacity.consolidate._instance import build_instance, volunteer_ids
from smartmoves.engines.capacity.consolidate._model import build_flow_model, hint_plan
from smartmoves.engines.capacity.decisions import CapacityAfterDecisions, apply_decisions
from smartmoves.engines.capacity.decisions._tables import activity_table, people_table
from smartmoves.errors import ConfigError

__all__ = ["QUICK_TIME_LIMIT", "QuickCount", "quick_freeable"]

QUICK_TIME_LIMIT = 0.5
METHOD = "consolidation planner, quick mode"


@dataclass(frozen=True)
class QuickCount(EngineResult):
    """How many of ``candidates`` could be freed for ``target_free`` of their hours.

    ``freeable`` is the best count found; ``bound`` the most CP-SAT could not rule out
    (equal when ``status`` is ``optimal``); ``by_decisions`` how many the decisions alone
    free (no handoff needed); ``status`` ``optimal``, ``feasible`` (the time limit ended
    the search) or ``greedy`` (the solver found nothing in its time: the greedy plan).
    """

    freeable: int
    bound: int
    candidates: int
    by_decisions: int
    status: str
    method: str = METHOD

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.to_dict()])


def quick_freeable(
    people: pd.DataFrame,
    activities: pd.DataFrame,
    allocations: pd.DataFrame,
    candidates: Iterable[object] | None = None,
    *,
    decisions: pd.DataFrame | None = None,
    exposure: Any = None,
    target_free: float = 0.75,
    max_load: float = 1.0,
    unfreed_receive: bool = True,
    time_limit: float = QUICK_TIME_LIMIT,
    seed: int = 0,
    after: CapacityAfterDecisions | None = None,
) -> QuickCount:
    """The most people who could be freed for ``target_free`` of their contracted hours,
    their remaining work handed, in whole hours, to qualified people with room.

    Parameters
    ----------
    people, activities, allocations : DataFrame
        As for :func:`plan_consolidation`; receivers are found among ``people`` only.
    candidates : iterable of person_ids, optional
        Who may be freed (default: everyone in ``people``).
    decisions, exposure
        As for :func:`apply_decisions`.
    target_free, max_load : float
        As for :func:`plan_consolidation`.
    unfreed_receive : bool, default True
        Candidates not freed may take work. ``False`` is the full planner's rule
        (volunteers never receive), so that its count can be checked against it.
    time_limit : float, default 0.5
        Seconds for CP-SAT (one worker, seeded): the same inputs give the same count
        whenever the search ends by proof.
    seed : int, default 0
        CP-SAT's random seed.
    after : CapacityAfterDecisions, optional
        The decisions already applied to these people (or to more: only the rows of
        ``people`` are read), so that a caller counting unit after unit applies them
        once; ``decisions`` and ``exposure`` are then not used.

    Returns
    -------
    QuickCount

    Raises
    ------
    ConfigError
        ``target_free`` outside [0, 1], a ``max_load`` or ``time_limit`` not positive.
    DataError
        Malformed tables or unknown candidates.

    Examples
    --------
    Ana's 30 hours of billing fit beside Bo's 20: one of them can be freed, not both.

    >>> people = pd.DataFrame({"person_id": ["ana", "bo"], "unit_id": "u1"})
    >>> activities = pd.DataFrame({"activity_id": ["bill"], "name": ["Billing"]})
    >>> allocations = pd.DataFrame({"person_id": ["ana", "bo"], "activity_id": ["bill"] * 2,
    ...                             "hours_per_week": [30, 20]})
    >>> count = quick_freeable(people, activities, allocations)
    >>> count.freeable, count.status, count.by_decisions
    (1, 'optimal', 0)
    """
    check_seed(seed)
    if not 0.0 <= target_free <= 1.0:
        raise ConfigError(f"target_free must be between 0 and 1, not {target_free}")
    if not (max_load > 0 and math.isfinite(max_load)):
        raise ConfigError(f"max_load must be a positive number, not {max_load}")
    if not time_limit > 0:
        raise ConfigError(f"time_limit must be positive, not {time_limit}")
    folks, acts = people_table(people), activity_table(activities)
    if after is None:
        after = apply_decisions(people, activities, allocations, decisions, exposure=exposure)
    else:
        mine = set(folks["person_id"])
        after = dataclasses.replace(
            after,
            people=after.people[after.people["person_id"].isin(mine)],
            allocations=after.allocations[after.allocations["person_id"].isin(mine)],
        )
    known = set(folks["person_id"])
    chosen = volunteer_ids(folks["person_id"] if candidates is None else candidates, known)
    inst = build_instance(
        after,
        dict(zip(folks["person_id"], folks["skills"], strict=True)),
        dict(zip(acts["activity_id"], acts["skill"], strict=True)),
        dict(zip(acts["activity_id"], acts["name"], strict=True)),
        chosen,
        target_free=target_free,
        max_load=max_load,
        unfreed_receive=unfreed_receive,
    )
    by_decisions = sum(v.need == 0 for v in inst.volunteers)
    hint = greedy_solution(inst, len(chosen))
    if len(hint.freed) == len(chosen):  # everyone: nothing to search for
        return QuickCount(len(chosen), len(chosen), len(chosen), by_decisions, "optimal")
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = build_flow_model(model, inst, len(chosen))
    hint_plan(model, x, hint)
    model.maximize(sum(x["free"]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    freeable, name = len(hint.freed), "greedy"
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        freeable = max(freeable, round(solver.objective_value))
        name = "optimal" if status == cp_model.OPTIMAL else "feasible"
    bound = max(freeable, min(len(chosen), int(solver.best_objective_bound + 1e-6)))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE):
        bound = len(chosen)  # nothing proven
    return QuickCount(freeable, bound, len(chosen), by_decisions, name)
