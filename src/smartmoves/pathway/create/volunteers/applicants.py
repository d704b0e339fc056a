"""What the Volunteers page shows of a pilot's applicants.

Admins see every applicant, with their unit, attributes, tenure band, whether the
pilot's current capacity plan frees them and the selection, filtered by any of these.
Everyone else reads counts by unit, suppressed below the minimum group size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pandas.api.types import is_bool_dtype, is_numeric_dtype
from pydantic import Field

from smartmoves.data.store import capacity, db
from smartmoves.data.store import volunteers as store_volunteers
from smartmoves.data.store.models import Application
from smartmoves.data.store.models.pilot import SELECTION_STATUSES
from smartmoves.errors import ConfigError
from smartmoves.pathway import audit
from smartmoves.pathway._cache import Kept, pilot_state
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.create.capacity.plan_read import current_plan
from smartmoves.pathway.create.capacity.scope import too_few
from smartmoves.pathway.create.volunteers.call import CallView, call_of, entry_units
from smartmoves.pathway.people import People, who_is
from smartmoves.pathway.policy import Account, may, require
from smartmoves.pathway.privacy import family, overlapping_with_total
from smartmoves.settings import Settings

__all__ = [
    "UnitCount",
    "VolunteerRow",
    "VolunteersView",
    "best_applications",
    "volunteers_view",
]

TENURE_BANDS = ((1, "under 1 year"), (3, "1-3 years"), (5, "3-5 years"), (10, "5-10 years"))
PLAN_STATUSES = ("freed", "not_freed", "not_in_plan")
# Filters beyond the people table's own columns; those are offered when few-valued.
DERIVED_FILTERS = ("tenure", "plan", "selection")
_NOT_FACETS = {
    "person_id",
    "name",
    "email",
    "manager_id",
    "hire_date",
    "contracted_hours",
    "skills",
}
_MAX_FACET_VALUES = 25


class VolunteerRow(View):
    person_id: str
    unit_id: str
    attributes: dict[str, str]
    tenure: str | None
    problem: str
    why: str
    submitted_at: UtcTime | None
    source: str
    plan: str  # freed / not_freed / not_in_plan
    plan_reason: str | None
    selection: str | None  # selected / not_selected / None (not decided)
    decided_by: str | None


class UnitCount(View):
    unit_id: str
    applicants: int | None
    selected: int | None
    suppressed: bool


class VolunteersView(View):
    """The selection screen (admins: every applicant) or its aggregates (others)."""

    call: CallView
    person_level: bool
    min_group_size: int
    applicants: int | None
    selected: int | None
    bounds: str
    has_plan: bool
    by_unit: list[UnitCount]
    filters: dict[str, str]
    facets: dict[str, list[str]]
    rows: list[VolunteerRow] | None
    shown: int | None
    who: People  # who each applicant is (admins: the rows are theirs alone)
    # What a selection changed beyond itself (people who left their workgroup).
    changes: list[str] = Field(default_factory=list)


def best_applications(rows: Sequence[Application], pilot_id: int) -> dict[str, Application]:
    """Per person the application that speaks for them: the one sent to this pilot from
    the web, else their latest imported one."""
    best: dict[str, Application] = {}
    for row in rows:  # ordered by person, then id: later rows are newer
        old = best.get(row.person_id)
        if old is None or row.pilot_id == pilot_id or old.pilot_id != pilot_id:
            best[row.person_id] = row
    return best


def _tenure(hire_date: Any, today: dt.date) -> str | None:
    if isinstance(hire_date, dt.datetime):  # a pandas Timestamp is one too
        hire_date = hire_date.date()
    if not isinstance(hire_date, dt.date):
        return None
    years = (today - hire_date).days / 365.25
    return next((band for limit, band in TENURE_BANDS if years < limit), "10+ years")


def _facet_columns(people: Any) -> list[str]:
    """People columns worth filtering on: text with a few values, one value per person."""
    out = []
    for column in people.columns:
        kind = people[column].dtype
        if column in _NOT_FACETS or (is_numeric_dtype(kind) and not is_bool_dtype(kind)):
            continue
        values = {str(v) for v in people[column].dropna()}
        if values and len(values) <= _MAX_FACET_VALUES and not any(";" in v for v in values):
            out.append(str(column))
    return out


def _bounds(selected: int, low: int, high: int) -> str:
    if selected < low:
        return f"{selected} selected: {low - selected} more needed for the minimum of {low}"
    if selected > high:
        return f"{selected} selected: {selected - high} above the maximum of {high}"
    return f"{selected} selected: within the range {low}-{high}"


def volunteers_view(
    settings: Settings,
    account: Account,
    pilot_id: int,
    *,
    filters: Mapping[str, str] | None = None,
) -> VolunteersView:
    """The applicants of the pilot with their plan status and selection, filtered by
    ``filters`` (column -> value; see ``facets``), for admins; counts by unit, suppressed
    below the minimum group size, for champions and supervisors."""
    require(account, "volunteers.read")
    person_level = may(account, "volunteers.person_level")
    wanted = {k: v for k, v in (filters or {}).items() if v}
    with db.reading(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)  # a draft is not found for members
        key = (pilot_state(session, settings, pilot), person_level, dt.date.today())
    view = _VIEWS.get(
        (*key, tuple(sorted(wanted.items()))),
        lambda: _volunteers_view(settings, account, pilot_id, person_level, wanted),
    )
    if person_level:
        audit.viewed(settings, account, "volunteers.person_level", f"pilot {pilot_id} applicants")
    return view


# Pilots' volunteers views by the pilot's state, the reader's level, the day (tenures)
# and the filters: reading the entry point's people took a tenth of a second a request.
_VIEWS: Kept[VolunteersView] = Kept(64)


def _volunteers_view(
    settings: Settings,
    account: Account,
    pilot_id: int,
    person_level: bool,
    wanted: dict[str, str],
) -> VolunteersView:
    minimum = settings.min_group_size
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        units = entry_units(session, pilot)
        best = best_applications(
            store_volunteers.applications_of(session, pilot_id, units), pilot_id
        )
        people = capacity.people_in(session, units).set_index("person_id", drop=False)
        decided = store_volunteers.selections_of(session, pilot_id)
        plan = current_plan(session, pilot_id)
        call = call_of(session, pilot)
        who = who_is(session, account, best, "volunteers.person_level") if person_level else {}
    picked = sorted(p for p, s in decided.items() if s.status == "selected")
    freed = {r["person_id"] for r in plan.result["freed"]} if plan else set()
    why_not = {r["person_id"]: r["reason"] for r in plan.result["not_freed"]} if plan else {}
    applied = people.loc[[p for p in best if p in people.index]]
    facets_of = _facet_columns(applied) if person_level else []
    today = dt.date.today()
    rows = []
    for pid, app in best.items():
        person = people.loc[pid]
        choice = decided.get(pid)
        rows.append(
            VolunteerRow(
                person_id=pid,
                unit_id=str(person["unit_id"]),
                attributes={c: str(person[c]) for c in facets_of if _present(person[c])},
                tenure=_tenure(person.get("hire_date"), today),
                problem=app.problem,
                why=app.why,
                submitted_at=app.submitted_at,
                source=app.source,
                plan="freed" if pid in freed else "not_freed" if pid in why_not else "not_in_plan",
                plan_reason=why_not.get(pid),
                selection=None if choice is None else choice.status,
                decided_by=None if choice is None else choice.decided_by,
            )
        )
    known = {"unit_id", *facets_of, *DERIVED_FILTERS}
    unknown = sorted(set(wanted) - known) if person_level else []
    if unknown:
        raise ConfigError(
            f"unknown filter {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    facets = {"unit_id": sorted({r.unit_id for r in rows})}
    facets |= {c: sorted({r.attributes[c] for r in rows if c in r.attributes}) for c in facets_of}
    facets["tenure"] = [b for _, b in TENURE_BANDS] + ["10+ years"]
    facets["plan"], facets["selection"] = list(PLAN_STATUSES), [*SELECTION_STATUSES, "undecided"]
    shown = [r for r in rows if all(_value(r, k) == v for k, v in wanted.items())]
    return VolunteersView(
        call=call,
        person_level=person_level,
        min_group_size=minimum,
        applicants=None if too_few(len(rows), minimum, person_level=person_level) else len(rows),
        selected=None if too_few(len(picked), minimum, person_level=person_level) else len(picked),
        bounds=_bounds(len(picked), pilot.min_pilot, pilot.max_pilot),
        has_plan=plan is not None,
        by_unit=_by_unit(rows, person_level, minimum),
        filters=wanted if person_level else {},
        facets=facets if person_level else {},
        rows=shown if person_level else None,
        shown=len(shown) if person_level else None,
        who=who,
    )


def _present(value: Any) -> bool:
    return value is not None and value == value and str(value) != ""


def _value(row: VolunteerRow, key: str) -> str | None:
    if key == "unit_id":
        return row.unit_id
    if key in ("tenure", "plan"):
        return str(getattr(row, key))
    if key == "selection":
        return row.selection or "undecided"
    return row.attributes.get(key)


def _by_unit(rows: list[VolunteerRow], person_level: bool, minimum: int) -> list[UnitCount]:
    """Applicants and selected per unit, beside the totals above them: the applicants of a
    unit contain its selected, and both columns add up to their totals, so each unit's pair
    is decided as nested groups and the selected column again as groups with its total."""
    applied: dict[str, set[str]] = {}
    chosen: dict[str, set[str]] = {}
    for r in rows:
        applied.setdefault(r.unit_id, set()).add(r.person_id)
        chosen.setdefault(r.unit_id, set())
        if r.selection == "selected":
            chosen[r.unit_id].add(r.person_id)
    units = sorted(applied)
    hide_applied: set[str] = set()
    hide_chosen: set[str] = set()
    if not person_level:
        parent: dict[tuple[str, str], tuple[str, str] | None] = {("all", ""): None}
        own = {("all", ""): 0}
        for u in units:
            parent[("unit", u)], own[("unit", u)] = ("all", ""), len(applied[u] - chosen[u])
            parent[("chosen", u)], own[("chosen", u)] = ("unit", u), len(chosen[u])
        tree = family(own, parent, minimum, show_empty=True)
        hide_applied = {u for u in units if tree[("unit", u)]}
        hide_chosen = {u for u in units if tree[("chosen", u)]} | hide_applied
        column = overlapping_with_total(chosen, minimum, hidden=hide_chosen)
        hide_chosen |= {u for u, r in column.items() if r}
    return [
        UnitCount(
            unit_id=u,
            applicants=None if u in hide_applied else len(applied[u]),
            selected=None if u in hide_chosen else len(chosen[u]),
            suppressed=u in hide_applied or u in hide_chosen,
        )
        for u in units
    ]
