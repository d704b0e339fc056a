"""Logging in, and staying logged in: server-side sessions, timeouts and throttling.

- **Sessions.** A login starts a session: a random token, which is all the browser's
  cookie holds, and in the store its HMAC under the workspace's secret key with the user,
  a CSRF token, and when it started and was last used. Every login gets a new token, and
  the session the browser had before (if any) ends: nobody can plant a session id.
- **Ends.** A session ends for good at logout; when unused for ``session_idle_minutes``
  (checked to the minute: its last use is written at most once a minute); at
  ``session_hours`` after the login, however active; and when its user is deactivated,
  changes role or password, or logs out everywhere. An ended session's cookie opens
  nothing.
- **Throttling.** Failed logins are counted per email typed and per client address.
  ``login_max_failures`` for one email (``login_max_failures_per_address`` from one
  address) within ``login_window_minutes`` lock it for ``login_lockout_minutes``. A
  locked email is refused whether or not an account has it, with the same words, and its
  password is not even checked; a successful login clears its email's count.

Times come from the caller (``now``, aware), so tests move a clock instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from smartmoves.data.store import db, logins, org
from smartmoves.data.store import users as store_users
from smartmoves.data.store.logins import utc
from smartmoves.errors import TooManyAttempts
from smartmoves.pathway._store import store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.audit import record
from smartmoves.pathway.policy import Account, require
from smartmoves.pathway.setup.users import account_of, authenticate
from smartmoves.settings import Settings

__all__ = [
    "Current",
    "Login",
    "SessionRow",
    "SessionsView",
    "check_throttle",
    "current_session",
    "log_in",
    "log_out",
    "log_out_everywhere",
    "sessions_view",
]

SEEN_EVERY = dt.timedelta(minutes=1)
MAX_TOKEN = 100  # longer than any token we hand out: not worth hashing


@dataclass(frozen=True)
class Login:
    """A session just started: the token goes into the cookie, never anywhere else."""

    account: Account
    token: str
    csrf: str


@dataclass(frozen=True)
class Current:
    """A live session: who it belongs to and its CSRF token."""

    account: Account
    csrf: str
    key: str


def _session_key(settings: Settings, token: str) -> str:
    return hmac.new(settings.secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()


def _throttle_keys(email: str, address: str | None) -> tuple[str, str | None]:
    def digest(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    by_email = digest("email:" + email.strip().lower())
    return by_email, (digest("address:" + address) if address else None)


def _aware(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(dt.UTC)


def check_throttle(settings: Settings, email: str, address: str | None, *, now: dt.datetime):
    """:class:`TooManyAttempts` while the email typed or the address is locked."""
    now = _aware(now)
    keys = [k for k in _throttle_keys(email, address) if k]
    with db.transaction(store(settings)) as session:
        until = logins.locked_until(session, keys, now)
    if until is not None:
        raise TooManyAttempts(math.ceil((until - now).total_seconds()))


def _actor(email: str) -> str:
    return email.strip().lower()[:320] or "(no email)"


def log_in(
    settings: Settings,
    email: str,
    password: str,
    *,
    address: str | None,
    user_agent: str | None = None,
    replacing: str | None = None,
    now: dt.datetime,
) -> Login | None:
    """A new session for a correct email and password, else ``None`` (counted).

    ``replacing``: the token the browser had, whose session ends. The password check is
    the slow part (argon2, by design): interfaces run this off their event loop.

    Raises
    ------
    TooManyAttempts
        While the email or the address is locked (the password is not checked).
    """
    now = _aware(now)
    check_throttle(settings, email, address, now=now)  # again: it may have locked meanwhile
    account = authenticate(settings, email, password)
    by_email, by_address = _throttle_keys(email, address)
    if account is None:
        with db.transaction(store(settings)) as session:
            locked = _count_failure(settings, session, email, address, by_email, by_address, now)
        if locked is not None:  # this failure locked it: say so now, not at the next try
            raise TooManyAttempts(math.ceil((locked - now).total_seconds()))
        return None
    with db.transaction(store(settings)) as session:
        logins.forget_failures(session, by_email)
        logins.forget_stale_failures(
            session, now=now, window=dt.timedelta(minutes=settings.login_window_minutes)
        )
        if replacing and len(replacing) <= MAX_TOKEN:
            logins.end_session(session, _session_key(settings, replacing))
        logins.end_expired(
            session,
            seen_before=now - dt.timedelta(minutes=settings.session_idle_minutes),
            created_before=now - dt.timedelta(hours=settings.session_hours),
        )
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        logins.add_session(
            session,
            key=_session_key(settings, token),
            user_id=account.id,
            csrf=csrf,
            address=address,
            user_agent=user_agent,
            now=now,
        )
        account = replace(account, address=address)
        record(session, account, "login")
    return Login(account, token, csrf)


def _count_failure(
    settings: Settings,
    session: Session,
    email: str,
    address: str | None,
    by_email: str,
    by_address: str | None,
    now: dt.datetime,
) -> dt.datetime | None:
    """Count a failed login; the end of the lock it engaged, if it engaged one."""
    window = dt.timedelta(minutes=settings.login_window_minutes)
    lockout = dt.timedelta(minutes=settings.login_lockout_minutes)
    actor = _actor(email)
    org.audit(session, actor, "login failed", address=address)
    limits = [("email", by_email, settings.login_max_failures)]
    if by_address:
        limits.append(("address", by_address, settings.login_max_failures_per_address))
    locked = None
    for kind, key, limit in limits:
        until = logins.count_failure(
            session, key, now=now, window=window, limit=limit, lockout=lockout
        )
        if until is not None:
            org.audit(
                session, actor, "login locked", address=address, by=kind, until=until.isoformat()
            )
            locked = max(locked or until, until)
    return locked


def current_session(settings: Settings, token: str | None, *, now: dt.datetime) -> Current | None:
    """The live session of ``token``, or ``None``: no such session, or it has ended (an
    ended one is deleted on the spot)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    now = _aware(now)
    key = _session_key(settings, token)
    engine = store(settings)
    with db.reading(engine) as session:
        row = logins.find_session_with_user(session, key)
        if row is None:
            return None
        seen, csrf = utc(row.seen_at), row.csrf
        over = now - seen > dt.timedelta(minutes=settings.session_idle_minutes) or (
            now - utc(row.created_at) > dt.timedelta(hours=settings.session_hours)
        )
        account = account_of(row) if row.id is not None and row.active else None
    if over or account is None:
        with db.transaction(engine) as session:
            logins.end_session(session, key)
        return None
    if now - seen >= SEEN_EVERY:
        with db.transaction(engine) as session:
            logins.touch_session(session, key, now, seen_before=now - SEEN_EVERY)
    return Current(account, csrf, key)


