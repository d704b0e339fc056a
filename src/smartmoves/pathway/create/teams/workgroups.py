"""Form a pilot's workgroups for productive friction, and move people between them.

The pilot's selected volunteers are split into workgroups as diverse as possible (see
:func:`smartmoves.engines.teams.form_workgroups`) on attributes of the people table.
A saved formation replaces the pilot's workgroups and the cells drawn from them in one
transaction, and is refused once a workgroup has a charter or a coach (they would be
lost): move people by hand then. Each workgroup keeps its figures at formation in
``Workgroup.formation``; a move recomputes them.

Admins form and move; everyone reads, a member only their own workgroup (the policy's
``workgroups.*`` actions). The search can take seconds, so it runs outside any
transaction: if the selection or the workgroups changed meanwhile (another formation or
a move was saved), the formation is refused with :class:`Conflict` instead of replacing
them.

The same formation on files lives in :mod:`smartmoves.pathway.create.teams.files`;
moves by hand in :mod:`smartmoves.pathway.create.teams.moves`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from smartmoves.data.store import db, teams
from smartmoves.data.store.capacity import selected_volunteers
from smartmoves.data.store.models import Pilot, Workgroup
from smartmoves.engines._common import json_ready
from smartmoves.engines.teams import check_formation, form_workgroups
from smartmoves.errors import ConfigError, Conflict
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import View
from smartmoves.pathway.create.teams.bounds import check_workgroups
from smartmoves.pathway.create.teams.files import (
    assignment_from_text,
    check_columns,
    default_features,
    typed,
)
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = [
    "Formation",
    "default_groups",
    "form_for_pilot",
    "formation_figures",
    "lock_pilot",
    "locked_reason",
    "prepare_formation",
]


class FormedGroup(View):
    group: str
    members: list[str]
    diversity: float


class Formation(View):
    """A formation as ``smartmoves workgroups form --pilot`` prints it (engine keys)."""

    pilot_id: int
    saved: bool
    groups: list[FormedGroup]
    diversity: float
    dispersion: float | None
    max_mean_deviation_sd: float | None
    vs_random: float | None
    parameters: dict[str, Any]


def _volunteers(session: Session, pilot_id: int) -> pd.DataFrame:
    ids = selected_volunteers(session, pilot_id)
    if not ids:
        raise ConfigError(
            f"pilot {pilot_id} has no selected volunteers yet: select them first "
            f"(/pilots/{pilot_id}/volunteers)"
        )
    frame = teams.people_by_id(session, ids).set_index("person_id").reindex(ids)
    return typed(frame.rename_axis("person_id").reset_index())


def locked_reason(
    session: Session, pilot_id: int, groups: Sequence[Workgroup] | None = None
) -> str | None:
    """Why a new formation is refused, if it is; ``groups``: the pilot's workgroups where
    the caller has read them already (a page saves the query)."""
    found = teams.workgroups(session, pilot_id) if groups is None else groups
    coached = [g.name for g in found if g.coach_id]
    if teams.charter_count(session, pilot_id) or coached:
        return (
            "the workgroups already have charters or coaches, which a new formation would "
            "lose: move people between workgroups instead"
        )
    return None


def _name(label: Any) -> str:
    return label if isinstance(label, str) else f"Workgroup {label}"


def formation_figures(figures: Any) -> dict[str, Any]:
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


def lock_pilot(session: Session, pilot_id: int) -> None:
    """Hold the pilot's row until the transaction ends, so that two saves of its teams
    (formations, moves, cells) never interleave between their check and their write."""
    pilot = session.get(Pilot, pilot_id)
    if pilot is not None:
        db.hold(session, pilot)


State = tuple[tuple[str, ...], tuple[tuple[str, int], ...]]


def _state(session: Session, pilot_id: int) -> State:
    """What a formation is based on: the selected volunteers, and who is in which
    workgroup (a formation makes new workgroups, a move changes a member's)."""
    members = teams.workgroup_members(session, pilot_id)
    return tuple(selected_volunteers(session, pilot_id)), tuple(sorted(members.items()))


def _changed(pilot_id: int, before: State, now: State) -> str:
    if before[0] != now[0]:
        return (
            f"the selected volunteers of pilot {pilot_id} changed while the workgroups were "
            "being formed: nothing was saved; form the workgroups again"
        )
    return (
        f"the workgroups of pilot {pilot_id} changed while these were being formed (another "
        "formation or a move was saved meanwhile): nothing was replaced; look at them, then "
        "form them again if you still want to"
    )


# The options of a formation that the check before the search reads.
CHECKED = ("keep_together", "apart", "balance", "fixed", "existing", "weights")


@dataclass(frozen=True)
class Prepared:
    """A formation's inputs, checked: what the search runs on, and the state it saw."""

    frame: pd.DataFrame
    features: list[str]
    groups: int | None
    constraints: dict[str, Any]
    based_on: State


def prepare_formation(
    settings: Settings,
    account: Account,
    pilot_id: int,
    *,
    features: Sequence[str] | None = None,
    groups: int | None = None,
    size: int | None = None,
    min_size: int = 3,
    max_size: int = 15,
    seed: int = 0,
    save: bool = True,
    **constraints: Any,
) -> Prepared:
    """Check a formation's options against the pilot before any search (admins): what
    :func:`form_for_pilot` refuses before it searches, refused here in the same words."""
    require(account, "workgroups.form")
    constraints = dict(constraints)
    for key in ("fixed", "existing"):  # the page's boxes: one "person_id, workgroup" a line
        if isinstance(constraints.get(key), str):
            constraints[key] = assignment_from_text(constraints[key], key)
    with db.transaction(store(settings)) as session:
        pilot_for(session, account, pilot_id)
        frame = _volunteers(session, pilot_id)
        check_workgroups(len(frame), groups, size, min_size, max_size, seed)
        locked = locked_reason(session, pilot_id) if save else None
        if locked:
            raise ConfigError(locked)
        chosen = list(features) if features else default_features(frame)
        check_columns(frame, "people", chosen)
        columns = [constraints.get(k) for k in ("keep_together", "apart", "balance")]
        check_columns(frame, "people", columns)
        if groups is None and size is None and constraints.get("existing") is None:
            groups = default_groups(len(frame), min_size)
        based_on = _state(session, pilot_id)
    # What cannot hold is said now, at the form, not after a search in the background.
    check_formation(
        frame,
        features=chosen,
        groups=groups,
        size=size,
        min_size=min_size,
        max_size=max_size,
        **{k: v for k, v in constraints.items() if k in CHECKED},
    )
    return Prepared(frame, chosen, groups, constraints, based_on)


def form_for_pilot(
    settings: Settings,
    account: Account,
    pilot_id: int,
    *,
    features: Sequence[str] | None = None,
    groups: int | None = None,
    size: int | None = None,
    min_size: int = 3,
    max_size: int = 15,
    seed: int = 0,
    save: bool = True,
    **constraints: Any,
) -> Formation:
    """Form the workgroups of the pilot's selected volunteers (and save them; admins).
    The page and the API run it as a job (:mod:`.formation_jobs`).

    Raises
    ------
    NotFound, ConfigError
        No such pilot, no selected volunteers, options outside the form's bounds (see
        :mod:`smartmoves.pathway.create.teams.bounds`), or (when saving) workgroups
        that already have charters or coaches.
    DataError, InfeasibleError
        A feature that is not an attribute of the people; constraints that cannot hold;
        a ``fixed`` or ``existing`` text (the page's boxes) with a line that is not
        ``person_id, workgroup``.
    Conflict
        The selection or the workgroups changed while the formation was computed.
    """
    ready = prepare_formation(
        settings,
        account,
        pilot_id,
        features=features,
        groups=groups,
        size=size,
        min_size=min_size,
        max_size=max_size,
        seed=seed,
        save=save,
        **constraints,
    )
    frame, chosen, groups, constraints = (
        ready.frame,
        ready.features,
        ready.groups,
        ready.constraints,
    )
    based_on = ready.based_on
    # The search may take seconds: no transaction stays open while it runs.
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
        shared = {"figures": formation_figures(result.figures), "parameters": data["parameters"]}
        with db.transaction(store(settings)) as session:
            lock_pilot(session, pilot_id)
            now = _state(session, pilot_id)
            if now != based_on:
                raise Conflict(_changed(pilot_id, based_on, now))
            locked = locked_reason(session, pilot_id)
            if locked:
                raise ConfigError(locked)
            teams.replace_workgroups(
                session,
                pilot_id,
                [
                    (g.group, {**shared, "diversity": g.diversity, "moves": 0}, g.members)
                    for g in formed
                ],
            )
            audit.record(session, account, "form workgroups", str(pilot_id), groups=len(formed))
    keys = ("diversity", "dispersion", "max_mean_deviation_sd", "vs_random", "parameters")
    return Formation(pilot_id=pilot_id, saved=save, groups=formed, **{k: data[k] for k in keys})
