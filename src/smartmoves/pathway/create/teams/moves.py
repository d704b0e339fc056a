"""Move people between a pilot's workgroups by hand, after the formation (admins); and
place a volunteer selected after the formation into one.

A move keeps every workgroup within the formation's size bounds and recomputes the
figures of the whole partition from scratch; the cells stay as they are.
"""

from __future__ import annotations

import pandas as pd

from smartmoves.data.store import db, teams
from smartmoves.data.store.capacity import selected_volunteers
from smartmoves.engines.teams import diversity_figures
from smartmoves.errors import ConfigError, InfeasibleError, NotFound
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway.create.teams.files import typed
from smartmoves.pathway.create.teams.workgroups import formation_figures, lock_pilot
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = ["move_person"]


def move_person(
    settings: Settings, account: Account, pilot_id: int, person_id: str, workgroup_id: int
) -> None:
    """Move a member of the pilot's workgroups to another of them; figures recomputed
    (admins).

    Raises
    ------
    NotFound
        No such pilot, member or workgroup of this pilot.
    InfeasibleError
        The move would leave a workgroup below its minimum size or above its maximum
        (those of the formation); nothing changes then.
    """
    require(account, "workgroups.move")
    with db.transaction(store(settings)) as session:
        pilot_for(session, account, pilot_id)
        lock_pilot(session, pilot_id)
        groups = teams.workgroups(session, pilot_id)
        members = teams.workgroup_members(session, pilot_id)
        by_id = {g.id: g for g in groups}
        placing = person_id not in members
        if placing and person_id not in set(selected_volunteers(session, pilot_id)):
            raise NotFound(
                f"{person_id} is in none of pilot {pilot_id}'s workgroups and not selected for it"
            )
        if workgroup_id not in by_id:
            raise NotFound(f"pilot {pilot_id} has no workgroup {workgroup_id}")
        target = by_id[workgroup_id]
        source = None if placing else by_id[members[person_id]]
        if source is not None and source.id == target.id:
            raise ConfigError(f"{person_id} is in {target.name} already")
        parameters = dict((source or target).formation.get("parameters") or {})
        low, high = int(parameters.get("min_size", 1)), int(parameters.get("max_size", 10**6))
        sizes = pd.Series(list(members.values())).value_counts()
        reasons = []
        if source is not None and sizes.get(source.id, 0) - 1 < low:
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
        if row is None:
            teams.add_member(session, pilot_id, target.id, person_id)
        else:
            row.workgroup_id = target.id
        per_group = {g.group: g.diversity for g in figures.groups}
        moves = int((source or target).formation.get("moves", 0)) + 1
        for group in groups:
            group.formation = {
                **group.formation,
                "figures": formation_figures(figures),
                "diversity": per_group.get(group.id, 0.0),
                "moves": moves,
            }
        audit.record(
            session,
            account,
            "place workgroup member" if placing else "move workgroup member",
            str(pilot_id),
            person=person_id,
            to=target.name,
        )
