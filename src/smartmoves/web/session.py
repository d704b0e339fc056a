"""Logins: who is asking, and is their form really theirs.

The session cookie (signed with the workspace's secret key) holds the user's id and a
CSRF token; every request re-reads the account so a deactivated user is out at once.
Whether the account may do what it asks is the policy's to decide
(:mod:`smartmoves.pathway.policy`), in the use case: routes only say who is asking.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from smartmoves.errors import Forbidden, Unauthorized
from smartmoves.pathway.policy import Account
from smartmoves.pathway.setup.users import get_account
from smartmoves.settings import Settings

__all__ = [
    "CurrentAccount",
    "SettingsDep",
    "account_or_none",
    "csrf_token",
    "login",
    "logout",
    "require_csrf",
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


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


def account_or_none(request: Request) -> Account | None:
    """The logged-in account, or ``None`` (error pages keep the navigation with it)."""
    user_id = request.session.get("user_id") if "session" in request.scope else None
    if user_id is None:
        return None
    return get_account(request.app.state.settings, int(user_id))


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


async def require_csrf(request: Request) -> None:
    """Refuse an unsafe request (POST, PUT, PATCH, DELETE) whose CSRF token is not the
    session's: a form sends it as the ``csrf`` field, a script as ``X-CSRF-Token``.

    Every router is included with this dependency, so no route can forget it.
    """
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    if not expected:
        # No session at all: the login expired (or never was); log in again.
        raise Unauthorized("your session expired: please log in again")
    given = request.headers.get("x-csrf-token")
    if not given and request.headers.get("content-type", "").startswith(FORM_TYPES):
        given = str((await request.form()).get("csrf") or "") or None
    if not given or not secrets.compare_digest(str(expected), given):
        raise Forbidden("the form expired: reload the page and try again")


def login(request: Request, account: Account) -> None:
    request.session.clear()  # a new session on login: no fixation
    request.session["user_id"] = account.id
    csrf_token(request)


def logout(request: Request) -> None:
    request.session.clear()
