"""JSON twins of the organization pages, and who is logged in."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from smartmoves.pathway import access, organization
from smartmoves.web.session import AdminAccount, CurrentAccount, SettingsDep

router = APIRouter(tags=["organization"])


class AccountOut(BaseModel):
    id: int
    email: str
    role: str
    person_id: str | None
    display_name: str | None


def _out(account: access.Account) -> AccountOut:
    return AccountOut(
        id=account.id,
        email=account.email,
        role=account.role,
        person_id=account.person_id,
        display_name=account.display_name,
    )


@router.get("/me", response_model=AccountOut, tags=["access"])
def me(account: CurrentAccount) -> AccountOut:
    """Who is logged in."""
    return _out(account)


@router.get("/overview", response_model=organization.OrgOverview)
def overview(account: CurrentAccount, settings: SettingsDep) -> organization.OrgOverview:
    """The organization overview: units tree, headcount, hours by category, freshness.

    Figures over fewer people than the minimum group size are null with
    ``suppressed: true``.
    """
    return organization.overview(settings)


@router.get("/units/{unit_id}", response_model=organization.UnitDetail)
def unit(unit_id: str, account: CurrentAccount, settings: SettingsDep) -> organization.UnitDetail:
    """One unit: its place in the tree, headcount, levels, hours by category, activities."""
    return organization.unit_detail(settings, unit_id)


@router.get("/admin/users", response_model=list[AccountOut], tags=["access"])
def users(account: AdminAccount, settings: SettingsDep) -> list[AccountOut]:
    """Every user and their role (admins only)."""
    return [_out(a) for a in access.list_accounts(settings)]
