"""Shift the supervisors' role from control to coaching.

Each workgroup of a pilot gets a coach: a frontline supervisor (preferably of the
pilot's entry point) who coaches at most two workgroups, because more is too many to
coach well. Every coach has a checklist of the five parts of the shift (expectations and
vision, performance, development, focus, support), each with a status and notes.

Who may is the policy's: admins, champions and supervisors read the Coaches page;
admins and champions assign coaches (``coaches.assign``) and may update any checklist;
a coach updates their own (``checklist.update``, the coach themselves).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from smartmoves.data.store import coaching, db, teams
from smartmoves.data.store.capacity import units_below
from smartmoves.data.store.models import Person, Pilot, Workgroup
from smartmoves.data.store.models.pilot import CHECK_STATUSES, COACH_PARTS
from smartmoves.errors import ConfigError, NotFound
from smartmoves.pathway import audit
from smartmoves.pathway._cache import Kept, pilot_state
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.create.coaching.charters import relaxed_metric_lines
from smartmoves.pathway.people import People, PersonCard, cards, who_is
from smartmoves.pathway.policy import Account, Subject, require
from smartmoves.settings import Settings

__all__ = [
    "CHECK_STATUSES",
    "COACH_PARTS",
    "MAX_WORKGROUPS_PER_COACH",
    "PARTS",
    "Candidate",
    "CoachPart",
    "CoachView",
    "CoachesView",
    "WorkgroupCoach",
    "assign_coach",
    "coach_of",
    "coaches_view",
    "remove_coach",
    "update_check",
]

# The seeds: one workgroup is no proof, ten are too many to coach; a coach keeps two at most.
MAX_WORKGROUPS_PER_COACH = 2

# Each part of the shift, with the prompt that tells the coach (and whoever prepares
# them) what it asks for.
PARTS: dict[str, tuple[str, str]] = {
    "expectations": (
        "Expectations and vision",
        "Know the vision: how redefined work differs from today's work, why the pilot is "
        "run, and the growth opportunity it offers you as a coach.",
    ),
    "performance": (
        "Performance",
        "Agree which of your normal metrics are relaxed during the pilot, and the near-term "
        "incentives for you and for your workgroups to let go of what you know and take risks.",
    ),
    "development": (
        "Development",
        "Coaching training and practice: help the workgroups focus on impact, break down "
        "complex challenges, reflect on what they learn, navigate group dynamics and find "
        "resources.",
    ),
    "focus": (
        "Focus",
        "Know what the workgroups start on: a problem from the metrics that matter, framed as "
        "a real need (it becomes each workgroup's charter).",
    ),
    "support": (
        "Support",
        "Who helps you get better at coaching, and how you stay close to what matters to the "
        "organization and connect it to the workgroups' work.",
    ),
}
assert tuple(PARTS) == COACH_PARTS  # the store's parts and these prompts must agree


class CoachPart(View):
    part: str
    title: str
    prompt: str
    status: str
    notes: str | None
    updated_at: UtcTime | None


class WorkgroupCoach(View):
    """A workgroup of the pilot and its coach (``None`` before one is assigned)."""

    id: int
    name: str
    members: int
    focus: str | None
    coach_id: str | None


class CoachView(View):
    person_id: str
    unit_id: str | None
    role: str | None
    card: PersonCard  # name, email, role and unit, as pages show the coach
    in_entry_point: bool
    workgroups: list[WorkgroupCoach]
    checklist: list[CoachPart]
    done: int  # parts done, of the five


class Candidate(View):
    """A frontline supervisor who could coach, and how many workgroups they coach now."""

    person_id: str
    unit_id: str
    role: str | None
    coaching: int


class CoachesView(View):
    """The Coaches page of a pilot (and its JSON twin)."""

    pilot_id: int
    pilot_name: str
    unit_id: str | None
    max_per_coach: int
    statuses: list[str]
    workgroups: list[WorkgroupCoach]
    coaches: list[CoachView]
    candidates: list[Candidate]
    relaxed_metrics: list[str]  # the pilot's relax-metric decisions, for the performance part
    who: People  # who each coach and candidate is: name, email, role, unit


def _workgroup(session: Session, pilot_id: int, workgroup_id: int) -> Workgroup:
    group = coaching.get_workgroup(session, workgroup_id)
    if group is None or group.pilot_id != pilot_id:
        raise NotFound(f"no workgroup {workgroup_id} in pilot {pilot_id}")
    return group


def _entry_units(session: Session, pilot: Pilot) -> list[str]:
    return units_below(session, pilot.unit_id) if pilot.unit_id else []


def _group(session: Session, group: Workgroup) -> WorkgroupCoach:
    return WorkgroupCoach(
        id=group.id,
        name=group.name,
        members=len(coaching.members_of(session, group.id)),
        focus=group.focus,
        coach_id=group.coach_id,
    )


def assign_coach(
    settings: Settings, account: Account, pilot_id: int, workgroup_id: int, coach_id: str
) -> CoachView:
    """Make ``coach_id`` the coach of a workgroup and give them their checklist (admins
    and champions).

    Raises
    ------
    NotFound
        No such pilot, workgroup (in this pilot) or person.
    ConfigError
        The person is not a frontline supervisor, or already coaches two other
        workgroups of the pilot.
    """
    require(account, "coaches.assign")
    coach_id = coach_id.strip()
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        db.hold(session, pilot)  # one assignment at a time: a coach's count stays true
        group = _workgroup(session, pilot_id, workgroup_id)
        person = coaching.people(session, [coach_id]).get(coach_id)
        if person is None:
            raise NotFound(f"no person {coach_id!r} in the imported people")
        if not person.is_supervisor:
            raise ConfigError(
                f"{coach_id} is not a frontline supervisor (people.is_supervisor): "
                "only supervisors coach workgroups"
            )
        others = [
            g.name for g in coaching.coached_by(session, pilot_id, coach_id) if g.id != group.id
        ]
        if len(others) >= MAX_WORKGROUPS_PER_COACH:
            raise ConfigError(
                f"{coach_id} already coaches {MAX_WORKGROUPS_PER_COACH} workgroups of this "
                f"pilot ({', '.join(others)}); a coach takes at most {MAX_WORKGROUPS_PER_COACH}"
            )
        group.coach_id = coach_id
        coaching.ensure_checks(session, pilot_id, coach_id, COACH_PARTS)
        audit.record(
            session, account, "assign coach", str(group.id), coach=coach_id, pilot=pilot_id
        )
        session.flush()
        return _coach(session, pilot, person)


def remove_coach(
    settings: Settings, account: Account, pilot_id: int, workgroup_id: int
) -> WorkgroupCoach:
    """Leave a workgroup without a coach (asking twice changes nothing; admins and
    champions).

    The coach's checklist is kept: if they are given a workgroup of the pilot again, they
    find their statuses and notes as they left them.

    Raises
    ------
    NotFound
        No such pilot, or no such workgroup in this pilot.
    """
    require(account, "coaches.assign")
    with db.transaction(store(settings)) as session:
        pilot_for(session, account, pilot_id)
        group = _workgroup(session, pilot_id, workgroup_id)
        if group.coach_id is not None:
            audit.record(
                session,
                account,
                "remove coach",
                str(group.id),
                coach=group.coach_id,
                pilot=pilot_id,
            )
            group.coach_id = None
            session.flush()
        return _group(session, group)


def update_check(
    settings: Settings,
    account: Account,
    pilot_id: int,
    coach_id: str,
    part: str,
    *,
    status: str | None = None,
    notes: str | None = None,
) -> CoachView:
    """Change the status and/or notes of one part of a coach's checklist (admins,
    champions, and the coach themselves).

    Raises
    ------
    Forbidden
        ``account`` is neither a sponsor nor the coach.
    ConfigError
        An unknown part or status.
    NotFound
        No such pilot, or the person coaches none of its workgroups.
    """
    require(account, "checklist.update", Subject(person_id=coach_id))
    if part not in COACH_PARTS:
        raise ConfigError(f"unknown part {part!r} (expected one of {', '.join(COACH_PARTS)})")
    if status is not None and status not in CHECK_STATUSES:
        raise ConfigError(
            f"unknown status {status!r} (expected one of {', '.join(CHECK_STATUSES)})"
        )
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        db.hold(session, pilot)  # the first updates of a checklist make it once
        if not coaching.coached_by(session, pilot_id, coach_id):
            raise NotFound(f"{coach_id} coaches no workgroup of pilot {pilot_id}")
        rows = coaching.ensure_checks(session, pilot_id, coach_id, COACH_PARTS)
        row = next(r for r in rows if r.part == part)
        if status is not None:
            row.status = status
        if notes is not None:
            row.notes = notes.strip() or None
        row.updated_at = dt.datetime.now(dt.UTC)
        audit.record(session, account, "coach checklist", coach_id, part=part, status=row.status)
        session.flush()
        person = coaching.people(session, [coach_id])[coach_id]
        return _coach(session, pilot, person)


def _coach(session: Session, pilot: Pilot, person: Person) -> CoachView:
    rows = {c.part: c for c in coaching.checks(session, pilot.id, person.person_id)}
    checklist = []
    for part in COACH_PARTS:
        title, prompt = PARTS[part]
        row = rows.get(part)
        checklist.append(
            CoachPart(
                part=part,
                title=title,
                prompt=prompt,
                status=row.status if row else "todo",
                notes=row.notes if row else None,
                updated_at=row.updated_at if row else None,
            )
        )
    return CoachView(
        person_id=person.person_id,
        unit_id=person.unit_id,
        role=person.role,
        card=cards(session, [person.person_id])[person.person_id],
        in_entry_point=person.unit_id in _entry_units(session, pilot),
        workgroups=[
            _group(session, g) for g in coaching.coached_by(session, pilot.id, person.person_id)
        ],
        checklist=checklist,
        done=sum(c.status == "done" for c in checklist),
    )


# The Coaches page is read far more often than coaching changes, and building it asks
# the store a few queries per coach: kept by what it is computed from (the pilot's state
# and its coaching, two small queries), all but who each person is to the reader.
_VIEWS: Kept[CoachesView] = Kept(32)


def coaches_view(settings: Settings, account: Account, pilot_id: int) -> CoachesView:
    """The pilot's workgroups with their coaches, each coach's checklist, and the
    supervisors of the entry point who could coach (admins, champions, supervisors)."""
    require(account, "coaches.read")
    with db.reading(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        key = (*pilot_state(session, settings, pilot), coaching.coaching_mark(session, pilot_id))
        view = _VIEWS.get(key, lambda: _coaches(session, pilot))
        named = [*(c.person_id for c in view.coaches), *(c.person_id for c in view.candidates)]
        return view.model_copy(update={"who": who_is(session, account, named, "coaches.read")})


def _coaches(session: Session, pilot: Pilot) -> CoachesView:
    groups = [_group(session, g) for g in teams.workgroups(session, pilot.id)]
    load: dict[str, int] = {}
    for g in groups:
        if g.coach_id:
            load[g.coach_id] = load.get(g.coach_id, 0) + 1
    found = coaching.people(session, list(load))
    coaches = [_coach(session, pilot, found[c]) for c in sorted(load) if c in found]
    candidates = [
        Candidate(
            person_id=p.person_id,
            unit_id=p.unit_id,
            role=p.role,
            coaching=load.get(p.person_id, 0),
        )
        for p in coaching.supervisors_in(session, _entry_units(session, pilot))
    ]
    return CoachesView(
        pilot_id=pilot.id,
        pilot_name=pilot.name,
        unit_id=pilot.unit_id,
        max_per_coach=MAX_WORKGROUPS_PER_COACH,
        statuses=list(CHECK_STATUSES),
        workgroups=groups,
        coaches=coaches,
        candidates=candidates,
        relaxed_metrics=relaxed_metric_lines(session, pilot.id),
        who={},  # who each person is to the reader: put in per request
    )


def coach_of(settings: Settings, account: Account, pilot_id: int, coach_id: str) -> CoachView:
    """One coach's workgroups and checklist."""
    require(account, "coaches.read")
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        person = coaching.people(session, [coach_id]).get(coach_id)
        if person is None or not coaching.coached_by(session, pilot_id, coach_id):
            raise NotFound(f"{coach_id} coaches no workgroup of pilot {pilot_id}")
        return _coach(session, pilot, person)
