"""Create capacity for a pilot: hours by decision, the decisions, and the plan.

What each role reads and may do is the policy's: admins decide and plan; champions and
supervisors read aggregates (person-level rows are for admins); members may not open
the page. Decisions and plans post with HTMX and swap a fragment; a refused post shows
what is wrong at its form, with the error's status. Without JavaScript the same forms
post and come back to the page (or to the page with the error and what was typed).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smartmoves.errors import DataError, SmartMovesError
from smartmoves.pathway.create import capacity
from smartmoves.pathway.policy import Account
from smartmoves.settings import Settings
from smartmoves.web import charts_capacity, htmx
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)

# The decision list's "automate by the exposure model's beta" choice.
MODEL_CHOICE = "automate-model"


def _context(
    settings: Settings,
    pilot_id: int,
    account: Account,
    *,
    error: SmartMovesError | None = None,
    typed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    view = capacity.capacity_view(settings, account, pilot_id)
    # A workspace without an exposure model gets the default one trained in the
    # background the first time this page is shown (where jobs run in workers).
    exposure_job = None
    if view.exposure_model is None:
        exposure_job = capacity.start_exposure_model(
            settings, account
        ) or capacity.exposure_model_job(settings, account)
    plan = view.plan
    job = capacity.plan_job(settings, account, pilot_id)
    # A running job shows its progress; a failed one says why until a plan is kept after it.
    if job is not None and job.status == "done":
        job = None
    if job is not None and job.finished_at and plan is not None and plan.created_at:
        kept = plan.created_at
        kept = kept if kept.tzinfo else kept.replace(tzinfo=dt.UTC)  # SQLite: no zone
        job = job if job.finished_at >= kept else None
    load_chart = None
    if plan is not None:
        load_chart = (
            charts_capacity.receivers_load_chart(plan.receivers, alert=plan.load_alert)
            if plan.receivers is not None
            else charts_capacity.load_bands_chart(plan.load_bands)
        )
    low, high = capacity.LOAD_RANGE
    return {
        "account": account,
        "view": view,
        "plan": plan,
        "plan_job": job,
        "exposure_job": exposure_job,
        "decisions": capacity.DECISIONS,
        "decision_chart": charts_capacity.hours_by_decision_chart(view.by_decision),
        "load_chart": load_chart,
        "plan_form": {
            "max_load": plan.parameters["max_load"] if plan else 1.0,
            "time_limit": capacity.WEB_TIME_LIMIT,
            **(typed or {}),
        },
        "load_range": {"min": low, "max": high},
        "load_bound": capacity.load_bound(),
        "time_bound": capacity.time_bound(),
        "min_time_limit": capacity.MIN_TIME_LIMIT,
        "max_time_limit": capacity.MAX_WEB_TIME_LIMIT,
        "max_cli_time_limit": capacity.MAX_CLI_TIME_LIMIT,
        "error": "; ".join(error.lines()) if error else None,
        "current_phase": "create",
    }


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, "create/capacity.html", context, status_code=status)


@router.get("/pilots/{pilot_id}/capacity", openapi_extra=needs("capacity.read"))
def capacity_page(
    request: Request, pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> Response:
    return _page(request, _context(settings, pilot_id, account))


def _decisions(
    activity_id: list[str] | None, chosen: list[str] | None
) -> list[capacity.DecisionIn]:
    """The table's rows as decisions: one select per activity, in the same order."""
    activity_id, chosen = activity_id or [], chosen or []
    if len(chosen) != len(activity_id):
        raise DataError("the form is incomplete: reload the page and try again")
    return [
        capacity.DecisionIn(
            activity_id=a,
            decision="automate" if d == MODEL_CHOICE else d,
            use_model=d == MODEL_CHOICE,
        )
        for a, d in zip(activity_id, chosen, strict=True)
    ]


@router.post("/pilots/{pilot_id}/capacity/decisions", openapi_extra=needs("capacity.decide"))
def save_decisions(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    activity_id: Annotated[list[str] | None, Form()] = None,
    decision: Annotated[list[str] | None, Form()] = None,
    suggested: Annotated[list[str] | None, Form()] = None,
    action: Annotated[str, Form()] = "save",
) -> Response:
    """Save the decisions of the table (``action=accept``: take every suggestion)."""
    chosen = suggested if action == "accept" and suggested else decision
    return htmx.act(
        request,
        lambda: capacity.save_decisions(
            settings, account, pilot_id, _decisions(activity_id, chosen), replace=False
        ),
        done=f"/pilots/{pilot_id}/capacity",
        fragment=lambda: render(
            request, "create/_capacity_decisions.html", _context(settings, pilot_id, account)
        ),
        page=lambda exc: _page(
            request, _context(settings, pilot_id, account, error=exc), exc.http_status
        ),
    )


@router.post("/pilots/{pilot_id}/capacity/plan", openapi_extra=needs("capacity.plan"))
def compute_plan(
    request: Request,
    pilot_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    max_load: Annotated[float, Form()] = 1.0,
    time_limit: Annotated[float, Form()] = capacity.WEB_TIME_LIMIT,
) -> Response:
    """Start computing the plan as a background job (the use case refuses a bound the form
    shows, in its words); the plan panel then shows the job's progress, and the plan."""
    return htmx.act(
        request,
        lambda: capacity.start_plan(
            settings, account, pilot_id, max_load=max_load, time_limit=time_limit
        ),
        done=f"/pilots/{pilot_id}/capacity",
        fragment=lambda: render(
            request, "create/_capacity_plan.html", _context(settings, pilot_id, account)
        ),
        page=lambda exc: _page(
            request,
            _context(
                settings,
                pilot_id,
                account,
                error=exc,
                typed={"max_load": max_load, "time_limit": time_limit},
            ),
            exc.http_status,
        ),
    )
