"""A pilot and everything the pathway builds for it: the capacity decisions and plan,
the volunteers' applications, workgroups, cells, coaches and charters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from smartmoves.data.store.models.base import Base

ID = String(200)
PILOT_STATUSES = ("draft", "recruiting", "running", "closed")
DECISIONS = ("automate", "stop", "keep", "relax-metric")
SELECTION_STATUSES = ("selected", "not_selected")
COACH_PARTS = ("expectations", "performance", "development", "focus", "support")
CHECK_STATUSES = ("todo", "in_progress", "done")


def _now() -> Mapped[dt.datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


class Pilot(Base):
    """A proof of concept at one entry point: 15-60 volunteers freed for >= 75%."""

    __tablename__ = "pilots"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[str | None] = mapped_column(ID)  # the entry point
    opportunity: Mapped[str | None] = mapped_column(Text)
    call_text: Mapped[str | None] = mapped_column(Text)  # the call for volunteers
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # The day the status first became running: the pilot's start, which its frontline
    # metrics are measured against (a later pause and restart keeps it).
    started_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    target_free: Mapped[float] = mapped_column(Float, default=0.75)
    min_pilot: Mapped[int] = mapped_column(Integer, default=15)
    max_pilot: Mapped[int] = mapped_column(Integer, default=60)
    created_at: Mapped[dt.datetime] = _now()
    created_by: Mapped[str] = mapped_column(String(320), default="cli")


class CapacityDecision(Base):
    """What to do with an activity (optionally only in one unit) to free capacity."""

    __tablename__ = "capacity_decisions"
    __table_args__ = (UniqueConstraint("pilot_id", "activity_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[str] = mapped_column(ID)
    unit_id: Mapped[str | None] = mapped_column(ID)
    decision: Mapped[str] = mapped_column(String(20))
    # automate by the exposure model's beta instead of the activity's own potential
    use_model: Mapped[bool] = mapped_column(default=False, server_default=false())
    note: Mapped[str | None] = mapped_column(Text)


class CapacityPlan(Base):
    """A consolidation plan as computed (its parameters and its result, as JSON)."""

    __tablename__ = "capacity_plans"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(30))
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_current: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = _now()
    created_by: Mapped[str] = mapped_column(String(320), default="cli")


class Workgroup(Base):
    __tablename__ = "workgroups"
    __table_args__ = (UniqueConstraint("pilot_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    focus: Mapped[str | None] = mapped_column(Text)  # what the workgroup starts on
    coach_id: Mapped[str | None] = mapped_column(ID)  # a frontline supervisor's person_id
    formation: Mapped[dict[str, Any]] = mapped_column(default=dict)  # figures at formation
    created_at: Mapped[dt.datetime] = _now()


class WorkgroupMember(Base):
    """A person in a workgroup; one workgroup per person within a pilot."""

    __tablename__ = "workgroup_members"
    __table_args__ = (UniqueConstraint("pilot_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    workgroup_id: Mapped[int] = mapped_column(
        ForeignKey("workgroups.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[str] = mapped_column(ID)


class Cell(Base):
    """5-15 people drawn across workgroups, for belonging and reflection."""

    __tablename__ = "cells"
    __table_args__ = (UniqueConstraint("pilot_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)


class CellMember(Base):
    __tablename__ = "cell_members"
    __table_args__ = (UniqueConstraint("pilot_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("cells.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[str] = mapped_column(ID)


class CoachCheck(Base):
    """One of the five parts of a supervisor's shift from control to coaching."""

    __tablename__ = "coach_checks"
    __table_args__ = (UniqueConstraint("pilot_id", "coach_id", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[str] = mapped_column(ID)
    part: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="todo")
    notes: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = _now()


class Charter(Base):
    """A version of a workgroup's charter; a change adds a version, none is overwritten."""

    __tablename__ = "charters"
    __table_args__ = (UniqueConstraint("workgroup_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    workgroup_id: Mapped[int] = mapped_column(
        ForeignKey("workgroups.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = _now()
    created_by: Mapped[str] = mapped_column(String(320), default="cli")


class Selection(Base):
    """The admin's decision on a volunteer for a pilot, kept apart from the application
    (the person's own words) so that re-importing applications never loses it."""

    __tablename__ = "selections"
    __table_args__ = (UniqueConstraint("pilot_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[str] = mapped_column(ID)
    status: Mapped[str] = mapped_column(String(20))  # selected / not_selected
    decided_at: Mapped[dt.datetime] = _now()
    decided_by: Mapped[str] = mapped_column(String(320), default="cli")
