"""JSON twins of the Create-capacity page: the view, the decisions and the plan.

The policy decides as for the page: admins read person-level rows and write; champions
and supervisors read aggregates (suppressed below the minimum group size); members may
not read it. A plan's bounds are the page's, refused in the same words (400); a plan a
newer save made stale is refused (409) and nothing is overwritten. Unsafe methods need
``X-CSRF-Token``.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import Field

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.bodies import Body
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.create import capacity
from smartmoves.pathway.jobs import JobView
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["capacity"], responses=LOGGED_IN, route_class=ViewRoute)


class DecisionIn(capacity.DecisionIn, Body):
    """One decision, its texts within the limits of every body."""


class PlanIn(Body):
    """Options of a plan; the pilot's own target and size apply when left out."""

    # No bounds here: the use case checks them, in the words the page shows.
    max_load: float = Field(1.0, description=capacity.load_bound().capitalize() + ".")
    time_limit: float = Field(
        capacity.WEB_TIME_LIMIT, description=capacity.time_bound().capitalize() + "."
    )
    target_free: float | None = Field(None, gt=0, le=1)
    volunteers: list[str] | None = None


@router.get(
    "/pilots/{pilot_id}/capacity",
    response_model=capacity.CapacityView,
    openapi_extra=needs("capacity.read"),
    responses=refusals(400, 403, 404, 422),
)
def capacity_view(
    pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> capacity.CapacityView:
    """Hours by decision, every activity with its suggestion and decision, and the
    current plan. Person-level fields are null except for admins."""
    return capacity.capacity_view(settings, account, pilot_id)


@router.put(
    "/pilots/{pilot_id}/capacity/decisions",
    response_model=list[capacity.DecisionRow],
    openapi_extra=needs("capacity.decide"),
    responses=refusals(400, 403, 404, 409, 422),
)
def save_decisions(
    pilot_id: int,
    body: list[DecisionIn],
    account: CurrentAccount,
    settings: SettingsDep,
) -> list[capacity.DecisionRow]:
    """Replace the pilot's decisions (admins). All or nothing: a wrong row is a 422
    naming every problem."""
    return capacity.save_decisions(settings, account, pilot_id, body)


@router.post(
    "/pilots/{pilot_id}/capacity/plan",
    response_model=JobView,
    status_code=202,
    openapi_extra=needs("capacity.plan"),
    responses=refusals(400, 403, 404, 409, 422, 503),
)
def compute_plan(
    pilot_id: int,
    body: PlanIn,
    response: Response,
    account: CurrentAccount,
    settings: SettingsDep,
) -> JobView:
    """Start computing the plan as a background job (admins): 202 with the job; poll
    ``/api/v1/jobs/{id}`` until it is no longer active, then read the plan. The search
    takes up to ``time_limit`` seconds; a plan that a newer save made stale while it ran
    fails its job (nothing is overwritten)."""
    job = capacity.start_plan(
        settings,
        account,
        pilot_id,
        volunteers=body.volunteers,
        target_free=body.target_free,
        max_load=body.max_load,
        time_limit=body.time_limit,
    )
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return job


@router.get(
    "/pilots/{pilot_id}/capacity/plan",
    response_model=capacity.PlanView,
    openapi_extra=needs("capacity.read"),
    responses=refusals(403, 404, 422),
)
def current_plan(
    pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> capacity.PlanView:
    """The pilot's current plan; 404 before the first one."""
    return capacity.current_plan_view(settings, account, pilot_id)
