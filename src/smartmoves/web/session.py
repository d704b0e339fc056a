"""Logins on the web: who is asking, and is their form really theirs.

The session cookie holds only a random token; the session itself (its user, its CSRF
token, when it started and was last used) is kept in the store and ends there for good
(:mod:`smartmoves.pathway.setup.logins`), so a logged-out or timed-out cookie opens
nothing. Every request reads the session and its user again, so a deactivated user is
out at once. Before logging in, the login form's CSRF token is a random value in a
cookie of its own (double submit), dropped at login. Whether the account may do what it
asks is the policy's to decide (:mod:`smartmoves.pathway.policy`), in the use case:
routes only say who is asking.

Password checks run on a small pool of their own (:class:`PasswordChecks`), never on
the event loop nor on the threads that serve pages, so a flood of logins does not slow
anyone else down.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from smartmoves.errors import Forbidden, Unauthorized
from smartmoves.pathway.policy import Account
from smartmoves.pathway.setup import logins
from smartmoves.settings import Settings

__all__ = [
    "LOGIN_COOKIE",
    "SESSION_COOKIE",
    "CurrentAccount",
    "CurrentSession",
    "PasswordChecks",
    "SettingsDep",
    "account_or_none",
    "client_address",
    "csrf_token",
    "end_login",
    "now",
    "remember_login_token",
    "require_csrf",
    "start_login",
]

SESSION_COOKIE = "smartmoves_session"
LOGIN_COOKIE = "smartmoves_login"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_UNRESOLVED = object()
T = TypeVar("T")


# Dependencies that only read what is in memory are ``async``: FastAPI runs a plain
# function on its thread pool, and handing each request to a thread and back several
# times costs more than what they do.
async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(_settings)]


def now(request: Request) -> dt.datetime:
    """The app's clock (tests put their own in ``app.state.clock``)."""
    clock: Callable[[], dt.datetime] = request.app.state.clock
    return clock()


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def _session(request: Request) -> logins.Current | None:
    """The request's live session, read once per request."""
    found = getattr(request.state, "login", _UNRESOLVED)
    if found is _UNRESOLVED:
        token = request.cookies.get(SESSION_COOKIE)
        found = (
            logins.current_session(request.app.state.settings, token, now=now(request))
            if token
            else None
        )
        request.state.login = found
    result: logins.Current | None = found  # type: ignore[assignment]
    return result


def _current_session(request: Request) -> logins.Current:
    found = _session(request)
    if found is None:
        raise Unauthorized("please log in")
    return replace(found, account=replace(found.account, address=client_address(request)))


CurrentSession = Annotated[logins.Current, Depends(_current_session)]


async def _current(session: CurrentSession) -> Account:
    return session.account


CurrentAccount = Annotated[Account, Depends(_current)]


def account_or_none(request: Request) -> Account | None:
    """The logged-in account, or ``None`` (error pages keep the navigation with it)."""
    found = _session(request)
    return found.account if found is not None else None


def csrf_token(request: Request) -> str:
    """The token a form of this page sends back: the session's, or before logging in the
    login form's (a new one is set as a cookie by :func:`remember_login_token`)."""
    found = _session(request)
    if found is not None:
        return found.csrf
    token = getattr(request.state, "new_login_token", None) or _login_token(request)
    if token is None:
        token = request.state.new_login_token = secrets.token_urlsafe(24)
    return str(token)


def _login_token(request: Request) -> str | None:
    token = request.cookies.get(LOGIN_COOKIE)
    return token if token and 16 <= len(token) <= 64 else None


def _cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=request.app.state.cookie_secure,
        httponly=True,
        samesite="lax",
    )


def _drop_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path="/", secure=request.app.state.cookie_secure, httponly=True, samesite="lax"
    )


def remember_login_token(request: Request, response: Response) -> None:
    """Set the login form's token cookie if this response handed out a new one."""
    token = getattr(request.state, "new_login_token", None)
    if token:
        _cookie(request, response, LOGIN_COOKIE, token, max_age=24 * 3600)


async def require_csrf(request: Request) -> None:
    """Refuse an unsafe request (POST, PUT, PATCH, DELETE) whose CSRF token is not the
    session's (or, before logging in, the login form's): a form sends it as the ``csrf``
    field, a script as ``X-CSRF-Token``.

    Every router is included with this dependency, so no route can forget it.
    """
    if request.method in SAFE_METHODS:
        return
    found = await run_in_threadpool(_session, request)
    expected = found.csrf if found is not None else _login_token(request)
    if not expected:
        # No session at all: the login expired (or never was); log in again.
        raise Unauthorized("your session expired: please log in again")
    given = request.headers.get("x-csrf-token")
    if not given and request.headers.get("content-type", "").startswith(FORM_TYPES):
        given = str((await request.form()).get("csrf") or "") or None
    if not given or not secrets.compare_digest(str(expected), given):
        raise Forbidden("the form expired: reload the page and try again")


def start_login(request: Request, response: Response, login: logins.Login) -> None:
    """Give the browser its new session (only the token) and drop the login form's."""
    hours = request.app.state.settings.session_hours
    _cookie(request, response, SESSION_COOKIE, login.token, max_age=hours * 3600)
    _drop_cookie(request, response, LOGIN_COOKIE)


def end_login(request: Request, response: Response) -> None:
    _drop_cookie(request, response, SESSION_COOKIE)


class PasswordChecks:
    """At most ``workers`` password checks at once, each on a thread of this pool: the
    others wait their turn in its queue, holding no thread, while the event loop and the
    threads that serve pages go on answering everyone else."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="password")

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(function, *args, **kwargs))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
