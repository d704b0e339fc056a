"""JSON twins of the organization pages: the overview and one unit."""

from __future__ import annotations

from fastapi import APIRouter

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.recognize import organization
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["organization"], responses=LOGGED_IN, route_class=ViewRoute)


@router.get(
    "/overview", response_model=organization.OrgOverview, openapi_extra=needs("organization.read")
)
def overview(account: CurrentAccount, settings: SettingsDep) -> organization.OrgOverview:
    """The organization overview: units tree, headcount, hours by category, freshness.

    Figures over fewer people than the minimum group size are null with
    ``suppressed: true``.
    """
    return organization.overview(settings, account)


@router.get(
    "/units/{unit_id}",
    response_model=organization.UnitDetail,
    openapi_extra=needs("organization.read"),
    responses=refusals(404, 422),
)
def unit(unit_id: str, account: CurrentAccount, settings: SettingsDep) -> organization.UnitDetail:
    """One unit: its place in the tree, headcount, levels, hours by category, activities."""
    return organization.unit_detail(settings, account, unit_id)
