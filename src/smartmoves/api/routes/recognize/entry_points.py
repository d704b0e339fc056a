"""JSON twin of the Where-to-start page: every unit scored as an entry point."""

from __future__ import annotations

from fastapi import APIRouter

from smartmoves.api.answers import LOGGED_IN, pending, refusals
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.act import connect
from smartmoves.pathway.recognize import EntryPoints, entry_points
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["organization"], responses=LOGGED_IN, route_class=ViewRoute)


@router.get(
    "/entry-points",
    response_model=EntryPoints,
    openapi_extra=needs("entry_points.read"),
    responses={**refusals(403, 409), **pending()},
)
def entry_points_answer(account: CurrentAccount, settings: SettingsDep) -> EntryPoints:
    """Every unit scored on ability to free capacity, potential for impact and
    likelihood of success, best first, with each score's factors (value, support,
    weight, source) and the inputs it lacks. Figures over fewer people than the minimum
    group size are unknown to accounts without person-level access."""
    return entry_points(
        settings,
        account,
        external_shares=lambda _progress: connect.unit_external_shares(settings, account=account),
    )
