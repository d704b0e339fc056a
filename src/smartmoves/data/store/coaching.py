"""Coaches and charters in the operational store: who coaches which workgroup, each
coach's checklist of the five parts of the role shift, and the versions of each
workgroup's charter.

Workgroups are formed elsewhere (``data/store/teams.py``); the few reads of them here
keep coaching independent of how they were formed. Functions take a session and never
commit (the pathway layer owns transactions).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartmoves.data.store import teams
from smartmoves.data.store.models import Charter, CoachCheck, Person, Workgroup, WorkgroupMember

__all__ = [
    "add_charter",
    "add_workgroup",
    "charters",
    "checks",
    "coached_by",
    "coaching_mark",
    "ensure_checks",
    "get_workgroup",
    "members_of",
    "people",
    "supervisors_in",
    "workgroup_of",
]


def get_workgroup(session: Session, workgroup_id: int) -> Workgroup | None:
    return session.get(Workgroup, workgroup_id)


def add_workgroup(
    session: Session, pilot_id: int, name: str, members: Iterable[str] = ()
) -> Workgroup:
    """A workgroup with its members, as formation stores one (tests and imports use it)."""
    group = Workgroup(pilot_id=pilot_id, name=name, formation={})
    session.add(group)
    session.flush()
    for person_id in members:
        session.add(WorkgroupMember(pilot_id=pilot_id, workgroup_id=group.id, person_id=person_id))
    session.flush()
    return group


def members_of(session: Session, workgroup_id: int) -> list[str]:
    """The person_ids of a workgroup's members."""
    return list(
        session.scalars(
            select(WorkgroupMember.person_id)
            .where(WorkgroupMember.workgroup_id == workgroup_id)
            .order_by(WorkgroupMember.person_id)
        )
    )


def workgroup_of(session: Session, pilot_id: int, person_id: str) -> int | None:
    """The id of the workgroup ``person_id`` belongs to in the pilot, if any."""
    member = teams.member_of(session, pilot_id, person_id)
    return None if member is None else member.workgroup_id


def people(session: Session, person_ids: Collection[str]) -> dict[str, Person]:
    """The people among ``person_ids``, by id (unknown ids are left out)."""
    if not person_ids:
        return {}
    rows = session.scalars(select(Person).where(Person.person_id.in_(list(person_ids))))
    return {p.person_id: p for p in rows}


def supervisors_in(session: Session, unit_ids: Collection[str]) -> list[Person]:
    """The frontline supervisors of ``unit_ids``, by person_id."""
    return list(
        session.scalars(
            select(Person)
            .where(Person.unit_id.in_(list(unit_ids)), Person.is_supervisor.is_(True))
            .order_by(Person.person_id)
        )
    )


def coached_by(session: Session, pilot_id: int, coach_id: str) -> list[Workgroup]:
    """The workgroups of the pilot that ``coach_id`` coaches."""
    return list(
        session.scalars(
            select(Workgroup)
            .where(Workgroup.pilot_id == pilot_id, Workgroup.coach_id == coach_id)
            .order_by(Workgroup.name)
        )
    )


def checks(session: Session, pilot_id: int, coach_id: str | None = None) -> list[CoachCheck]:
    """The checklist rows of the pilot (of one coach when given), by coach."""
    statement = select(CoachCheck).where(CoachCheck.pilot_id == pilot_id)
    if coach_id is not None:
        statement = statement.where(CoachCheck.coach_id == coach_id)
    return list(session.scalars(statement.order_by(CoachCheck.coach_id, CoachCheck.id)))


def ensure_checks(
    session: Session, pilot_id: int, coach_id: str, parts: Iterable[str]
) -> list[CoachCheck]:
    """The coach's checklist, with a ``todo`` row added for every part it lacks; rows a
    coach already worked on (a second workgroup, a re-assignment) are kept as they are."""
    have = {c.part: c for c in checks(session, pilot_id, coach_id)}
    for part in parts:
        if part not in have:
            row = CoachCheck(pilot_id=pilot_id, coach_id=coach_id, part=part, status="todo")
            session.add(row)
            have[part] = row
    session.flush()
    return list(have.values())


def charters(session: Session, workgroup_id: int) -> list[Charter]:
    """Every version of a workgroup's charter, oldest first."""
    return list(
        session.scalars(
            select(Charter).where(Charter.workgroup_id == workgroup_id).order_by(Charter.version)
        )
    )


def add_charter(
    session: Session, workgroup_id: int, content: dict[str, Any], created_by: str
) -> Charter:
    """Add the next version of a workgroup's charter; earlier versions stay as they were."""
    latest = session.scalar(
        select(func.max(Charter.version)).where(Charter.workgroup_id == workgroup_id)
    )
    charter = Charter(
        workgroup_id=workgroup_id,
        version=int(latest or 0) + 1,
        content=content,
        created_by=created_by,
    )
    session.add(charter)
    session.flush()
    session.refresh(charter)
    return charter


def coaching_mark(session: Session, pilot_id: int) -> tuple[object, ...]:
    """What changes whenever the pilot's coaching does, in two small queries: each
    workgroup's name, focus, coach and number of members, and of the checklists their
    number, newest id and newest update (an update stamps its row)."""
    groups = tuple(
        session.execute(
            select(
                Workgroup.id,
                Workgroup.name,
                Workgroup.focus,
                Workgroup.coach_id,
                func.count(WorkgroupMember.person_id),
            )
            .outerjoin(WorkgroupMember, WorkgroupMember.workgroup_id == Workgroup.id)
            .where(Workgroup.pilot_id == pilot_id)
            .group_by(Workgroup.id, Workgroup.name, Workgroup.focus, Workgroup.coach_id)
            .order_by(Workgroup.id)
        )
    )
    listed = session.execute(
        select(
            func.count(CoachCheck.id), func.max(CoachCheck.id), func.max(CoachCheck.updated_at)
        ).where(CoachCheck.pilot_id == pilot_id)
    ).one()
    return groups, tuple(listed)
