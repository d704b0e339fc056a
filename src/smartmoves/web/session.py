"""Logins: who is asking, and may they see this.

The session cookie (signed with the workspace's secret key) holds the user's id and a
CSRF token; every request re-reads the account so a deactivated user is out at once.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from smartmoves.errors import Forbidden, Unauthorized
from smartmoves.pathway.access import Account, get_account
from smartmoves.settings import Settings

__all__ = [
    "AdminAccount",
    "CurrentAccount",
    "SettingsDep",
    "csrf_token",
    "login",
    "logout",
    "verify_csrf",
]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(_settings)]


def _current(request: Request, settings: SettingsDep) -> Account:
    user_id = request.session.get("user_id")
    account = get_account(settings, int(user_id)) if user_id is not None else None
    if account is None:
        request.session.pop("user_id", None)
        raise Unauthorized("please log in")
    return account


CurrentAccount = Annotated[Account, Depends(_current)]


def _admin(account: CurrentAccount) -> Account:
    if not account.is_admin:
        raise Forbidden("this page is for admins")
    return account


AdminAccount = Annotated[Account, Depends(_admin)]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


def verify_csrf(request: Request, token: str | None) -> None:
    """Reject a form post whose token does not match the session's."""
    expected = request.session.get("csrf")
    header = request.headers.get("x-csrf-token")
    given = token or header
    if not expected or not given or not secrets.compare_digest(str(expected), given):
        raise Forbidden("the form expired; reload the page and try again")


def login(request: Request, account: Account) -> None:
    request.session.clear()  # a new session on login: no fixation
    request.session["user_id"] = account.id
    csrf_token(request)


def logout(request: Request) -> None:
    request.session.clear()
