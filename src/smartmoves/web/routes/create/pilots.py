"""Pilots: the list, a new pilot (admins, champions), and a pilot's page with its steps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway import pilots
from smartmoves.pathway.policy import Account, may
from smartmoves.pathway.recognize import organization
from smartmoves.settings import Settings
from smartmoves.web import htmx
from smartmoves.web.navigation import pilot_sections
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


def _list_page(
    request: Request,
    account: Account,
    settings: Settings,
    *,
    error: SmartMovesError | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    units = organization.overview(settings, account).units if may(account, "pilot.create") else []
    return render(
        request,
        "create/pilots.html",
        {
            "account": account,
            "pilots": pilots.list_pilots(settings, account),
            "units": units,
            "error": error.message if error else None,
            "form": form or {},
            "current_phase": "create",
        },
        status_code=error.http_status if error else 200,
    )


@router.get("/pilots", openapi_extra=needs("pilot.list"))
def pilots_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    return _list_page(request, account, settings)


@router.post("/pilots", openapi_extra=needs("pilot.create"))
def create_pilot(
    request: Request,
    account: CurrentAccount,
    settings: SettingsDep,
    name: Annotated[str, Form()],
    unit_id: Annotated[str, Form()] = "",
    opportunity: Annotated[str, Form()] = "",
) -> Response:
    form = {"name": name, "unit_id": unit_id, "opportunity": opportunity}
    return htmx.act(
        request,
        lambda: pilots.create_pilot(
            settings, account, name, unit_id=unit_id or None, opportunity=opportunity
        ),
        done=lambda pilot: f"/pilots/{pilot.id}",
        page=lambda exc: _list_page(request, account, settings, error=exc, form=form),
    )


@router.get("/pilots/{pilot_id}", openapi_extra=needs("pilot.read"))
def pilot_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    pilot = pilots.get_pilot(settings, account, pilot_id)
    return render(
        request,
        "create/pilot.html",
        {
            "account": account,
            "pilot": pilot,
            "sections": pilot_sections(account, pilot.id),
            "current_phase": "create",
        },
    )


@router.post("/pilots/{pilot_id}/status", openapi_extra=needs("pilot.status"))
def pilot_status(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    status: Annotated[str, Form()],
) -> Response:
    return htmx.act(
        request,
        lambda: pilots.set_pilot_status(settings, account, pilot_id, status),
        done=f"/pilots/{pilot_id}",
    )
