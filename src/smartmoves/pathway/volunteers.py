"""Recruit a pilot's volunteers: the call, the applications and the admin's selection.

The call states the pilot's opportunity and that nobody is penalized for joining or not
(a text without such a statement is saved, with a warning). Opening the call puts a draft
pilot in ``recruiting``; members of the entry point (and the units below it) then apply
with the problem or opportunity they want to address, and why. A second application of
the same person to the same pilot updates their first: one application per person per
pilot. Applications imported from a file (no pilot named) count for every pilot whose
entry point holds their person; an import never removes a web application.

The admin selects among the applicants, seeing each one's unit, attributes and whether
the pilot's current capacity plan frees them. Selection is person-level and for admins
only; champions and supervisors read counts by unit, suppressed below the minimum group
size; members read the call and their own application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from smartmoves.data.store import capacity, db, org
from smartmoves.data.store import volunteers as store_volunteers
from smartmoves.data.store.models import Application
from smartmoves.data.store.models.pilot import SELECTION_STATUSES
from smartmoves.errors import ConfigError, DataError, Forbidden, Problem
from smartmoves.pathway._store import existing_pilot, store
from smartmoves.pathway.volunteer_call import (
    MAX_TEXT,
    CallView,
    call_view,
    default_call,
    entry_units,
    lacks_no_penalty,
    save_call,
)
from smartmoves.pathway.volunteer_view import (
    UnitCount,
    VolunteerRow,
    VolunteersView,
    best_applications,
    volunteers_view,
)
from smartmoves.settings import Settings

__all__ = [
    "MAX_TEXT",
    "ApplicationView",
    "CallView",
    "SelectionIn",
    "UnitCount",
    "VolunteerRow",
    "VolunteersView",
    "apply",
    "call_view",
    "decide",
    "default_call",
    "demo_step",
    "lacks_no_penalty",
    "my_application",
    "save_call",
    "volunteers_view",
]

DEMO_SELECTED = 40  # the demo pilot's volunteers: 4 workgroups of 10


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class ApplicationView(_View):
    person_id: str
    problem: str
    why: str
    submitted_at: dt.datetime | None
    source: str
    pilot_id: int | None


class SelectionIn(_View):
    person_id: str
    status: str  # selected / not_selected


def _application(row: Application) -> ApplicationView:
    return ApplicationView(
        person_id=row.person_id,
        problem=row.problem,
        why=row.why,
        submitted_at=row.submitted_at,
        source=row.source,
        pilot_id=row.pilot_id,
    )


def my_application(settings: Settings, pilot_id: int, person_id: str) -> ApplicationView | None:
    """A person's own application to the pilot (sent from the web, or imported)."""
    with db.transaction(store(settings)) as session:
        pilot = existing_pilot(session, pilot_id)
        if pilot.unit_id is None:
            return None
        rows = [
            r
            for r in store_volunteers.applications_of(
                session, pilot_id, entry_units(session, pilot)
            )
            if r.person_id == person_id
        ]
        best = best_applications(rows, pilot_id).get(person_id)
        return None if best is None else _application(best)


def apply(
    settings: Settings,
    pilot_id: int,
    person_id: str | None,
    problem: str,
    why: str,
    *,
    actor: str = "cli",
) -> ApplicationView:
    """Store a person's application to the pilot; a second one updates their first.

    Raises
    ------
    DataError
        An empty or too long answer (nothing is stored then).
    Forbidden
        A login with no person, or a person outside the pilot's entry point.
    ConfigError
        The call is not open (the pilot is not ``recruiting``).
    """
    problem, why = (problem or "").strip(), (why or "").strip()
    problems = [
        Problem("application", None, field, message)
        for field, value, message in (
            ("problem", problem, "say which problem or opportunity you want to address"),
            ("why", why, "say why you want to address it"),
        )
        if not value
    ] + [
        Problem("application", None, field, f"at most {MAX_TEXT} characters")
        for field, value in (("problem", problem), ("why", why))
        if len(value) > MAX_TEXT
    ]
    if problems:
        raise DataError(problems)
    if not person_id:
        raise Forbidden("your login is not linked to a person of the organization")
    with db.transaction(store(settings)) as session:
        pilot = existing_pilot(session, pilot_id)
        if pilot.status != "recruiting":
            raise ConfigError(f"the call for pilot {pilot_id} is not open ({pilot.status})")
        inside = set(capacity.people_in(session, entry_units(session, pilot))["person_id"])
        if person_id not in inside:
            raise Forbidden(f"this call is for the people of {pilot.unit_id} and below it")
        row, created = store_volunteers.save_web_application(
            session, pilot_id, person_id, problem, why
        )
        org.audit(session, actor, "apply" if created else "update application", str(pilot_id))
        return _application(row)


