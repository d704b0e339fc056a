"""Who is logged in, and every user (admins)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from smartmoves.api.answers import LOGGED_IN, refusals
from smartmoves.api.kept import ViewRoute
from smartmoves.pathway.policy import Account
from smartmoves.pathway.setup import users
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep

router = APIRouter(tags=["access"], responses=LOGGED_IN, route_class=ViewRoute)


class AccountOut(BaseModel):
    id: int
    email: str
    role: str
    person_id: str | None
    display_name: str | None


def _out(account: Account) -> AccountOut:
    return AccountOut(
        id=account.id,
        email=account.email,
        role=account.role,
        person_id=account.person_id,
        display_name=account.display_name,
    )


@router.get("/me", response_model=AccountOut, openapi_extra=needs("organization.read"))
def me(account: CurrentAccount) -> AccountOut:
    """Who is logged in."""
    return _out(account)


@router.get(
    "/admin/users",
    response_model=list[AccountOut],
    openapi_extra=needs("users.manage"),
    responses=refusals(403),
)
def users_list(account: CurrentAccount, settings: SettingsDep) -> list[AccountOut]:
    """Every user and their role (admins only)."""
    return [_out(a) for a in users.list_accounts(settings, account)]
