"""Users of the workspace and their roles (sessions only; the pathway commits)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartmoves.data.store.models import User
from smartmoves.data.store.models.access import ROLES

__all__ = ["ROLES", "add_user", "find_user", "list_users"]


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def add_user(
    session: Session,
    *,
    email: str,
    password_hash: str,
    role: str,
    person_id: str | None = None,
    display_name: str | None = None,
) -> User:
    user = User(
        email=email.strip().lower(),
        password_hash=password_hash,
        role=role,
        person_id=person_id,
        display_name=display_name,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.email)))
