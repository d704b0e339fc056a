"""Frontline metrics in the operational store: the weekly values people enter, and the
targets of a pilot's metrics.

Both are append-only (``models/act.py``): readers take the newest row per key. Functions
take a session and never commit (the pathway layer owns transactions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartmoves.data.store.models import Metric, MetricEntry, MetricTarget

__all__ = [
    "add_entry",
    "add_target",
    "entry_count",
    "frontline_metrics",
    "newest_entries",
    "newest_targets",
]


def frontline_metrics(session: Session) -> list[Metric]:
    """The imported metrics of the frontline level, by id."""
    return list(
        session.scalars(
            select(Metric).where(Metric.level == "frontline").order_by(Metric.metric_id)
        )
    )


def add_entry(
    session: Session,
    *,
    pilot_id: int,
    metric_id: str,
    scope: str,
    scope_id: str,
    week: dt.date,
    value: float,
    entered_by: str,
) -> MetricEntry:
    """Add one entered week (an earlier entry of the same week stays, outranked)."""
    entry = MetricEntry(
        pilot_id=pilot_id,
        metric_id=metric_id,
        scope=scope,
        scope_id=scope_id,
        week=week,
        value=value,
        entered_by=entered_by,
    )
    session.add(entry)
    session.flush()
    return entry


def newest_entries(
    session: Session, metric_ids: Collection[str], scope: str, scope_ids: Collection[str]
) -> dict[tuple[str, str, dt.date], MetricEntry]:
    """(metric_id, scope_id, week) -> the newest entry, for the metrics and scopes asked.

    Newest is the highest id: ids grow with every insert, and two entries in the same
    second (``entered_at``'s resolution on some stores) still have an order."""
    if not metric_ids or not scope_ids:
        return {}
    rows = session.scalars(
        select(MetricEntry)
        .where(
            MetricEntry.metric_id.in_(list(metric_ids)),
            MetricEntry.scope == scope,
            MetricEntry.scope_id.in_(list(scope_ids)),
        )
        .order_by(MetricEntry.id)
    )
    return {(e.metric_id, e.scope_id, e.week): e for e in rows}


def entry_count(session: Session) -> int:
    """How many entries the store holds (every one, outranked included)."""
    return int(session.scalar(select(func.count()).select_from(MetricEntry)) or 0)


def add_target(
    session: Session, *, pilot_id: int, metric_id: str, value: float, by_date: dt.date, set_by: str
) -> MetricTarget:
    """Add a target (the pilot's earlier target for the metric stays, outranked)."""
    target = MetricTarget(
        pilot_id=pilot_id, metric_id=metric_id, value=value, by_date=by_date, set_by=set_by
    )
    session.add(target)
    session.flush()
    return target


def newest_targets(session: Session, pilot_id: int) -> dict[str, MetricTarget]:
    """metric_id -> the pilot's newest target for it."""
    rows = session.scalars(
        select(MetricTarget).where(MetricTarget.pilot_id == pilot_id).order_by(MetricTarget.id)
    )
    return {t.metric_id: t for t in rows}
