"""The pilot's consolidation plan: compute it and keep it (reading it in plain words is
:mod:`smartmoves.pathway.create.capacity.plan_read`).

A plan frees the pilot's volunteers for ``target_free`` of their hours by handing their
remaining work (after the decisions) to colleagues of the entry point, never above
``max_load`` of anyone's contracted hours. Each computed plan is stored with its
parameters and its result (the engine's JSON); the newest is the pilot's current plan,
earlier ones are kept.

The solver runs outside any transaction: the scope is read in one, the plan written in
another, so that a search of up to ``time_limit`` seconds never holds the store. What
the plan was computed from (the current plan, the decisions, the volunteers) is read
again before it is written: when any of it changed meanwhile, the plan is not kept
(:class:`~smartmoves.errors.Conflict`), so a slow search never overwrites a newer save.

The bounds the form shows are the use case's, in the same words
(:mod:`smartmoves.pathway.create.capacity.bounds`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from smartmoves.data.store import capacity, db
from smartmoves.engines.capacity import Consolidation
from smartmoves.errors import Conflict, DataError
from smartmoves.pathway import audit
from smartmoves.pathway._store import store
from smartmoves.pathway.create.capacity.bounds import (
    MAX_WEB_TIME_LIMIT,
    WEB_TIME_LIMIT,
    check_bounds,
)
from smartmoves.pathway.create.capacity.plan_read import (
    SavedPlan,
    saved_plan,
)
from smartmoves.pathway.create.capacity.scope import (
    Scope,
    load_scope,
    lock_pilot,
    volunteer_pool,
)
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = ["plan_for_pilot"]


@dataclass(frozen=True)
class _Inputs:
    """What a plan is computed from, as the store holds it: read before the search and
    again before the plan is kept."""

    plan_id: int | None  # the current plan
    decisions: tuple[tuple[Any, ...], ...]
    volunteers: tuple[str, ...] | None  # None: the volunteers were given
    source: str


def _inputs(session: Session, scope: Scope, given: bool) -> _Inputs:
    current = capacity.current_plan(session, scope.pilot_id)
    decided = tuple(
        (d.activity_id, d.unit_id, d.decision, bool(d.use_model), d.note)
        for d in capacity.decisions(session, scope.pilot_id)
    )
    pool, source = ([], "given") if given else volunteer_pool(session, scope)
    return _Inputs(
        plan_id=None if current is None else current.id,
        decisions=decided,
        volunteers=None if given else tuple(pool),
        source=source,
    )


def _changes(session: Session, pilot_id: int, before: _Inputs, now: _Inputs) -> list[str]:
    """What changed since ``before``, in words."""
    out = []
    if now.plan_id != before.plan_id:
        newer = capacity.current_plan(session, pilot_id)
        who = f" by {newer.created_by}" if newer is not None else ""
        out.append(f"another plan was saved for this pilot{who}")
    if now.decisions != before.decisions:
        out.append("the pilot's decisions changed")
    if (now.volunteers, now.source) != (before.volunteers, before.source):
        picked = "selected" in (before.source, now.source)
        out.append(
            "the volunteers selected for the pilot changed"
            if picked
            else "the pilot's applicants changed"
        )
    return out


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
    account: Account,
    pilot_id: int,
    *,
    volunteers: Sequence[str] | None = None,
    target_free: float | None = None,
    max_load: float = 1.0,
    min_pilot: int | None = None,
    max_pilot: int | None = None,
    time_limit: float = WEB_TIME_LIMIT,
    max_time_limit: float = MAX_WEB_TIME_LIMIT,
    seed: int = 0,
    save: bool = True,
) -> SavedPlan:
    """Compute the pilot's consolidation plan and (``save``) keep it as its current plan.

    ``volunteers`` defaults to the pilot's volunteers (see
    :mod:`smartmoves.pathway.create.capacity.scope`); ``target_free``, ``min_pilot`` and
    ``max_pilot`` default to the pilot's own. ``max_time_limit`` is the longest search
    the asking interface allows (the page's, unless the command line asks for its own).
    An infeasible or partly feasible plan is a plan too: its ``status`` and ``reasons``
    explain it.

    Raises
    ------
    Forbidden
        An account that may not plan (only admins do).
    ConfigError
        Options out of range (the bounds in the form's words), or a pilot without an
        entry point.
    DataError
        Volunteers outside the entry point.
    NotFound
        No such pilot.
    Conflict
        While the plan was computed, another plan was saved for the pilot, or its
        decisions or volunteers changed: this plan is not kept, nothing is overwritten.
    """
    require(account, "capacity.plan")
    # The options that do not depend on the pilot are checked before reading anything.
    check_bounds(max_load, time_limit, max_time_limit=max_time_limit)
    with db.transaction(store(settings)) as session:
        scope = load_scope(session, settings, account, pilot_id)
        pool, source = _volunteers(session, scope, volunteers)
        seen = _inputs(session, scope, given=volunteers is not None)
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
            created_by=account.email,
            parameters=parameters,
            result=result,
        )
    with db.transaction(store(settings)) as session:
        lock_pilot(session, account, pilot_id)  # no other save between the check and ours
        changed = _changes(
            session, pilot_id, seen, _inputs(session, scope, given=volunteers is not None)
        )
        if changed:
            raise Conflict(
                f"while this plan was computed, {'; '.join(changed)}: this plan was not "
                "kept and nothing was overwritten; plan again to use what is saved now"
            )
        row = capacity.add_plan(
            session,
            pilot_id,
            status=plan.status,
            parameters=parameters,
            result=result,
            created_by=account.email,
        )
        audit.record(
            session,
            account,
            "capacity plan",
            str(pilot_id),
            plan=row.id,
            status=plan.status,
            freed=len(plan.freed),
        )
        return saved_plan(row)
