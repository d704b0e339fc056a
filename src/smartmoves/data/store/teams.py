"""Workgroups and cells of a pilot in the operational store.

A formation replaces the pilot's workgroups (and the cells drawn from them) at once;
cells are replaced on their own. Functions take a session and never commit (the pathway
layer owns transactions).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from smartmoves.data.store import db
from smartmoves.data.store.models import (
    Cell,
    CellMember,
    Charter,
    Person,
    Workgroup,
    WorkgroupMember,
)
from smartmoves.data.store.org import read_people

__all__ = [
    "all_members",
    "cell_members",
    "cells",
    "charter_count",
    "member_of",
    "people_by_id",
    "replace_cells",
    "replace_workgroups",
    "workgroup_members",
    "workgroups",
]


def people_by_id(session: Session, person_ids: Collection[str]) -> pd.DataFrame:
    """The people named (attributes such as ``skills`` as columns of their own), by id."""
    return read_people(session, Person.person_id.in_(list(person_ids)))


def workgroups(session: Session, pilot_id: int) -> list[Workgroup]:
    """The pilot's workgroups in the order they were made (Workgroup 1, 2, ...)."""
    return list(
        session.scalars(
            select(Workgroup).where(Workgroup.pilot_id == pilot_id).order_by(Workgroup.id)
        )
    )


# Built once, read without the ORM (db.read): every page of a pilot's teams asks.
_WORKGROUP_MEMBERS = (
    select(WorkgroupMember.person_id, WorkgroupMember.workgroup_id)
    .where(WorkgroupMember.pilot_id == bindparam("pilot_id"))
    .order_by(WorkgroupMember.person_id)
)
_CELL_MEMBERS = (
    select(CellMember.person_id, CellMember.cell_id)
    .where(CellMember.pilot_id == bindparam("pilot_id"))
    .order_by(CellMember.person_id)
)


def workgroup_members(session: Session, pilot_id: int) -> dict[str, int]:
    """person_id -> workgroup id, for every member of the pilot's workgroups."""
    rows = db.read(session, _WORKGROUP_MEMBERS, {"pilot_id": pilot_id})
    return {str(person): int(group) for person, group in rows}


def all_members(session: Session) -> list[tuple[int, str, str]]:
    """(workgroup id, person_id, workgroup name) for every member of every pilot's
    workgroups: the workgroups a Connect page may point to."""
    rows = session.execute(
        select(WorkgroupMember.workgroup_id, WorkgroupMember.person_id, Workgroup.name).join(
            Workgroup, Workgroup.id == WorkgroupMember.workgroup_id
        )
    )
    return [(int(w), str(p), str(n)) for w, p, n in rows]


def leave_groups(session: Session, pilot_id: int, person_ids: Collection[str]) -> dict[str, str]:
    """Take people out of the pilot's workgroup and cell; returns person -> workgroup name
    for those who were in one."""
    wanted = list(person_ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(WorkgroupMember.person_id, Workgroup.name)
        .join(Workgroup, Workgroup.id == WorkgroupMember.workgroup_id)
        .where(WorkgroupMember.pilot_id == pilot_id, WorkgroupMember.person_id.in_(wanted))
    )
    left = {str(person): str(name) for person, name in rows}
    for model in (WorkgroupMember, CellMember):
        session.execute(
            delete(model).where(model.pilot_id == pilot_id, model.person_id.in_(wanted))
        )
    session.flush()
    return left


def add_member(session: Session, pilot_id: int, workgroup_id: int, person_id: str) -> None:
    session.add(WorkgroupMember(pilot_id=pilot_id, workgroup_id=workgroup_id, person_id=person_id))
    session.flush()


def member_of(session: Session, pilot_id: int, person_id: str) -> WorkgroupMember | None:
    return session.scalars(
        select(WorkgroupMember).where(
            WorkgroupMember.pilot_id == pilot_id, WorkgroupMember.person_id == person_id
        )
    ).first()


def charter_count(session: Session, pilot_id: int) -> int:
    """Charter versions written for the pilot's workgroups."""
    count = session.scalar(
        select(func.count())
        .select_from(Charter)
        .join(Workgroup, Workgroup.id == Charter.workgroup_id)
        .where(Workgroup.pilot_id == pilot_id)
    )
    return int(count or 0)


def chartered_workgroups(session: Session, pilot_id: int) -> int:
    """The pilot's workgroups with at least one charter version."""
    count = session.scalar(
        select(func.count(func.distinct(Charter.workgroup_id)))
        .join(Workgroup, Workgroup.id == Charter.workgroup_id)
        .where(Workgroup.pilot_id == pilot_id)
    )
    return int(count or 0)


def _clear_cells(session: Session, pilot_id: int) -> None:
    session.execute(delete(CellMember).where(CellMember.pilot_id == pilot_id))
    session.execute(delete(Cell).where(Cell.pilot_id == pilot_id))


def replace_workgroups(
    session: Session,
    pilot_id: int,
    groups: Iterable[tuple[str, Mapping[str, Any], Iterable[str]]],
) -> list[Workgroup]:
    """Replace the pilot's workgroups with ``groups`` (name, formation figures, members).

    The cells go too: they were drawn from the workgroups being replaced.
    """
    _clear_cells(session, pilot_id)
    session.execute(delete(WorkgroupMember).where(WorkgroupMember.pilot_id == pilot_id))
    session.execute(delete(Workgroup).where(Workgroup.pilot_id == pilot_id))
    session.flush()
    made = []
    for name, formation, members in groups:
        group = Workgroup(pilot_id=pilot_id, name=name, formation=dict(formation))
        session.add(group)
        session.flush()
        session.add_all(
            WorkgroupMember(pilot_id=pilot_id, workgroup_id=group.id, person_id=p) for p in members
        )
        made.append(group)
    session.flush()
    return made


def cells(session: Session, pilot_id: int) -> list[Cell]:
    return list(session.scalars(select(Cell).where(Cell.pilot_id == pilot_id).order_by(Cell.id)))


def cell_members(session: Session, pilot_id: int) -> dict[str, int]:
    """person_id -> cell id, for every member of the pilot's cells."""
    rows = db.read(session, _CELL_MEMBERS, {"pilot_id": pilot_id})
    return {str(person): int(cell) for person, cell in rows}


def replace_cells(
    session: Session, pilot_id: int, groups: Iterable[tuple[str, Iterable[str]]]
) -> list[Cell]:
    """Replace the pilot's cells with ``groups`` (name, members)."""
    _clear_cells(session, pilot_id)
    session.flush()
    made = []
    for name, members in groups:
        cell = Cell(pilot_id=pilot_id, name=name)
        session.add(cell)
        session.flush()
        session.add_all(
            CellMember(pilot_id=pilot_id, cell_id=cell.id, person_id=p) for p in members
        )
        made.append(cell)
    session.flush()
    return made
