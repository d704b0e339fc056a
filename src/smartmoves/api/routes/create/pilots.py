"""JSON twins of the pilot pages."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.bodies import Body
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway import pilots
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["pilots"], responses=LOGGED_IN, route_class=ViewRoute)


class PilotIn(Body):
    name: str
    unit_id: str | None = None
    opportunity: str | None = None
    target_free: float = Field(0.75, gt=0, le=1)
    min_pilot: int = Field(15, ge=1)
    max_pilot: int = Field(60, ge=1)


class StatusIn(Body):
    status: str


@router.get("/pilots", response_model=list[pilots.PilotView], openapi_extra=needs("pilot.list"))
def list_pilots(account: CurrentAccount, settings: SettingsDep) -> list[pilots.PilotView]:
    """Every pilot the account may read (members never see a draft)."""
    return pilots.list_pilots(settings, account)


@router.post(
    "/pilots",
    response_model=pilots.PilotView,
    status_code=201,
    openapi_extra=needs("pilot.create"),
    responses=refusals(400, 403, 409, 422),
)
def create_pilot(body: PilotIn, account: CurrentAccount, settings: SettingsDep) -> pilots.PilotView:
    """Create a pilot (admins, champions; send the session's CSRF token as ``X-CSRF-Token``)."""
    return pilots.create_pilot(
        settings,
        account,
        body.name,
        unit_id=body.unit_id,
        opportunity=body.opportunity,
        target_free=body.target_free,
        min_pilot=body.min_pilot,
        max_pilot=body.max_pilot,
    )


@router.get(
    "/pilots/{pilot_id}",
    response_model=pilots.PilotView,
    openapi_extra=needs("pilot.read"),
    responses=refusals(403, 404, 422),
)
def get_pilot(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> pilots.PilotView:
    """One pilot."""
    return pilots.get_pilot(settings, account, pilot_id)


@router.put(
    "/pilots/{pilot_id}/status",
    response_model=pilots.PilotView,
    openapi_extra=needs("pilot.status"),
    responses=refusals(400, 403, 404, 409, 422),
)
def put_status(
    pilot_id: int, body: StatusIn, account: CurrentAccount, settings: SettingsDep
) -> pilots.PilotView:
    """Set the pilot's status (admins, champions; send ``X-CSRF-Token``)."""
    return pilots.set_pilot_status(settings, account, pilot_id, body.status)
