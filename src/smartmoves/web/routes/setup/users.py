"""The users page: who may log in, and with which role (admins)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from smartmoves.pathway.lists import Column
from smartmoves.pathway.setup import users
from smartmoves.web.lists import csv_download, listing
from smartmoves.web.permissions import needs
from smartmoves.web.session import CurrentAccount, SettingsDep
from smartmoves.web.templating import render

router = APIRouter(include_in_schema=False)


# The users' table, column by column as the page shows it (and the CSV writes it).
USERS: list[Column[users.UserRow]] = [
    Column("email", "Email", lambda u: u.email),
    Column("name", "Name", lambda u: u.display_name),
    Column("role", "Role", lambda u: u.role),
    Column("person", "Person", lambda u: u.person_id),
    Column("status", "Status", lambda u: "active" if u.active else "deactivated"),
]


@router.get("/admin/users", openapi_extra=needs("users.manage"))
def users_page(request: Request, account: CurrentAccount, settings: SettingsDep) -> Response:
    """Every user, 50 a page, searched and sorted; the list as CSV (audited: emails)."""
    shown = listing(request, users.list_users(settings, account), USERS, id="users", label="users")
    if shown.wants_csv:
        return csv_download(settings, account, shown, person_level=True)
    return render(
        request,
        "setup/admin_users.html",
        {"account": account, "users": shown, "current_phase": "admin"},
    )
