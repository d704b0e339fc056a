"""JSON twins of the Workgroups and Cells pages: read them, form them, move a person.

The policy decides as for the pages: everyone reads, a member only their own workgroup
and cell; admins form and move (send ``X-CSRF-Token``). The bounds are the use cases'
(``bounds`` in the views says them in words), so a number outside them is refused with
the same sentence as on the page and the command line.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import Field

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.bodies import Body
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.create import teams
from smartmoves.pathway.jobs import JobView
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["workgroups"], responses=LOGGED_IN, route_class=ViewRoute)


class FormationIn(Body):
    """Options of a formation; ``groups`` (or ``size``) default to 3-6 groups of about 10."""

    features: list[str] | None = None
    groups: int | None = Field(None, description="1 to the number of selected volunteers.")
    size: int | None = Field(None, description="At least 1; used when groups is not given.")
    min_size: int = Field(3, description="At least 1, not larger than max_size.")
    max_size: int = Field(15, description="At least 1.")
    keep_together: str | None = None
    apart: str | None = None
    balance: str | None = None
    fixed: dict[str, str] | None = Field(
        None, description="person_id -> workgroup: people who must be in that workgroup."
    )
    existing: dict[str, str] | None = Field(
        None, description="person_id -> workgroup: the current groups; others join them."
    )
    seed: int = Field(0, description="At least 0: the same seed gives the same workgroups.")
    save: bool = True


class MoveIn(Body):
    person_id: str
    workgroup_id: int


class CellsIn(Body):
    min_size: int = Field(5, description="1 <= min_size <= max_size.")
    max_size: int = 15
    seed: int = Field(0, description="At least 0: the same seed gives the same cells.")


@router.get(
    "/pilots/{pilot_id}/workgroups",
    response_model=teams.WorkgroupsView,
    openapi_extra=needs("workgroups.read"),
    responses=refusals(403, 404, 422),
)
def workgroups_view(
    pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> teams.WorkgroupsView:
    """The pilot's workgroups, members and figures (a member: only their own workgroup)."""
    return teams.workgroups_view(settings, account, pilot_id)


@router.post(
    "/pilots/{pilot_id}/workgroups",
    response_model=JobView,
    status_code=202,
    openapi_extra=needs("workgroups.form"),
    responses=refusals(400, 403, 404, 409, 422, 503),
)
def form_workgroups(
    pilot_id: int,
    body: FormationIn,
    response: Response,
    account: CurrentAccount,
    settings: SettingsDep,
) -> JobView:
    """Start forming the workgroups of the selected volunteers as a background job
    (saved unless ``save`` is false): 202 with the job; poll ``/api/v1/jobs/{id}``, whose
    ``result.formation`` is the formation once it is done. Options outside the bounds are
    a 400 and unknown features a 422, before anything starts; constraints that cannot
    hold, or a selection or workgroups changed while the formation was computed, fail
    the job with the reason (nothing replaced)."""
    options = body.model_dump(exclude={"features", "save"})
    job = teams.start_formation(
        settings, account, pilot_id, features=body.features, save=body.save, **options
    )
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return job


@router.post(
    "/pilots/{pilot_id}/workgroups/moves",
    response_model=teams.WorkgroupsView,
    openapi_extra=needs("workgroups.move"),
    responses=refusals(400, 403, 404, 409, 422),
)
def move_person(
    pilot_id: int, body: MoveIn, account: CurrentAccount, settings: SettingsDep
) -> teams.WorkgroupsView:
    """Move a person to another workgroup; the figures are recomputed. A move that takes
    a workgroup out of its size bounds is a 422, and nothing changes."""
    teams.move_person(settings, account, pilot_id, body.person_id, body.workgroup_id)
    return teams.workgroups_view(settings, account, pilot_id)


@router.get(
    "/pilots/{pilot_id}/cells",
    response_model=teams.CellsView,
    openapi_extra=needs("cells.read"),
    responses=refusals(403, 404, 422),
)
def cells_view(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> teams.CellsView:
    """The pilot's cells with members and the workgroups each draws from (a member: only
    their own cell)."""
    return teams.cells_view(settings, account, pilot_id)


@router.post(
    "/pilots/{pilot_id}/cells",
    response_model=teams.CellsView,
    openapi_extra=needs("cells.form"),
    responses=refusals(400, 403, 404, 409, 422),
)
def form_cells(
    pilot_id: int, body: CellsIn, account: CurrentAccount, settings: SettingsDep
) -> teams.CellsView:
    """Form and save the cells from the saved workgroups."""
    teams.form_cells_for_pilot(settings, account, pilot_id, **body.model_dump())
    return teams.cells_view(settings, account, pilot_id)
