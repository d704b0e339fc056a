"""JSON twins of the Volunteers page: the call, the applicants and the selection, the
logged-in person's own application. The policy decides as for the page: everyone reads
the call; admins and champions write it; admins read applicants person by person and
select; champions and supervisors read counts by unit (suppressed below the minimum
group size); the people of the entry point apply. Unsafe methods need ``X-CSRF-Token``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import Field

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.bodies import Body
from smartmoves.api.kept import ViewRoute
from smartmoves.errors import NotFound
from smartmoves.pathway.create import volunteers
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["volunteers"], responses=LOGGED_IN, route_class=ViewRoute)


class CallIn(Body):
    text: str | None = Field(None, description="The call; null keeps it as it is.")
    open: bool = Field(False, description="Open the call: a draft pilot starts recruiting.")
    default: bool = Field(
        False, description="Go back to the default call, built from the pilot's opportunity."
    )


class SelectionIn(volunteers.SelectionIn, Body):
    """One decision on an applicant, its texts within the limits of every body."""


class ApplicationIn(Body):
    problem: str = Field(description="The problem or opportunity to address.")
    why: str


@router.get(
    "/pilots/{pilot_id}/volunteers",
    response_model=volunteers.VolunteersView,
    openapi_extra=needs("volunteers.read"),
    responses=refusals(400, 403, 404, 422),
)
def volunteers_view(
    pilot_id: int, request: Request, account: CurrentAccount, settings: SettingsDep
) -> volunteers.VolunteersView:
    """Applicants with their plan status and selection (admins; query parameters
    filter, see ``facets``), or counts by unit (champions, supervisors)."""
    filters = {k: v for k, v in request.query_params.items() if v}
    return volunteers.volunteers_view(settings, account, pilot_id, filters=filters)


@router.put(
    "/pilots/{pilot_id}/volunteers/selections",
    response_model=volunteers.VolunteersView,
    openapi_extra=needs("volunteers.select"),
    responses=refusals(400, 403, 404, 409, 422),
)
def put_selections(
    pilot_id: int,
    body: list[SelectionIn],
    account: CurrentAccount,
    settings: SettingsDep,
) -> volunteers.VolunteersView:
    """Select or unselect applicants (admins). All or nothing."""
    return volunteers.decide(settings, account, pilot_id, body)


@router.get(
    "/pilots/{pilot_id}/volunteers/call",
    response_model=volunteers.CallView,
    openapi_extra=needs("call.read"),
    responses=refusals(403, 404, 422),
)
def get_call(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> volunteers.CallView:
    """The call for volunteers, as members read it."""
    return volunteers.call_view(settings, account, pilot_id)


@router.put(
    "/pilots/{pilot_id}/volunteers/call",
    response_model=volunteers.CallView,
    openapi_extra=needs("call.write"),
    responses=refusals(400, 403, 404, 409, 422),
)
def put_call(
    pilot_id: int, body: CallIn, account: CurrentAccount, settings: SettingsDep
) -> volunteers.CallView:
    """Write the call and/or open it (admins, champions)."""
    return volunteers.save_call(
        settings, account, pilot_id, body.text, open_call=body.open, default=body.default
    )


@router.get(
    "/pilots/{pilot_id}/application",
    response_model=volunteers.ApplicationView,
    openapi_extra=needs("call.read"),
    responses=refusals(403, 404, 422),
)
def get_application(
    pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> volunteers.ApplicationView:
    """The logged-in person's own application; 404 when they have none."""
    mine = volunteers.my_application(settings, account, pilot_id)
    if mine is None:
        raise NotFound(f"you have no application to pilot {pilot_id}")
    return mine


@router.put(
    "/pilots/{pilot_id}/application",
    response_model=volunteers.ApplicationView,
    openapi_extra=needs("application.send"),
    responses=refusals(400, 403, 404, 409, 422),
)
def put_application(
    pilot_id: int, body: ApplicationIn, account: CurrentAccount, settings: SettingsDep
) -> volunteers.ApplicationView:
    """Send or update the logged-in person's application."""
    return volunteers.apply(settings, account, pilot_id, body.problem, body.why)
