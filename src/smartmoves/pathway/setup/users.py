"""Who may log in to the workspace: users, their roles, passwords (argon2), logins.

What each role may do is the policy's (:mod:`smartmoves.pathway.policy`). Deactivating a
user, changing their role or resetting their password ends every session they have (see
:mod:`smartmoves.pathway.setup.logins`), and each is recorded in the audit log.
"""

from __future__ import annotations

import functools
import re
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row
from sqlalchemy.orm import Session

from smartmoves.data.store import db, logins, org, users
from smartmoves.errors import ConfigError, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway._views import View
from smartmoves.pathway.audit import record
from smartmoves.pathway.policy import ROLES, Account, require
from smartmoves.settings import Settings

__all__ = [
    "MIN_PASSWORD",
    "UserRow",
    "account_by_email",
    "account_of",
    "activate_account",
    "add_account",
    "authenticate",
    "deactivate_account",
    "get_account",
    "list_accounts",
    "list_users",
    "new_password",
    "reset_password",
    "set_role",
]

MIN_PASSWORD = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """What an unknown email is verified against, so a failed login takes as long either
    way and response times do not reveal who has an account. Hashed the first time a
    login is checked, not when the module is imported."""
    return _hasher.hash("not a real password")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"a password needs at least {MIN_PASSWORD} characters")


def account_of(user: users.User | Row[Any]) -> Account:
    """The account of a stored user, or of a row with its columns (never its password
    hash)."""
    return Account(user.id, user.email, user.role, user.person_id, user.display_name)


def new_password() -> str:
    return secrets.token_urlsafe(12)


def add_account(
    settings: Settings,
    email: str,
    role: str,
    password: str,
    *,
    person_id: str | None = None,
    display_name: str | None = None,
    actor: str = "cli",
) -> Account:
    """Create a user; the password is stored only as an argon2 hash."""
    if not _EMAIL.match(email.strip()):
        raise ConfigError(f"{email!r} is not an email address")
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r} (expected one of {', '.join(ROLES)})")
    _check_password(password)
    password_hash = _hasher.hash(password)  # before the lock: hashing takes a while
    with db.transaction(store(settings)) as session:
        db.hold_name(session, f"user:{email.strip().lower()}")  # one account per email
        if users.find_user(session, email) is not None:
            raise ConfigError(f"a user {email.strip().lower()} exists already")
        if person_id is not None and person_id not in org.known_ids(session, "people"):
            raise ConfigError(f"no person {person_id!r} in the imported people")
        user = users.add_user(
            session,
            email=email,
            password_hash=password_hash,
            role=role,
            person_id=person_id,
            display_name=display_name,
        )
        org.audit(session, actor, "add user", user.email, role=role)
        return account_of(user)


def authenticate(settings: Settings, email: str, password: str) -> Account | None:
    """The account for a correct email and password, else ``None``."""
    with db.transaction(store(settings)) as session:
        user = users.find_user(session, email)
        try:
            _hasher.verify(user.password_hash if user else _dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return None
        if user is None or not user.active:
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return account_of(user)


def get_account(settings: Settings, user_id: int) -> Account | None:
    with db.transaction(store(settings)) as session:
        user = users.get_user(session, user_id)
        return account_of(user) if user is not None and user.active else None


def account_by_email(settings: Settings, email: str) -> Account:
    """The active account of ``email``: whom a command acts for when it names a user
    (``--by``), so the policy decides for that user as it would on the web.

    Raises
    ------
    NotFound
        No user of that email.
    ConfigError
        The user is deactivated.
    """
    with db.transaction(store(settings)) as session:
        user = _user(session, email)
        if not user.active:
            raise ConfigError(f"{user.email} is deactivated: a deactivated user acts on nothing")
        return account_of(user)


def list_accounts(settings: Settings, account: Account) -> list[Account]:
    """Every user and their role (admins)."""
    require(account, "users.manage")
    with db.transaction(store(settings)) as session:
        return [account_of(u) for u in users.list_users(session)]


class UserRow(View):
    """A user as the users page and ``smartmoves users list`` show them."""

    email: str
    role: str
    person_id: str | None
    display_name: str | None
    active: bool


def list_users(settings: Settings, account: Account) -> list[UserRow]:
    """Every user, deactivated ones included, by role and email (admins)."""
    require(account, "users.manage")
    with db.reading(store(settings)) as session:
        return [
            UserRow(
                email=u.email,
                role=u.role,
                person_id=u.person_id,
                display_name=u.display_name,
                active=u.active,
            )
            for u in users.list_users(session)
        ]


def _user(session: Session, email: str) -> users.User:
    user = users.find_user(session, email)
    if user is None:
        raise NotFound(f"no user {email.strip().lower()}")
    return user


def deactivate_account(settings: Settings, account: Account, email: str) -> int:
    """Deactivate a user: they cannot log in, and every session they have ends now.
    Returns how many sessions ended."""
    require(account, "users.manage")
    with db.transaction(store(settings)) as session:
        user = _user(session, email)
        if not user.active:
            raise ConfigError(f"{user.email} is deactivated already")
        user.active = False
        ended = logins.end_sessions_of(session, user.id)
        record(session, account, "deactivate user", user.email, sessions_ended=ended)
        return ended


def activate_account(settings: Settings, account: Account, email: str) -> None:
    """Let a deactivated user log in again (with the password they had)."""
    require(account, "users.manage")
    with db.transaction(store(settings)) as session:
        user = _user(session, email)
        if user.active:
            raise ConfigError(f"{user.email} is active already")
        user.active = True
        record(session, account, "activate user", user.email)


def reset_password(settings: Settings, account: Account, email: str, password: str) -> int:
    """Give a user a new password; every session they have ends. Returns how many."""
    require(account, "users.manage")
    _check_password(password)
    with db.transaction(store(settings)) as session:
        user = _user(session, email)
        user.password_hash = _hasher.hash(password)
        ended = logins.end_sessions_of(session, user.id)
        record(session, account, "reset password", user.email, sessions_ended=ended)
        return ended


def set_role(settings: Settings, account: Account, email: str, role: str) -> int:
    """Change a user's role; every session they have ends (they log in again as the new
    role). Returns how many sessions ended."""
    require(account, "users.manage")
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r} (expected one of {', '.join(ROLES)})")
    with db.transaction(store(settings)) as session:
        user = _user(session, email)
        if user.role == role:
            raise ConfigError(f"{user.email} is {role} already")
        before, user.role = user.role, role
        ended = logins.end_sessions_of(session, user.id)
        record(session, account, "set role", user.email, before=before, after=role)
        return ended
