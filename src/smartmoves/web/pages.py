"""The pages of the shell: login, the organization overview, a unit, admin users."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from smartmoves.pathway import access, organization
from smartmoves.web import charts
from smartmoves.web.session import (
    AdminAccount,
    CurrentAccount,
    SettingsDep,
    login,
    logout,
    verify_csrf,
)
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


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
def login_submit(
    request: Request,
    settings: SettingsDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str | None, Form()] = None,
    next: Annotated[str | None, Form()] = None,
) -> Response:
    verify_csrf(request, csrf)
    account = access.authenticate(settings, email, password)
    if account is None:
        context = {"next": _safe_next(next), "error": "Wrong email or password.", "email": email}
        return render(request, "login.html", context, status_code=401)
    login(request, account)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout_submit(request: Request, csrf: Annotated[str | None, Form()] = None) -> Response:
    verify_csrf(request, csrf)
    logout(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def overview_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    view = organization.overview(settings)
    chart = charts.hours_by_category_chart(view.hours_by_category)
    return render(
        request,
        "overview.html",
        {"account": account, "view": view, "chart": chart, "current_phase": "recognize"},
    )


@router.get("/units/{unit_id}")
def unit_page(
    request: Request, unit_id: str, account: CurrentAccount, settings: SettingsDep
) -> Response:
    view = organization.unit_detail(settings, unit_id)
    chart = charts.hours_by_category_chart(view.hours_by_category)
    return render(
        request,
        "unit.html",
        {"account": account, "view": view, "chart": chart, "current_phase": "recognize"},
    )


@router.get("/admin/users")
def users_page(request: Request, account: AdminAccount, settings: SettingsDep) -> Response:
    return render(
        request,
        "admin_users.html",
        {"account": account, "users": access.list_accounts(settings), "current_phase": "admin"},
    )
