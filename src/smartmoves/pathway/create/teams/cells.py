"""Cells: every member of a pilot's workgroups in one cell of 5-15, drawn across them.

Cells are formed from the saved workgroups (see
:func:`smartmoves.engines.teams.form_cells`) and replace the pilot's earlier cells; a
new formation of the workgroups removes the cells, which are then formed again. A move
between workgroups keeps the cells as they are. Admins form the cells; everyone reads
them, a member only their own cell (the policy's ``cells.*`` actions).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from smartmoves.data.readers import read_text_table
from smartmoves.data.store import db, teams
from smartmoves.engines.teams import CellsResult, form_cells
from smartmoves.errors import ConfigError, DataError, Problem
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import View
from smartmoves.pathway.create.teams.bounds import cell_bounds, check_cells
from smartmoves.pathway.create.teams.workgroups import lock_pilot
from smartmoves.pathway.people import People, who_is
from smartmoves.pathway.policy import Account, may, require
from smartmoves.settings import Settings

__all__ = ["CellView", "CellsView", "cells_view", "form_cells_for_pilot", "form_cells_from_file"]


class CellMember(View):
    person_id: str
    workgroup: str | None


class CellView(View):
    id: int
    name: str
    size: int
    workgroups: list[str]  # the workgroups its members come from
    uneven: bool  # two of one workgroup while another is missing
    members: list[CellMember]


class CellsView(View):
    """The Cells page of a pilot (and its JSON twin). Members see only their own cell."""

    pilot_id: int
    pilot_name: str
    own_only: bool
    workgroups: list[str]
    members: int  # members of the workgroups
    uncelled: int  # members of the workgroups in no cell (after a new formation)
    uneven_cells: int
    bounds: dict[str, str]  # what each field of the cells form may hold, in words
    cells: list[CellView]
    who: People  # who each member shown is: name, email, role, unit


def form_cells_from_file(
    workgroups: Path, *, min_size: int = 5, max_size: int = 15, seed: int = 0
) -> CellsResult:
    """Cells from a file with ``person_id`` and ``workgroup`` columns."""
    table = read_text_table(workgroups)
    missing = [c for c in ("person_id", "workgroup") if c not in table.frame.columns]
    if missing:
        raise DataError(
            [
                Problem(table.label, None, c, "no such column", "person_id and workgroup")
                for c in missing
            ]
        )
    frame = table.frame.replace(r"^\s*$", pd.NA, regex=True)
    return form_cells(frame, min_size=min_size, max_size=max_size, seed=seed)


def form_cells_for_pilot(
    settings: Settings,
    account: Account,
    pilot_id: int,
    *,
    min_size: int = 5,
    max_size: int = 15,
    seed: int = 0,
    save: bool = True,
) -> CellsResult:
    """Form the cells of the pilot's workgroup members (and save them as Cell 1, 2, ...;
    admins). Quick enough to read, compute and save in one transaction.

    Raises
    ------
    NotFound, ConfigError
        No such pilot, no workgroups yet, or sizes or seed outside the form's bounds.
    InfeasibleError
        No number of cells gives sizes within the bounds.
    """
    require(account, "cells.form")
    check_cells(min_size, max_size, seed)
    with db.transaction(store(settings)) as session:
        pilot_for(session, account, pilot_id)
        if save:
            lock_pilot(session, pilot_id)
        names = {g.id: g.name for g in teams.workgroups(session, pilot_id)}
        members = teams.workgroup_members(session, pilot_id)
        if not members:
            raise ConfigError(f"pilot {pilot_id} has no workgroups yet: form them first")
        frame = pd.DataFrame(
            {"person_id": list(members), "workgroup": [names[g] for g in members.values()]}
        )
        result = form_cells(frame, min_size=min_size, max_size=max_size, seed=seed)
        if save:
            teams.replace_cells(
                session,
                pilot_id,
                [(f"Cell {c.cell}", [str(m) for m in c.members]) for c in result.cells],
            )
            audit.record(session, account, "form cells", str(pilot_id), cells=len(result.cells))
        return result


def cells_view(settings: Settings, account: Account, pilot_id: int) -> CellsView:
    """The pilot's cells with their members and the workgroups each draws from.

    Who may not read them all (``cells.read_all``: members) sees only their own cell.
    """
    require(account, "cells.read")
    own_only = not may(account, "cells.read_all")
    with db.reading(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        groups = teams.workgroups(session, pilot_id)
        names = {g.id: g.name for g in groups}
        in_group = teams.workgroup_members(session, pilot_id)
        in_cell = teams.cell_members(session, pilot_id)
        cells = teams.cells(session, pilot_id)
        every = [g.name for g in groups]
        people_of: dict[int, list[str]] = {}
        for person, cell_id in sorted(in_cell.items()):
            people_of.setdefault(cell_id, []).append(person)
        views = []
        for cell in cells:
            people = people_of.get(cell.id, [])
            of = [names.get(in_group.get(p, -1)) for p in people]
            # A Counter, not pandas: a Series per cell was a fifth of the page's CPU.
            counts = Counter(w for w in of if w is not None)
            present = [w for w in every if w in counts]
            uneven = any(n >= 2 for n in counts.values()) and len(present) < len(every)
            views.append(
                CellView(
                    id=cell.id,
                    name=cell.name,
                    size=len(people),
                    workgroups=present,
                    uneven=uneven,
                    members=[
                        CellMember(person_id=p, workgroup=w)
                        for p, w in zip(people, of, strict=True)
                    ],
                )
            )
        if own_only:
            mine = in_cell.get(account.person_id or "")
            views = [v for v in views if v.id == mine]
        return CellsView(
            pilot_id=pilot.id,
            pilot_name=pilot.name,
            own_only=own_only,
            workgroups=[] if own_only else every,
            members=0 if own_only else len(in_group),
            uncelled=0 if own_only else sum(1 for p in in_group if p not in in_cell),
            uneven_cells=sum(v.uneven for v in views),
            bounds=cell_bounds(),
            cells=views,
            who=who_is(
                session, account, [m.person_id for v in views for m in v.members], "cells.read"
            ),
        )
