"""JSON twins of the Create-capacity page: the view, the decisions and the plan.

Admins read person-level rows and write; champions and supervisors read aggregates
(suppressed below the minimum group size); members may not read it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from smartmoves.pathway import capacity, capacity_plan
from smartmoves.pathway.access import require_role
from smartmoves.web.session import AdminAccount, CurrentAccount, SettingsDep, verify_csrf

router = APIRouter(tags=["capacity"])


class PlanIn(BaseModel):
    """Options of a plan; the pilot's own target and size apply when left out."""

    max_load: float = Field(1.0, gt=0, le=2)
    time_limit: float = Field(capacity_plan.WEB_TIME_LIMIT, gt=0, le=600)
    target_free: float | None = Field(None, gt=0, le=1)
    volunteers: list[str] | None = None


@router.get("/pilots/{pilot_id}/capacity", response_model=capacity.CapacityView)
def capacity_view(
    pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> capacity.CapacityView:
    """Hours by decision, every activity with its suggestion and decision, and the
    current plan. Person-level fields are null except for admins."""
    require_role(account, "champion", "supervisor")
    return capacity.capacity_view(settings, pilot_id, person_level=account.is_admin)


@router.put("/pilots/{pilot_id}/capacity/decisions", response_model=list[capacity.DecisionRow])
def save_decisions(
    pilot_id: int,
    body: list[capacity.DecisionIn],
    request: Request,
    account: AdminAccount,
    settings: SettingsDep,
) -> list[capacity.DecisionRow]:
    """Replace the pilot's decisions (admins; send ``X-CSRF-Token``). All or nothing:
    a wrong row is a 422 naming every problem."""
    verify_csrf(request, None)
    return capacity.save_decisions(settings, pilot_id, body, actor=account.email)


@router.post("/pilots/{pilot_id}/capacity/plan", response_model=capacity_plan.PlanView)
def compute_plan(
    pilot_id: int,
    body: PlanIn,
    request: Request,
    account: AdminAccount,
    settings: SettingsDep,
) -> capacity_plan.PlanView:
    """Compute the plan and keep it as the pilot's current plan (admins; send
    ``X-CSRF-Token``). It takes up to ``time_limit`` seconds."""
    verify_csrf(request, None)
    capacity_plan.plan_for_pilot(
        settings,
        pilot_id,
        volunteers=body.volunteers,
        target_free=body.target_free,
        max_load=body.max_load,
        time_limit=body.time_limit,
        actor=account.email,
    )
    return capacity_plan.current_plan_view(settings, pilot_id, person_level=True)


@router.get("/pilots/{pilot_id}/capacity/plan", response_model=capacity_plan.PlanView)
def current_plan(
    pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> capacity_plan.PlanView:
    """The pilot's current plan; 404 before the first one."""
    require_role(account, "champion", "supervisor")
    return capacity_plan.current_plan_view(settings, pilot_id, person_level=account.is_admin)
