"""Creating capacity in the operational store: a pilot's scope (people, activities and
allocations of its entry point and the units below it), its decisions, its volunteers
and its consolidation plans.

Functions take a session and never commit (the pathway layer owns transactions).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from smartmoves.data.store import db
from smartmoves.data.store.models import (
    Allocation,
    Application,
    CapacityDecision,
    CapacityPlan,
    Person,
    Selection,
    Unit,
)
from smartmoves.data.store.org import read_people, read_table

__all__ = [
    "activities",
    "add_plan",
    "allocations_of",
    "applicants",
    "current_plan",
    "current_plan_id",
    "decisions",
    "people_in",
    "pilot_mark",
    "plan_count",
    "replace_decisions",
    "selected_volunteers",
    "units_below",
]


def units_below(session: Session, unit_id: str) -> list[str]:
    """``unit_id`` and every unit below it, parents before children."""
    children: dict[str | None, list[str]] = {}
    for uid, parent in session.execute(select(Unit.unit_id, Unit.parent_id).order_by(Unit.unit_id)):
        children.setdefault(parent, []).append(uid)
    found, queue = [unit_id], [unit_id]
    while queue:
        for child in children.get(queue.pop(0), []):
            if child not in found:  # a cycle cannot pass import validation; be safe anyway
                found.append(child)
                queue.append(child)
    return found


def people_in(session: Session, unit_ids: Collection[str]) -> pd.DataFrame:
    """The people of ``unit_ids`` (attributes such as ``skills`` as columns), by person_id."""
    return read_people(session, Person.unit_id.in_(list(unit_ids)))


def activities(session: Session) -> pd.DataFrame:
    """Every activity of the catalog."""
    return read_table(session, "activities").sort_values("activity_id").reset_index(drop=True)


def allocations_of(session: Session, unit_ids: Collection[str]) -> pd.DataFrame:
    """The activity inventory of the people of ``unit_ids``."""
    rows = session.execute(
        select(Allocation.person_id, Allocation.activity_id, Allocation.hours_per_week)
        .join(Person, Person.person_id == Allocation.person_id)
        .where(Person.unit_id.in_(list(unit_ids)))
        .order_by(Allocation.person_id, Allocation.activity_id)
    ).all()
    return pd.DataFrame(rows, columns=["person_id", "activity_id", "hours_per_week"])


def decisions(session: Session, pilot_id: int) -> list[CapacityDecision]:
    """The pilot's decisions, by activity then unit (general decisions first)."""
    rows = session.scalars(select(CapacityDecision).where(CapacityDecision.pilot_id == pilot_id))
    return sorted(rows, key=lambda d: (d.activity_id, d.unit_id is not None, d.unit_id or ""))


def replace_decisions(session: Session, pilot_id: int, rows: Iterable[dict[str, Any]]) -> int:
    """Replace every decision of the pilot with ``rows`` (activity_id, unit_id, decision,
    note); the caller has checked them."""
    session.execute(delete(CapacityDecision).where(CapacityDecision.pilot_id == pilot_id))
    count = 0
    for row in rows:
        session.add(CapacityDecision(pilot_id=pilot_id, **row))
        count += 1
    session.flush()
    return count


def selected_volunteers(session: Session, pilot_id: int) -> list[str]:
    """The person_ids an admin selected for the pilot."""
    return list(
        session.scalars(
            select(Selection.person_id)
            .where(Selection.pilot_id == pilot_id, Selection.status == "selected")
            .order_by(Selection.person_id)
        )
    )


def applicants(session: Session, pilot_id: int, unit_ids: Collection[str]) -> list[str]:
    """People of ``unit_ids`` who applied to this pilot or to no pilot in particular (an
    imported application), once each."""
    return list(
        session.scalars(
            select(Application.person_id)
            .join(Person, Person.person_id == Application.person_id)
            .where(
                Person.unit_id.in_(list(unit_ids)),
                or_(Application.pilot_id.is_(None), Application.pilot_id == pilot_id),
            )
            .distinct()
            .order_by(Application.person_id)
        )
    )


def add_plan(session: Session, pilot_id: int, **fields: Any) -> CapacityPlan:
    """Store a plan as the pilot's current one; earlier plans stay, no longer current."""
    session.execute(
        update(CapacityPlan)
        .where(CapacityPlan.pilot_id == pilot_id, CapacityPlan.is_current.is_(True))
        .values(is_current=False)
    )
    plan = CapacityPlan(pilot_id=pilot_id, is_current=True, **fields)
    session.add(plan)
    session.flush()
    session.refresh(plan)
    return plan


def current_plan(session: Session, pilot_id: int) -> CapacityPlan | None:
    return session.scalars(
        select(CapacityPlan)
        .where(CapacityPlan.pilot_id == pilot_id, CapacityPlan.is_current.is_(True))
        .order_by(CapacityPlan.id.desc())
        .limit(1)
    ).first()


# Built once: building a statement costs about as much as running it on a near store.
_DECIDED = (
    select(
        CapacityDecision.activity_id,
        CapacityDecision.unit_id,
        CapacityDecision.decision,
        CapacityDecision.use_model,
        CapacityDecision.note,
    )
    .where(CapacityDecision.pilot_id == bindparam("pilot_id"))
    .order_by(CapacityDecision.id)
)
# The selections' and plans' figures in one round trip (scalar subqueries): on a
# networked store every page of the pilot pays for each statement.
_of_selections = Selection.pilot_id == bindparam("pilot_id")
_of_plans = CapacityPlan.pilot_id == bindparam("pilot_id")
_SELECTIONS_AND_PLANS = select(
    select(func.count(Selection.id)).where(_of_selections).scalar_subquery(),
    select(func.max(Selection.id)).where(_of_selections).scalar_subquery(),
    select(func.max(Selection.decided_at)).where(_of_selections).scalar_subquery(),
    select(func.count(CapacityPlan.id)).where(_of_plans).scalar_subquery(),
    select(func.max(CapacityPlan.id)).where(_of_plans).scalar_subquery(),
    select(func.max(CapacityPlan.id))
    .where(_of_plans, CapacityPlan.is_current.is_(True))
    .scalar_subquery(),
)


def pilot_mark(session: Session, pilot_id: int) -> tuple[object, ...]:
    """What changes whenever the pilot's decisions, selections or plans do: the decisions
    themselves (a few rows), and of the selections and plans their number and newest id
    (a selection changed in place is stamped anew)."""
    given = {"pilot_id": pilot_id}
    decided = tuple(db.read(session, _DECIDED, given))
    row = db.read(session, _SELECTIONS_AND_PLANS, given).one()
    selections, plans, current = row[:3], row[3:5], row[5]
    return decided, tuple(map(str, selections)), (*plans, current)


def current_plan_id(session: Session, pilot_id: int) -> int | None:
    return session.scalar(
        select(CapacityPlan.id)
        .where(CapacityPlan.pilot_id == pilot_id, CapacityPlan.is_current.is_(True))
        .order_by(CapacityPlan.id.desc())
        .limit(1)
    )


def plan_count(session: Session, pilot_id: int) -> int:
    """How many plans the pilot has had, the current one included."""
    count = session.scalar(
        select(func.count()).select_from(CapacityPlan).where(CapacityPlan.pilot_id == pilot_id)
    )
    return int(count or 0)
