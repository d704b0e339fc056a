"""JSON twins of the Coaches page and of a workgroup's page with its charter.

The policy decides as for the pages: admins and champions assign coaches and update any
checklist, a coach updates their own; admins, champions and the workgroup's coach write
its charter, members of the workgroup read it, other members may not. Writes need the
session's CSRF token as ``X-CSRF-Token``. A charter sent with ``base_version`` is refused
(409) when someone saved a newer version meanwhile.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

import smartmoves.web.paths  # noqa: F401 - registers the {name:id} convertor used below
from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.bodies import Body
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.create import coaching
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["coaching"], responses=LOGGED_IN, route_class=ViewRoute)


class AssignIn(Body):
    workgroup_id: int
    coach_id: str


class CheckIn(Body):
    status: str | None = None
    notes: str | None = None


class CharterIn(coaching.CharterContent, Body):
    """The charter's fields, and the version they were written from."""

    base_version: int | None = Field(
        None,
        description="The version this text starts from (0: no charter yet, as `version` "
        "in the charter's GET says). A newer saved version is a 409 and nothing is "
        "overwritten; leave it out to save on top of whatever is current.",
    )


@router.get(
    "/pilots/{pilot_id}/coaches",
    response_model=coaching.CoachesView,
    openapi_extra=needs("coaches.read"),
    responses=refusals(403, 404, 422),
)
def coaches(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> coaching.CoachesView:
    """The workgroups with their coaches, each coach's checklist, and the candidates."""
    return coaching.coaches_view(settings, account, pilot_id)


@router.post(
    "/pilots/{pilot_id}/coaches",
    response_model=coaching.CoachView,
    openapi_extra=needs("coaches.assign"),
    responses=refusals(400, 403, 404, 409, 422),
)
def assign_coach(
    pilot_id: int, body: AssignIn, account: CurrentAccount, settings: SettingsDep
) -> coaching.CoachView:
    """Make a frontline supervisor the coach of a workgroup (at most two each): 400 when
    the person is not a supervisor or already coaches two."""
    return coaching.assign_coach(settings, account, pilot_id, body.workgroup_id, body.coach_id)


@router.delete(
    "/pilots/{pilot_id}/workgroups/{workgroup_id}/coach",
    response_model=coaching.WorkgroupCoach,
    openapi_extra=needs("coaches.assign"),
    responses=refusals(403, 404, 409, 422),
)
def remove_coach(
    pilot_id: int, workgroup_id: int, account: CurrentAccount, settings: SettingsDep
) -> coaching.WorkgroupCoach:
    """Leave a workgroup without a coach; the coach's checklist is kept."""
    return coaching.remove_coach(settings, account, pilot_id, workgroup_id)


@router.put(
    "/pilots/{pilot_id}/coaches/{coach_id}/checklist/{part}",
    response_model=coaching.CoachView,
    openapi_extra=needs("checklist.update"),
    responses=refusals(400, 403, 404, 409, 422),
)
def update_check(
    pilot_id: int,
    coach_id: str,
    part: str,
    body: CheckIn,
    account: CurrentAccount,
    settings: SettingsDep,
) -> coaching.CoachView:
    """Change the status and/or notes of one part of a coach's checklist."""
    return coaching.update_check(
        settings, account, pilot_id, coach_id, part, status=body.status, notes=body.notes
    )


@router.get(
    "/pilots/{pilot_id}/workgroups/{workgroup_id:id}",
    response_model=coaching.WorkgroupView,
    openapi_extra=needs("workgroup.read"),
    responses=refusals(403, 404, 422),
)
def workgroup(
    pilot_id: int, workgroup_id: int, account: CurrentAccount, settings: SettingsDep
) -> coaching.WorkgroupView:
    """Members, coach and charter of a workgroup."""
    return coaching.workgroup_view(settings, account, pilot_id, workgroup_id)


@router.get(
    "/pilots/{pilot_id}/workgroups/{workgroup_id:id}/charter",
    response_model=coaching.CharterView,
    openapi_extra=needs("workgroup.read"),
    responses=refusals(403, 404, 422),
)
def charter(
    pilot_id: int, workgroup_id: int, account: CurrentAccount, settings: SettingsDep
) -> coaching.CharterView:
    """The current charter and every version, newest first, each with what changed."""
    return coaching.charter_view(settings, account, workgroup_id, pilot_id=pilot_id)


@router.post(
    "/pilots/{pilot_id}/workgroups/{workgroup_id:id}/charter",
    response_model=coaching.CharterView,
    status_code=201,
    openapi_extra=needs("charter.edit"),
    responses=refusals(400, 403, 404, 409, 422),
)
def save_charter(
    pilot_id: int,
    workgroup_id: int,
    body: CharterIn,
    account: CurrentAccount,
    settings: SettingsDep,
) -> coaching.CharterView:
    """Add the charter's next version (objective and starting problem required)."""
    content = coaching.CharterContent.model_validate(body.model_dump(exclude={"base_version"}))
    return coaching.save_charter(
        settings,
        account,
        workgroup_id,
        content,
        pilot_id=pilot_id,
        base_version=body.base_version,
    )
