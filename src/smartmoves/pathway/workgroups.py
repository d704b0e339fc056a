"""Form a pilot's workgroups for productive friction, and move people between them.

The pilot's selected volunteers are split into workgroups as diverse as possible (see
:func:`smartmoves.engines.teams.form_workgroups`) on attributes of the people table.
A saved formation replaces the pilot's workgroups and the cells drawn from them in one
transaction, and is refused once a workgroup has a charter or a coach (they would be
lost): move people by hand then. Each workgroup keeps its figures at formation in
``Workgroup.formation``; a move recomputes them.

The same formation on files lives in :mod:`smartmoves.pathway.workgroups_files`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from smartmoves.data.store import db, org, teams
from smartmoves.data.store.capacity import selected_volunteers
from smartmoves.engines._common import json_ready
from smartmoves.engines.teams import diversity_figures, form_workgroups
from smartmoves.errors import ConfigError, InfeasibleError, NotFound
from smartmoves.pathway._store import existing_pilot, store
from smartmoves.pathway.access import Account
from smartmoves.pathway.workgroups_files import (
    check_columns,
    default_features,
    typed,
    usable_features,
)
from smartmoves.settings import Settings

__all__ = [
    "Formation",
    "WorkgroupView",
    "WorkgroupsView",
    "default_groups",
    "demo_step",
    "form_for_pilot",
    "move_person",
    "workgroups_view",
]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class FormedGroup(_View):
    group: str
    members: list[str]
    diversity: float


class Formation(_View):
    """A formation as ``smartmoves workgroups form --pilot`` prints it (engine keys)."""

    pilot_id: int
    saved: bool
    groups: list[FormedGroup]
    diversity: float
    dispersion: float | None
    max_mean_deviation_sd: float | None
    vs_random: float | None
    parameters: dict[str, Any]


class Member(_View):
    person_id: str
    role: str | None
    unit_id: str | None
    level: str | None


class WorkgroupView(_View):
    id: int
    name: str
    size: int
    diversity: float | None
    coach_id: str | None
    members: list[Member]


class Figures(_View):
    """The partition's figures; ``random_mean`` is the mean diversity of random splits."""

    diversity: float | None
    random_mean: float | None
    vs_random: float | None
    dispersion: float | None
    max_mean_deviation_sd: float | None


class WorkgroupsView(_View):
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
    # The last formation's constraint columns, so that forming again starts from them.
    keep_together: str | None = None
    apart: str | None = None
    balance: str | None = None
    moves: int
    locked: str | None  # why a new formation is refused, if it is
    figures: Figures | None
    workgroups: list[WorkgroupView]


def _volunteers(session: Session, pilot_id: int) -> pd.DataFrame:
    ids = selected_volunteers(session, pilot_id)
    if not ids:
        raise ConfigError(
            f"pilot {pilot_id} has no selected volunteers yet: select them first "
            f"(/pilots/{pilot_id}/volunteers)"
        )
    frame = teams.people_by_id(session, ids).set_index("person_id").reindex(ids)
    return typed(frame.rename_axis("person_id").reset_index())


def _locked(session: Session, pilot_id: int) -> str | None:
    coached = [g.name for g in teams.workgroups(session, pilot_id) if g.coach_id]
    if teams.charter_count(session, pilot_id) or coached:
        return (
            "the workgroups already have charters or coaches, which a new formation would "
            "lose: move people between workgroups instead"
        )
    return None


def _name(label: Any) -> str:
    return label if isinstance(label, str) else f"Workgroup {label}"


def _figures(figures: Any) -> dict[str, Any]:
    return json_ready(
        {
            "diversity": figures.diversity,
            "dispersion": figures.dispersion,
            "max_mean_deviation_sd": figures.max_mean_deviation_sd,
            "vs_random": figures.vs_random,
        }
    )


