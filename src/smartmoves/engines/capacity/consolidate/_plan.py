"""``plan_consolidation``: free pilot volunteers by consolidating their remaining work."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import pandas as pd

from smartmoves.engines._common import check_seed
from smartmoves.engines.capacity.consolidate._explain import explain_not_freed, plan_reasons
from smartmoves.engines.capacity.consolidate._greedy import greedy_solution
from smartmoves.engines.capacity.consolidate._instance import build_instance, volunteer_ids
from smartmoves.engines.capacity.consolidate._result import ConsolidationPlan, assemble_plan
from smartmoves.engines.capacity.consolidate._stages import solve_stages
from smartmoves.engines.capacity.decisions import apply_decisions
from smartmoves.engines.capacity.decisions._tables import activity_table, people_table
from smartmoves.errors import ConfigError

__all__ = ["DEFAULT_WORKERS", "Consolidation", "plan_consolidation"]

# One deterministic search: see the package docstring for why and for the measurements.
DEFAULT_WORKERS = 1


@dataclass(frozen=True)
class Consolidation:
    """The consolidation options, kept for several runs (``plan_consolidation`` in a class).

    Examples
    --------
    >>> Consolidation(min_pilot=1).target_free
    0.75
    """

    target_free: float = 0.75
    max_load: float = 1.0
    min_pilot: int = 15
    max_pilot: int = 60
    time_limit: float = 30.0
    workers: int = DEFAULT_WORKERS
    seed: int = 0

    def __post_init__(self) -> None:
        check_seed(self.seed)
        problems = []
        for name in ("min_pilot", "max_pilot", "workers"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Integral):
                problems.append(f"{name} must be a whole number, not {value!r}")
        for name in ("target_free", "max_load", "time_limit"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Real):
                problems.append(f"{name} must be a number, not {value!r}")
        if problems:
            raise ConfigError("; ".join(problems))
        if not 0.0 <= self.target_free <= 1.0:
            problems.append(f"target_free must be between 0 and 1, not {self.target_free}")
        if not (self.max_load > 0 and math.isfinite(self.max_load)):
            problems.append(f"max_load must be a positive number, not {self.max_load}")
        if not 0 <= self.min_pilot <= self.max_pilot:
            problems.append(
                f"need 0 <= min_pilot <= max_pilot, not {self.min_pilot} and {self.max_pilot}"
            )
        if not self.time_limit > 0:
            problems.append(f"time_limit must be positive, not {self.time_limit}")
        if self.workers < 1:
            problems.append(f"workers must be at least 1, not {self.workers}")
        if problems:
            raise ConfigError("; ".join(problems))

    def plan(
        self,
        people: pd.DataFrame,
        activities: pd.DataFrame,
        allocations: pd.DataFrame,
        volunteers: Any,
        *,
        decisions: pd.DataFrame | None = None,
        exposure: Any = None,
    ) -> ConsolidationPlan:
        """Plan with these options; see :func:`plan_consolidation`."""
        started = time.monotonic()
        after = apply_decisions(people, activities, allocations, decisions, exposure=exposure)
        folks, acts = people_table(people), activity_table(activities)
        inst = build_instance(
            after,
            dict(zip(folks["person_id"], folks["skills"], strict=True)),
            dict(zip(acts["activity_id"], acts["skill"], strict=True)),
            dict(zip(acts["activity_id"], acts["name"], strict=True)),
            volunteer_ids(volunteers, set(folks["person_id"])),
            target_free=self.target_free,
            max_load=self.max_load,
        )
        hint = greedy_solution(inst, self.max_pilot)
        plan, stages = solve_stages(
            inst,
            max_pilot=self.max_pilot,
            time_limit=self._solving_time(started),
            workers=self.workers,
            seed=self.seed,
            hint=hint,
        )
        freed = len(plan.freed)
        first = stages[0]
        proven = first.status == "optimal"
        bound = freed if proven else max(freed, min(self.max_pilot, math.floor(first.bound)))
        blocked = explain_not_freed(inst, plan, max_pilot=self.max_pilot, proven=proven)
        if freed == 0:
            status = "infeasible"
        elif freed < self.min_pilot:
            status = "below_min_pilot"
        elif all(s.status == "optimal" for s in stages):
            status = "optimal"
        else:
            status = "feasible"
        reasons = plan_reasons(
            inst,
            blocked,
            freed=freed,
            min_pilot=self.min_pilot,
            max_pilot=self.max_pilot,
            bound=bound,
        )
        return assemble_plan(
            inst, plan, stages, blocked, status=status, bound=bound, reasons=reasons
        )

    def _solving_time(self, started: float) -> float:
        """What is left of ``time_limit`` for CP-SAT.

        The limit bounds the whole plan, as a user waiting for it counts: reading the
        instance and the greedy hint have already spent some of it, and a little is kept
        for explaining who is not freed (4% of the limit, up to two seconds: at 5,000
        people the explanations take about one).
        """
        left = self.time_limit - (time.monotonic() - started)
        return max(0.05, left - min(2.0, 0.04 * self.time_limit))


def plan_consolidation(
    people: pd.DataFrame,
    activities: pd.DataFrame,
    allocations: pd.DataFrame,
    volunteers: Any,
    *,
    decisions: pd.DataFrame | None = None,
    exposure: Any = None,
    target_free: float = 0.75,
    max_load: float = 1.0,
    min_pilot: int = 15,
    max_pilot: int = 60,
    time_limit: float = 30.0,
    workers: int = DEFAULT_WORKERS,
    seed: int = 0,
) -> ConsolidationPlan:
    """Free as many volunteers as possible for ``target_free`` of their hours.

    After the decisions (:func:`apply_decisions`), each freed volunteer hands whole hours
    of their remaining activities to non-volunteers until they keep at most
    ``(1 - target_free) x contracted_hours``; a volunteer who is not freed keeps all their
    hours (no partial handoffs). A receiver must already do the activity or have its
    ``skill``, and may not exceed ``max_load x contracted_hours`` (their own hours after
    decisions included). Objectives, in order: most volunteers freed (at most
    ``max_pilot``), then the smallest largest load share among receivers, then the fewest
    handoffs; solved in three CP-SAT stages sharing ``time_limit`` seconds.

    Parameters
    ----------
    people, activities, allocations : DataFrame
        The tables of the same names; ``people.skills`` is ``;``-separated.
    volunteers : DataFrame with person_id, or an iterable of person_ids
        The candidate pilot members.
    decisions, exposure
        As for :func:`apply_decisions`.
    target_free : float, default 0.75
        Share of contracted hours a freed volunteer must be free of.
    max_load : float, default 1.0
        A receiver's hours after the plan, as a share of contracted hours, at most.
    min_pilot, max_pilot : int, default 15 and 60
        Bounds on the volunteers freed; fewer than ``min_pilot`` gives ``below_min_pilot``.
    time_limit : float, default 30
        Seconds for the whole plan (the three CP-SAT stages share what reading the
        inputs leaves); the best plan found is returned with CP-SAT's proven ``bound``
        and ``gap``.
    workers : int, default 1
        CP-SAT search workers; 1 is reproducible, more run CP-SAT's parallel portfolio.
    seed : int, default 0
        CP-SAT's random seed.

    Returns
    -------
    ConsolidationPlan

    Notes
    -----
    - Hours are counted in hundredths internally (automation leaves fractions); handoffs
      move whole hours, at most the whole hours of each activity, and a volunteer keeps
      the fractions. So for every volunteer, exactly: hours before = automated + stopped
      + handed_off + remaining.
    - A freed volunteer hands off exactly the whole hours needed to reach the target,
      never more (handing off more would only load the receivers).
    - Volunteers never receive work, freed or not: they are the pilot's candidates.
    - Load shares are compared in thousandths of contracted hours (0.1%).
    - Status: ``infeasible`` when no volunteer can be freed, ``below_min_pilot`` when
      fewer than ``min_pilot`` (the plan still frees as many as it can), else
      ``optimal`` when all three stages are proven, else ``feasible``. ``reasons`` and
      each ``not_freed`` row say what binds.

    Raises
    ------
    ConfigError
        Options out of range, counts that are not whole numbers, or a seed that is not
        a whole number >= 0.
    DataError
        Malformed tables, unknown volunteers, or impossible ``automate`` decisions.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["ana", "bo", "cy"], "unit_id": "u1",
    ...                        "skills": ["", "billing", ""]})
    >>> activities = pd.DataFrame({"activity_id": ["bill", "file"], "name": ["Billing", "Filing"],
    ...                            "skill": ["billing", None], "automation_potential": [0, 0.5]})
    >>> allocations = pd.DataFrame({"person_id": ["ana", "ana", "bo", "cy"],
    ...                             "activity_id": ["bill", "file", "bill", "file"],
    ...                             "hours_per_week": [30, 10, 20, 40]})
    >>> decisions = pd.DataFrame({"activity_id": ["file"], "decision": ["automate"]})
    >>> plan = plan_consolidation(people, activities, allocations, ["ana"],
    ...                           decisions=decisions, min_pilot=1)
    >>> plan.status, plan.objective["freed_count"], plan.gap
    ('optimal', 1, 0.0)
    >>> plan.handoffs
      activity_id from_person to_person  hours
    0        bill         ana        bo     20
    1        file         ana        cy      5
    >>> plan.receivers[["person_id", "load_before", "load_after"]]
      person_id  load_before  load_after
    0        bo         20.0        40.0
    1        cy         20.0        25.0
    """
    options = Consolidation(
        target_free=target_free,
        max_load=max_load,
        min_pilot=min_pilot,
        max_pilot=max_pilot,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
    )
    return options.plan(
        people, activities, allocations, volunteers, decisions=decisions, exposure=exposure
    )
