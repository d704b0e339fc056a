"""JSON twin of a workgroup's "Flags to discuss": the insight flags on its own series,
its members' teams, its pilot's unit, and the organization's and markets' series of the
metrics its charter or focus names, newest first.

The policy decides as for the pages (``insights.read``): staff read any workgroup's,
its members and coach their own.
"""

from __future__ import annotations

from fastapi import APIRouter

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.act import insights
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["insights"], responses=LOGGED_IN, route_class=ViewRoute)


@router.get(
    "/workgroups/{workgroup_id}/flags",
    response_model=insights.WorkgroupFlags,
    openapi_extra=needs("insights.read"),
    responses=refusals(403, 404, 422),
)
def workgroup_flags(
    workgroup_id: int, account: CurrentAccount, settings: SettingsDep
) -> insights.WorkgroupFlags:
    """The flags a workgroup should discuss, each with why it is the workgroup's: metric,
    scope (and its words), date, kind, magnitude in the metric's units and in noise SDs,
    confidence and a one-line explanation."""
    return insights.workgroup_flags(settings, account, workgroup_id)