def default_groups(n: int, min_size: int) -> int:
    """3-6 workgroups of about ten (40 volunteers: 4), fewer when too few people."""
    return max(1, min(int(np.clip(round(n / 10), 3, 6)), n // max(min_size, 1)))


def form_for_pilot(
    settings: Settings,
    pilot_id: int,
    *,
    features: Sequence[str] | None = None,
    groups: int | None = None,
    size: int | None = None,
    min_size: int = 3,
    max_size: int = 15,
    seed: int = 0,
    save: bool = True,
    actor: str = "cli",
    **constraints: Any,
) -> Formation:
    """Form the workgroups of the pilot's selected volunteers (and save them).

    Raises
    ------
    NotFound, ConfigError
        No such pilot, no selected volunteers, bad options, or (when saving) workgroups
        that already have charters or coaches.
    DataError, InfeasibleError
        A feature that is not an attribute of the people; constraints that cannot hold.
    """
    with db.transaction(store(settings)) as session:
        existing_pilot(session, pilot_id)
        frame = _volunteers(session, pilot_id)
        locked = _locked(session, pilot_id) if save else None
        if locked:
            raise ConfigError(locked)
        chosen = list(features) if features else default_features(frame)
        check_columns(frame, "people", chosen)
        columns = [constraints.get(k) for k in ("keep_together", "apart", "balance")]
        check_columns(frame, "people", columns)
        if groups is None and size is None and constraints.get("existing") is None:
            groups = default_groups(len(frame), min_size)
        result = form_workgroups(
            frame,
            features=chosen,
            groups=groups,
            size=size,
            min_size=min_size,
            max_size=max_size,
            seed=seed,
            **constraints,
        )
        data = result.to_dict()
        formed = [
            FormedGroup(
                group=_name(g.group), members=[str(m) for m in g.members], diversity=g.diversity
            )
            for g in result.groups
        ]
        if save:
            shared = {"figures": _figures(result.figures), "parameters": data["parameters"]}
            teams.replace_workgroups(
                session,
                pilot_id,
                [
                    (g.group, {**shared, "diversity": g.diversity, "moves": 0}, g.members)
                    for g in formed
                ],
            )
            org.audit(session, actor, "form workgroups", str(pilot_id), groups=len(formed))
        return Formation(
            pilot_id=pilot_id,
            saved=save,
            groups=formed,
            **{
                k: data[k]
                for k in (
                    "diversity",
                    "dispersion",
                    "max_mean_deviation_sd",
                    "vs_random",
                    "parameters",
                )
            },
        )


def _members(session: Session, pilot_id: int) -> tuple[list[Any], dict[str, int]]:
    groups = teams.workgroups(session, pilot_id)
    return groups, teams.workgroup_members(session, pilot_id)


def move_person(
    settings: Settings, pilot_id: int, person_id: str, workgroup_id: int, *, actor: str = "cli"
) -> None:
    """Move a member of the pilot's workgroups to another of them; figures recomputed.

    Raises
    ------
    NotFound
        No such pilot, member or workgroup of this pilot.
    InfeasibleError
        The move would leave a workgroup below its minimum size or above its maximum
        (those of the formation); nothing changes then.
    """
    with db.transaction(store(settings)) as session:
        existing_pilot(session, pilot_id)
        groups, members = _members(session, pilot_id)
        by_id = {g.id: g for g in groups}
        if person_id not in members:
            raise NotFound(f"{person_id} is in none of pilot {pilot_id}'s workgroups")
        if workgroup_id not in by_id:
            raise NotFound(f"pilot {pilot_id} has no workgroup {workgroup_id}")
        source, target = by_id[members[person_id]], by_id[workgroup_id]
        if source.id == target.id:
            raise ConfigError(f"{person_id} is in {target.name} already")
        parameters = dict(source.formation.get("parameters") or {})
        low, high = int(parameters.get("min_size", 1)), int(parameters.get("max_size", 10**6))
        sizes = pd.Series(list(members.values())).value_counts()
        reasons = []
        if sizes.get(source.id, 0) - 1 < low:
            reasons.append(f"{source.name} would have {sizes[source.id] - 1}, below {low}")
        if sizes.get(target.id, 0) + 1 > high:
            reasons.append(f"{target.name} would have {sizes.get(target.id, 0) + 1}, above {high}")
        if reasons:
            raise InfeasibleError(f"{person_id} cannot move to {target.name}: {'; '.join(reasons)}")
        members[person_id] = target.id
        ids = list(members)
        frame = teams.people_by_id(session, ids).set_index("person_id").reindex(ids)
        figures = diversity_figures(
            typed(frame.rename_axis("person_id").reset_index()),
            [members[p] for p in ids],
            features=list(parameters.get("features") or []),
            weights=parameters.get("weights"),
        )
        row = teams.member_of(session, pilot_id, person_id)
        assert row is not None
        row.workgroup_id = target.id
        per_group = {g.group: g.diversity for g in figures.groups}
        moves = int(source.formation.get("moves", 0)) + 1
        for group in groups:
            group.formation = {
                **group.formation,
                "figures": _figures(figures),
                "diversity": per_group.get(group.id, 0.0),
                "moves": moves,
            }
        org.audit(
            session, actor, "move workgroup member", str(pilot_id), person=person_id, to=target.name
        )


def _member_rows(session: Session, ids: list[str]) -> dict[str, Member]:
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


def workgroups_view(
    settings: Settings, pilot_id: int, viewer: Account | None = None
) -> WorkgroupsView:
    """The pilot's workgroups with their members and figures.

    ``viewer`` with the role ``member`` sees only the workgroup they belong to (and no
    figures about the others); every other role, and the CLI (``None``), sees all.
    """
    own_only = viewer is not None and viewer.role == "member"
    with db.transaction(store(settings)) as session:
        pilot = existing_pilot(session, pilot_id)
        groups, members = _members(session, pilot_id)
        volunteers = selected_volunteers(session, pilot_id)
        if own_only:
            mine = members.get(viewer.person_id or "") if viewer else None
            groups = [g for g in groups if g.id == mine]
        people = _member_rows(
            session, sorted(p for p, g in members.items() if g in {x.id for x in groups})
        )
        formation = groups[0].formation if groups else {}
        parameters = formation.get("parameters") or {}
        available: list[str] = []
        if not own_only and volunteers:
            frame = teams.people_by_id(session, volunteers)
            available = sorted(usable_features(typed(frame)))
        raw = formation.get("figures") or {}
        figures = None
        if raw and not own_only:
            ratio = _clean(raw.get("vs_random"))
            total = _clean(raw.get("diversity"))
            figures = Figures(
                diversity=total,
                random_mean=total / ratio if total is not None and ratio else None,
                vs_random=ratio,
                dispersion=_clean(raw.get("dispersion")),
                max_mean_deviation_sd=_clean(raw.get("max_mean_deviation_sd")),
            )
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
            keep_together=parameters.get("keep_together"),
            apart=parameters.get("apart"),
            balance=parameters.get("balance"),
            moves=int(formation.get("moves", 0)),
            locked=None if own_only else _locked(session, pilot_id),
            figures=figures,
            workgroups=views,
        )


def demo_step(settings: Settings, truth: dict[str, Any]) -> None:
    """The demo pilot's 40 selected volunteers in 4 workgroups, and their cells."""
    from smartmoves.pathway import cells
    from smartmoves.pathway.pilots import list_pilots

    entry = truth["best_entry_point"]["unit_id"]
    pilot = next((p for p in list_pilots(settings) if p.unit_id == entry), None)
    if pilot is None:
        return
    with db.transaction(store(settings)) as session:
        if not selected_volunteers(session, pilot.id):
            return  # no volunteers selected: the demo builds without workgroups
    form_for_pilot(settings, pilot.id, groups=4, actor="demo")
    cells.form_cells_for_pilot(settings, pilot.id, actor="demo")