def log_out(settings: Settings, token: str | None, *, address: str | None) -> None:
    """End the session of ``token`` for good (nothing to do without one)."""
    if not token or len(token) > MAX_TOKEN:
        return
    with db.transaction(store(settings)) as session:
        key = _session_key(settings, token)
        row = logins.find_session(session, key)
        if row is None:
            return
        user = store_users.get_user(session, row.user_id)
        logins.end_session(session, key)
        if user is not None:
            org.audit(session, user.email, "logout", address=address)


def log_out_everywhere(settings: Settings, account: Account) -> int:
    """End every session of ``account``'s user, this one included; how many ended."""
    require(account, "account.sessions")
    with db.transaction(store(settings)) as session:
        ended = logins.end_sessions_of(session, account.id)
        record(session, account, "logout everywhere", sessions=ended)
    return ended


class SessionRow(View):
    started: UtcTime
    last_used: UtcTime
    address: str | None
    browser: str | None
    current: bool


class SessionsView(View):
    """The account's live sessions, the most recently used first."""

    email: str
    role: str
    sessions: list[SessionRow]
    idle_minutes: int
    hours: int


def sessions_view(
    settings: Settings, account: Account, current_key: str | None, *, now: dt.datetime
) -> SessionsView:
    """Where ``account`` is logged in (``current_key``: the session asking)."""
    require(account, "account.sessions")
    now = _aware(now)
    idle = dt.timedelta(minutes=settings.session_idle_minutes)
    longest = dt.timedelta(hours=settings.session_hours)
    with db.transaction(store(settings)) as session:
        rows = [
            SessionRow(
                started=utc(r.created_at),
                last_used=utc(r.seen_at),
                address=r.address,
                browser=r.user_agent,
                current=r.id == current_key,
            )
            for r in logins.sessions_of(session, account.id)
            if now - utc(r.seen_at) <= idle and now - utc(r.created_at) <= longest
        ]
    return SessionsView(
        email=account.email,
        role=account.role,
        sessions=rows,
        idle_minutes=settings.session_idle_minutes,
        hours=settings.session_hours,
    )
