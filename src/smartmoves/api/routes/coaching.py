"""JSON twins of the Coaches page and of a workgroup's page with its charter.

Same rules as the pages: admins and champions assign coaches and update any checklist,
a coach updates their own; admins, champions and the workgroup's coach write its
charter, members of the workgroup read it, other members may not. Writes need the
session's CSRF token as ``X-CSRF-Token``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from smartmoves.errors import Forbidden
from smartmoves.pathway import charters, coaching
from smartmoves.pathway.access import require_role
from smartmoves.web.session import CurrentAccount, SettingsDep, verify_csrf

router = APIRouter(tags=["coaching"])


class AssignIn(BaseModel):
    workgroup_id: int
    coach_id: str


class CheckIn(BaseModel):
    status: str | None = None
    notes: str | None = None


@router.get("/pilots/{pilot_id}/coaches", response_model=coaching.CoachesView)
def coaches(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> coaching.CoachesView:
    """The workgroups with their coaches, each coach's checklist, and the candidates."""
    require_role(account, "champion", "supervisor")
    return coaching.coaches_view(settings, pilot_id)


@router.post("/pilots/{pilot_id}/coaches", response_model=coaching.CoachView)
def assign_coach(
    pilot_id: int,
    body: AssignIn,
    request: Request,
    account: CurrentAccount,
    settings: SettingsDep,
) -> coaching.CoachView:
    """Make a frontline supervisor the coach of a workgroup (at most two each): 400 when
    the person is not a supervisor or already coaches two."""
    verify_csrf(request, None)
    if not coaching.may_assign(account):
        raise Forbidden("admins and champions assign coaches")
    return coaching.assign_coach(
        settings, pilot_id, body.workgroup_id, body.coach_id, actor=account.email
    )


@router.delete(
    "/pilots/{pilot_id}/workgroups/{workgroup_id}/coach", response_model=coaching.WorkgroupCoach
)
def remove_coach(
    pilot_id: int,
    workgroup_id: int,
    request: Request,
    account: CurrentAccount,
    settings: SettingsDep,
) -> coaching.WorkgroupCoach:
    """Leave a workgroup without a coach; the coach's checklist is kept."""
    verify_csrf(request, None)
    if not coaching.may_assign(account):
        raise Forbidden("admins and champions assign coaches")
    return coaching.remove_coach(settings, pilot_id, workgroup_id, actor=account.email)


@router.put(
    "/pilots/{pilot_id}/coaches/{coach_id}/checklist/{part}", response_model=coaching.CoachView
)
def update_check(
    pilot_id: int,
    coach_id: str,
    part: str,
    body: CheckIn,
    request: Request,
    account: CurrentAccount,
    settings: SettingsDep,
) -> coaching.CoachView:
    """Change the status and/or notes of one part of a coach's checklist."""
    verify_csrf(request, None)
    coaching.require_checklist_access(account, coach_id)
    return coaching.update_check(
        settings,
        pilot_id,
        coach_id,
        part,
        status=body.status,
        notes=body.notes,
        actor=account.email,
    )


@router.get(
    "/pilots/{pilot_id}/workgroups/{workgroup_id:int}", response_model=charters.WorkgroupView
)
def workgroup(
    pilot_id: int, workgroup_id: int, account: CurrentAccount, settings: SettingsDep
) -> charters.WorkgroupView:
    """Members, coach and charter of a workgroup."""
    return charters.workgroup_view(settings, pilot_id, workgroup_id, account=account)


@router.get(
    "/pilots/{pilot_id}/workgroups/{workgroup_id:int}/charter", response_model=charters.CharterView
)
def charter(
    pilot_id: int, workgroup_id: int, account: CurrentAccount, settings: SettingsDep
) -> charters.CharterView:
    """The current charter and every version, newest first, each with what changed."""
    return charters.charter_view(settings, workgroup_id, pilot_id=pilot_id, account=account)


@router.post(
    "/pilots/{pilot_id}/workgroups/{workgroup_id:int}/charter",
    response_model=charters.CharterView,
    status_code=201,
)
def save_charter(
    pilot_id: int,
    workgroup_id: int,
    body: charters.CharterContent,
    request: Request,
    account: CurrentAccount,
    settings: SettingsDep,
) -> charters.CharterView:
    """Add the charter's next version (objective and starting problem required)."""
    verify_csrf(request, None)
    return charters.save_charter(
        settings, workgroup_id, body, pilot_id=pilot_id, account=account, actor=account.email
    )
