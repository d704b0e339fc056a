"""Reading and replacing the organization's tables in the operational store.

Functions take a session and never commit (the pathway layer owns transactions).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd
from sqlalchemy import Date, Select, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from smartmoves.data.store import db
from smartmoves.data.store.models import (
    Activity,
    Allocation,
    Application,
    AuditEntry,
    ImportRecord,
    Metric,
    Person,
    Unit,
)
from smartmoves.data.store.models.base import Base

__all__ = [
    "MODELS",
    "audit",
    "contracted_hours",
    "hours_by_person",
    "imports_mark",
    "known_ids",
    "last_imports",
    "person_cards",
    "read_table",
    "record_import",
    "replace_table",
    "used_ids",
]

MODELS: dict[str, type[Base]] = {
    "units": Unit,
    "people": Person,
    "activities": Activity,
    "allocations": Allocation,
    "metrics": Metric,
    "applications": Application,
}
_KEYS = {
    "units": "unit_id",
    "people": "person_id",
    "activities": "activity_id",
    "metrics": "metric_id",
}


def known_ids(session: Session, table: str) -> set[str]:
    """Every id of ``table`` in the store (empty for tables without a single-column key)."""
    if table not in _KEYS:
        return set()
    column = getattr(MODELS[table], _KEYS[table])
    return set(session.scalars(select(column)))


def used_ids(session: Session, table: str, column: str) -> set[str]:
    """Distinct non-empty values of ``table.column`` in the store."""
    attr = getattr(MODELS[table], column)
    return {v for v in session.scalars(select(attr).distinct()) if v is not None}


def contracted_hours(session: Session) -> dict[str, float]:
    rows = session.execute(select(Person.person_id, Person.contracted_hours))
    return {pid: float(hours) for pid, hours in rows}


def hours_by_person(session: Session) -> dict[str, float]:
    rows = session.execute(
        select(Allocation.person_id, func.sum(Allocation.hours_per_week)).group_by(
            Allocation.person_id
        )
    )
    return {pid: float(total) for pid, total in rows}


def _plain(value: Any, *, date_only: bool = False) -> Any:
    """Python values SQLAlchemy can bind: no NaN, no numpy, no pandas timestamps."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if date_only else value.to_pydatetime()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _records(table: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    model = MODELS[table]
    columns = [c for c in frame.columns if c in model.__table__.columns]
    dates = {c.name for c in model.__table__.columns if isinstance(c.type, Date)}
    out = []
    for row in frame[columns].itertuples(index=False, name=None):
        out.append({c: _plain(v, date_only=c in dates) for c, v in zip(columns, row, strict=True)})
    return out


def replace_table(session: Session, table: str, frame: pd.DataFrame) -> int:
    """Replace every row of ``table`` (imported applications only) with ``frame``'s."""
    model = MODELS[table]
    statement = delete(model)
    if model is Application:
        statement = statement.where(Application.source == "import")
    session.execute(statement)
    records = _records(table, frame)
    if model is Application:
        for r in records:
            r["source"] = "import"
    for start in range(0, len(records), 5000):
        session.execute(insert(model), records[start : start + 5000])
    return len(records)


def spread_attributes(frame: pd.DataFrame) -> pd.DataFrame:
    """Attributes (a dict per row, e.g. ``skills``) as columns of their own; a contract
    column of the same name wins."""
    if "attributes" not in frame.columns:
        return frame
    attrs = pd.DataFrame(list(frame["attributes"]), index=frame.index)
    attrs = attrs[[c for c in attrs.columns if c not in frame.columns]]
    return pd.concat([frame.drop(columns="attributes"), attrs], axis=1)


# Ids per query: well under SQLite's limit on bound parameters, however many people a
# page names (the admin's network table names everyone).
_IDS_PER_QUERY = 900


# Built once: building a statement costs about as much as running it on a near store.
_PERSON_CARDS = (
    select(
        Person.person_id,
        Person.name,
        Person.email,
        Person.role,
        Person.unit_id,
        Unit.name.label("unit_name"),
    )
    .outerjoin(Unit, Unit.unit_id == Person.unit_id)
    .where(Person.person_id.in_(bindparam("ids", expanding=True)))
)


def person_cards(session: Session, person_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Name, email, role and unit (id and name) of the known people among ``person_ids``."""
    wanted = sorted(set(person_ids))
    found: list[dict[str, Any]] = []
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        rows = db.read(session, _PERSON_CARDS, {"ids": wanted[start : start + _IDS_PER_QUERY]})
        found.extend(dict(r._mapping) for r in rows)
    return found


def read_people(session: Session, condition: Any) -> pd.DataFrame:
    """The people matching a SQL ``condition`` on :class:`Person`, by person_id, with
    their attributes as columns of their own."""
    columns = [c.name for c in Person.__table__.columns]
    rows = session.execute(
        select(*(getattr(Person, c) for c in columns)).where(condition).order_by(Person.person_id)
    ).all()
    return spread_attributes(pd.DataFrame(rows, columns=columns))


def read_table(session: Session, table: str) -> pd.DataFrame:
    """A whole table as a frame, attributes spread into columns of their own.

    An attribute never overrides a contract column of the same name.
    """
    model = MODELS[table]
    columns = [c.name for c in model.__table__.columns]
    statement: Select[Any] = select(*(getattr(model, c) for c in columns))
    frame = spread_attributes(pd.DataFrame(session.execute(statement).all(), columns=columns))
    return frame


def record_import(
    session: Session,
    *,
    table: str,
    file_name: str,
    sha256: str,
    format: str,
    rows: int,
    summary: dict[str, Any],
    actor: str,
) -> None:
    session.add(
        ImportRecord(
            table_name=table,
            file_name=file_name,
            sha256=sha256,
            format=format,
            rows=rows,
            summary=summary,
            imported_by=actor,
        )
    )


# Built once: building a statement costs about as much as running it on a near store.
_IMPORTS_MARK = select(
    ImportRecord.table_name, func.max(ImportRecord.id), func.max(ImportRecord.imported_at)
).group_by(ImportRecord.table_name)


def imports_mark(session: Session) -> tuple[tuple[str, int, str], ...]:
    """The id and time of the last import of each table, by table: what changes with any
    new import (a store restored from a backup too), read without the records themselves
    (their summaries can be large)."""
    rows = db.read(session, _IMPORTS_MARK)
    return tuple(sorted((str(t), int(i), str(at)) for t, i, at in rows))


def last_imports(session: Session, tables: Iterable[str] | None = None) -> dict[str, ImportRecord]:
    """The latest import of each table."""
    latest = (
        select(ImportRecord.table_name, func.max(ImportRecord.id).label("id"))
        .group_by(ImportRecord.table_name)
        .subquery()
    )
    statement = select(ImportRecord).join(latest, ImportRecord.id == latest.c.id)
    if tables is not None:
        statement = statement.where(ImportRecord.table_name.in_(list(tables)))
    return {r.table_name: r for r in session.scalars(statement)}


def audit(
    session: Session,
    actor: str,
    action: str,
    target: str | None = None,
    *,
    address: str | None = None,
    **detail: Any,
) -> None:
    entry = AuditEntry(
        actor=actor, action=action, target=target, detail=_plain(detail), address=address
    )
    session.add(entry)
