"""Recruit a pilot's volunteers: the call, the applications and the admin's selection.

The call states the pilot's opportunity and that nobody is penalized for joining or not
(a text without such a statement is saved, with a warning). Opening the call puts a draft
pilot in ``recruiting``; members of the entry point (and the units below it) then apply
with the problem or opportunity they want to address, and why. A second application of
the same person to the same pilot updates their first: one application per person per
pilot. Applications imported from a file (no pilot named) count for every pilot whose
entry point holds their person; an import never removes a web application.

The admin selects among the applicants, seeing each one's unit, attributes and whether
the pilot's current capacity plan frees them. Selection is person-level and for admins
only; champions and supervisors read counts by unit, suppressed below the minimum group
size; members read the call and their own application.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pandas.api.types import is_bool_dtype, is_numeric_dtype
from pydantic import BaseModel, ConfigDict

from smartmoves.data.store import capacity, db, org, pilots
from smartmoves.data.store import volunteers as store_volunteers
from smartmoves.data.store.models import Application, Pilot
from smartmoves.data.store.models.pilot import SELECTION_STATUSES
from smartmoves.errors import ConfigError, DataError, Forbidden, NotFound, Problem
from smartmoves.pathway._store import store
from smartmoves.pathway.capacity_plan_view import current_plan
from smartmoves.pathway.capacity_scope import too_few
from smartmoves.settings import Settings

__all__ = [
    "MAX_TEXT",
    "ApplicationView",
    "CallView",
    "SelectionIn",
    "UnitCount",
    "VolunteerRow",
    "VolunteersView",
    "apply",
    "call_view",
    "decide",
    "default_call",
    "demo_step",
    "lacks_no_penalty",
    "my_application",
    "save_call",
    "volunteers_view",
]

MAX_TEXT = 4000  # characters of a call or of an application's answer
TENURE_BANDS = ((1, "under 1 year"), (3, "1-3 years"), (5, "3-5 years"), (10, "5-10 years"))
PLAN_STATUSES = ("freed", "not_freed", "not_in_plan")
# Filters beyond the people table's own columns; those are offered when few-valued.
DERIVED_FILTERS = ("tenure", "plan", "selection")
_NOT_FACETS = {"person_id", "manager_id", "hire_date", "contracted_hours", "skills"}
_MAX_FACET_VALUES = 25
DEMO_SELECTED = 40  # the demo pilot's volunteers: 4 workgroups of 10
_NO_PENALTY = re.compile(r"penal|held against|no consequence|free to (join|decline)", re.I)


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class CallView(_View):
    pilot_id: int
    pilot_name: str
    unit_id: str | None
    status: str
    opportunity: str | None
    text: str  # the call as members read it (the default until someone writes one)
    default_text: str
    is_default: bool
    warnings: list[str]
    min_pilot: int
    max_pilot: int
    open: bool  # applications are accepted (status "recruiting")


class ApplicationView(_View):
    person_id: str
    problem: str
    why: str
    submitted_at: dt.datetime | None
    source: str
    pilot_id: int | None


class VolunteerRow(_View):
    person_id: str
    unit_id: str
    attributes: dict[str, str]
    tenure: str | None
    problem: str
    why: str
    submitted_at: dt.datetime | None
    source: str
    plan: str  # freed / not_freed / not_in_plan
    plan_reason: str | None
    selection: str | None  # selected / not_selected / None (not decided)
    decided_by: str | None


class UnitCount(_View):
    unit_id: str
    applicants: int | None
    selected: int | None
    suppressed: bool


class VolunteersView(_View):
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


class SelectionIn(_View):
    person_id: str
    status: str  # selected / not_selected


def default_call(pilot_name: str, opportunity: str | None, unit: str | None) -> str:
    """The call smartmoves proposes: the opportunity, what volunteering means, no penalty."""
    where = f" in {unit} and the teams below it" if unit else ""
    seen = (
        opportunity.strip()
        if opportunity and opportunity.strip()
        else ("We want to find new value for our customers in the work we do every day.")
    )
    return (
        f"Call for volunteers: {pilot_name}.\n\n{seen}\n\n"
        f"We are looking for 15 to 60 volunteers{where} to work on this in small "
        "workgroups. If you are chosen, at least three quarters of your time is freed for "
        "it: colleagues take over part of your current work, and some of it is automated "
        "or stopped. Tell us which problem or opportunity you want to address, and why.\n\n"
        "Joining is your choice. Nobody is penalized for volunteering or for not "
        "volunteering, and nobody is penalized for not being chosen."
    )


def lacks_no_penalty(text: str) -> bool:
    """Whether a call says nothing about nobody being penalized for joining or not."""
    return _NO_PENALTY.search(text) is None


def _call(session: Any, pilot: Pilot) -> CallView:
    unit = store_volunteers.unit_name(session, pilot.unit_id)
    default = default_call(pilot.name, pilot.opportunity, unit)
    text = pilot.call_text or default
    warnings = []
    if lacks_no_penalty(text):
        warnings.append(
            "The call does not say that nobody is penalized for joining or not: people who "
            "fear for their standing will not apply. Add a sentence that says so."
        )
    return CallView(
        pilot_id=pilot.id,
        pilot_name=pilot.name,
        unit_id=pilot.unit_id,
        status=pilot.status,
        opportunity=pilot.opportunity,
        text=text,
        default_text=default,
        is_default=pilot.call_text is None,
        warnings=warnings,
        min_pilot=pilot.min_pilot,
        max_pilot=pilot.max_pilot,
        open=pilot.status == "recruiting",
    )


def _pilot(session: Any, pilot_id: int) -> Pilot:
    pilot = pilots.get_pilot(session, pilot_id)
    if pilot is None:
        raise NotFound(f"no pilot {pilot_id}")
    return pilot


def _units(session: Any, pilot: Pilot) -> list[str]:
    if pilot.unit_id is None:
        raise ConfigError(f"pilot {pilot.id} has no entry point yet: choose its unit first")
    return capacity.units_below(session, pilot.unit_id)


def call_view(settings: Settings, pilot_id: int) -> CallView:
    with db.transaction(store(settings)) as session:
        return _call(session, _pilot(session, pilot_id))


def save_call(
    settings: Settings,
    pilot_id: int,
    text: str | None,
    *,
    open_call: bool = False,
    default: bool = False,
    actor: str = "cli",
) -> CallView:
    """Write the call (``text``; ``None`` keeps it, ``""`` is refused) and, with
    ``open_call``, put a draft pilot in ``recruiting``. The default text is used until
    someone writes one, and again after ``default=True`` (which takes no ``text``): it
    follows the pilot's opportunity. A call without a no-penalty statement is saved with
    a warning."""
    if default and text is not None:
        raise ConfigError("give the call's text or ask for the default, not both")
    if text is not None:
        text = text.strip().replace("\r\n", "\n")
        if not text:
            raise DataError("the call is empty: write it, or keep the default")
        if len(text) > MAX_TEXT:
            raise DataError(f"the call has {len(text)} characters; at most {MAX_TEXT}")
    with db.transaction(store(settings)) as session:
        pilot = _pilot(session, pilot_id)
        if open_call and pilot.status not in ("draft", "recruiting"):
            raise ConfigError(f"pilot {pilot_id} is {pilot.status}: its call cannot open again")
        if text is not None:
            pilot.call_text = text
            org.audit(session, actor, "volunteer call", str(pilot_id), chars=len(text))
        elif default and pilot.call_text is not None:
            # Stored as "no text of its own", so the default keeps following the opportunity.
            pilot.call_text = None
            org.audit(session, actor, "volunteer call", str(pilot_id), default=True)
        if open_call and pilot.status == "draft":
            pilot.status = "recruiting"
            org.audit(session, actor, "pilot status", str(pilot_id), status="recruiting")
        session.flush()
        return _call(session, pilot)


def _application(row: Application) -> ApplicationView:
    return ApplicationView(
        person_id=row.person_id,
        problem=row.problem,
        why=row.why,
        submitted_at=row.submitted_at,
        source=row.source,
        pilot_id=row.pilot_id,
    )


def _best(rows: Sequence[Application], pilot_id: int) -> dict[str, Application]:
    """Per person the application that speaks for them: the one sent to this pilot from
    the web, else their latest imported one."""
    best: dict[str, Application] = {}
    for row in rows:  # ordered by person, then id: later rows are newer
        old = best.get(row.person_id)
        if old is None or row.pilot_id == pilot_id or old.pilot_id != pilot_id:
            best[row.person_id] = row
    return best


def my_application(settings: Settings, pilot_id: int, person_id: str) -> ApplicationView | None:
    """A person's own application to the pilot (sent from the web, or imported)."""
    with db.transaction(store(settings)) as session:
        pilot = _pilot(session, pilot_id)
        if pilot.unit_id is None:
            return None
        rows = [
            r
            for r in store_volunteers.applications_of(session, pilot_id, _units(session, pilot))
            if r.person_id == person_id
        ]
        best = _best(rows, pilot_id).get(person_id)
        return None if best is None else _application(best)


