"""Every figure the organization pages show, decided once per import.

Each measure (headcount, supervisors, people per level, weekly hours and people per
activity category and per activity) is one family over the units tree, with the whole
organization at its root: ``privacy.family`` hides what is small and what subtraction
between shown figures would isolate. Deciding every unit at once is what makes the rule
hold across pages: a unit's page and its parent's page agree on what is hidden.
The figures are kept per store and per import, so a page reads them instead of the store.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from smartmoves.data.store import aggregates, org
from smartmoves.engines.suppression import Reason, totals
from smartmoves.pathway.privacy import family

__all__ = ["ORGANIZATION", "Figure", "OrgFigures", "org_figures"]

ORGANIZATION = ""  # the node above the top units: the whole organization


@dataclass(frozen=True)
class Figure:
    """One measure over one unit's people (and the units below it)."""

    value: float | None
    people: int | None
    reason: Reason

    @property
    def hidden(self) -> bool:
        return self.reason is not None


@dataclass(frozen=True)
class OrgFigures:
    minimum: int
    units: list[dict[str, object]]
    parent: dict[str, str | None]  # units' parents, top units under ORGANIZATION
    levels: list[str | None]
    categories: list[str | None]
    activities: dict[str, tuple[str, str | None]]  # id -> (name, category)
    measures: dict[tuple[str, object], dict[str, Figure]] = field(default_factory=dict)

    def figure(self, measure: str, key: object, unit_id: str) -> Figure:
        return self.measures[(measure, key)][unit_id]


def _decide(
    parent: dict[str, str | None],
    people: dict[str, int],
    value: dict[str, float],
    minimum: int,
    *,
    count: bool,
) -> dict[str, Figure]:
    hidden = family(people, parent, minimum)
    n = totals(people, parent)
    v = totals(value, parent) if not count else n  # type: ignore[arg-type]
    return {
        u: Figure(
            value=None if hidden[u] else (float(v[u]) if not count else v[u]),
            people=None if hidden[u] else n[u],
            reason=hidden[u],
        )
        for u in parent
    }


def _compute(session: Session, minimum: int) -> OrgFigures:
    units = aggregates.units(session)
    ids = {str(u["unit_id"]) for u in units}
    parent: dict[str, str | None] = {ORGANIZATION: None}
    for u in units:
        up = u["parent_id"]
        parent[str(u["unit_id"])] = str(up) if up in ids else ORGANIZATION

    def home(unit: object) -> str:
        return str(unit) if unit in ids else ORGANIZATION

    heads: dict[str, int] = defaultdict(int)
    bosses: dict[str, int] = defaultdict(int)
    by_level: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit, level, supervisor, n in aggregates.people_by_unit(session):
        heads[home(unit)] += n
        bosses[home(unit)] += n if supervisor else 0
        by_level[level][home(unit)] += n
    catalog = aggregates.activity_catalog(session)
    figures = OrgFigures(
        minimum=minimum,
        units=units,
        parent=parent,
        levels=sorted(by_level, key=lambda x: (x is None, x or "")),
        categories=sorted({c for _, _, c in catalog}, key=lambda x: (x is None, x or "")),
        activities={a: (name, c) for a, name, c in catalog},
    )
    measures = figures.measures
    measures[("headcount", None)] = _decide(parent, heads, {}, minimum, count=True)
    measures[("supervisors", None)] = _decide(parent, bosses, {}, minimum, count=True)
    for level in figures.levels:
        measures[("level", level)] = _decide(parent, by_level[level], {}, minimum, count=True)
    for by, keys in (("category", figures.categories), ("activity", list(figures.activities))):
        people: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        hours: dict[object, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for unit, key, h, n in aggregates.hours_by_unit(session, by):
            people[key][home(unit)] += n
            hours[key][home(unit)] += h
        for key in keys:
            measures[(by, key)] = _decide(parent, people[key], hours[key], minimum, count=False)
    return figures


_CACHE: dict[tuple[object, ...], OrgFigures] = {}
_LOCK = threading.Lock()


def org_figures(session: Session, store_key: str, minimum: int) -> OrgFigures:
    """The organization's figures for the store's current imports (computed on first use)."""
    key = (store_key, minimum, *org.imports_mark(session))
    with _LOCK:
        if key not in _CACHE:
            _CACHE.clear()  # one workspace per process in practice: keep only the newest
            _CACHE[key] = _compute(session, minimum)
        return _CACHE[key]
