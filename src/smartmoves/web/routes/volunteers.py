"""Volunteers of a pilot: the call, the application form and the admin's selection.

Everyone reads the call. Admins and champions write it and open it; members of the entry
point apply (a second application updates the first). Admins select among the applicants
with filters; champions and supervisors read counts by unit. Selection posts with HTMX
and swaps the table; without JavaScript the same form posts and comes back to the page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway import volunteers
from smartmoves.pathway.access import Account, require_role
from smartmoves.settings import Settings
from smartmoves.web.session import AdminAccount, CurrentAccount, SettingsDep, verify_csrf
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)

AGGREGATE_ROLES = ("champion", "supervisor")


def _filters(request: Request) -> dict[str, str]:
    """The selection screen's filters: every non-empty query parameter."""
    return {k: v for k, v in request.query_params.items() if v}


def _context(
    request: Request,
    settings: Settings,
    pilot_id: int,
    account: Account,
    *,
    filters: dict[str, str] | None = None,
    error: str | None = None,
    draft: str | None = None,
) -> dict[str, Any]:
    if account.is_admin or account.role in AGGREGATE_ROLES:
        view = volunteers.volunteers_view(
            settings, pilot_id, person_level=account.is_admin, filters=filters
        )
        call = view.call
    else:
        view, call = None, volunteers.call_view(settings, pilot_id)
    mine = (
        volunteers.my_application(settings, pilot_id, account.person_id)
        if account.person_id and call.unit_id
        else None
    )
    return {
        "account": account,
        "call": call,
        "view": view,
        "mine": mine,
        "may_write_call": account.is_admin or account.role == "champion",
        "draft": call.text if draft is None else draft,
        "error": error,
        "current_phase": "create",
    }


@router.get("/pilots/{pilot_id}/volunteers")
def volunteers_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    context = _context(request, settings, pilot_id, account, filters=_filters(request))
    return render(request, "volunteers.html", context)


@router.post("/pilots/{pilot_id}/volunteers/call")
def save_call(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    text: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "save",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Save the call (``action=open``: and open it; ``default``: the default text)."""
    verify_csrf(request, csrf)
    require_role(account, "champion")
    default = action == "default"
    try:
        volunteers.save_call(
            settings,
            pilot_id,
            None if default else text,
            open_call=action == "open",
            default=default,
            actor=account.email,
        )
    except SmartMovesError as exc:
        context = _context(
            request, settings, pilot_id, account, error="; ".join(exc.lines()), draft=text
        )
        return render(request, "volunteers.html", context, status_code=exc.http_status)
    return RedirectResponse(f"/pilots/{pilot_id}/volunteers", status_code=303)


@router.post("/pilots/{pilot_id}/volunteers/select")
def select(
    request: Request,
    pilot_id: int,
    account: AdminAccount,
    settings: SettingsDep,
    person_id: Annotated[list[str], Form()],
    action: Annotated[str, Form()] = "select",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Select (``action=select``) or unselect (``unselect``) the ticked applicants."""
    verify_csrf(request, csrf)
    status = "not_selected" if action == "unselect" else "selected"
    error = None
    try:
        volunteers.decide(
            settings,
            pilot_id,
            [volunteers.SelectionIn(person_id=p, status=status) for p in person_id],
            actor=account.email,
        )
    except SmartMovesError as exc:
        error = "; ".join(exc.lines())
    htmx = request.headers.get("hx-request") == "true"
    if error is None and not htmx:
        return RedirectResponse(f"/pilots/{pilot_id}/volunteers", status_code=303)
    context = _context(request, settings, pilot_id, account, filters=_filters(request), error=error)
    if htmx:  # 200 even with an error, so that HTMX swaps the message in
        return render(request, "_volunteers_selected.html", context)
    return render(request, "volunteers.html", context, status_code=422)


@router.get("/pilots/{pilot_id}/apply")
def apply_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    context = _context(request, settings, pilot_id, account)
    mine = context["mine"]
    form = {"problem": mine.problem, "why": mine.why} if mine and mine.source == "web" else {}
    return render(request, "apply.html", context | {"form": form})


@router.post("/pilots/{pilot_id}/apply")
def apply(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    problem: Annotated[str, Form()] = "",
    why: Annotated[str, Form()] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Send (or update) the logged-in person's application."""
    verify_csrf(request, csrf)
    try:
        volunteers.apply(settings, pilot_id, account.person_id, problem, why, actor=account.email)
    except SmartMovesError as exc:
        context = _context(request, settings, pilot_id, account, error="; ".join(exc.lines()))
        context["form"] = {"problem": problem, "why": why}
        return render(request, "apply.html", context, status_code=exc.http_status)
    return RedirectResponse(f"/pilots/{pilot_id}/apply?sent=1", status_code=303)
