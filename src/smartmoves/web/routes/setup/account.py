"""The account page: where you are logged in, and logging out everywhere."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from smartmoves.pathway.setup import logins
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, CurrentSession, SettingsDep, end_login, now
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/account", openapi_extra=needs("account.sessions"))
def account_page(request: Request, session: CurrentSession, settings: SettingsDep) -> Response:
    view = logins.sessions_view(settings, session.account, session.key, now=now(request))
    context = {"account": session.account, "view": view, "current_phase": "account"}
    return render(request, "setup/account.html", context)


@router.post("/account/logout-everywhere", openapi_extra=needs("account.sessions"))
def logout_everywhere(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    logins.log_out_everywhere(settings, account)
    response = RedirectResponse("/login?notice=everywhere", status_code=303)
    end_login(request, response)
    return response
