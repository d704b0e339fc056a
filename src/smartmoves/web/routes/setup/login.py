"""Logging in and out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from smartmoves.pathway.setup import users
from smartmoves.web.permissions import needs
from smartmoves.web.session import SettingsDep, login, logout
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a login link must not send anyone elsewhere."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", openapi_extra=needs(None))
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "setup/login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", openapi_extra=needs(None))
def login_submit(
    request: Request,
    settings: SettingsDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    account = users.authenticate(settings, email, password)
    if account is None:
        context = {"next": _safe_next(next), "error": "Wrong email or password.", "email": email}
        return render(request, "setup/login.html", context, status_code=401)
    login(request, account)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", openapi_extra=needs(None))
def logout_submit(request: Request) -> Response:
    logout(request)
    return RedirectResponse("/login", status_code=303)