def apply(
    settings: Settings,
    pilot_id: int,
    person_id: str | None,
    problem: str,
    why: str,
    *,
    actor: str = "cli",
) -> ApplicationView:
    """Store a person's application to the pilot; a second one updates their first.

    Raises
    ------
    DataError
        An empty or too long answer (nothing is stored then).
    Forbidden
        A login with no person, or a person outside the pilot's entry point.
    ConfigError
        The call is not open (the pilot is not ``recruiting``).
    """
    problem, why = (problem or "").strip(), (why or "").strip()
    problems = [
        Problem("application", None, field, message)
        for field, value, message in (
            ("problem", problem, "say which problem or opportunity you want to address"),
            ("why", why, "say why you want to address it"),
        )
        if not value
    ] + [
        Problem("application", None, field, f"at most {MAX_TEXT} characters")
        for field, value in (("problem", problem), ("why", why))
        if len(value) > MAX_TEXT
    ]
    if problems:
        raise DataError(problems)
    if not person_id:
        raise Forbidden("your login is not linked to a person of the organization")
    with db.transaction(store(settings)) as session:
        pilot = _pilot(session, pilot_id)
        if pilot.status != "recruiting":
            raise ConfigError(f"the call for pilot {pilot_id} is not open ({pilot.status})")
        inside = set(capacity.people_in(session, _units(session, pilot))["person_id"])
        if person_id not in inside:
            raise Forbidden(f"this call is for the people of {pilot.unit_id} and below it")
        row, created = store_volunteers.save_web_application(
            session, pilot_id, person_id, problem, why
        )
        org.audit(session, actor, "apply" if created else "update application", str(pilot_id))
        return _application(row)


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
    pilot_id: int,
    *,
    person_level: bool,
    filters: Mapping[str, str] | None = None,
) -> VolunteersView:
    """The applicants of the pilot with their plan status and selection (``person_level``),
    filtered by ``filters`` (column -> value; see ``facets``); counts by unit otherwise."""
    minimum = settings.min_group_size
    with db.transaction(store(settings)) as session:
        pilot = _pilot(session, pilot_id)
        units = _units(session, pilot)
        best = _best(store_volunteers.applications_of(session, pilot_id, units), pilot_id)
        people = capacity.people_in(session, units).set_index("person_id", drop=False)
        decided = store_volunteers.selections_of(session, pilot_id)
        plan = current_plan(session, pilot_id)
        call = _call(session, pilot)
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
    wanted = {k: v for k, v in (filters or {}).items() if v}
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
    counts: dict[str, list[int]] = {}
    for r in rows:
        pair = counts.setdefault(r.unit_id, [0, 0])
        pair[0] += 1
        pair[1] += r.selection == "selected"
    out = []
    for unit, (applied, chosen) in sorted(counts.items()):
        hide = too_few(applied, minimum, person_level=person_level)
        hide_chosen = hide or too_few(chosen, minimum, person_level=person_level)
        out.append(
            UnitCount(
                unit_id=unit,
                applicants=None if hide else applied,
                selected=None if hide_chosen else chosen,
                suppressed=hide or hide_chosen,
            )
        )
    return out


