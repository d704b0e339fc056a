"""Judgements about where to start: unit assessments, kept with their history, and the
weights a workspace gives the entry-point scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Float, Index, String, Text, func
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
