"""JSON twins of the pilot pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from smartmoves.pathway import pilots
from smartmoves.web.session import AdminAccount, CurrentAccount, SettingsDep, verify_csrf

router = APIRouter(tags=["pilots"])


class PilotIn(BaseModel):
    name: str
    unit_id: str | None = None
    opportunity: str | None = None
    target_free: float = Field(0.75, gt=0, le=1)
    min_pilot: int = Field(15, ge=1)
    max_pilot: int = Field(60, ge=1)


@router.get("/pilots", response_model=list[pilots.PilotView])
def list_pilots(account: CurrentAccount, settings: SettingsDep) -> list[pilots.PilotView]:
    """Every pilot."""
    return pilots.list_pilots(settings)


@router.post("/pilots", response_model=pilots.PilotView, status_code=201)
def create_pilot(
    body: PilotIn, request: Request, account: AdminAccount, settings: SettingsDep
) -> pilots.PilotView:
    """Create a pilot (admins; send the session's CSRF token as ``X-CSRF-Token``)."""
    verify_csrf(request, None)
    return pilots.create_pilot(
        settings,
        body.name,
        unit_id=body.unit_id,
        opportunity=body.opportunity,
        target_free=body.target_free,
        min_pilot=body.min_pilot,
        max_pilot=body.max_pilot,
        actor=account.email,
    )


@router.get("/pilots/{pilot_id}", response_model=pilots.PilotView)
def get_pilot(pilot_id: int, account: CurrentAccount, settings: SettingsDep) -> pilots.PilotView:
    """One pilot."""
    return pilots.get_pilot(settings, pilot_id)
