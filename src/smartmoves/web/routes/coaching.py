"""Coaches and charters: the pilot's Coaches page and each workgroup's page.

Coaches: admins and champions assign a frontline supervisor to each workgroup and may
update every checklist; a supervisor who coaches updates their own; members may not open
it. A workgroup's page shows its members, coach and charter (with every version); admins,
champions and its coach edit the charter, members of the workgroup read it, other members
may not open it. Forms post with HTMX and swap a fragment; without JavaScript they post
and come back to the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from smartmoves.errors import Forbidden, SmartMovesError
from smartmoves.pathway import charters, coaching
from smartmoves.pathway.access import Account, require_role
from smartmoves.settings import Settings
from smartmoves.web.session import CurrentAccount, SettingsDep, verify_csrf
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _coaches_context(
    settings: Settings, pilot_id: int, account: Account, error: str | None = None
) -> dict[str, Any]:
    return {
        "account": account,
        "view": coaching.coaches_view(settings, pilot_id),
        "may_assign": coaching.may_assign(account),
        "may_update": lambda coach_id: coaching.may_update_checklist(account, coach_id),
        "error": error,
        "current_phase": "create",
    }


def _coaches_answer(
    request: Request,
    settings: Settings,
    pilot_id: int,
    account: Account,
    error: str | None,
    status: int = 422,
) -> Response:
    """The board for HTMX (200 even with an error, so that HTMX swaps it in), else back
    to the page (or the page with the error and its status)."""
    if error is None and not _htmx(request):
        return RedirectResponse(f"/pilots/{pilot_id}/coaches", status_code=303)
    context = _coaches_context(settings, pilot_id, account, error)
    if _htmx(request):
        return render(request, "_coach_board.html", context)
    return render(request, "coaches.html", context, status_code=status)


def _change_coaches(
    request: Request,
    settings: Settings,
    pilot_id: int,
    account: Account,
    change: Callable[[], object],
) -> Response:
    """Assign or remove a coach (admins and champions), then answer with the board."""
    if not coaching.may_assign(account):
        raise Forbidden("admins and champions assign coaches")
    error, status = None, 200
    try:
        change()
    except SmartMovesError as exc:
        error, status = "; ".join(exc.lines()), exc.http_status
    return _coaches_answer(request, settings, pilot_id, account, error, status)


@router.get("/pilots/{pilot_id}/coaches")
def coaches_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    require_role(account, "champion", "supervisor")
    return render(request, "coaches.html", _coaches_context(settings, pilot_id, account))


@router.post("/pilots/{pilot_id}/coaches/assign")
def assign_coach(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    workgroup_id: Annotated[int, Form()],
    coach_id: Annotated[str, Form()],
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    verify_csrf(request, csrf)
    return _change_coaches(
        request,
        settings,
        pilot_id,
        account,
        lambda: coaching.assign_coach(
            settings, pilot_id, workgroup_id, coach_id, actor=account.email
        ),
    )


@router.post("/pilots/{pilot_id}/coaches/remove")
def remove_coach(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    workgroup_id: Annotated[int, Form()],
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    verify_csrf(request, csrf)
    return _change_coaches(
        request,
        settings,
        pilot_id,
        account,
        lambda: coaching.remove_coach(settings, pilot_id, workgroup_id, actor=account.email),
    )


@router.post("/pilots/{pilot_id}/coaches/{coach_id}/checklist")
def update_check(
    request: Request,
    pilot_id: int,
    coach_id: str,
    account: CurrentAccount,
    settings: SettingsDep,
    part: Annotated[str, Form()],
    status: Annotated[str, Form()],
    notes: Annotated[str, Form()] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    verify_csrf(request, csrf)
    coaching.require_checklist_access(account, coach_id)
    error, code = None, 200
    try:
        coaching.update_check(
            settings, pilot_id, coach_id, part, status=status, notes=notes, actor=account.email
        )
    except SmartMovesError as exc:
        error, code = "; ".join(exc.lines()), exc.http_status
    if not _htmx(request):
        return _coaches_answer(request, settings, pilot_id, account, error, code)
    context = _coaches_context(settings, pilot_id, account, error)
    context["coach"] = next((c for c in context["view"].coaches if c.person_id == coach_id), None)
    return render(request, "_coach_checklist.html", context)


def _workgroup_context(
    view: charters.WorkgroupView,
    account: Account,
    error: str | None = None,
    draft: charters.CharterContent | None = None,
) -> dict[str, Any]:
    return {
        "account": account,
        "view": view,
        "charter": view.charter,
        "draft": draft or view.charter.draft,
        "fields": charters.FIELDS,
        "error": error,
        "current_phase": "create",
    }


@router.get("/pilots/{pilot_id}/workgroups/{workgroup_id:int}")
def workgroup_page(
    request: Request,
    pilot_id: int,
    workgroup_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
) -> Response:
    view = charters.workgroup_view(settings, pilot_id, workgroup_id, account=account)
    return render(request, "workgroup.html", _workgroup_context(view, account))


@router.post("/pilots/{pilot_id}/workgroups/{workgroup_id:int}/charter")
async def save_charter(
    request: Request,
    pilot_id: int,
    workgroup_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
) -> Response:
    """Save the form as the charter's next version."""
    form = await request.form()
    verify_csrf(request, str(form.get("csrf") or "") or None)
    values: dict[str, Any] = {}
    for f in charters.FIELDS:
        text = str(form.get(f.key) or "")
        values[f.key] = text.splitlines() if f.many else text
    draft = charters.CharterContent.model_validate(values)
    error, status = None, 200
    try:
        charters.save_charter(
            settings,
            workgroup_id,
            draft,
            pilot_id=pilot_id,
            account=account,
            actor=account.email,
        )
    except Forbidden:
        raise
    except SmartMovesError as exc:
        error, status = "; ".join(exc.lines()), exc.http_status
    if error is None and not _htmx(request):
        return RedirectResponse(f"/pilots/{pilot_id}/workgroups/{workgroup_id}", status_code=303)
    view = charters.workgroup_view(settings, pilot_id, workgroup_id, account=account)
    context = _workgroup_context(view, account, error, draft if error else None)
    if _htmx(request):
        return render(request, "_charter_panel.html", context)
    return render(request, "workgroup.html", context, status_code=status)
