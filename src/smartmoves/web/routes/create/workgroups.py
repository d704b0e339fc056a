"""The Workgroups and Cells pages of a pilot.

What each role reads and may do is the policy's: admins form the workgroups (number or
size, bounds, features, seed), move people between them and form the cells; champions
and supervisors see every workgroup and cell with its members (the pilot's staffing,
not a network figure); members see only their own workgroup and cell. The forms post
with HTMX (the page's content, or the groups after a move, is swapped in; a refusal is
shown at the form with its status); without JavaScript they post and come back to the
page. Each workgroup's own page (charter, coach) is the coaching module's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway.create import teams
from smartmoves.pathway.create.teams.files import DEFAULT_FEATURES
from smartmoves.pathway.policy import Account, may
from smartmoves.settings import Settings
from smartmoves.web import charts_teams, htmx
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


def _form(view: teams.WorkgroupsView) -> dict[str, Any]:
    """The formation form's values: those of the last formation, or the defaults."""
    return {
        "groups": len(view.workgroups) if view.workgroups else None,
        "size": None,
        "min_size": view.min_size,
        "max_size": view.max_size,
        "seed": view.seed,
        "features": view.features or [f for f in DEFAULT_FEATURES if f in view.available_features],
        "keep_together": view.keep_together,
        "apart": view.apart,
        "balance": view.balance,
        "fixed": "",
        "existing": "",
    }


# How long the page keeps saying why the last formation job failed.
FAILURE_SHOWN = dt.timedelta(minutes=15)


def _recent_job(settings: Settings, account: Account, pilot_id: int) -> Any:
    """The formation job to show: one under way, or one that failed a moment ago."""
    if not may(account, "workgroups.form"):
        return None
    job = teams.formation_job(settings, account, pilot_id)
    if job is None or job.status == "done":
        return None
    if job.active or job.finished_at is None:
        return job
    return job if dt.datetime.now(dt.UTC) - job.finished_at < FAILURE_SHOWN else None


def _context(
    settings: Settings,
    account: Account,
    pilot_id: int,
    *,
    error: SmartMovesError | None = None,
    typed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    view = teams.workgroups_view(settings, account, pilot_id)
    return {
        "account": account,
        "view": view,
        "formation_job": _recent_job(settings, account, pilot_id),
        "form": _form(view) | (typed or {}),
        "chart": charts_teams.diversity_chart(view.figures),
        "default_groups": teams.default_groups(view.volunteers, 3),
        "max_seed": teams.MAX_SEED,
        "error": "; ".join(error.lines()) if error else None,
        "current_phase": "create",
    }


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, "create/workgroups.html", context, status_code=status)


@router.get("/pilots/{pilot_id}/workgroups", openapi_extra=needs("workgroups.read"))
def workgroups_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    return _page(request, _context(settings, account, pilot_id))


@router.post("/pilots/{pilot_id}/workgroups/form", openapi_extra=needs("workgroups.form"))
def form_workgroups(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    groups: Annotated[int | None, Form()] = None,
    size: Annotated[int | None, Form()] = None,
    min_size: Annotated[int, Form()] = 3,
    max_size: Annotated[int, Form()] = 15,
    features: Annotated[list[str] | None, Form()] = None,
    keep_together: Annotated[str, Form()] = "",
    apart: Annotated[str, Form()] = "",
    balance: Annotated[str, Form()] = "",
    fixed: Annotated[str, Form()] = "",
    existing: Annotated[str, Form()] = "",
    seed: Annotated[int, Form()] = 0,
) -> Response:
    """Start forming and saving the workgroups of the selected volunteers as a job (a
    number of workgroups wins over a size, as the form says): the page shows its progress,
    then the workgroups."""
    typed = {
        "groups": groups,
        "size": size,
        "min_size": min_size,
        "max_size": max_size,
        "seed": seed,
        "features": features or [],
        "keep_together": keep_together or None,
        "apart": apart or None,
        "balance": balance or None,
        "fixed": fixed,
        "existing": existing,
    }
    path = f"/pilots/{pilot_id}/workgroups"
    return htmx.act(
        request,
        lambda: teams.start_formation(
            settings,
            account,
            pilot_id,
            features=features or None,
            groups=groups,
            size=size if groups is None else None,
            min_size=min_size,
            max_size=max_size,
            seed=seed,
            keep_together=keep_together or None,
            apart=apart or None,
            balance=balance or None,
            fixed=fixed,
            existing=existing,
        ),
        done=path,
        # The page swaps its content (#workgroups-page) from the page as it is now.
        fragment=lambda: _page(request, _context(settings, account, pilot_id)),
        page=lambda exc: _page(
            request,
            _context(settings, account, pilot_id, error=exc, typed=typed),
            exc.http_status,
        ),
    )


@router.post("/pilots/{pilot_id}/workgroups/move", openapi_extra=needs("workgroups.move"))
def move_person(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    person_id: Annotated[str, Form()],
    workgroup_id: Annotated[int, Form()],
) -> Response:
    """Move a person; HTMX gets the groups with the figures recomputed."""
    return htmx.act(
        request,
        lambda: teams.move_person(settings, account, pilot_id, person_id, workgroup_id),
        done=f"/pilots/{pilot_id}/workgroups",
        fragment=lambda: render(
            request, "create/_workgroups_groups.html", _context(settings, account, pilot_id)
        ),
        page=lambda exc: _page(
            request, _context(settings, account, pilot_id, error=exc), exc.http_status
        ),
    )


def _cells_context(
    settings: Settings,
    account: Account,
    pilot_id: int,
    *,
    error: SmartMovesError | None = None,
    typed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "account": account,
        "view": teams.cells_view(settings, account, pilot_id),
        "form": {"min_size": 5, "max_size": 15, "seed": 0} | (typed or {}),
        "max_seed": teams.MAX_SEED,
        "error": "; ".join(error.lines()) if error else None,
        "current_phase": "create",
    }


def _cells_page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, "create/cells.html", context, status_code=status)


@router.get("/pilots/{pilot_id}/cells", openapi_extra=needs("cells.read"))
def cells_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    return _cells_page(request, _cells_context(settings, account, pilot_id))


@router.post("/pilots/{pilot_id}/cells/form", openapi_extra=needs("cells.form"))
def form_cells(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    min_size: Annotated[int, Form()] = 5,
    max_size: Annotated[int, Form()] = 15,
    seed: Annotated[int, Form()] = 0,
) -> Response:
    """Form and save the cells from the saved workgroups."""
    typed = {"min_size": min_size, "max_size": max_size, "seed": seed}
    return htmx.act(
        request,
        lambda: teams.form_cells_for_pilot(
            settings, account, pilot_id, min_size=min_size, max_size=max_size, seed=seed
        ),
        done=f"/pilots/{pilot_id}/cells",
        fragment=lambda: _cells_page(request, _cells_context(settings, account, pilot_id)),
        page=lambda exc: _cells_page(
            request,
            _cells_context(settings, account, pilot_id, error=exc, typed=typed),
            exc.http_status,
        ),
    )
