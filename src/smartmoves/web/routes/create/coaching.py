"""Coaches and charters: the pilot's Coaches page and each workgroup's page.

What each role reads and may do is the policy's: admins and champions assign a frontline
supervisor to each workgroup and may update every checklist; a supervisor who coaches
updates their own; members may not open the Coaches page. A workgroup's page shows its
members, coach and charter (with every version); admins, champions and its coach edit
the charter, members of the workgroup read it, other members may not open it. Forms post
with HTMX and swap a fragment (a refusal is shown at the form with its status); without
JavaScript they post and come back to the page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

import smartmoves.web.paths  # noqa: F401 - registers the {name:id} convertor used below
from smartmoves.errors import Conflict, Forbidden, SmartMovesError
from smartmoves.pathway.act import insights
from smartmoves.pathway.create import coaching
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings
from smartmoves.web import htmx
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


def _coaches_context(
    settings: Settings, account: Account, pilot_id: int, error: SmartMovesError | None = None
) -> dict[str, Any]:
    return {
        "account": account,
        "view": coaching.coaches_view(settings, account, pilot_id),
        "error": "; ".join(error.lines()) if error else None,
        "current_phase": "create",
    }


def _coaches_page(request: Request, settings: Settings, account: Account, pilot_id: int) -> Any:
    """The Coaches page again with the error, for a plain form that was refused."""

    def page(exc: SmartMovesError) -> Response:
        context = _coaches_context(settings, account, pilot_id, exc)
        return render(request, "create/coaches.html", context, status_code=exc.http_status)

    return page


def _board(request: Request, settings: Settings, account: Account, pilot_id: int) -> Response:
    context = _coaches_context(settings, account, pilot_id)
    return render(request, "create/_coach_board.html", context)


@router.get("/pilots/{pilot_id}/coaches", openapi_extra=needs("coaches.read"))
def coaches_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    context = _coaches_context(settings, account, pilot_id)
    return render(request, "create/coaches.html", context)


@router.post("/pilots/{pilot_id}/coaches/assign", openapi_extra=needs("coaches.assign"))
def assign_coach(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    workgroup_id: Annotated[int, Form()],
    coach_id: Annotated[str, Form()],
) -> Response:
    return htmx.act(
        request,
        lambda: coaching.assign_coach(settings, account, pilot_id, workgroup_id, coach_id),
        done=f"/pilots/{pilot_id}/coaches",
        fragment=lambda: _board(request, settings, account, pilot_id),
        page=_coaches_page(request, settings, account, pilot_id),
    )


@router.post("/pilots/{pilot_id}/coaches/remove", openapi_extra=needs("coaches.assign"))
def remove_coach(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    workgroup_id: Annotated[int, Form()],
) -> Response:
    return htmx.act(
        request,
        lambda: coaching.remove_coach(settings, account, pilot_id, workgroup_id),
        done=f"/pilots/{pilot_id}/coaches",
        fragment=lambda: _board(request, settings, account, pilot_id),
        page=_coaches_page(request, settings, account, pilot_id),
    )


@router.post(
    "/pilots/{pilot_id}/coaches/{coach_id}/checklist", openapi_extra=needs("checklist.update")
)
def update_check(
    request: Request,
    pilot_id: int,
    coach_id: str,
    account: CurrentAccount,
    settings: SettingsDep,
    part: Annotated[str, Form()],
    status: Annotated[str, Form()],
    notes: Annotated[str, Form()] = "",
) -> Response:
    def checklist() -> Response:
        context = _coaches_context(settings, account, pilot_id)
        coaches = context["view"].coaches
        context["coach"] = next((c for c in coaches if c.person_id == coach_id), None)
        return render(request, "create/_coach_checklist.html", context)

    return htmx.act(
        request,
        lambda: coaching.update_check(
            settings, account, pilot_id, coach_id, part, status=status, notes=notes
        ),
        done=f"/pilots/{pilot_id}/coaches",
        fragment=checklist,
        page=_coaches_page(request, settings, account, pilot_id),
    )


def _workgroup_context(
    view: coaching.WorkgroupView,
    account: Account,
    *,
    error: SmartMovesError | None = None,
    draft: coaching.CharterContent | None = None,
    base_version: int | None = None,
    flags: insights.WorkgroupFlags | None = None,
) -> dict[str, Any]:
    return {
        "flags": flags,
        "account": account,
        "view": view,
        "charter": view.charter,
        "draft": draft or view.charter.draft,
        "base_version": view.charter.version if base_version is None else base_version,
        "fields": coaching.FIELDS,
        "error": "; ".join(error.lines()) if error else None,
        "current_phase": "create",
    }


@router.get(
    "/pilots/{pilot_id}/workgroups/{workgroup_id:id}", openapi_extra=needs("workgroup.read")
)
def workgroup_page(
    request: Request,
    pilot_id: int,
    workgroup_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
) -> Response:
    view = coaching.workgroup_view(settings, account, pilot_id, workgroup_id)
    context = _workgroup_context(view, account, flags=_flags(settings, account, workgroup_id))
    return render(request, "create/workgroup.html", context)


def _flags(
    settings: Settings, account: Account, workgroup_id: int
) -> insights.WorkgroupFlags | None:
    """The workgroup's flags to discuss, for those who may read them (``insights.read``);
    the page shows without them for the others who may read the workgroup."""
    try:
        return insights.workgroup_flags(settings, account, workgroup_id)
    except Forbidden:
        return None


async def _charter_form(request: Request) -> coaching.CharterContent:
    """The charter's fields as the form sent them (a list field: one item per line)."""
    form = await request.form()
    values: dict[str, Any] = {}
    for f in coaching.FIELDS:
        text = str(form.get(f.key) or "")
        values[f.key] = text.splitlines() if f.many else text
    return coaching.CharterContent.model_validate(values)


@router.post(
    "/pilots/{pilot_id}/workgroups/{workgroup_id:id}/charter",
    openapi_extra=needs("charter.edit"),
)
def save_charter(
    request: Request,
    pilot_id: int,
    workgroup_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    draft: Annotated[coaching.CharterContent, Depends(_charter_form)],
    base_version: Annotated[int | None, Form()] = None,
) -> Response:
    """Save the form as the charter's next version, unless a newer one was saved since
    the form was opened (``base_version``)."""

    def charter_panel() -> Response:
        view = coaching.workgroup_view(settings, account, pilot_id, workgroup_id)
        return render(request, "create/_charter_panel.html", _workgroup_context(view, account))

    def again(exc: SmartMovesError) -> Response:
        # The user's text stays in the form. After a conflict the page shows the newer
        # version above it, so saving again is a choice made knowing it; after any other
        # refusal the form keeps the version it was based on.
        view = coaching.workgroup_view(settings, account, pilot_id, workgroup_id)
        base = None if isinstance(exc, Conflict) else base_version
        context = _workgroup_context(
            view,
            account,
            error=exc,
            draft=draft,
            base_version=base,
            flags=_flags(settings, account, workgroup_id),
        )
        return render(request, "create/workgroup.html", context, status_code=exc.http_status)

    return htmx.act(
        request,
        lambda: coaching.save_charter(
            settings,
            account,
            workgroup_id,
            draft,
            pilot_id=pilot_id,
            base_version=base_version,
        ),
        done=f"/pilots/{pilot_id}/workgroups/{workgroup_id}",
        fragment=charter_panel,
        page=again,
    )
