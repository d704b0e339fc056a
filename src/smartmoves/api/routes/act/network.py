"""JSON twins of the network pages, with the same access rules.

- ``/network/units``: champions, supervisors and admins; aggregates only.
- ``/me/network``: anyone whose login is linked to a person; their own figures only.
- ``PUT /me/network/suggestions``: the same; whether they are suggested to others.
- ``/network/people``: admins; every person's figures, brokers, communities.
- ``/pilots/{id}/workgroups/{wg}/connect``: admins, champions, the coach and members.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import StrictBool

from smartmoves.api.answers import LOGGED_IN, pending, refusals
from smartmoves.api.bodies import Body
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.act import connect
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["network"], responses=LOGGED_IN, route_class=ViewRoute)


class SuggestedIn(Body):
    suggested: StrictBool  # true: others may be suggested this person; false: never


@router.get(
    "/network/units",
    response_model=connect.UnitsView,
    openapi_extra=needs("network.units"),
    responses=pending() | refusals(400, 403, 503),
)
def units(account: CurrentAccount, settings: SettingsDep) -> connect.UnitsView:
    """Units (E-I index, external share, suppressed below the minimum group size), the
    unit-to-unit matrix and communities. No person-level field."""
    return connect.units_view(settings, account)


@router.get(
    "/me/network",
    response_model=connect.MyNetworkView,
    openapi_extra=needs("network.mine"),
    responses=pending() | refusals(400, 403, 503),
)
def my_network(account: CurrentAccount, settings: SettingsDep) -> connect.MyNetworkView:
    """The account's own figures and the people two steps away they might meet."""
    return connect.my_network(settings, account)


@router.put(
    "/me/network/suggestions",
    response_model=connect.SuggestedView,
    openapi_extra=needs("network.opt_out"),
    responses=refusals(400, 403, 409, 422),
)
def set_suggested(
    body: SuggestedIn, account: CurrentAccount, settings: SettingsDep
) -> connect.SuggestedView:
    """Whether the account's own person is suggested to others (send ``X-CSRF-Token``).
    Opting out takes them out of everyone's suggestions at once; audited."""
    return connect.set_suggested(settings, account, body.suggested)


@router.get(
    "/network/people",
    response_model=connect.PeopleView,
    openapi_extra=needs("network.people"),
    responses=pending() | refusals(400, 403, 503),
)
def people(account: CurrentAccount, settings: SettingsDep) -> connect.PeopleView:
    """Every person's figures, the brokers and the communities (admins)."""
    return connect.people_view(settings, account)


@router.get(
    "/pilots/{pilot_id}/workgroups/{workgroup_id}/connect",
    response_model=connect.ConnectView,
    openapi_extra=needs("connect.open"),
    responses=pending() | refusals(400, 403, 404, 422, 503),
)
def workgroup_connect(
    pilot_id: int,
    workgroup_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    help: Annotated[str | None, Query(max_length=300)] = None,
) -> connect.ConnectView:
    """Suggested connections, experts for the focus (or for ``help``) and who faces a
    similar challenge, each with its reason."""
    return connect.connect_view(settings, account, pilot_id, workgroup_id, help_text=help)
