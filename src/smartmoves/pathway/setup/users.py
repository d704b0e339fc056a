"""Who may log in to the workspace: users, their roles, passwords (argon2), logins.

What each role may do is the policy's (:mod:`smartmoves.pathway.policy`).
"""

from __future__ import annotations

import functools
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from smartmoves.data.store import db, org, users
from smartmoves.errors import ConfigError
from smartmoves.pathway._store import store
from smartmoves.pathway.policy import ROLES, Account, require
from smartmoves.settings import Settings

__all__ = [
    "add_account",
    "authenticate",
    "get_account",
    "list_accounts",
    "new_password",
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


def _account(user: users.User) -> Account:
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
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"a password needs at least {MIN_PASSWORD} characters")
    with db.transaction(store(settings)) as session:
        if users.find_user(session, email) is not None:
            raise ConfigError(f"a user {email.strip().lower()} exists already")
        if person_id is not None and person_id not in org.known_ids(session, "people"):
            raise ConfigError(f"no person {person_id!r} in the imported people")
        user = users.add_user(
            session,
            email=email,
            password_hash=_hasher.hash(password),
            role=role,
            person_id=person_id,
            display_name=display_name,
        )
        org.audit(session, actor, "add user", user.email, role=role)
        return _account(user)


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
        return _account(user)


def get_account(settings: Settings, user_id: int) -> Account | None:
    with db.transaction(store(settings)) as session:
        user = users.get_user(session, user_id)
        return _account(user) if user is not None and user.active else None


def list_accounts(settings: Settings, account: Account) -> list[Account]:
    """Every user and their role (admins)."""
    require(account, "users.manage")
    with db.transaction(store(settings)) as session:
        return [_account(u) for u in users.list_users(session)]
