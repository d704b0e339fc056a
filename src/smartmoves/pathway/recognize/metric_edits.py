"""Changing the metric tree by hand: add a metric, change one, remove a leaf.

The tree keeps its shape whoever edits it: a frontline metric sits under an operating
one, an operating metric under a financial one (a financial one only under another
financial one), no metric is its own ancestor, and ids are unique. A metric with
metrics under it, or with weekly values in the history, cannot be removed: the message
says which. Each refusal is one sentence naming what to change (a 422; an unknown
metric is a 404), and nothing is written.

Every edit is one transaction with its audit entry. Nothing kept needs clearing: the
driver estimates and the entry points are kept under the tree's content, so the next
page computes them for the new tree. An import of ``metrics.csv`` replaces the whole
tree, edits included (the audit log keeps what they were).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartmoves.data.contracts import contract
from smartmoves.data.store import db
from smartmoves.data.store import metrics as store_metrics
from smartmoves.data.store.models import Metric
from smartmoves.errors import DataError, NotFound
from smartmoves.pathway import audit
from smartmoves.pathway._cache import imports_mark
from smartmoves.pathway._store import store
from smartmoves.pathway._views import View
from smartmoves.pathway.policy import Account, require
from smartmoves.pathway.recognize.drivers import PARENT_LEVELS, value_counts
from smartmoves.settings import Settings

__all__ = [
    "ID_LIMIT",
    "NAME_LIMIT",
    "UNIT_LIMIT",
    "MetricView",
    "add_metric",
    "change_metric",
    "parent_problem",
    "remove_metric",
]

ID_LIMIT = 80  # ids go in addresses and in every row of the history
NAME_LIMIT = 200  # as any name (pathway/texts.py)
UNIT_LIMIT = 40  # a unit of measure: %, days, USD k/week
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_LEVELS = contract("metrics").column("level").choices
_DIRECTIONS = contract("metrics").column("direction").choices
_LOCK = "metric tree"  # one edit of the tree at a time: two could close a loop together


class MetricView(View):
    """One metric as stored."""

    metric_id: str
    name: str
    level: str
    parent_id: str | None
    direction: str
    unit: str | None


def _view(row: Metric) -> MetricView:
    return MetricView(
        metric_id=row.metric_id, name=row.name, level=row.level, parent_id=row.parent_id,
        direction=row.direction or "up", unit=row.unit,
    )  # fmt: skip


def _article(level: str) -> str:
    return "an" if level[0] in "aeiou" else "a"


def parent_problem(
    metric_id: str, level: str, parent_id: str | None, tree: Mapping[str, tuple[str, str | None]]
) -> str | None:
    """Why ``metric_id`` (of ``level``) cannot sit under ``parent_id`` in ``tree``
    (``{metric_id: (level, parent_id)}``), or ``None`` when it can. A loop is told
    before a level, since moving a metric under its own descendant is the real mistake.

    >>> tree = {"F-REV": ("financial", None), "O-RET": ("operating", "F-REV"),
    ...         "FL-PTP": ("frontline", "O-RET")}
    >>> parent_problem("FL-NEW", "frontline", "O-RET", tree) is None
    True
    >>> parent_problem("FL-NEW", "frontline", "F-REV", tree)
    'a frontline metric goes under an operating metric, and F-REV is financial'
    >>> parent_problem("O-RET", "operating", "FL-PTP", tree)
    'O-RET cannot go under FL-PTP: FL-PTP is already below it (FL-PTP -> O-RET)'
    """
    if parent_id is None:
        return None
    if parent_id == metric_id:
        return f"{metric_id} cannot be its own parent"
    if parent_id not in tree:
        return f"there is no metric {parent_id!r} to put {metric_id} under"
    chain, node = [parent_id], tree[parent_id][1]
    while node is not None and node in tree and node not in chain:
        chain.append(node)
        if node == metric_id:
            path = " -> ".join(chain)
            return (
                f"{metric_id} cannot go under {parent_id}: {parent_id} is already below it ({path})"
            )
        node = tree[node][1]
    allowed = PARENT_LEVELS[level]
    found = tree[parent_id][0]
    if found not in allowed:
        wanted = " or ".join(allowed)
        return (
            f"{_article(level)} {level} metric goes under {_article(wanted)} {wanted} metric, "
            f"and {parent_id} is {found}"
        )
    return None


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _checked(
    name: str | None, direction: str | None, unit: str | None
) -> tuple[str, str, str | None]:
    """The name, direction and unit as stored, or the first thing wrong with them."""
    clean = _text(name)
    if clean is None:
        raise DataError("a metric needs a name, such as Promise-to-pay kept rate")
    if len(clean) > NAME_LIMIT:
        raise DataError(f"a metric's name is at most {NAME_LIMIT} characters")
    way = (_text(direction) or "up").lower()
    if way not in _DIRECTIONS:
        raise DataError(
            f"direction must be up (higher is better) or down (lower is better), not {way!r}"
        )
    measure = _text(unit)
    if measure is not None and len(measure) > UNIT_LIMIT:
        raise DataError(
            f"a unit of measure is at most {UNIT_LIMIT} characters, such as %, days or USD k/week"
        )
    return clean, way, measure


def _tree(session: Session) -> dict[str, tuple[str, str | None]]:
    rows = session.execute(select(Metric.metric_id, Metric.level, Metric.parent_id))
    return {m: (level, parent or None) for m, level, parent in rows}


def add_metric(
    settings: Settings,
    account: Account,
    *,
    metric_id: str,
    name: str,
    level: str,
    parent_id: str | None = None,
    direction: str | None = "up",
    unit: str | None = None,
) -> MetricView:
    """Add a metric to the tree (admins and champions).

    Raises
    ------
    Forbidden
        The account may not edit the tree.
    DataError
        A field is missing or wrong, the id is taken, or the parent breaks the tree's
        rule (its level, or a loop).
    """
    require(account, "metrics.edit")
    mid = _text(metric_id)
    if mid is None:
        raise DataError("a metric needs an id, such as FL-OUTREACH")
    if len(mid) > ID_LIMIT or not _ID.fullmatch(mid):
        raise DataError(
            f"metric id {mid[:ID_LIMIT]!r}: use letters, digits, '-', '_' or '.' (at most "
            f"{ID_LIMIT} characters, starting with a letter or digit), such as FL-OUTREACH"
        )
    kind = (_text(level) or "").lower()
    if kind not in _LEVELS:
        raise DataError(f"level must be {', '.join(_LEVELS[:-1])} or {_LEVELS[-1]}, not {kind!r}")
    clean, way, measure = _checked(name, direction, unit)
    parent = _text(parent_id)
    with db.transaction(store(settings)) as session:
        db.hold_name(session, _LOCK)
        tree = _tree(session)
        taken = store_metrics.find_metric(session, mid)
        if taken is not None:
            raise DataError(f"there is already a metric {mid} ({taken.name}): choose another id")
        problem = parent_problem(mid, kind, parent, tree)
        if problem is not None:
            raise DataError(problem)
        row = store_metrics.add_metric(
            session, metric_id=mid, name=clean, level=kind, parent_id=parent, direction=way,
            unit=measure,
        )  # fmt: skip
        audit.record(session, account, "add metric", mid, name=clean, level=kind, parent_id=parent,
                     direction=way, unit=measure)  # fmt: skip
        return _view(row)


def change_metric(
    settings: Settings,
    account: Account,
    metric_id: str,
    *,
    name: str,
    parent_id: str | None,
    direction: str | None,
    unit: str | None,
) -> MetricView:
    """Change a metric's name, parent, direction and unit (its id and level stay).
    Saving what is already stored changes nothing and records nothing.

    Raises
    ------
    Forbidden
        The account may not edit the tree.
    NotFound
        No such metric.
    DataError
        A field is wrong, or the parent breaks the tree's rule.
    """
    require(account, "metrics.edit")
    clean, way, measure = _checked(name, direction, unit)
    parent = _text(parent_id)
    with db.transaction(store(settings)) as session:
        db.hold_name(session, _LOCK)
        row = store_metrics.find_metric(session, metric_id)
        if row is None:
            raise NotFound(f"no metric {metric_id!r}")
        if parent != (row.parent_id or None):  # an imported tree may break the rule already
            problem = parent_problem(metric_id, row.level, parent, _tree(session))
            if problem is not None:
                raise DataError(problem)
        changed = store_metrics.update_metric(
            session, row, name=clean, parent_id=parent, direction=way, unit=measure
        )
        if changed:
            what = {k: [before, after] for k, (before, after) in changed.items()}
            audit.record(session, account, "change metric", metric_id, **what)
        return _view(row)


def remove_metric(settings: Settings, account: Account, metric_id: str) -> MetricView:
    """Remove a metric that has no metrics under it and no weekly values.

    Raises
    ------
    Forbidden
        The account may not edit the tree.
    NotFound
        No such metric.
    DataError
        Metrics sit under it, or the history holds values of it (the message says how
        many, and what to do).
    """
    require(account, "metrics.edit")
    with db.transaction(store(settings)) as session:
        db.hold_name(session, _LOCK)
        row = store_metrics.find_metric(session, metric_id)
        if row is None:
            raise NotFound(f"no metric {metric_id!r}")
        below = sorted(m for m, (_, parent) in _tree(session).items() if parent == metric_id)
        if below:
            names = ", ".join(below[:5]) + (f" and {len(below) - 5} more" if len(below) > 5 else "")
            raise DataError(
                f"{metric_id} cannot be removed: {names} {'is' if len(below) == 1 else 'are'} "
                "under it; move them under another metric or remove them first"
            )
        held = value_counts(settings, imports_mark(session)).get(metric_id, 0)
        if held:
            raise DataError(
                f"{metric_id} cannot be removed: the weekly history holds {held:,} "
                f"value{'s' if held != 1 else ''} of it; import metric_values.csv without "
                "them first"
            )
        view = _view(row)
        store_metrics.remove_metric(session, row)
        audit.record(session, account, "remove metric", metric_id, name=view.name,
                     level=view.level, parent_id=view.parent_id)  # fmt: skip
        return view
