"""Who asked not to be suggested (sessions only; the pathway commits and audits)."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smartmoves.data.store import db
from smartmoves.data.store.models import SuggestionOptOut

__all__ = ["count_opted_out", "is_opted_out", "opted_out", "set_suggested"]


# Built once: building a statement costs about as much as running it on a near store.
_OPTED_OUT = select(SuggestionOptOut.person_id).order_by(SuggestionOptOut.person_id)


def opted_out(session: Session) -> tuple[str, ...]:
    """Everyone who opted out, sorted (a stable key for remembered answers)."""
    return tuple(db.read(session, _OPTED_OUT).scalars())


def count_opted_out(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(SuggestionOptOut)) or 0)


def is_opted_out(session: Session, person_id: str) -> bool:
    return session.get(SuggestionOptOut, person_id) is not None


def set_suggested(session: Session, person_id: str, suggested: bool) -> bool:
    """Opt ``person_id`` in (``suggested``) or out; whether anything changed."""
    if suggested:
        gone = session.execute(
            delete(SuggestionOptOut).where(SuggestionOptOut.person_id == person_id)
        )
        return bool(gone.rowcount)  # type: ignore[attr-defined]
    if is_opted_out(session, person_id):
        return False
    try:
        # Two requests opting the same person out at once: the second finds the row
        # the first wrote, which is what it asked for, rather than an error.
        with session.begin_nested():
            session.add(SuggestionOptOut(person_id=person_id))
    except IntegrityError:
        return False
    return True
