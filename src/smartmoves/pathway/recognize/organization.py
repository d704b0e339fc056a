"""The organization at a glance: units tree, headcount, hours by activity category,
data freshness; and one unit in detail. Aggregates over small groups are suppressed."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from smartmoves.data.contracts import IMPORT_ORDER
from smartmoves.data.store import db, org
from smartmoves.errors import NotFound
from smartmoves.pathway._cache import Kept, imports_mark
from smartmoves.pathway._store import store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.policy import Account, require
from smartmoves.pathway.privacy import because
from smartmoves.pathway.recognize.figures import ORGANIZATION, OrgFigures, org_figures
from smartmoves.settings import Settings

__all__ = ["OrgOverview", "UnitDetail", "overview", "unit_detail"]

TOP_ACTIVITIES = 15


class UnitRow(View):
    unit_id: str
    name: str
    parent_id: str | None
    kind: str | None
    position: str | None
    depth: int
    headcount: int | None  # people in the unit and the units below it
    suppressed: bool
    hidden_because: str | None = None


class CategoryHours(View):
    category: str
    hours_per_week: float | None
    share: float | None
    people: int | None
    suppressed: bool
    hidden_because: str | None = None


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
    imported_at: UtcTime | None
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
    hidden_because: str | None = None


class UnitDetail(View):
    unit: UnitRow
    path: list[UnitRow]  # from the top of the organization down to this unit's parent
    children: list[UnitRow]
    min_group_size: int
    supervisors: int | None
    levels: list[Count]
    hours_by_category: list[CategoryHours]
    top_activities: list[ActivityHours]


def _row(figures: OrgFigures, unit: dict[str, object], depth: int) -> UnitRow:
    head = figures.figure("headcount", None, str(unit["unit_id"]))
    return UnitRow(
        unit_id=str(unit["unit_id"]),
        name=str(unit["name"]),
        parent_id=unit["parent_id"],  # type: ignore[arg-type]
        kind=unit["kind"],  # type: ignore[arg-type]
        position=unit["position"],  # type: ignore[arg-type]
        depth=depth,
        headcount=head.people,
        suppressed=head.hidden,
        hidden_because=because(head.reason, figures.minimum),
    )


def _tree(figures: OrgFigures) -> list[UnitRow]:
    """Units in depth-first order (parents before children, siblings by name)."""
    children: dict[str, list[dict[str, object]]] = defaultdict(list)
    for u in figures.units:  # already ordered by name
        children[str(figures.parent[str(u["unit_id"])])].append(u)
    rows: list[UnitRow] = []
    stack = [(u, 0) for u in reversed(children[ORGANIZATION])]
    while stack:
        unit, depth = stack.pop()
        rows.append(_row(figures, unit, depth))
        stack.extend((c, depth + 1) for c in reversed(children[str(unit["unit_id"])]))
    return rows


def _categories(figures: OrgFigures, unit_id: str) -> list[CategoryHours]:
    cells = [(c, figures.figure("category", c, unit_id)) for c in figures.categories]
    total = sum(f.value or 0.0 for _, f in cells)
    return [
        CategoryHours(
            category=c or "(no category)",
            hours_per_week=None if f.value is None else round(f.value, 1),
            share=None if f.value is None or not total else round(f.value / total, 4),
            people=f.people,
            suppressed=f.hidden,
            hidden_because=because(f.reason, figures.minimum),
        )
        for c, f in sorted(cells, key=lambda cf: (cf[1].hidden, -(cf[1].value or 0.0)))
    ]


# The pages themselves, by store, minimum group size and last imports (and unit): the
# same for every reader, they change only with an import.
_OVERVIEWS: Kept[OrgOverview] = Kept(4)
_UNITS: Kept[UnitDetail] = Kept(512)


def _figures(settings: Settings, session: Session) -> OrgFigures:
    return org_figures(session, settings.sqlalchemy_url, settings.min_group_size)


def _key(settings: Settings) -> tuple[object, ...]:
    with db.reading(store(settings)) as session:
        return (settings.sqlalchemy_url, settings.min_group_size, imports_mark(session))


def overview(settings: Settings, account: Account) -> OrgOverview:
    """The units tree with headcounts, hours by category, and how fresh each table is;
    every figure goes through the suppression rule (small groups, and differences)."""
    require(account, "organization.read")
    return _OVERVIEWS.get(_key(settings), lambda: _overview(settings))


def _overview(settings: Settings) -> OrgOverview:
    with db.transaction(store(settings)) as session:
        figures = _figures(settings, session)
        imports = org.last_imports(session)
    return OrgOverview(
        min_group_size=figures.minimum,
        headcount=figures.figure("headcount", None, ORGANIZATION).people,
        units=_tree(figures),
        hours_by_category=_categories(figures, ORGANIZATION),
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
    return _UNITS.get((*_key(settings), unit_id), lambda: _unit_detail(settings, unit_id))


def _unit_detail(settings: Settings, unit_id: str) -> UnitDetail:
    with db.transaction(store(settings)) as session:
        figures = _figures(settings, session)
    tree = _tree(figures)
    by_id = {u.unit_id: u for u in tree}
    if unit_id not in by_id:
        raise NotFound(f"no unit {unit_id!r}")
    unit = by_id[unit_id]
    path: list[UnitRow] = []
    parent = unit.parent_id
    while parent in by_id:
        path.insert(0, by_id[parent])
        parent = by_id[parent].parent_id
    minimum = figures.minimum
    activities = []
    for a, (name, category) in figures.activities.items():
        f = figures.figure("activity", a, unit_id)
        if not f.hidden:  # a hidden activity is not listed: its presence alone would tell
            activities.append(
                ActivityHours(
                    activity_id=a,
                    name=name,
                    category=category,
                    hours_per_week=round(f.value or 0.0, 1),
                    people=f.people,
                    suppressed=False,
                )
            )
    activities.sort(key=lambda r: (-(r.hours_per_week or 0.0), r.activity_id))
    levels = [(lv, figures.figure("level", lv, unit_id)) for lv in figures.levels]
    return UnitDetail(
        unit=unit,
        path=path,
        children=[u for u in tree if u.parent_id == unit_id],
        min_group_size=minimum,
        supervisors=figures.figure("supervisors", None, unit_id).people,
        levels=[
            Count(
                label=level or "(no level)",
                people=f.people,
                suppressed=f.hidden,
                hidden_because=because(f.reason, minimum),
            )
            for level, f in levels
        ],
        hours_by_category=_categories(figures, unit_id),
        top_activities=activities[:TOP_ACTIVITIES],
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
