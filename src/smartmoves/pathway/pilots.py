"""Pilots: a proof of concept at one entry point, whose 15-60 volunteers are freed for
at least 75% of their hours to do redefined work in workgroups.

Every later step of the pathway (capacity plan, volunteers, workgroups, cells, coaches,
charters, connections) belongs to a pilot.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from smartmoves.data.store import aggregates, db, org, pilots
from smartmoves.data.store.models import Pilot
from smartmoves.data.store.models.pilot import PILOT_STATUSES
from smartmoves.errors import ConfigError, NotFound
from smartmoves.pathway import audit, texts
from smartmoves.pathway._store import existing_pilot, may_read_pilot, store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.pilot_status import MEANINGS, Progress, next_step, progress
from smartmoves.pathway.policy import Account, may, require
from smartmoves.settings import Settings

__all__ = ["PilotView", "create_pilot", "get_pilot", "list_pilots", "set_pilot_status"]

MIN_VOLUNTEERS, MAX_VOLUNTEERS = 15, 60  # the seeds' range for a proof of concept


class PilotView(View):
    id: int
    name: str
    unit_id: str | None
    unit_name: str | None
    opportunity: str | None
    call_text: str | None
    status: str
    target_free: float
    min_pilot: int
    max_pilot: int
    created_at: UtcTime
    status_meaning: str
    started_on: dt.date | None = None  # the day it first ran: its metrics' reference
    next_step: str | None = None  # for those who may change the status


def _view(pilot: Pilot, unit_names: dict[str, str], step: str | None = None) -> PilotView:
    return PilotView(
        id=pilot.id,
        name=pilot.name,
        unit_id=pilot.unit_id,
        unit_name=unit_names.get(pilot.unit_id or ""),
        opportunity=pilot.opportunity,
        call_text=pilot.call_text,
        status=pilot.status,
        target_free=pilot.target_free,
        min_pilot=pilot.min_pilot,
        max_pilot=pilot.max_pilot,
        created_at=pilot.created_at,
        started_on=pilot.started_on,
        status_meaning=MEANINGS.get(pilot.status, pilot.status),
        next_step=step,
    )


def _with_step(session: Session, account: Account, pilot: Pilot) -> str | None:
    if not may(account, "pilot.status"):
        return None
    return next_step(pilot.status, progress(session, pilot.id))


def _unit_names(session: Session) -> dict[str, str]:
    return {str(u["unit_id"]): str(u["name"]) for u in aggregates.units(session)}


def create_pilot(
    settings: Settings,
    account: Account,
    name: str,
    *,
    unit_id: str | None = None,
    opportunity: str | None = None,
    target_free: float = 0.75,
    min_pilot: int = MIN_VOLUNTEERS,
    max_pilot: int = MAX_VOLUNTEERS,
) -> PilotView:
    """Create a pilot at the entry point ``unit_id``.

    Raises
    ------
    ConfigError
        An empty name, a text beyond its limit (``pathway/texts.py``), an unknown unit,
        a target outside (0, 1], or bounds in the wrong order.
    Forbidden
        ``account`` may not start pilots (admins and champions do).
    """
    require(account, "pilot.create")
    if not name.strip():
        raise ConfigError("a pilot needs a name")
    for field, value in (("name", name), ("unit_id", unit_id), ("opportunity", opportunity)):
        problem = texts.text_problem(field, value or "")
        if problem is not None:  # the command line's too: the forms and the API check first
            raise ConfigError(f"the pilot's {field.replace('_', ' ')}: {problem[1]}")
    if not 0 < target_free <= 1:
        raise ConfigError("target_free is a share of hours: more than 0, at most 1")
    if not 1 <= min_pilot <= max_pilot:
        raise ConfigError(f"min_pilot {min_pilot} must be at least 1 and at most max_pilot")
    with db.transaction(store(settings)) as session:
        if unit_id is not None and unit_id not in org.known_ids(session, "units"):
            raise ConfigError(f"no unit {unit_id!r} (import units first, or check the id)")
        pilot = pilots.add_pilot(
            session,
            name=name.strip(),
            unit_id=unit_id,
            opportunity=(opportunity or "").strip() or None,
            target_free=target_free,
            min_pilot=min_pilot,
            max_pilot=max_pilot,
            status="draft",
            created_by=account.email,
        )
        audit.record(session, account, "create pilot", str(pilot.id), name=pilot.name)
        session.refresh(pilot)
        return _view(pilot, _unit_names(session), _with_step(session, account, pilot))


def _state_view(account: Account, state: pilots.PilotState) -> PilotView:
    step = None
    if may(account, "pilot.status"):
        found = Progress(state.selected, state.workgroups, state.coached, state.chartered)
        step = next_step(state.pilot.status, found)
    return _view(state.pilot, {state.pilot.unit_id or "": state.unit_name or ""}, step)


def get_pilot(settings: Settings, account: Account, pilot_id: int) -> PilotView:
    """One pilot; :class:`NotFound` for a draft that ``account`` may not read (as for
    a pilot that does not exist: nothing reveals that it is being planned)."""
    with db.reading(store(settings)) as session:
        found = pilots.pilot_states(session, pilot_id)  # one round trip, with its state
        if not found or not may_read_pilot(account, found[0].pilot):
            raise NotFound(f"no pilot {pilot_id}")
        return _state_view(account, found[0])


def list_pilots(settings: Settings, account: Account) -> list[PilotView]:
    """The pilots ``account`` may read (members never see a draft)."""
    require(account, "pilot.list")
    with db.reading(store(settings)) as session:
        return [
            _state_view(account, state)
            for state in pilots.pilot_states(session)
            if may_read_pilot(account, state.pilot)
        ]


def set_pilot_status(
    settings: Settings,
    account: Account,
    pilot_id: int,
    status: str,
    *,
    started_on: dt.date | None = None,
) -> PilotView:
    """Set the pilot's status. The first time it becomes running, its start is recorded
    (``started_on``, today unless given: the demo dates its pilot to the week its bank
    planted the effect); a pilot set running again keeps its first start, so its
    metrics keep one reference."""
    require(account, "pilot.status")
    if status not in PILOT_STATUSES:
        raise ConfigError(
            f"unknown status {status!r} (expected one of {', '.join(PILOT_STATUSES)})"
        )
    with db.transaction(store(settings)) as session:
        pilot = existing_pilot(session, pilot_id)
        pilot.status = status
        detail: dict[str, str] = {"status": status}
        if status == "running" and pilot.started_on is None:
            pilot.started_on = started_on or dt.datetime.now(dt.UTC).date()
            detail["started_on"] = pilot.started_on.isoformat()
        audit.record(session, account, "pilot status", str(pilot_id), **detail)
        session.flush()
        return _view(pilot, _unit_names(session), _with_step(session, account, pilot))
