"""Catalysts and the champion in the operational store.

Functions take a session and never commit (the pathway layer owns transactions).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartmoves.data.store.models import Catalyst, Champion, Person, Unit
from smartmoves.data.store.models.recognize import CHAMPION_SLOT

__all__ = [
    "add_catalyst",
    "catalysts",
    "champion",
    "delete_catalyst",
    "get_catalyst",
    "person",
    "put_champion",
    "unit",
    "unit_tree",
    "update_catalyst",
]


def catalysts(session: Session) -> list[Catalyst]:
    """Every catalyst, oldest first."""
    return list(session.scalars(select(Catalyst).order_by(Catalyst.id)))


def get_catalyst(session: Session, catalyst_id: int) -> Catalyst | None:
    return session.get(Catalyst, catalyst_id)


def add_catalyst(session: Session, values: dict[str, Any], actor: str) -> Catalyst:
    row = Catalyst(**values, version=1, created_by=actor, updated_by=actor)
    session.add(row)
    session.flush()
    session.refresh(row)  # the times the store set
    return row


def update_catalyst(session: Session, row: Catalyst, values: dict[str, Any], actor: str) -> None:
    """Write ``values`` over ``row`` as its next version."""
    for key, value in values.items():
        setattr(row, key, value)
    row.version += 1
    row.updated_by = actor
    row.updated_at = func.now()
    session.flush()
    session.refresh(row)


def delete_catalyst(session: Session, row: Catalyst) -> None:
    session.delete(row)
    session.flush()


def champion(session: Session) -> Champion | None:
    """The organization's champion, if one was set."""
    return session.get(Champion, CHAMPION_SLOT)


def put_champion(session: Session, values: dict[str, Any], actor: str) -> Champion:
    """Set the champion (replacing the one before), as its next version."""
    row = champion(session)
    if row is None:
        row = Champion(slot=CHAMPION_SLOT, version=1, set_by=actor, **values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.version += 1
        row.set_by = actor
        row.set_at = func.now()
    session.flush()
    session.refresh(row)
    return row


def person(session: Session, person_id: str) -> Person | None:
    return session.get(Person, person_id)


def unit(session: Session, unit_id: str) -> Unit | None:
    return session.get(Unit, unit_id)


def unit_tree(session: Session) -> list[tuple[str, str, str | None]]:
    """Every unit's id, name and parent, by id: the areas a champion may be given, and
    how many units each holds, in one read."""
    rows = session.execute(select(Unit.unit_id, Unit.name, Unit.parent_id).order_by(Unit.unit_id))
    return [(str(u), str(n), None if p is None else str(p)) for u, n, p in rows]
