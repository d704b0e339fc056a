"""What the Workgroups page shows of a pilot's workgroups: their members and figures.

Who may not read them all (``workgroups.read_all``: members) sees only the workgroup
they belong to, and no figures about the others.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from smartmoves.data.store import db, teams
from smartmoves.data.store.capacity import selected_volunteers
from smartmoves.pathway._cache import Kept, imports_mark
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import View
from smartmoves.pathway.create.teams.bounds import workgroup_bounds
from smartmoves.pathway.create.teams.files import typed, usable_features
from smartmoves.pathway.create.teams.readings import Reading, readings
from smartmoves.pathway.create.teams.workgroups import locked_reason
from smartmoves.pathway.people import People, who_is
from smartmoves.pathway.policy import Account, may, require
from smartmoves.settings import Settings

__all__ = ["Figures", "Member", "WorkgroupView", "WorkgroupsView", "workgroups_view"]


class Member(View):
    person_id: str
    role: str | None
    unit_id: str | None
    level: str | None


class WorkgroupView(View):
    id: int
    name: str
    size: int
    diversity: float | None
    coach_id: str | None
    members: list[Member]


class Figures(View):
    """The partition's figures; ``random_mean`` is the mean diversity of random splits."""

    diversity: float | None
    random_mean: float | None
    vs_random: float | None
    dispersion: float | None
    max_mean_deviation_sd: float | None
    readings: list[Reading]  # the same figures in words, as the page shows them


class WorkgroupsView(View):
    """The Workgroups page of a pilot (and its JSON twin). Members see only their own."""

    pilot_id: int
    pilot_name: str
    volunteers: int
    own_only: bool
    features: list[str]
    available_features: list[str]
    min_size: int
    max_size: int
    seed: int
    bounds: dict[str, str]  # what each field of the formation form may hold, in words
    # The last formation's constraint columns, so that forming again starts from them.
    keep_together: str | None = None
    apart: str | None = None
    balance: str | None = None
    moves: int
    locked: str | None  # why a new formation is refused, if it is
    unplaced: int  # selected volunteers in no workgroup (selected after the formation)
    unplaced_ids: list[str] | None = None  # who they are, for those who place them (admins)
    figures: Figures | None
    workgroups: list[WorkgroupView]
    who: People  # who each member, coach and unplaced volunteer is: name, email, role, unit


def _members(session: Session, pilot_id: int) -> tuple[list[Any], dict[str, int]]:
    groups = teams.workgroups(session, pilot_id)
    return groups, teams.workgroup_members(session, pilot_id)


# People's rows and the volunteers' usable features, by store, last imports and the
# people asked for: people change only with an import, and reading and typing them again
# took a tenth of a second a request.
_PEOPLE: Kept[Any] = Kept(64)


def _member_rows(
    session: Session, settings: Settings, mark: object, ids: list[str]
) -> dict[str, Member]:
    key = (settings.sqlalchemy_url, mark, "members", tuple(ids))
    found: dict[str, Member] = _PEOPLE.get(key, lambda: _read_members(session, ids))
    return found


def _features(session: Session, settings: Settings, mark: object, ids: list[str]) -> list[str]:
    key = (settings.sqlalchemy_url, mark, "features", tuple(ids))
    found: list[str] = _PEOPLE.get(
        key, lambda: sorted(usable_features(typed(teams.people_by_id(session, ids))))
    )
    return found


def _read_members(session: Session, ids: list[str]) -> dict[str, Member]:
    frame = teams.people_by_id(session, ids)
    known = {
        str(r["person_id"]): Member(
            person_id=str(r["person_id"]),
            role=r.get("role"),
            unit_id=r.get("unit_id"),
            level=r.get("level"),
        )
        for r in frame[["person_id", "role", "unit_id", "level"]].to_dict("records")
    }
    return {p: known.get(p, Member(person_id=p, role=None, unit_id=None, level=None)) for p in ids}


def _clean(value: Any) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def workgroups_view(settings: Settings, account: Account, pilot_id: int) -> WorkgroupsView:
    """The pilot's workgroups with their members and figures.

    Who may not read them all (``workgroups.read_all``: members) sees only the workgroup
    they belong to, and no figures about the others.
    """
    require(account, "workgroups.read")
    own_only = not may(account, "workgroups.read_all")
    with db.reading(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        groups, members = _members(session, pilot_id)
        volunteers = selected_volunteers(session, pilot_id)
        mark = imports_mark(session)  # what the people's rows and features are read from
        if own_only:
            mine = members.get(account.person_id or "")
            groups = [g for g in groups if g.id == mine]
        shown = {x.id for x in groups}
        people = _member_rows(
            session, settings, mark, sorted(p for p, g in members.items() if g in shown)
        )
        formation = groups[0].formation if groups else {}
        parameters = formation.get("parameters") or {}
        available: list[str] = []
        if not own_only and volunteers:
            available = _features(session, settings, mark, volunteers)
        raw = formation.get("figures") or {}
        figures = None
        if raw and not own_only:
            ratio = _clean(raw.get("vs_random"))
            total = _clean(raw.get("diversity"))
            random_mean = total / ratio if total is not None and ratio else None
            dispersion = _clean(raw.get("dispersion"))
            deviation = _clean(raw.get("max_mean_deviation_sd"))
            figures = Figures(
                diversity=total,
                random_mean=random_mean,
                vs_random=ratio,
                dispersion=dispersion,
                max_mean_deviation_sd=deviation,
                readings=readings(total, ratio, dispersion, deviation, random_mean),
            )
        unplaced = [] if own_only or not groups else sorted(set(volunteers) - set(members))
        views = [
            WorkgroupView(
                id=g.id,
                name=g.name,
                size=sum(1 for x in members.values() if x == g.id),
                diversity=None if own_only else _clean(g.formation.get("diversity")),
                coach_id=g.coach_id,
                members=[people[p] for p in sorted(members) if members[p] == g.id],
            )
            for g in groups
        ]
        named = [*people, *(g.coach_id for g in groups if g.coach_id)]
        placeable = unplaced if may(account, "workgroups.move") else None
        return WorkgroupsView(
            pilot_id=pilot.id,
            pilot_name=pilot.name,
            volunteers=len(volunteers),
            own_only=own_only,
            features=list(parameters.get("features") or []),
            available_features=available,
            min_size=int(parameters.get("min_size", 3)),
            max_size=int(parameters.get("max_size", 15)),
            seed=int(parameters.get("seed", 0)),
            bounds=workgroup_bounds(len(volunteers)),
            keep_together=parameters.get("keep_together"),
            apart=parameters.get("apart"),
            balance=parameters.get("balance"),
            moves=int(formation.get("moves", 0)),
            locked=None if own_only else locked_reason(session, pilot_id, groups),
            unplaced=len(unplaced),
            unplaced_ids=placeable,
            figures=figures,
            workgroups=views,
            who=who_is(session, account, [*named, *(placeable or [])], "workgroups.read"),
        )
