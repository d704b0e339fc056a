"""Background jobs: work that takes seconds (a plan, a formation, a network analysis) and
runs outside the request, with its progress and outcome kept here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, func
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from smartmoves.data.store.models.base import Base

JOB_STATUSES = ("queued", "running", "done", "failed")
ACTIVE_STATUSES = ("queued", "running")


class Job(Base):
    """One run of a kind of work on one subject (a pilot, the workspace).

    ``active_key`` is ``kind:subject`` while the job is queued or running and null after:
    its unique index keeps one job per kind and subject at a time, in any database.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_subject", "kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(50))
    subject: Mapped[str] = mapped_column(String(200))  # "pilot:3", "workspace"
    active_key: Mapped[str | None] = mapped_column(String(260), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    params: Mapped[dict[str, Any]] = mapped_column(
        JSON().with_variant(postgresql.JSONB(), "postgresql"), default=dict
    )
    stage: Mapped[str | None] = mapped_column(Text)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)  # the outcome, in the product's words
    problems: Mapped[list[str] | None] = mapped_column(
        JSON().with_variant(postgresql.JSONB(), "postgresql")
    )
    result: Mapped[dict[str, Any] | None] = mapped_column(
        JSON().with_variant(postgresql.JSONB(), "postgresql")
    )
    owner: Mapped[str | None] = mapped_column(String(100))  # host:pid of the runner
    account_id: Mapped[int] = mapped_column(Integer)  # who started it (0: the command line)
    account_email: Mapped[str] = mapped_column(String(320))
    account_role: Mapped[str] = mapped_column(String(20))
    account_person: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
