"""JSON twin of a pilot's Frontline metrics page: its metrics with their series,
comparison, baseline and target; entering a week; setting a target.

The policy decides as for the page: staff and the members (and coaches) of the pilot's
workgroups read it; admins, champions, supervisors and a workgroup's coach and members
enter its weeks; admins and champions set targets. Writes need the session's CSRF token
as ``X-CSRF-Token``. A week that has not begun, a value that is not a finite number or a
metric that is not frontline is a 422 naming the field, and nothing is written.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.bodies import Body
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.act import frontline
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["frontline"], responses=LOGGED_IN, route_class=ViewRoute)


class EntryIn(Body):
    metric_id: str
    scope_id: str = Field(description="One of the pilot's scopes (`enter_scopes` in the GET).")
    week: str = Field(description="Any day of the week (YYYY-MM-DD); kept as its Monday.")
    value: float


class TargetIn(Body):
    metric_id: str
    value: float
    by: str = Field(description="The date the target is for (YYYY-MM-DD).")


@router.get(
    "/pilots/{pilot_id}/metrics",
    response_model=frontline.FrontlineView,
    openapi_extra=needs("frontline.read"),
    responses=refusals(403, 404, 422),
)
def metrics(
    pilot_id: int, account: CurrentAccount, settings: SettingsDep
) -> frontline.FrontlineView:
    """Each frontline metric of the pilot's workgroups: their weekly series (entered
    weeks over imported ones), the comparison line, the baseline, the target, the start."""
    return frontline.frontline_view(settings, account, pilot_id)


@router.post(
    "/pilots/{pilot_id}/metrics/entries",
    response_model=frontline.EntryView,
    status_code=201,
    openapi_extra=needs("frontline.enter"),
    responses=refusals(400, 403, 404, 422),
)
def enter_week(
    pilot_id: int, body: EntryIn, account: CurrentAccount, settings: SettingsDep
) -> frontline.EntryView:
    """Enter a week's value for one of the pilot's scopes; a later entry of the same
    week outranks this one, and both are kept."""
    return frontline.record_week(
        settings, account, pilot_id, metric_id=body.metric_id, scope_id=body.scope_id,
        week=body.week, value=body.value,
    )  # fmt: skip


@router.put(
    "/pilots/{pilot_id}/metrics/target",
    response_model=frontline.TargetView,
    openapi_extra=needs("targets.set"),
    responses=refusals(400, 403, 404, 422),
)
def put_target(
    pilot_id: int, body: TargetIn, account: CurrentAccount, settings: SettingsDep
) -> frontline.TargetView:
    """Set the target of one of the pilot's frontline metrics (value, and by when)."""
    return frontline.set_target(
        settings, account, pilot_id, metric_id=body.metric_id, value=body.value, by=body.by
    )
