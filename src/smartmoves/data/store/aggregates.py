"""Aggregate queries over the organization's tables, computed in the database.

Each returns counts of distinct people beside every figure so the caller can suppress
figures over fewer people than the minimum group size.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartmoves.data.store import db
from smartmoves.data.store.models import Activity, Allocation, Person, Unit

__all__ = [
    "activity_catalog",
    "activity_hours",
    "category_hours",
    "headcount_by_unit",
    "hours_by_unit",
    "level_mix",
    "people_by_unit",
    "supervisors_by_unit",
    "units",
]


# Built once: building a statement costs about as much as running it on a near store.
_UNITS = select(
    Unit.unit_id, Unit.name, Unit.parent_id, Unit.kind, Unit.position, Unit.leader_id
).order_by(Unit.name)


def units(session: Session) -> list[dict[str, Any]]:
    rows = db.read(session, _UNITS)
    return [dict(r._mapping) for r in rows]


def headcount_by_unit(session: Session) -> dict[str, int]:
    rows = session.execute(select(Person.unit_id, func.count()).group_by(Person.unit_id))
    return {unit: int(n) for unit, n in rows}


def supervisors_by_unit(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Person.unit_id, func.count())
        .where(Person.is_supervisor.is_(True))
        .group_by(Person.unit_id)
    )
    return {unit: int(n) for unit, n in rows}


def _in_units(statement: Any, unit_ids: Collection[str] | None) -> Any:
    return statement if unit_ids is None else statement.where(Person.unit_id.in_(list(unit_ids)))


def category_hours(
    session: Session, unit_ids: Collection[str] | None = None
) -> list[tuple[str | None, float, int]]:
    """(category, weekly hours, distinct people) for people in ``unit_ids`` (all if None)."""
    statement = (
        select(
            Activity.category,
            func.sum(Allocation.hours_per_week),
            func.count(func.distinct(Allocation.person_id)),
        )
        .join(Activity, Activity.activity_id == Allocation.activity_id)
        .join(Person, Person.person_id == Allocation.person_id)
        .group_by(Activity.category)
        .order_by(func.sum(Allocation.hours_per_week).desc())
    )
    rows = session.execute(_in_units(statement, unit_ids))
    return [(c, float(h), int(n)) for c, h, n in rows]


def activity_hours(
    session: Session, unit_ids: Collection[str] | None = None, *, limit: int = 15
) -> list[tuple[str, str, str | None, float, int]]:
    """(activity_id, name, category, weekly hours, distinct people), most hours first."""
    statement = (
        select(
            Activity.activity_id,
            Activity.name,
            Activity.category,
            func.sum(Allocation.hours_per_week),
            func.count(func.distinct(Allocation.person_id)),
        )
        .join(Activity, Activity.activity_id == Allocation.activity_id)
        .join(Person, Person.person_id == Allocation.person_id)
        .group_by(Activity.activity_id, Activity.name, Activity.category)
        .order_by(func.sum(Allocation.hours_per_week).desc(), Activity.activity_id)
        .limit(limit)
    )
    rows = session.execute(_in_units(statement, unit_ids))
    return [(a, n, c, float(h), int(p)) for a, n, c, h, p in rows]


def level_mix(
    session: Session, unit_ids: Collection[str] | None = None
) -> list[tuple[str | None, int]]:
    statement = (
        select(Person.level, func.count()).group_by(Person.level).order_by(func.count().desc())
    )
    return [(level, int(n)) for level, n in session.execute(_in_units(statement, unit_ids))]


def people_by_unit(session: Session) -> list[tuple[str, str | None, bool, int]]:
    """(unit, level, is supervisor, people) for the people attached directly to each unit."""
    rows = session.execute(
        select(Person.unit_id, Person.level, Person.is_supervisor, func.count()).group_by(
            Person.unit_id, Person.level, Person.is_supervisor
        )
    )
    return [(u, level, bool(s), int(n)) for u, level, s, n in rows]


def hours_by_unit(session: Session, by: str) -> list[tuple[str, str | None, float, int]]:
    """(unit, activity id or category, weekly hours, distinct people) per unit's own people;
    ``by`` is ``"activity"`` or ``"category"``."""
    key = Activity.activity_id if by == "activity" else Activity.category
    rows = session.execute(
        select(
            Person.unit_id,
            key,
            func.sum(Allocation.hours_per_week),
            func.count(func.distinct(Allocation.person_id)),
        )
        .join(Activity, Activity.activity_id == Allocation.activity_id)
        .join(Person, Person.person_id == Allocation.person_id)
        .group_by(Person.unit_id, key)
    )
    return [(u, k, float(h), int(n)) for u, k, h, n in rows]


def activity_catalog(session: Session) -> list[tuple[str, str, str | None]]:
    """(activity id, name, category) of every activity."""
    rows = session.execute(select(Activity.activity_id, Activity.name, Activity.category))
    return [(a, n, c) for a, n, c in rows]
