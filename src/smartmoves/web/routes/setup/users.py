"""The users page: who may log in, and with which role (admins)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from smartmoves.pathway.setup import users
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/admin/users", openapi_extra=needs("users.manage"))
def users_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    return render(
        request,
        "setup/admin_users.html",
        {
            "account": account,
            "users": users.list_users(settings, account),
            "current_phase": "admin",
        },
    )
