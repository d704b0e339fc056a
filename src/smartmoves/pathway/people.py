"""Who a person is, as every page and answer names them: the one place that turns a
person id into a name, a role, a unit and a way to reach them.

A view names only the people its reader may already see there. So the caller says under
which of the policy's actions (and for which subject) it shows them, and the policy
decides: :func:`who_is` requires that action before it reads a name. No route or
template adds a check of its own.

Pseudonymized data (a Viva export, hashed ids) has no names: a card then shows the id
with the role and unit, never a blank. An id the store does not know (a contact outside
the organization) gets a card with the id alone.

>>> card = PersonCard(person_id="P07", name=None, email=None, role="Agent",
...                   unit_id="CC", unit_name="Contact centre")
>>> card.shown, card.about
('P07', 'Agent · Contact centre')
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import computed_field
from sqlalchemy.orm import Session

from smartmoves.data.store import db
from smartmoves.data.store.org import person_cards
from smartmoves.pathway._store import store
from smartmoves.pathway._views import View
from smartmoves.pathway.policy import Account, Subject, require
from smartmoves.settings import Settings

__all__ = ["People", "PersonCard", "cards", "people_of", "who_is"]


class PersonCard(View):
    """A person as a page shows them. ``name`` and ``email`` are ``None`` where the people
    table has none (pseudonymized data); ``shown`` is then the id."""

    person_id: str
    name: str | None = None
    email: str | None = None
    role: str | None = None
    unit_id: str | None = None
    unit_name: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def shown(self) -> str:
        """What names the person: their name, else their id (never a blank)."""
        return self.name or self.person_id

    @property
    def about(self) -> str:
        """Role and unit in a few words (the unit's name where it has one)."""
        return " · ".join(p for p in (self.role, self.unit_name or self.unit_id) if p)


# Who is who on one view: each person it names, by id.
People = dict[str, PersonCard]


def cards(session: Session, person_ids: Iterable[str]) -> People:
    """Cards for ``person_ids``, as they are: for a use case that has already required
    what shows these people (:func:`who_is` asks the policy itself)."""
    wanted = {str(p) for p in person_ids if p}
    found = {row["person_id"]: PersonCard(**row) for row in person_cards(session, wanted)}
    return {p: found.get(p) or PersonCard(person_id=p) for p in sorted(wanted)}


def who_is(
    session: Session,
    account: Account,
    person_ids: Iterable[str],
    seen_as: str,
    subject: Subject | None = None,
) -> People:
    """Cards for ``person_ids``, which a view shows ``account`` under the policy's action
    ``seen_as`` (on ``subject``): :class:`Forbidden` unless the policy allows it."""
    require(account, seen_as, subject)
    return cards(session, person_ids)


def people_of(
    settings: Settings,
    account: Account,
    person_ids: Iterable[str],
    seen_as: str,
    subject: Subject | None = None,
) -> People:
    """:func:`who_is` in a transaction of its own (for views built outside one)."""
    with db.reading(store(settings)) as session:
        return who_is(session, account, person_ids, seen_as, subject)
