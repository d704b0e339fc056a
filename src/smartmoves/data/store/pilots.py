"""Pilots in the operational store (sessions only; the pathway commits)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartmoves.data.store.models import Pilot

__all__ = ["add_pilot", "get_pilot", "list_pilots"]


def add_pilot(session: Session, **fields: object) -> Pilot:
    pilot = Pilot(**fields)
    session.add(pilot)
    session.flush()
    return pilot


def get_pilot(session: Session, pilot_id: int) -> Pilot | None:
    return session.get(Pilot, pilot_id)


def list_pilots(session: Session) -> list[Pilot]:
    return list(session.scalars(select(Pilot).order_by(Pilot.id)))
