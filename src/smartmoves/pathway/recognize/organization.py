"""The organization at a glance: units tree, headcount, hours by activity category,
data freshness; and one unit in detail. Aggregates over small groups are suppressed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from smartmoves.data.contracts import IMPORT_ORDER
from smartmoves.data.store import aggregates, db, org
from smartmoves.errors import NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway._views import View
from smartmoves.pathway.policy import Account, require
from smartmoves.pathway.privacy import suppressed, unless_small
from smartmoves.settings import Settings

__all__ = ["OrgOverview", "UnitDetail", "overview", "unit_detail"]


class UnitRow(View):
    unit_id: str
    name: str
    parent_id: str | None
    kind: str | None
    position: str | None
    depth: int
    headcount: int | None  # people in the unit and the units below it
    suppressed: bool


class CategoryHours(View):
    category: str
    hours_per_week: float | None
    share: float | None
    people: int | None
    suppressed: bool


class ActivityHours(View):
    activity_id: str
    name: str
    category: str | None
    hours_per_week: float | None
    people: int | None
    suppressed: bool


class TableFreshness(View):
    table: str
    file: str | None
    rows: int | None
    imported_at: dt.datetime | None
    imported_by: str | None


class OrgOverview(View):
    min_group_size: int
    headcount: int | None
    units: list[UnitRow]
    hours_by_category: list[CategoryHours]
    freshness: list[TableFreshness]


class Count(View):
    label: str
    people: int | None
    suppressed: bool


class UnitDetail(View):
    unit: UnitRow
    path: list[UnitRow]  # from the top of the organization down to this unit's parent
    children: list[UnitRow]
    min_group_size: int
    supervisors: int | None
    levels: list[Count]
    hours_by_category: list[CategoryHours]
    top_activities: list[ActivityHours]


def _tree(units: list[dict[str, object]], headcount: dict[str, int], minimum: int) -> list[UnitRow]:
    """Units in depth-first order (parents before children, siblings by name)."""
    ids = {str(u["unit_id"]) for u in units}
    children: dict[str | None, list[dict[str, object]]] = defaultdict(list)
    for u in units:
        parent = u["parent_id"] if u["parent_id"] in ids else None
        children[parent].append(u)  # type: ignore[index,unused-ignore]
    rows: list[UnitRow] = []

    def total(unit_id: str) -> int:
        return headcount.get(unit_id, 0) + sum(total(str(c["unit_id"])) for c in children[unit_id])

    def visit(unit: dict[str, object], depth: int) -> None:
        uid = str(unit["unit_id"])
        n = total(uid)
        rows.append(
            UnitRow(
                unit_id=uid,
                name=str(unit["name"]),
                parent_id=unit["parent_id"],  # type: ignore[arg-type]
                kind=unit["kind"],  # type: ignore[arg-type]
                position=unit["position"],  # type: ignore[arg-type]
                depth=depth,
                headcount=unless_small(n, n, minimum),
                suppressed=suppressed(n, minimum),
            )
        )
        for child in children[uid]:
            visit(child, depth + 1)

    for root in children[None]:
        visit(root, 0)
    return rows


def _categories(rows: Iterable[tuple[str | None, float, int]], minimum: int) -> list[CategoryHours]:
    rows = list(rows)
    total = sum(h for _, h, n in rows if not suppressed(n, minimum))
    return [
        CategoryHours(
            category=c or "(no category)",
            hours_per_week=unless_small(round(h, 1), n, minimum),
            share=unless_small(round(h / total, 4) if total else None, n, minimum),
            people=unless_small(n, n, minimum),
            suppressed=suppressed(n, minimum),
        )
        for c, h, n in rows
    ]


def overview(settings: Settings, account: Account) -> OrgOverview:
    """The units tree with headcounts, hours by category, and how fresh each table is;
    every figure over fewer people than the minimum group size is suppressed."""
    require(account, "organization.read")
    minimum = settings.min_group_size
    with db.transaction(store(settings)) as session:
        headcount = aggregates.headcount_by_unit(session)
        units = aggregates.units(session)
        hours = aggregates.category_hours(session)
        imports = org.last_imports(session)
    total = sum(headcount.values())
    return OrgOverview(
        min_group_size=minimum,
        headcount=unless_small(total, total, minimum),
        units=_tree(units, headcount, minimum),
        hours_by_category=_categories(hours, minimum),
        freshness=[
            TableFreshness(
                table=t,
                file=imports[t].file_name if t in imports else None,
                rows=imports[t].rows if t in imports else None,
                imported_at=imports[t].imported_at if t in imports else None,
                imported_by=imports[t].imported_by if t in imports else None,
            )
            for t in (*IMPORT_ORDER, "ties")
        ],
    )


def unit_detail(settings: Settings, account: Account, unit_id: str) -> UnitDetail:
    """One unit: its place in the tree, headcount, levels, hours by category and activity."""
    require(account, "organization.read")
    minimum = settings.min_group_size
    with db.transaction(store(settings)) as session:
        units = aggregates.units(session)
        headcount = aggregates.headcount_by_unit(session)
        tree = _tree(units, headcount, minimum)
        by_id = {u.unit_id: u for u in tree}
        if unit_id not in by_id:
            raise NotFound(f"no unit {unit_id!r}")
        below = _descendants(unit_id, tree)
        supervisors = sum(aggregates.supervisors_by_unit(session).get(u, 0) for u in below)
        headcount_below = sum(headcount.get(u, 0) for u in below)
        levels = aggregates.level_mix(session, below)
        categories = aggregates.category_hours(session, below)
        activities = aggregates.activity_hours(session, below)
    unit = by_id[unit_id]
    path: list[UnitRow] = []
    parent = unit.parent_id
    while parent in by_id:
        path.insert(0, by_id[parent])
        parent = by_id[parent].parent_id
    return UnitDetail(
        unit=unit,
        path=path,
        children=[u for u in tree if u.parent_id == unit_id],
        min_group_size=minimum,
        supervisors=unless_small(supervisors, headcount_below, minimum),
        levels=[
            Count(
                label=level or "(no level)",
                people=unless_small(n, n, minimum),
                suppressed=suppressed(n, minimum),
            )
            for level, n in levels
        ],
        hours_by_category=_categories(categories, minimum),
        top_activities=[
            ActivityHours(
                activity_id=a,
                name=name,
                category=c,
                hours_per_week=unless_small(round(h, 1), n, minimum),
                people=unless_small(n, n, minimum),
                suppressed=suppressed(n, minimum),
            )
            for a, name, c, h, n in activities
        ],
    )


def _descendants(unit_id: str, tree: list[UnitRow]) -> set[str]:
    found = {unit_id}
    changed = True
    while changed:
        changed = False
        for u in tree:
            if u.parent_id in found and u.unit_id not in found:
                found.add(u.unit_id)
                changed = True
    return found
