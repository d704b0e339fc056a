"""The Workgroups and Cells pages of a pilot.

Admins form the workgroups (number or size, bounds, features, seed), move people
between them (HTMX swaps the groups with the figures recomputed) and form the cells.
Champions and supervisors see every workgroup and cell with its members (the pilot's
staffing, not a network figure); members see only their own workgroup and cell.
Each workgroup's own page (charter, coach) is the coaching module's.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway import cells, workgroups
from smartmoves.pathway.access import Account, require_role
from smartmoves.pathway.workgroups_files import DEFAULT_FEATURES, assignment_from_text
from smartmoves.settings import Settings
from smartmoves.web import charts_teams
from smartmoves.web.session import AdminAccount, CurrentAccount, SettingsDep, verify_csrf
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)
EVERYONE = ("champion", "supervisor", "member")


def _number(text: str | None) -> int | None:
    """An optional whole number from a form field (blank means not given)."""
    text = (text or "").strip()
    return int(text) if text.lstrip("-").isdecimal() else None


def _context(
    settings: Settings, pilot_id: int, account: Account, error: str | None = None
) -> dict[str, Any]:
    view = workgroups.workgroups_view(settings, pilot_id, account)
    checked = view.features or [f for f in DEFAULT_FEATURES if f in view.available_features]
    return {
        "checked": checked,
        "account": account,
        "view": view,
        "chart": charts_teams.diversity_chart(view.figures),
        "default_groups": workgroups.default_groups(view.volunteers, 3),
        "error": error,
        "current_phase": "create",
    }


@router.get("/pilots/{pilot_id}/workgroups")
def workgroups_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    require_role(account, *EVERYONE)
    return render(request, "workgroups.html", _context(settings, pilot_id, account))


@router.post("/pilots/{pilot_id}/workgroups/form")
def form_workgroups(
    request: Request,
    pilot_id: int,
    account: AdminAccount,
    settings: SettingsDep,
    groups: Annotated[str | None, Form()] = None,
    size: Annotated[str | None, Form()] = None,
    min_size: Annotated[int, Form(ge=1)] = 3,
    max_size: Annotated[int, Form(ge=1)] = 15,
    features: Annotated[list[str] | None, Form()] = None,
    keep_together: Annotated[str, Form()] = "",
    apart: Annotated[str, Form()] = "",
    balance: Annotated[str, Form()] = "",
    fixed: Annotated[str, Form()] = "",
    existing: Annotated[str, Form()] = "",
    seed: Annotated[int, Form()] = 0,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Form and save the workgroups of the selected volunteers; back to the page."""
    verify_csrf(request, csrf)
    count, width = _number(groups), _number(size)
    try:
        workgroups.form_for_pilot(
            settings,
            pilot_id,
            features=features or None,
            groups=count,
            size=width if count is None else None,
            min_size=min_size,
            max_size=max_size,
            seed=seed,
            actor=account.email,
            keep_together=keep_together or None,
            apart=apart or None,
            balance=balance or None,
            fixed=assignment_from_text(fixed, "fixed"),
            existing=assignment_from_text(existing, "existing"),
        )
    except SmartMovesError as exc:
        context = _context(settings, pilot_id, account, "; ".join(exc.lines()))
        return render(request, "workgroups.html", context, status_code=exc.http_status)
    return RedirectResponse(f"/pilots/{pilot_id}/workgroups", status_code=303)


@router.post("/pilots/{pilot_id}/workgroups/move")
def move_person(
    request: Request,
    pilot_id: int,
    account: AdminAccount,
    settings: SettingsDep,
    person_id: Annotated[str, Form()],
    workgroup_id: Annotated[int, Form()],
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Move a person; HTMX gets the groups fragment, with the error when refused."""
    verify_csrf(request, csrf)
    htmx = request.headers.get("hx-request") == "true"
    error, status = None, 200
    try:
        workgroups.move_person(settings, pilot_id, person_id, workgroup_id, actor=account.email)
    except SmartMovesError as exc:
        error, status = "; ".join(exc.lines()), exc.http_status
    if htmx:  # 200 so that HTMX swaps the fragment in, error and all
        return render(
            request, "_workgroups_groups.html", _context(settings, pilot_id, account, error)
        )
    if error is None:
        return RedirectResponse(f"/pilots/{pilot_id}/workgroups", status_code=303)
    context = _context(settings, pilot_id, account, error)
    return render(request, "workgroups.html", context, status_code=status)


def _cells_context(
    settings: Settings, pilot_id: int, account: Account, error: str | None = None
) -> dict[str, Any]:
    return {
        "account": account,
        "view": cells.cells_view(settings, pilot_id, account),
        "error": error,
        "current_phase": "create",
    }


@router.get("/pilots/{pilot_id}/cells")
def cells_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    require_role(account, *EVERYONE)
    return render(request, "cells.html", _cells_context(settings, pilot_id, account))


@router.post("/pilots/{pilot_id}/cells/form")
def form_cells(
    request: Request,
    pilot_id: int,
    account: AdminAccount,
    settings: SettingsDep,
    min_size: Annotated[int, Form(ge=1)] = 5,
    max_size: Annotated[int, Form(ge=1)] = 15,
    seed: Annotated[int, Form()] = 0,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Form and save the cells from the saved workgroups; back to the page."""
    verify_csrf(request, csrf)
    try:
        cells.form_cells_for_pilot(
            settings, pilot_id, min_size=min_size, max_size=max_size, seed=seed, actor=account.email
        )
    except SmartMovesError as exc:
        context = _cells_context(settings, pilot_id, account, "; ".join(exc.lines()))
        return render(request, "cells.html", context, status_code=exc.http_status)
    return RedirectResponse(f"/pilots/{pilot_id}/cells", status_code=303)
