"""What a pilot measures as it acts: the weekly values its people enter for frontline
metrics, and the targets set for them.

Both tables are append-only: a correction is a new row, and the newest row for the same
key wins (an entry's key is metric, scope, scope id and week; a target's is pilot and
metric), so who said what and when stays readable.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from smartmoves.data.store.models.base import Base
from smartmoves.data.store.models.org import ID

WHO = String(320)  # an account's email, or the command line's name


class MetricEntry(Base):
    """A week's value of a frontline metric for one scope, as a person entered it."""

    __tablename__ = "metric_entries"
    __table_args__ = (Index("ix_metric_entries_key", "metric_id", "scope", "scope_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    metric_id: Mapped[str] = mapped_column(ID)
    scope: Mapped[str] = mapped_column(String(20))
    scope_id: Mapped[str] = mapped_column(ID)
    week: Mapped[dt.date] = mapped_column(Date)  # the Monday of the ISO week
    value: Mapped[float] = mapped_column(Float)
    entered_by: Mapped[str] = mapped_column(WHO)
    entered_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class MetricTarget(Base):
    """Where a pilot means a frontline metric to be, and by when."""

    __tablename__ = "metric_targets"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    metric_id: Mapped[str] = mapped_column(ID)
    value: Mapped[float] = mapped_column(Float)
    by_date: Mapped[dt.date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(WHO)
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
