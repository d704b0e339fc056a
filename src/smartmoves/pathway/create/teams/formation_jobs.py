"""Workgroup formation as a background job: the page (or the API) starts it, a worker
runs the search (seconds, for large pilots with constraints), and the formation is saved
in place of the pilot's workgroups, or kept in the job's result when it is a preview.

Everything a user can get wrong (the bounds, features, constraints' columns, locked
workgroups) is checked before the job starts, so it is refused at the form; a formation
that a move or another formation made stale while it was computed fails its job with the
reason, and nothing is replaced. One formation job per pilot at a time.
"""

from __future__ import annotations

from typing import Any

from smartmoves.pathway.create.teams.workgroups import form_for_pilot, prepare_formation
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

__all__ = ["FORMATION_JOB", "formation_job", "start_formation"]


def _subject(pilot_id: int) -> str:
    return f"pilot:{pilot_id}"


def _run(
    settings: Settings, account: Account, params: dict[str, Any], progress: Progress
) -> Outcome:
    progress("forming the most diverse workgroups", 0, 1)
    options = dict(params)
    pilot_id = int(options.pop("pilot_id"))
    formation = form_for_pilot(settings, account, pilot_id, **options)
    progress("forming the most diverse workgroups", 1, 1)
    sizes = ", ".join(str(len(g.members)) for g in formation.groups)
    what = "saved" if formation.saved else "proposed (not saved)"
    return Outcome(
        f"{len(formation.groups)} workgroups {what}, of {sizes} people",
        {"formation": formation.model_dump(mode="json")},
    )


FORMATION_JOB = register(
    JobKind("workgroup-formation", "Forming the workgroups", "workgroups.read_all", _run)
)


def start_formation(settings: Settings, account: Account, pilot_id: int, **options: Any) -> JobView:
    """Start forming the pilot's workgroups as a job (the one running, if any), with the
    options of :func:`~smartmoves.pathway.create.teams.workgroups.form_for_pilot`.

    Raises
    ------
    Forbidden, NotFound, ConfigError, DataError
        As :func:`form_for_pilot` does before its search: nothing is started then.
    """
    require(account, "workgroups.form")
    prepare_formation(settings, account, pilot_id, **options)
    params = {"pilot_id": pilot_id, **options}
    return submit(settings, account, FORMATION_JOB, _subject(pilot_id), params)


def formation_job(settings: Settings, account: Account, pilot_id: int) -> JobView | None:
    """The pilot's latest formation job (running, or how the last one ended), if any."""
    return latest_job(settings, account, FORMATION_JOB, _subject(pilot_id))
