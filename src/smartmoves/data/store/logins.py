"""Login sessions and failed-login counts (sessions only; the pathway commits).

Times are UTC. SQLite gives them back without a zone: :func:`utc` puts it back, so the
pathway compares like with like on either store.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row, bindparam, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from smartmoves.data.store import db
from smartmoves.data.store.models import LoginSession, LoginThrottle, User

__all__ = [
    "add_session",
    "count_failure",
    "end_expired",
    "end_session",
    "end_sessions_of",
    "find_session",
    "find_session_with_user",
    "forget_failures",
    "forget_stale_failures",
    "locked_until",
    "sessions_of",
    "touch_session",
    "utc",
]


def utc(value: dt.datetime) -> dt.datetime:
    """``value`` as an aware UTC time (SQLite drops the zone it was stored with)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def add_session(
    session: Session,
    *,
    key: str,
    user_id: int,
    csrf: str,
    address: str | None,
    user_agent: str | None,
    now: dt.datetime,
) -> LoginSession:
    row = LoginSession(
        id=key,
        user_id=user_id,
        csrf=csrf,
        address=(address or None) and address[:100],
        user_agent=(user_agent or None) and user_agent[:200],
        created_at=now,
        seen_at=now,
    )
    session.add(row)
    session.flush()
    return row


def find_session(session: Session, key: str) -> LoginSession | None:
    return session.get(LoginSession, key)


# Built once: building a statement costs about as much as running it on a near store.
# Columns, not stored objects: what a request needs to know who asks, read without the
# ORM (``db.read``). Every request runs it.
_SESSION_WITH_USER = (
    select(
        LoginSession.csrf,
        LoginSession.created_at,
        LoginSession.seen_at,
        User.id,
        User.email,
        User.role,
        User.person_id,
        User.display_name,
        User.active,
    )
    .outerjoin(User, User.id == LoginSession.user_id)
    .where(LoginSession.id == bindparam("key"))
)


def find_session_with_user(session: Session, key: str) -> Row[Any] | None:
    """The session ``key`` with its user, in one query (every request asks, so one round
    trip rather than two): ``csrf``, ``created_at``, ``seen_at``, and the user's ``id``,
    ``email``, ``role``, ``person_id``, ``display_name`` and ``active`` (``id`` is
    ``None`` when the user is gone)."""
    return db.read(session, _SESSION_WITH_USER, {"key": key}).first()


def touch_session(session: Session, key: str, now: dt.datetime, *, seen_before: dt.datetime):
    """Mark the session used at ``now``, unless it was marked since ``seen_before`` (one
    write a minute, not one a request)."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.id == key, LoginSession.seen_at < seen_before)
        .values(seen_at=now)
    )


def end_session(session: Session, key: str) -> int:
    result: Any = session.execute(delete(LoginSession).where(LoginSession.id == key))
    return int(result.rowcount or 0)


def end_sessions_of(session: Session, user_id: int) -> int:
    """End every session of the user; how many there were."""
    result: Any = session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))
    return int(result.rowcount or 0)


def sessions_of(session: Session, user_id: int) -> list[LoginSession]:
    """The user's sessions, the most recently used first."""
    statement = (
        select(LoginSession)
        .where(LoginSession.user_id == user_id)
        .order_by(LoginSession.seen_at.desc(), LoginSession.created_at.desc())
    )
    return list(session.scalars(statement))


def end_expired(session: Session, *, seen_before: dt.datetime, created_before: dt.datetime):
    """Delete the sessions idle since ``seen_before`` or started before ``created_before``."""
    session.execute(
        delete(LoginSession).where(
            or_(LoginSession.seen_at < seen_before, LoginSession.created_at < created_before)
        )
    )


def locked_until(session: Session, keys: list[str], now: dt.datetime) -> dt.datetime | None:
    """The latest lock still in force on any of ``keys``, or ``None``."""
    latest = session.scalar(
        select(func.max(LoginThrottle.locked_until)).where(
            LoginThrottle.key.in_(keys), LoginThrottle.locked_until > now
        )
    )
    return utc(latest) if latest is not None else None


def _insert(session: Session) -> Any:
    # INSERT ... ON CONFLICT DO UPDATE exists on both stores, with one construct each:
    # concurrent failures on one key then count once each, never lost nor duplicated.
    from sqlalchemy.dialects import postgresql, sqlite

    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def count_failure(
    session: Session,
    key: str,
    *,
    now: dt.datetime,
    window: dt.timedelta,
    limit: int,
    lockout: dt.timedelta,
) -> dt.datetime | None:
    """Count one failed login for ``key`` (a window of ``window`` starts at its first
    failure); at ``limit`` failures lock it for ``lockout``. The lock's end, if it locked."""
    table = LoginThrottle.__table__
    stale = table.c.window_start <= now - window
    statement = (
        _insert(session)(table)
        .values(key=key, failures=1, window_start=now, locked_until=None)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((stale, 1), else_=table.c.failures + 1),
                "window_start": case((stale, now), else_=table.c.window_start),
            },
        )
        .returning(table.c.failures)
    )
    failures = int(session.execute(statement).scalar_one())
    if failures < limit:
        return None
    until = now + lockout
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key)
        .values(failures=0, window_start=now, locked_until=until)
    )
    return until


def forget_failures(session: Session, key: str) -> None:
    """A successful login clears its email's count (never its address's)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def forget_stale_failures(session: Session, *, now: dt.datetime, window: dt.timedelta) -> None:
    """Drop the counts whose window has passed and whose lock (if any) has ended: they
    would count from zero again anyway, and the table should not keep every email ever
    typed."""
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_start <= now - window,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        )
    )
