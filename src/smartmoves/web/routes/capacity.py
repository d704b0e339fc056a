"""Create capacity for a pilot: hours by decision, the decisions, and the plan.

Admins decide and plan; champions and supervisors read aggregates (person-level rows
are for admins). Decisions and plans post with HTMX and swap a fragment; without
JavaScript the same forms post and come back to the page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from smartmoves.errors import SmartMovesError
from smartmoves.pathway import capacity, capacity_plan
from smartmoves.pathway.access import Account, require_role
from smartmoves.settings import Settings
from smartmoves.web import charts_capacity
from smartmoves.web.session import AdminAccount, CurrentAccount, SettingsDep, verify_csrf
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)

# The decision list's "automate by the exposure model's beta" choice.
MODEL_CHOICE = "automate-model"
MAX_WEB_TIME_LIMIT = 60.0  # seconds: longer searches belong to `smartmoves capacity plan`


def _context(
    account: Account, view: capacity.CapacityView, *, error: str | None = None
) -> dict[str, Any]:
    plan = view.plan
    load_chart = None
    if plan is not None:
        load_chart = (
            charts_capacity.receivers_load_chart(plan.receivers, alert=plan.load_alert)
            if plan.receivers is not None
            else charts_capacity.load_bands_chart(plan.load_bands)
        )
    return {
        "account": account,
        "view": view,
        "plan": plan,
        "decisions": capacity.DECISIONS,
        "decision_chart": charts_capacity.hours_by_decision_chart(view.by_decision),
        "load_chart": load_chart,
        "web_time_limit": capacity_plan.WEB_TIME_LIMIT,
        "max_time_limit": MAX_WEB_TIME_LIMIT,
        "error": error,
        "current_phase": "create",
    }


def _view(settings: Settings, pilot_id: int, account: Account) -> capacity.CapacityView:
    return capacity.capacity_view(settings, pilot_id, person_level=account.is_admin)


def _answer(
    request: Request,
    settings: Settings,
    pilot_id: int,
    account: Account,
    fragment: str,
    error: str | None = None,
) -> Response:
    """The fragment for HTMX (200 even with an error, so that HTMX swaps it in), else
    back to the page (or the page with the error)."""
    htmx = request.headers.get("hx-request") == "true"
    if error is None and not htmx:
        return RedirectResponse(f"/pilots/{pilot_id}/capacity", status_code=303)
    context = _context(account, _view(settings, pilot_id, account), error=error)
    if htmx:
        return render(request, fragment, context)
    return render(request, "capacity.html", context, status_code=422)


@router.get("/pilots/{pilot_id}/capacity")
def capacity_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    require_role(account, "champion", "supervisor")
    return render(request, "capacity.html", _context(account, _view(settings, pilot_id, account)))


@router.post("/pilots/{pilot_id}/capacity/decisions")
def save_decisions(
    request: Request,
    pilot_id: int,
    account: AdminAccount,
    settings: SettingsDep,
    activity_id: Annotated[list[str], Form()],
    decision: Annotated[list[str], Form()],
    suggested: Annotated[list[str] | None, Form()] = None,
    action: Annotated[str, Form()] = "save",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Save the decisions of the table (``action=accept``: take every suggestion)."""
    verify_csrf(request, csrf)
    chosen = suggested if action == "accept" and suggested else decision
    error = None
    if len(chosen) != len(activity_id):
        error = "the form is incomplete: reload the page and try again"
    else:
        rows = [
            capacity.DecisionIn(
                activity_id=a,
                decision="automate" if d == MODEL_CHOICE else d,
                use_model=d == MODEL_CHOICE,
            )
            for a, d in zip(activity_id, chosen, strict=True)
        ]
        try:
            capacity.save_decisions(settings, pilot_id, rows, replace=False, actor=account.email)
        except SmartMovesError as exc:
            error = "; ".join(exc.lines())
    return _answer(request, settings, pilot_id, account, "_capacity_decisions.html", error)


@router.post("/pilots/{pilot_id}/capacity/plan")
def compute_plan(
    request: Request,
    pilot_id: int,
    account: AdminAccount,
    settings: SettingsDep,
    max_load: Annotated[float, Form()] = 1.0,
    time_limit: Annotated[float, Form()] = capacity_plan.WEB_TIME_LIMIT,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Compute the plan and keep it as the pilot's current plan."""
    verify_csrf(request, csrf)
    error = None
    try:
        capacity_plan.plan_for_pilot(
            settings,
            pilot_id,
            max_load=max_load,
            time_limit=min(max(time_limit, 1.0), MAX_WEB_TIME_LIMIT),
            actor=account.email,
        )
    except SmartMovesError as exc:
        error = "; ".join(exc.lines())
    return _answer(request, settings, pilot_id, account, "_capacity_plan.html", error)
