"""The metric tree's rows, one at a time: what editing it on the web reads and writes.

An import replaces the whole table (``org.replace_table``); these change one metric.
Functions take a session and never commit (the pathway layer owns transactions).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartmoves.data.store.models import Metric

__all__ = ["EDITABLE", "add_metric", "find_metric", "remove_metric", "tree_mark", "update_metric"]

# What a user may change on a stored metric; its id and level stay (children and the
# weekly history name the id, and the level decides which parents it may have).
EDITABLE = ("name", "parent_id", "direction", "unit")


def find_metric(session: Session, metric_id: str) -> Metric | None:
    return session.get(Metric, metric_id)


def add_metric(session: Session, **fields: Any) -> Metric:
    """A new metric (``metric_id``, ``name``, ``level``, ``parent_id``, ``direction``,
    ``unit``), with no attributes."""
    row = Metric(attributes={}, **fields)
    session.add(row)
    session.flush()
    return row


def update_metric(session: Session, row: Metric, **fields: Any) -> dict[str, tuple[Any, Any]]:
    """Set the :data:`EDITABLE` ``fields`` of ``row``; returns what changed, as
    ``{field: (before, after)}`` (empty when nothing did)."""
    changed: dict[str, tuple[Any, Any]] = {}
    for name, value in fields.items():
        if name not in EDITABLE:
            raise KeyError(name)
        before = getattr(row, name)
        if before != value:
            changed[name] = (before, value)
            setattr(row, name, value)
    session.flush()
    return changed


def remove_metric(session: Session, row: Metric) -> None:
    session.delete(row)
    session.flush()


def tree_mark(session: Session) -> str:
    """A digest of every stored metric, attributes included: what changes with any edit of
    the tree (and with an import of it), for the keys of what is computed from it."""
    columns = list(Metric.__table__.columns)
    rows = session.execute(select(*columns).order_by(Metric.metric_id)).all()
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
