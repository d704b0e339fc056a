"""What creating capacity works on for one pilot: its scope, its exposure estimates and its
volunteers.

The scope is the pilot's entry point unit and every unit below it: its people, their
activity inventory and the pilot's decisions. Receivers of handed-off work come from the
same scope (anyone who is not a volunteer), so a plan never moves work out of the entry
point.

Volunteers, when none are given explicitly, are the people an admin *selected* for the
pilot; before any selection, the people of the scope who *applied* (to this pilot, or
through an imported application that names no pilot). Selection is the organization's
own choice, so it wins as soon as it exists; until then the applicants show what the
entry point could yield.

The exposure model is a file ``models/exposure.npz`` in the workspace (written by
``smartmoves exposure train -w WORKSPACE``, by the demo builder, or by the job the first
capacity page starts; see ``exposure_jobs.py``). When it is there,
its ``beta`` stands in for every activity whose ``automation_potential`` is empty, and for
any activity whose ``automate`` decision says ``use_model``; without it activities with no
potential are flagged and cannot be automated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from smartmoves.data.store import capacity, db
from smartmoves.errors import ConfigError
from smartmoves.pathway._store import pilot_for
from smartmoves.pathway.exposure_model import MODEL_FILE, exposure_model_path
from smartmoves.pathway.exposure_model import estimates as _exposure
from smartmoves.pathway.policy import Account
from smartmoves.pathway.privacy import suppressed
from smartmoves.settings import Settings

__all__ = [
    "MODEL_FILE",
    "Scope",
    "exposure_model_path",
    "load_scope",
    "lock_pilot",
    "too_few",
    "volunteer_pool",
]


@dataclass(frozen=True, eq=False)
class Scope:
    """One pilot's inputs to the capacity engines."""

    pilot_id: int
    pilot_name: str
    unit_id: str
    target_free: float
    min_pilot: int
    max_pilot: int
    units: tuple[str, ...]
    people: pd.DataFrame
    activities: pd.DataFrame
    allocations: pd.DataFrame
    decisions: pd.DataFrame  # activity_id, unit_id, decision, use_model, note
    exposure: Any  # ExposurePrediction for the scope's activities, or None without a model
    model_file: str | None
    model_reads: str | None  # what the model reads, in words (see ``model_reads``)
    stale: tuple[str, ...]  # saved decisions that no longer apply, and why

    @property
    def activity_names(self) -> dict[str, str]:
        return dict(zip(self.activities["activity_id"], self.activities["name"], strict=True))


def too_few(people: int, minimum: int, *, person_level: bool) -> bool:
    """Whether a figure over ``people`` people must be hidden from this reader.

    Readers of person-level figures (admins) see everything. For the others a figure over
    1 to ``minimum - 1`` people is suppressed; over nobody it is shown, because an empty
    group reveals nothing about anyone and "nobody above 90% load" is worth reading.

    >>> too_few(3, 5, person_level=False), too_few(0, 5, person_level=False)
    (True, False)
    """
    return not person_level and suppressed(people, minimum) and people > 0


def load_scope(session: Session, settings: Settings, account: Account, pilot_id: int) -> Scope:
    """Read a pilot's scope from the store (the caller's use case has asked the policy).

    Raises
    ------
    NotFound
        No such pilot (or a draft, for those who may not see drafts).
    ConfigError
        The pilot has no entry point yet.
    """
    pilot = pilot_for(session, account, pilot_id)
    if pilot.unit_id is None:
        raise ConfigError(f"pilot {pilot_id} has no entry point yet: choose its unit first")
    units = capacity.units_below(session, pilot.unit_id)
    activities = capacity.activities(session)
    allocations = capacity.allocations_of(session, units)
    decided = [
        {
            "activity_id": d.activity_id,
            "unit_id": d.unit_id,
            "decision": d.decision,
            "use_model": bool(d.use_model),
            "note": d.note,
        }
        for d in capacity.decisions(session, pilot_id)
    ]
    # Only what the scope does or decides needs an estimate.
    wanted = {str(a) for a in allocations["activity_id"]} | {str(d["activity_id"]) for d in decided}
    exposure, model_file, reads = _exposure(settings, activities, wanted)
    stale = _stale(decided, activities, units, exposure)
    return Scope(
        pilot_id=pilot.id,
        pilot_name=pilot.name,
        unit_id=pilot.unit_id,
        target_free=pilot.target_free,
        min_pilot=pilot.min_pilot,
        max_pilot=pilot.max_pilot,
        units=tuple(units),
        people=capacity.people_in(session, units),
        activities=activities,
        allocations=allocations,
        decisions=pd.DataFrame(
            [d for i, d in enumerate(decided) if i not in stale],
            columns=["activity_id", "unit_id", "decision", "use_model", "note"],
        ),
        exposure=exposure,
        model_file=model_file,
        model_reads=reads,
        stale=tuple(stale.values()),
    )


def lock_pilot(session: Session, account: Account, pilot_id: int) -> None:
    """Hold the pilot's row until the transaction ends, so that saves of its decisions
    and plans happen one after the other and each sees what the one before wrote."""
    db.hold(session, pilot_for(session, account, pilot_id))


def _stale(
    decided: list[dict[str, Any]], activities: pd.DataFrame, units: list[str], exposure: Any
) -> dict[int, str]:
    """Saved decisions the data no longer supports (a re-import removed an activity or a
    unit, or a model file went away), by position, with why: they are left out rather
    than breaking every view of the pilot."""
    potential = dict(
        zip(activities["activity_id"], activities["automation_potential"], strict=True)
    )
    estimated = set() if exposure is None else {a.activity_id for a in exposure.activities}
    out = {}
    for i, d in enumerate(decided):
        a, unit = d["activity_id"], d["unit_id"]
        if a not in potential:
            out[i] = f"{d['decision']} {a}: no such activity any more"
        elif unit is not None and unit not in units:
            out[i] = f"{d['decision']} {a} in {unit}: the unit is no longer in the entry point"
        elif (
            d["decision"] == "automate"
            and (pd.isna(potential[a]) or d.get("use_model"))
            and a not in estimated
        ):
            out[i] = f"automate {a}: no automation potential or model estimate any more"
    return out


def volunteer_pool(session: Session, scope: Scope) -> tuple[list[str], str]:
    """The pilot's volunteers and where they come from: ``selected`` or ``applied``.

    Selected people outside the scope cannot be planned here and are left out.
    """
    inside = set(scope.people["person_id"])
    selected = capacity.selected_volunteers(session, scope.pilot_id)
    if selected:
        return [p for p in selected if p in inside], "selected"
    return capacity.applicants(session, scope.pilot_id, scope.units), "applied"
