"""The audit log as it is read: pages, newest first, and every entry for an export
(sessions only; the pathway commits). Entries are written by :func:`org.audit`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from smartmoves.data.store.models import AuditEntry

__all__ = ["count_entries", "entries_page", "every_entry"]


def _searched(statement: Select[Any], search: str) -> Select[Any]:
    """Entries whose actor, action, object or address holds ``search``, in any case
    (``%`` and ``_`` are the words typed, not wildcards)."""
    if not search:
        return statement
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    columns = (AuditEntry.actor, AuditEntry.action, AuditEntry.target, AuditEntry.address)
    return statement.where(or_(*(c.ilike(pattern, escape="\\") for c in columns)))


def count_entries(session: Session, search: str = "") -> int:
    statement = _searched(select(func.count()).select_from(AuditEntry), search)
    return int(session.scalar(statement) or 0)


def entries_page(
    session: Session, *, offset: int, limit: int, search: str = ""
) -> list[AuditEntry]:
    """``limit`` entries after the ``offset`` newest (of those holding ``search``)."""
    statement = _searched(select(AuditEntry), search)
    statement = statement.order_by(AuditEntry.id.desc()).offset(offset).limit(limit)
    return list(session.scalars(statement))


def every_entry(session: Session, *, batch: int = 1000) -> Iterator[AuditEntry]:
    """Every entry, newest first, read ``batch`` at a time (by id, so an entry written
    meanwhile neither repeats nor shifts the rest)."""
    below: int | None = None
    while True:
        statement = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(batch)
        if below is not None:
            statement = statement.where(AuditEntry.id < below)
        rows = list(session.scalars(statement))
        yield from rows
        if len(rows) < batch:
            return
        below = rows[-1].id