def decide(
    settings: Settings, pilot_id: int, decisions: Sequence[SelectionIn], *, actor: str = "cli"
) -> VolunteersView:
    """Select or unselect applicants of the pilot (admins). All or nothing: an unknown
    status, someone who did not apply, or more selected than the pilot's maximum is
    refused with every problem named, and nothing changes."""
    if not decisions:
        raise DataError("no volunteers given")
    with db.transaction(store(settings)) as session:
        pilot = _pilot(session, pilot_id)
        units = _units(session, pilot)
        applied = {r.person_id for r in store_volunteers.applications_of(session, pilot_id, units)}
        decided = store_volunteers.selections_of(session, pilot_id)
        problems = []
        for i, d in enumerate(decisions, start=1):
            if d.status not in SELECTION_STATUSES:
                wrong = f"{d.status!r} is not selected or not_selected"
                problems.append(Problem("selection", i, "status", wrong))
            if d.person_id not in applied:
                wrong = f"{d.person_id} did not apply to this pilot"
                problems.append(Problem("selection", i, "person_id", wrong))
        status = {p: s.status for p, s in decided.items()}
        status |= {d.person_id: d.status for d in decisions}
        chosen = sum(s == "selected" for s in status.values())
        if chosen > pilot.max_pilot:
            too_many = f"{chosen} would be selected, above the pilot's maximum of {pilot.max_pilot}"
            problems.append(Problem("selection", None, None, too_many))
        if problems:
            raise DataError(problems)
        for d in decisions:
            store_volunteers.save_selection(session, pilot_id, d.person_id, d.status, actor)
        org.audit(session, actor, "select volunteers", str(pilot_id), selected=chosen)
    return volunteers_view(settings, pilot_id, person_level=True)


def demo_step(settings: Settings, truth: dict[str, Any]) -> None:
    """The demo pilot's call goes out, and the admin selects exactly ``DEMO_SELECTED``
    applicants whom the capacity plan frees (the planted volunteers first); the plan is
    then computed again for the selected."""
    from smartmoves.pathway.capacity import DEMO_TIME_LIMIT
    from smartmoves.pathway.capacity_plan import plan_for_pilot, read_current_plan
    from smartmoves.pathway.pilots import list_pilots

    entry = truth["best_entry_point"]["unit_id"]
    pilot = next((p for p in list_pilots(settings) if p.unit_id == entry), None)
    if pilot is None:
        return
    save_call(settings, pilot.id, None, open_call=True, actor="demo")
    plan = read_current_plan(settings, pilot.id)
    freed = [] if plan is None else sorted(r["person_id"] for r in plan.result["freed"])
    planted = set(truth["best_entry_point"]["volunteers"]["person_ids"])
    ranked = sorted(freed, key=lambda p: (p not in planted, p))[:DEMO_SELECTED]
    if not ranked:
        return
    chosen = [SelectionIn(person_id=p, status="selected") for p in ranked]
    decide(settings, pilot.id, chosen, actor="demo")
    plan_for_pilot(settings, pilot.id, time_limit=DEMO_TIME_LIMIT, actor="demo")
