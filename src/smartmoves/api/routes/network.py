"""JSON twins of the network pages, with the same access rules.

- ``/network/units``: champions, supervisors and admins; aggregates only.
- ``/me/network``: anyone whose login is linked to a person; their own figures only.
- ``/network/people``: admins; every person's figures, brokers, communities.
- ``/pilots/{id}/workgroups/{wg}/connect``: admins, champions, the coach and members.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from smartmoves.pathway import network_views
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["network"])


@router.get("/network/units", response_model=network_views.UnitsView)
def units(account: CurrentAccount, settings: SettingsDep) -> network_views.UnitsView:
    """Units (E-I index, external share, suppressed below the minimum group size), the
    unit-to-unit matrix and communities. No person-level field."""
    return network_views.units_view(settings, account)


@router.get("/me/network", response_model=network_views.MyNetworkView)
def my_network(account: CurrentAccount, settings: SettingsDep) -> network_views.MyNetworkView:
    """The account's own figures and the people two steps away they might meet."""
    return network_views.my_network(settings, account)


@router.get("/network/people", response_model=network_views.PeopleView)
def people(account: CurrentAccount, settings: SettingsDep) -> network_views.PeopleView:
    """Every person's figures, the brokers and the communities (admins)."""
    return network_views.people_view(settings, account)


@router.get(
    "/pilots/{pilot_id}/workgroups/{workgroup_id}/connect",
    response_model=network_views.ConnectView,
)
def connect(
    pilot_id: int,
    workgroup_id: int,
    account: CurrentAccount,
    settings: SettingsDep,
    help: Annotated[str | None, Query(max_length=300)] = None,
) -> network_views.ConnectView:
    """Suggested connections, experts for the focus (or for ``help``) and who faces a
    similar challenge, each with its reason."""
    return network_views.connect_view(settings, account, pilot_id, workgroup_id, help_text=help)
