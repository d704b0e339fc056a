"""The pilot's consolidation plan: compute it and keep it (reading it in plain words is
:mod:`smartmoves.pathway.capacity_plan_view`, whose names this module re-exports).

A plan frees the pilot's volunteers for ``target_free`` of their hours by handing their
remaining work (after the decisions) to colleagues of the entry point, never above
``max_load`` of anyone's contracted hours. Each computed plan is stored with its
parameters and its result (the engine's JSON); the newest is the pilot's current plan,
earlier ones are kept.

The solver runs outside any transaction: the scope is read in one, the plan written in
another, so that a search of up to ``time_limit`` seconds never holds the store.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from smartmoves.data.store import capacity, db, org
from smartmoves.engines.capacity import Consolidation
from smartmoves.errors import DataError
from smartmoves.pathway._store import store
from smartmoves.pathway.capacity_plan_view import (
    LOAD_ALERT,
    PlanView,
    SavedPlan,
    current_plan,
    current_plan_view,
    plan_view,
    read_current_plan,
    saved_plan,
)
from smartmoves.pathway.capacity_scope import Scope, load_scope, volunteer_pool
from smartmoves.settings import Settings

__all__ = [
    "LOAD_ALERT",
    "WEB_TIME_LIMIT",
    "PlanView",
    "SavedPlan",
    "current_plan",
    "current_plan_view",
    "plan_for_pilot",
    "plan_view",
    "read_current_plan",
]

WEB_TIME_LIMIT = 10.0  # seconds: a page should answer while someone waits for it


def _volunteers(session: Session, scope: Scope, given: Sequence[str] | None):
    if given is None:
        return volunteer_pool(session, scope)
    ids = list(dict.fromkeys(str(p).strip() for p in given if str(p).strip()))
    outside = sorted(set(ids) - set(scope.people["person_id"]))
    if outside:
        raise DataError(
            f"volunteers not in the pilot's entry point ({scope.unit_id} and the units "
            f"below it): {', '.join(outside[:10])}" + (" ..." if len(outside) > 10 else "")
        )
    return ids, "given"


def plan_for_pilot(
    settings: Settings,
    pilot_id: int,
    *,
    volunteers: Sequence[str] | None = None,
    target_free: float | None = None,
    max_load: float = 1.0,
    min_pilot: int | None = None,
    max_pilot: int | None = None,
    time_limit: float = 30.0,
    seed: int = 0,
    save: bool = True,
    actor: str = "cli",
) -> SavedPlan:
    """Compute the pilot's consolidation plan and (``save``) keep it as its current plan.

    ``volunteers`` defaults to the pilot's volunteers (see
    :mod:`smartmoves.pathway.capacity_scope`); ``target_free``, ``min_pilot`` and
    ``max_pilot`` default to the pilot's own. An infeasible or partly feasible plan is a
    plan too: its ``status`` and ``reasons`` explain it.

    Raises
    ------
    ConfigError
        Options out of range, or a pilot without an entry point.
    DataError
        Volunteers outside the entry point.
    NotFound
        No such pilot.
    """
    # The options that do not depend on the pilot are checked before reading anything.
    Consolidation(max_load=max_load, time_limit=time_limit, min_pilot=0, target_free=0.5)
    with db.transaction(store(settings)) as session:
        scope = load_scope(session, settings, pilot_id)
        pool, source = _volunteers(session, scope, volunteers)
    options = Consolidation(
        target_free=scope.target_free if target_free is None else target_free,
        max_load=max_load,
        min_pilot=scope.min_pilot if min_pilot is None else min_pilot,
        max_pilot=scope.max_pilot if max_pilot is None else max_pilot,
        time_limit=time_limit,
        seed=seed,
    )
    decisions = scope.decisions.drop(columns="note")
    plan = options.plan(
        scope.people,
        scope.activities,
        scope.allocations,
        pool,
        decisions=decisions,
        exposure=scope.exposure,
    )
    parameters = {
        "target_free": options.target_free,
        "max_load": options.max_load,
        "min_pilot": options.min_pilot,
        "max_pilot": options.max_pilot,
        "time_limit": options.time_limit,
        "seed": options.seed,
        "volunteers_source": source,
        "volunteers": pool,
        "decisions": [
            {k: (None if v != v else v) for k, v in r.items()}  # NaN (no unit) -> None
            for r in decisions.to_dict("records")
        ],
        "exposure_model": scope.model_file,
        "stale_decisions": list(scope.stale),
    }
    result = plan.to_dict()
    if not save:
        return SavedPlan(
            id=None,
            pilot_id=pilot_id,
            status=plan.status,
            is_current=False,
            created_at=None,
            created_by=actor,
            parameters=parameters,
            result=result,
        )
    with db.transaction(store(settings)) as session:
        row = capacity.add_plan(
            session,
            pilot_id,
            status=plan.status,
            parameters=parameters,
            result=result,
            created_by=actor,
        )
        org.audit(
            session,
            actor,
            "capacity plan",
            str(pilot_id),
            plan=row.id,
            status=plan.status,
            freed=len(plan.freed),
        )
        return saved_plan(row)
