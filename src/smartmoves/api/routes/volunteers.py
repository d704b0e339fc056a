"""JSON twins of the Volunteers page: the call, the applicants and the selection, the
logged-in person's own application.

Same rules as the page: everyone reads the call; admins and champions write it; admins
read applicants person by person and select; champions and supervisors read counts by
unit (suppressed below the minimum group size); members read the call and apply.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from smartmoves.errors import NotFound
from smartmoves.pathway import volunteers
from smartmoves.pathway.access import require_role
from smartmoves.web.session import AdminAccount, CurrentAccount, SettingsDep, verify_csrf

router = APIRouter(tags=["volunteers"])


class CallIn(BaseModel):
    text: str | None = Field(None, description="The call; null keeps it as it is.")
    open: bool = Field(False, description="Open the call: a draft pilot starts recruiting.")
    default: bool = Field(
        False, description="Go back to the default call, built from the pilot's opportunity."
    )


class ApplicationIn(BaseModel):
    problem: str = Field(description="The problem or opportunity to address.")
    why: str


@router.get("/pilots/{pilot_id}/volunteers", response_model=volunteers.VolunteersView)
def volunteers_view(
    pilot_id: int, request: Request, account: CurrentAccount, settings: SettingsDep
) -> volunteers.VolunteersView:
    """Applicants with their plan status and selection (admins; query parameters
    filter, see ``facets``), or counts by unit (champions, supervisors)."""
    require_role(account, "champion", "supervisor")
    filters = {k: v for k, v in request.query_params.items() if v}
    return volunteers.volunteers_view(
        settings, pilot_id, person_level=account.is_admin, filters=filters
    )


@router.put("/pilots/{pilot_id}/volunteers/selections", response_model=volunteers.VolunteersView)
def put_selections(
    pilot_id: int,
    body: list[volunteers.SelectionIn],
    request: Request,
    account: AdminAccount,
    settings: SettingsDep,
) -> volunteers.VolunteersView:
    """Select or unselect applicants (admins; send ``X-CSRF-Token``). All or nothing."""
    verify_csrf(request, None)
    return volunteers.decide(settings, pilot_id, body, actor=account.email)


@router.get("/pilots/{pilot_id}/volunteers/call", response_model=volunteers.CallView)
def get_call(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> volunteers.CallView:
    """The call for volunteers, as members read it."""
    return volunteers.call_view(settings, pilot_id)


@router.put("/pilots/{pilot_id}/volunteers/call", response_model=volunteers.CallView)
def put_call(
    pilot_id: int, body: CallIn, request: Request, account: CurrentAccount, settings: SettingsDep
) -> volunteers.CallView:
    """Write the call and/or open it (admins, champions; send ``X-CSRF-Token``)."""
    verify_csrf(request, None)
    require_role(account, "champion")
    return volunteers.save_call(
        settings,
        pilot_id,
        body.text,
        open_call=body.open,
        default=body.default,
        actor=account.email,
    )


@router.get("/pilots/{pilot_id}/application", response_model=volunteers.ApplicationView)
def get_application(
    pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> volunteers.ApplicationView:
    """The logged-in person's own application; 404 when they have none."""
    mine = (
        volunteers.my_application(settings, pilot_id, account.person_id)
        if account.person_id
        else None
    )
    if mine is None:
        raise NotFound(f"you have no application to pilot {pilot_id}")
    return mine


@router.put("/pilots/{pilot_id}/application", response_model=volunteers.ApplicationView)
def put_application(
    pilot_id: int,
    body: ApplicationIn,
    request: Request,
    account: CurrentAccount,
    settings: SettingsDep,
) -> volunteers.ApplicationView:
    """Send or update the logged-in person's application (send ``X-CSRF-Token``)."""
    verify_csrf(request, None)
    return volunteers.apply(
        settings, pilot_id, account.person_id, body.problem, body.why, actor=account.email
    )
