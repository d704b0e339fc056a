"""Unit assessments and the entry-point weights in the operational store.

Assessments are only ever added (an import or a web edit appends rows), so a unit's
history is every row it ever had; the newest per unit wins. Functions take a session
and never commit (the pathway layer owns transactions).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from smartmoves.data.store.models import EntryWeights, UnitAssessment

__all__ = [
    "FIELDS",
    "append",
    "assessments_mark",
    "every",
    "history",
    "newest",
    "read_weights",
    "write_weights",
]

# The judgement columns of an assessment, as the contract names them.
FIELDS = ("leader_support", "supervisor_motivation", "champion_influence", "opportunity_size",
          "notes")  # fmt: skip


def _plain(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def append(
    session: Session,
    rows: Iterable[Mapping[str, Any]],
    *,
    actor: str,
    source: str,
    now: dt.datetime,
) -> int:
    """Add assessments; an empty ``assessed_by`` is ``actor``, an empty ``assessed_at``
    is ``now`` (times without a zone are UTC)."""
    records = []
    for row in rows:
        at = _plain(row.get("assessed_at")) or now
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
        records.append(
            {
                "unit_id": str(row["unit_id"]),
                **{f: _plain(row.get(f)) for f in FIELDS},
                "assessed_by": _plain(row.get("assessed_by")) or actor,
                "assessed_at": at,
                "source": source,
                "attributes": dict(row.get("attributes") or {}),
            }
        )
    for start in range(0, len(records), 5000):
        session.execute(insert(UnitAssessment), records[start : start + 5000])
    return len(records)


def _as_dict(row: UnitAssessment) -> dict[str, Any]:
    return {
        "id": row.id,
        "unit_id": row.unit_id,
        **{f: getattr(row, f) for f in FIELDS},
        "assessed_by": row.assessed_by,
        "assessed_at": row.assessed_at,
        "source": row.source,
    }


def history(session: Session, unit_id: str) -> list[dict[str, Any]]:
    """Every assessment of ``unit_id``, oldest first."""
    rows = session.scalars(
        select(UnitAssessment)
        .where(UnitAssessment.unit_id == unit_id)
        .order_by(UnitAssessment.assessed_at, UnitAssessment.id)
    )
    return [_as_dict(r) for r in rows]


def every(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every assessment by unit, oldest first."""
    out: dict[str, list[dict[str, Any]]] = {}
    rows = session.scalars(
        select(UnitAssessment).order_by(UnitAssessment.assessed_at, UnitAssessment.id)
    )
    for row in rows:
        out.setdefault(row.unit_id, []).append(_as_dict(row))
    return out


def newest(session: Session) -> dict[str, dict[str, Any]]:
    """The assessment in force per unit: the newest by ``assessed_at``, then by order
    of arrival (rows of one file with the same time: the later row)."""
    out: dict[str, dict[str, Any]] = {}
    rows = session.scalars(
        select(UnitAssessment).order_by(UnitAssessment.assessed_at, UnitAssessment.id)
    )
    for row in rows:
        out[row.unit_id] = _as_dict(row)
    return out


def assessments_mark(session: Session) -> tuple[int, int]:
    """What changes with every added assessment: how many there are and the last id."""
    count, last = session.execute(
        select(func.count(UnitAssessment.id), func.max(UnitAssessment.id))
    ).one()
    return int(count), int(last or 0)


def read_weights(session: Session) -> tuple[dict[str, float], str | None, dt.datetime | None]:
    """The weights a workspace changed (name -> weight), who changed them and when."""
    row = session.get(EntryWeights, 1)
    if row is None:
        return {}, None, None
    return {str(k): float(v) for k, v in row.weights.items()}, row.updated_by, row.updated_at


def write_weights(session: Session, weights: Mapping[str, float], *, actor: str,
                  now: dt.datetime) -> None:  # fmt: skip
    """Keep ``weights`` (those that differ from the defaults) as the workspace's."""
    row = session.get(EntryWeights, 1)
    if row is None:
        session.add(EntryWeights(id=1, weights=dict(weights), updated_by=actor, updated_at=now))
        return
    row.weights = dict(weights)
    row.updated_by = actor
    row.updated_at = now
