"""Admin pages: who may log in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from smartmoves.pathway import access
from smartmoves.web.session import AdminAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/admin/users")
def users_page(request: Request, account: AdminAccount, settings: SettingsDep) -> Response:
    return render(
        request,
        "admin_users.html",
        {"account": account, "users": access.list_accounts(settings), "current_phase": "admin"},
    )
