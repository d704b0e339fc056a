"""Logging in and out.

The login is ``async``: its password check runs on the app's own small pool
(:class:`smartmoves.web.session.PasswordChecks`), so logins waiting their turn hold no
thread that serves pages.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from smartmoves.errors import TooManyAttempts
from smartmoves.pathway.setup import logins
from smartmoves.web.permissions import needs
from smartmoves.web.session import (
    SESSION_COOKIE,
    SettingsDep,
    client_address,
    end_login,
    now,
    start_login,
)
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)

# What the login page may say on arrival; a query names one, never the words themselves.
NOTICES = {
    "everywhere": "You are logged out everywhere: every session of yours has ended.",
}
WRONG = "Wrong email or password."


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a login link must not send anyone elsewhere."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target:  # browsers read "/\\evil.example" as another site
        return "/"
    return target


@router.get("/login", openapi_extra=needs(None))
def login_page(request: Request, next: str | None = None, notice: str | None = None) -> Response:
    context = {"next": _safe_next(next), "error": None, "notice": NOTICES.get(notice or "")}
    return render(request, "setup/login.html", context)


@router.post("/login", openapi_extra=needs(None))
async def login_submit(
    request: Request,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    address, moment = client_address(request), now(request)
    context = {"next": _safe_next(next), "email": email, "notice": None}
    try:
        # A locked email or address is refused before it waits for a password check.
        await run_in_threadpool(logins.check_throttle, settings, email, address, now=moment)
        login = await request.app.state.passwords.run(
            logins.log_in,
            settings,
            email,
            password,
            address=address,
            user_agent=request.headers.get("user-agent"),
            replacing=request.cookies.get(SESSION_COOKIE),
            now=moment,
        )
    except TooManyAttempts as exc:
        refused = render(
            request, "setup/login.html", context | {"error": exc.message}, status_code=429
        )
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    if login is None:
        return render(request, "setup/login.html", context | {"error": WRONG}, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    start_login(request, response, login)
    return response


@router.post("/logout", openapi_extra=needs(None))
def logout_submit(request: Request, settings: SettingsDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    logins.log_out(settings, token, address=client_address(request))
    response = RedirectResponse("/login", status_code=303)
    end_login(request, response)
    return response
