"""The organization's imported tables (see ``data/contracts.py``).

References between them are checked by validation at import time, not by foreign
keys: an import replaces a whole table at once, and the check must explain itself in a
user's words (file, row, column) rather than fail on a constraint name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smartmoves.data.store.models.base import Base

ID = String(200)


class Unit(Base):
    __tablename__ = "units"

    unit_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(ID, index=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[str | None] = mapped_column(String(10))
    leader_id: Mapped[str | None] = mapped_column(ID)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Person(Base):
    __tablename__ = "people"

    person_id: Mapped[str] = mapped_column(ID, primary_key=True)
    unit_id: Mapped[str] = mapped_column(ID, index=True)
    name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(Text)
    manager_id: Mapped[str | None] = mapped_column(ID)
    is_supervisor: Mapped[bool] = mapped_column(default=False)
    contracted_hours: Mapped[float] = mapped_column(Float, default=40.0)
    hire_date: Mapped[dt.date | None]
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Activity(Base):
    __tablename__ = "activities"

    activity_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    automation_potential: Mapped[float | None] = mapped_column(Float)
    eliminable: Mapped[bool | None]
    skill: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Allocation(Base):
    __tablename__ = "allocations"

    person_id: Mapped[str] = mapped_column(ID, primary_key=True)
    activity_id: Mapped[str] = mapped_column(ID, primary_key=True)
    hours_per_week: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_allocations_activity", "activity_id"),)


class Metric(Base):
    __tablename__ = "metrics"

    metric_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[str | None] = mapped_column(ID)
    direction: Mapped[str] = mapped_column(String(4), default="up")
    unit: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Application(Base):
    """A volunteer's application. Imported ones have ``source='import'``; the pilot's
    web form (a later step of the pathway) adds its own with their pilot."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ID, index=True)
    problem: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime | None]
    source: Mapped[str] = mapped_column(String(20), default="import")
    pilot_id: Mapped[int | None] = mapped_column(
        ForeignKey("pilots.id", ondelete="SET NULL"), index=True
    )
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
