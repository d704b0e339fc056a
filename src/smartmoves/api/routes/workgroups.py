"""JSON twins of the Workgroups and Cells pages: read them, form them, move a person.

Champions and supervisors read every workgroup and cell; members only their own;
admins also form and move (send ``X-CSRF-Token``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from smartmoves.pathway import cells, workgroups
from smartmoves.pathway.access import require_role
from smartmoves.web.session import AdminAccount, CurrentAccount, SettingsDep, verify_csrf

router = APIRouter(tags=["workgroups"])
EVERYONE = ("champion", "supervisor", "member")


class FormationIn(BaseModel):
    """Options of a formation; ``groups`` (or ``size``) default to 3-6 groups of about 10."""

    features: list[str] | None = None
    groups: int | None = Field(None, ge=1)
    size: int | None = Field(None, ge=1)
    min_size: int = Field(3, ge=1)
    max_size: int = Field(15, ge=1)
    keep_together: str | None = None
    apart: str | None = None
    balance: str | None = None
    fixed: dict[str, str] | None = Field(
        None, description="person_id -> workgroup: people who must be in that workgroup."
    )
    existing: dict[str, str] | None = Field(
        None, description="person_id -> workgroup: the current groups; others join them."
    )
    seed: int = 0
    save: bool = True


class MoveIn(BaseModel):
    person_id: str
    workgroup_id: int


class CellsIn(BaseModel):
    min_size: int = Field(5, ge=1)
    max_size: int = Field(15, ge=1)
    seed: int = 0


@router.get("/pilots/{pilot_id}/workgroups", response_model=workgroups.WorkgroupsView)
def workgroups_view(
    pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> workgroups.WorkgroupsView:
    """The pilot's workgroups, members and figures (a member: only their own workgroup)."""
    require_role(account, *EVERYONE)
    return workgroups.workgroups_view(settings, pilot_id, account)


@router.post("/pilots/{pilot_id}/workgroups", response_model=workgroups.Formation)
def form_workgroups(
    pilot_id: int, body: FormationIn, request: Request, account: AdminAccount, settings: SettingsDep
) -> workgroups.Formation:
    """Form the workgroups of the selected volunteers (saved unless ``save`` is false);
    impossible constraints are a 422 saying which."""
    verify_csrf(request, None)
    options = body.model_dump(exclude={"features", "save"})
    return workgroups.form_for_pilot(
        settings,
        pilot_id,
        features=body.features,
        save=body.save,
        actor=account.email,
        **options,
    )


@router.post("/pilots/{pilot_id}/workgroups/moves", response_model=workgroups.WorkgroupsView)
def move_person(
    pilot_id: int, body: MoveIn, request: Request, account: AdminAccount, settings: SettingsDep
) -> workgroups.WorkgroupsView:
    """Move a person to another workgroup; the figures are recomputed. A move that takes
    a workgroup out of its size bounds is a 422, and nothing changes."""
    verify_csrf(request, None)
    workgroups.move_person(
        settings, pilot_id, body.person_id, body.workgroup_id, actor=account.email
    )
    return workgroups.workgroups_view(settings, pilot_id, account)


@router.get("/pilots/{pilot_id}/cells", response_model=cells.CellsView)
def cells_view(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> cells.CellsView:
    """The pilot's cells with members and the workgroups each draws from (a member: only
    their own cell)."""
    require_role(account, *EVERYONE)
    return cells.cells_view(settings, pilot_id, account)


@router.post("/pilots/{pilot_id}/cells", response_model=cells.CellsView)
def form_cells(
    pilot_id: int, body: CellsIn, request: Request, account: AdminAccount, settings: SettingsDep
) -> cells.CellsView:
    """Form and save the cells from the saved workgroups."""
    verify_csrf(request, None)
    cells.form_cells_for_pilot(settings, pilot_id, actor=account.email, **body.model_dump())
    return cells.cells_view(settings, pilot_id, account)