def decide(
    settings: Settings, pilot_id: int, decisions: Sequence[SelectionIn], *, actor: str = "cli"
) -> VolunteersView:
    """Select or unselect applicants of the pilot (admins). All or nothing: an unknown
    status, someone who did not apply, or more selected than the pilot's maximum is
    refused with every problem named, and nothing changes."""
    if not decisions:
        raise DataError("no volunteers given")
    with db.transaction(store(settings)) as session:
        pilot = existing_pilot(session, pilot_id)
        units = entry_units(session, pilot)
        applied = {r.person_id for r in store_volunteers.applications_of(session, pilot_id, units)}
        decided = store_volunteers.selections_of(session, pilot_id)
        problems = []
        for i, d in enumerate(decisions, start=1):
            if d.status not in SELECTION_STATUSES:
                wrong = f"{d.status!r} is not selected or not_selected"
                problems.append(Problem("selection", i, "status", wrong))
            if d.person_id not in applied:
                wrong = f"{d.person_id} did not apply to this pilot"
                problems.append(Problem("selection", i, "person_id", wrong))
        status = {p: s.status for p, s in decided.items()}
        status |= {d.person_id: d.status for d in decisions}
        chosen = sum(s == "selected" for s in status.values())
        if chosen > pilot.max_pilot:
            too_many = f"{chosen} would be selected, above the pilot's maximum of {pilot.max_pilot}"
            problems.append(Problem("selection", None, None, too_many))
        if problems:
            raise DataError(problems)
        for d in decisions:
            store_volunteers.save_selection(session, pilot_id, d.person_id, d.status, actor)
        org.audit(session, actor, "select volunteers", str(pilot_id), selected=chosen)
    return volunteers_view(settings, pilot_id, person_level=True)


def demo_step(settings: Settings, truth: dict[str, Any]) -> None:
    """The demo pilot's call goes out, and the admin selects exactly ``DEMO_SELECTED``
    applicants whom the capacity plan frees (the planted volunteers first); the plan is
    then computed again for the selected."""
    from smartmoves.pathway.capacity import DEMO_TIME_LIMIT
    from smartmoves.pathway.capacity_plan import plan_for_pilot, read_current_plan
    from smartmoves.pathway.pilots import list_pilots

    entry = truth["best_entry_point"]["unit_id"]
    pilot = next((p for p in list_pilots(settings) if p.unit_id == entry), None)
    if pilot is None:
        return
    save_call(settings, pilot.id, None, open_call=True, actor="demo")
    plan = read_current_plan(settings, pilot.id)
    freed = [] if plan is None else sorted(r["person_id"] for r in plan.result["freed"])
    planted = set(truth["best_entry_point"]["volunteers"]["person_ids"])
    ranked = sorted(freed, key=lambda p: (p not in planted, p))[:DEMO_SELECTED]
    if not ranked:
        return
    chosen = [SelectionIn(person_id=p, status="selected") for p in ranked]
    decide(settings, pilot.id, chosen, actor="demo")
    plan_for_pilot(settings, pilot.id, time_limit=DEMO_TIME_LIMIT, actor="demo")
