"""What the organization records to decide whether, who and where: its catalysts (each
judged against the seeds' four questions), its one champion, unit assessments kept with
their history, and the weights a workspace gives the entry-point scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Float, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from smartmoves.data.store.models.base import Base
from smartmoves.data.store.models.org import ID


class UnitAssessment(Base):
    """One assessment of a unit, as imported or saved on the web. Rows are only ever
    added: the newest per unit (by ``assessed_at``, then ``id``) is the one in force, and
    the older ones are its history."""

    __tablename__ = "unit_assessments"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(ID)
    leader_support: Mapped[float | None] = mapped_column(Float)
    supervisor_motivation: Mapped[float | None] = mapped_column(Float)
    champion_influence: Mapped[str | None] = mapped_column(String(10))
    opportunity_size: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)
    assessed_by: Mapped[str] = mapped_column(Text)
    assessed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(20), default="import")
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (Index("ix_unit_assessments_unit", "unit_id", "assessed_at"),)


class EntryWeights(Base):
    """The workspace's entry-point weights (one row; none = the documented defaults).
    Only the weights that differ from the defaults are kept, so a new default reaches
    every workspace that did not change it."""

    __tablename__ = "entry_weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    weights: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_by: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


ACTOR = String(320)  # an account's email, or "cli" / "demo"
CHAMPION_SLOT = 1  # the champions table holds one row: the organization's champion


def _now() -> Mapped[dt.datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


class Catalyst(Base):
    """A reason to redefine work now, with its answers to the four questions.

    An edit updates the row and counts up ``version``: a save based on an older version
    is refused, so a stale form never buries someone else's edit.
    """

    __tablename__ = "catalysts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)  # question -> yes/no/unsure
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)  # question -> note
    mainly_controls: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(ACTOR, default="cli")
    created_at: Mapped[dt.datetime] = _now()
    updated_by: Mapped[str] = mapped_column(ACTOR, default="cli")
    updated_at: Mapped[dt.datetime] = _now()


class Champion(Base):
    """The organization's champion: one row (``slot`` 1), replaced when set again.

    The yes/no answers are ``None`` when not recorded ("unsure").
    """

    __tablename__ = "champions"

    slot: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=CHAMPION_SLOT)
    person_id: Mapped[str] = mapped_column(ID)
    level: Mapped[str | None] = mapped_column(String(40))
    conviction: Mapped[bool | None]
    communicates: Mapped[bool | None]
    air_cover: Mapped[bool | None]
    unit_id: Mapped[str | None] = mapped_column(ID)  # the area: this unit and all below it
    vision: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    set_by: Mapped[str] = mapped_column(ACTOR, default="cli")
    set_at: Mapped[dt.datetime] = _now()
