"""Pilots in the operational store (sessions only; the pathway commits)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, func, select
from sqlalchemy.orm import Session

from smartmoves.data.store.models import Charter, Pilot, Selection, Unit, Workgroup

__all__ = ["PilotState", "add_pilot", "get_pilot", "list_pilots", "pilot_states"]


@dataclass(frozen=True)
class PilotState:
    """A pilot, the name of its entry point, and how far it has come."""

    pilot: Pilot
    unit_name: str | None
    selected: int  # volunteers selected
    workgroups: int
    coached: int  # workgroups with a coach
    chartered: int  # workgroups with at least one charter version


def add_pilot(session: Session, **fields: object) -> Pilot:
    pilot = Pilot(**fields)
    session.add(pilot)
    session.flush()
    return pilot


def get_pilot(session: Session, pilot_id: int) -> Pilot | None:
    return session.get(Pilot, pilot_id)


def list_pilots(session: Session) -> list[Pilot]:
    return list(session.scalars(select(Pilot).order_by(Pilot.id)))


def pilot_states(session: Session, pilot_id: int | None = None) -> list[PilotState]:
    """The pilot ``pilot_id`` (or every pilot, by id) with its state, in one query.

    Every pilot page shows the state: read table by table it took five round trips to
    the store (the pilot, the units, the workgroups, the selections, the charters), which
    on PostgreSQL under load was most of the page's time.
    """

    def counted(*where: ColumnElement[bool]) -> ScalarSelect[int]:
        return select(func.count()).where(*where).correlate(Pilot).scalar_subquery()

    chartered = (
        select(func.count(func.distinct(Charter.workgroup_id)))
        .join(Workgroup, Workgroup.id == Charter.workgroup_id)
        .where(Workgroup.pilot_id == Pilot.id)
        .correlate(Pilot)
        .scalar_subquery()
    )
    unit_name = (
        select(Unit.name).where(Unit.unit_id == Pilot.unit_id).correlate(Pilot).scalar_subquery()
    )
    query = select(
        Pilot,
        unit_name,
        counted(Selection.pilot_id == Pilot.id, Selection.status == "selected"),
        counted(Workgroup.pilot_id == Pilot.id),
        counted(Workgroup.pilot_id == Pilot.id, Workgroup.coach_id.is_not(None)),
        chartered,
    ).order_by(Pilot.id)
    if pilot_id is not None:
        query = query.where(Pilot.id == pilot_id)
    return [
        PilotState(pilot, name, int(selected), int(groups), int(coached), int(charters))
        for pilot, name, selected, groups, coached, charters in session.execute(query)
    ]
