"""Pilots: the list, a new pilot (admins), and a pilot's page with its steps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway import organization, pilots
from smartmoves.pathway.access import Account
from smartmoves.settings import Settings
from smartmoves.web.navigation import pilot_sections
from smartmoves.web.session import AdminAccount, CurrentAccount, SettingsDep, verify_csrf
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


def _list_page(
    request: Request,
    account: Account,
    settings: Settings,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "pilots.html",
        {
            "account": account,
            "pilots": pilots.list_pilots(settings),
            "units": organization.overview(settings).units if account.is_admin else [],
            "error": error,
            "form": form or {},
            "current_phase": "create",
        },
        status_code=422 if error else 200,
    )


@router.get("/pilots")
def pilots_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    return _list_page(request, account, settings)


@router.post("/pilots")
def create_pilot(
    request: Request,
    account: AdminAccount,
    settings: SettingsDep,
    name: Annotated[str, Form()],
    unit_id: Annotated[str, Form()] = "",
    opportunity: Annotated[str, Form()] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    verify_csrf(request, csrf)
    try:
        pilot = pilots.create_pilot(
            settings, name, unit_id=unit_id or None, opportunity=opportunity, actor=account.email
        )
    except SmartMovesError as exc:
        form = {"name": name, "unit_id": unit_id, "opportunity": opportunity}
        return _list_page(request, account, settings, error=exc.message, form=form)
    return RedirectResponse(f"/pilots/{pilot.id}", status_code=303)


@router.get("/pilots/{pilot_id}")
def pilot_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    pilot = pilots.get_pilot(settings, pilot_id)
    return render(
        request,
        "pilot.html",
        {
            "account": account,
            "pilot": pilot,
            "sections": pilot_sections(account, pilot.id),
            "current_phase": "create",
        },
    )


@router.post("/pilots/{pilot_id}/status")
def pilot_status(
    request: Request,
    pilot_id: int,
    account: AdminAccount,
    settings: SettingsDep,
    status: Annotated[str, Form()],
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    verify_csrf(request, csrf)
    pilots.set_pilot_status(settings, pilot_id, status, actor=account.email)
    return RedirectResponse(f"/pilots/{pilot_id}", status_code=303)
