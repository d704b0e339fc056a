"""The capacity plan as a background job: the page (or the API) starts it, a worker
computes it (up to its search time), and the plan is kept with the pilot's plans.

The bounds are checked before the job starts, in the form's words, so a wrong value is
refused where the user typed it; a plan that a newer save made stale while it was being
computed fails its job with the reason, and nothing is overwritten. One plan job per
pilot at a time: asking again while one runs shows the running one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

from smartmoves.data.store import db
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway.create.capacity.bounds import (
    MAX_WEB_TIME_LIMIT,
    WEB_TIME_LIMIT,
    check_bounds,
)
from smartmoves.pathway.create.capacity.plan import plan_for_pilot
from smartmoves.pathway.jobs import (
    JobKind,
    JobView,
    Outcome,
    Progress,
    latest_job,
    register,
    submit,
)
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = ["PLAN_JOB", "plan_job", "start_plan"]

SEARCHING = "searching for the plan that frees the most volunteers"


def _subject(pilot_id: int) -> str:
    return f"pilot:{pilot_id}"


def _run(
    settings: Settings, account: Account, params: dict[str, Any], progress: Progress
) -> Outcome:
    seconds = max(round(float(params["time_limit"])), 1)
    finished = threading.Event()

    def tick() -> None:  # the solver says nothing while it searches: show the time it has
        started = time.monotonic()
        while not finished.wait(1.0):
            progress(SEARCHING, min(int(time.monotonic() - started), seconds), seconds)

    ticker = threading.Thread(target=tick, daemon=True)
    progress(SEARCHING, 0, seconds)
    ticker.start()
    try:
        saved = plan_for_pilot(
            settings,
            account,
            int(params["pilot_id"]),
            volunteers=params.get("volunteers"),
            target_free=params.get("target_free"),
            max_load=float(params["max_load"]),
            time_limit=float(params["time_limit"]),
            seed=int(params.get("seed", 0)),
        )
    finally:
        finished.set()
        ticker.join(timeout=2)
    freed = len(saved.result.get("freed", []))
    return Outcome(
        f"plan {saved.id} kept ({saved.status.replace('_', ' ')}): {freed} volunteers freed",
        {"plan_id": saved.id, "freed": freed, "status": saved.status},
    )


PLAN_JOB = register(JobKind("capacity-plan", "Computing the capacity plan", "capacity.read", _run))


def start_plan(
    settings: Settings,
    account: Account,
    pilot_id: int,
    *,
    max_load: float = 1.0,
    time_limit: float = WEB_TIME_LIMIT,
    volunteers: Sequence[str] | None = None,
    target_free: float | None = None,
    seed: int = 0,
) -> JobView:
    """Start computing the pilot's plan as a job (the one already running, if any).

    Raises
    ------
    Forbidden
        An account that may not plan (only admins do).
    ConfigError
        A bound the form shows, in its words (nothing is started then).
    NotFound
        No such pilot.
    """
    require(account, "capacity.plan")
    check_bounds(max_load, time_limit, max_time_limit=MAX_WEB_TIME_LIMIT)
    with db.transaction(store(settings)) as session:
        pilot_for(session, account, pilot_id)
    params = {
        "pilot_id": pilot_id,
        "max_load": max_load,
        "time_limit": time_limit,
        "volunteers": list(volunteers) if volunteers is not None else None,
        "target_free": target_free,
        "seed": seed,
    }
    return submit(settings, account, PLAN_JOB, _subject(pilot_id), params)


def plan_job(settings: Settings, account: Account, pilot_id: int) -> JobView | None:
    """The pilot's latest plan job (running, or how the last one ended), if any."""
    return latest_job(settings, account, PLAN_JOB, _subject(pilot_id))
