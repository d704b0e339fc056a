"""Whether a person is suggested to others: their own choice, kept and audited.

A person who opts out is never named in anyone's suggestions: whom to meet, who can help,
who faces a similar challenge (nor counted in a workgroup suggested for its topics). They
still see their own suggestions. Admins see how many opted out, never who.
"""

from __future__ import annotations

from smartmoves.data.store import db, optouts
from smartmoves.pathway import audit
from smartmoves.pathway._store import store
from smartmoves.pathway._views import View
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = ["SuggestedView", "count_opted_out", "is_suggested", "opted_out", "set_suggested"]


class SuggestedView(View):
    """Whether the account's person is suggested to others."""

    person_id: str
    suggested: bool


def opted_out(settings: Settings) -> tuple[str, ...]:
    """Everyone never to suggest, sorted: part of every remembered answer's key, so an
    opt-out takes effect at the next page, not when the memory is next cleared."""
    with db.reading(store(settings)) as session:
        return optouts.opted_out(session)


def count_opted_out(settings: Settings) -> int:
    with db.reading(store(settings)) as session:
        return optouts.count_opted_out(session)


def is_suggested(settings: Settings, person_id: str) -> bool:
    with db.reading(store(settings)) as session:
        return not optouts.is_opted_out(session, person_id)


def set_suggested(settings: Settings, account: Account, suggested: bool) -> SuggestedView:
    """Opt the account's own person in (``suggested``) or out of others' suggestions.

    Recorded in the audit log when it changes anything, in the same transaction.

    Raises
    ------
    Forbidden
        The login is not linked to a person.
    """
    require(account, "network.opt_out")
    person = account.person_id
    assert person is not None  # the rule needs a linked person
    with db.transaction(store(settings)) as session:
        if optouts.set_suggested(session, person, suggested):
            action = "network.opt_in" if suggested else "network.opt_out"
            audit.record(session, account, action, person, suggested=suggested)
    return SuggestedView(person_id=person, suggested=suggested)
