"""Volunteers of a pilot in the operational store: their applications (imported or sent
from the pilot's web form) and the admin's selection decisions.

An application counts for a pilot when it names the pilot, or names no pilot (an
imported one), and its person belongs to the pilot's entry point or a unit below it: the
same rule as :func:`smartmoves.data.store.capacity.applicants`.

Web applications (``source='web'``) are never replaced by an import: ``replace_table``
deletes imported rows only. Functions take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from smartmoves.data.store import db
from smartmoves.data.store.models import Application, Person, Selection, Unit

__all__ = [
    "WEB",
    "applications_mark",
    "applications_of",
    "save_selection",
    "save_web_application",
    "selections_of",
    "unit_name",
    "web_application",
]

WEB = "web"


# Built once: building a statement costs about as much as running it on a near store.
_APPLICATIONS_MARK = select(
    func.count(Application.id), func.max(Application.id), func.max(Application.submitted_at)
)


def applications_mark(session: Session) -> tuple[object, ...]:
    """What changes whenever an application is added, removed or edited: their number,
    the newest id and the newest submission (the web form stamps an edit), in one query
    that reads no application."""
    row = db.read(session, _APPLICATIONS_MARK).one()
    return (row[0], row[1], str(row[2]))


def applications_of(
    session: Session, pilot_id: int, unit_ids: Collection[str]
) -> list[Application]:
    """Every application that counts for the pilot, oldest first (a person may have an
    imported one and a web one)."""
    return list(
        session.scalars(
            select(Application)
            .join(Person, Person.person_id == Application.person_id)
            .where(
                Person.unit_id.in_(list(unit_ids)),
                or_(Application.pilot_id.is_(None), Application.pilot_id == pilot_id),
            )
            .order_by(Application.person_id, Application.id)
        )
    )


def unit_name(session: Session, unit_id: str | None) -> str | None:
    """A unit's name (its id when it has none), or ``None`` for no or an unknown unit."""
    unit = None if unit_id is None else session.get(Unit, unit_id)
    return None if unit is None else unit.name or unit.unit_id


def web_application(session: Session, pilot_id: int, person_id: str) -> Application | None:
    """The application a person sent to this pilot from the web form, if any."""
    return session.scalars(
        select(Application)
        .where(
            Application.pilot_id == pilot_id,
            Application.person_id == person_id,
            Application.source == WEB,
        )
        .order_by(Application.id.desc())
        .limit(1)
    ).first()


def save_web_application(
    session: Session, pilot_id: int, person_id: str, problem: str, why: str
) -> tuple[Application, bool]:
    """Store a person's web application to the pilot; a second one updates their first.
    Returns the row and whether it was new."""
    row = web_application(session, pilot_id, person_id)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    created = row is None
    if row is None:
        row = Application(person_id=person_id, pilot_id=pilot_id, source=WEB, attributes={})
        session.add(row)
    row.problem, row.why, row.submitted_at = problem, why, now
    session.flush()
    return row, created


def selections_of(session: Session, pilot_id: int) -> dict[str, Selection]:
    """The admin's decisions on the pilot's volunteers, by person_id."""
    rows = session.scalars(select(Selection).where(Selection.pilot_id == pilot_id))
    return {s.person_id: s for s in rows}


def save_selection(
    session: Session, pilot_id: int, person_id: str, status: str, decided_by: str
) -> Selection:
    """Record (or change) the decision on one volunteer."""
    row = session.scalars(
        select(Selection).where(Selection.pilot_id == pilot_id, Selection.person_id == person_id)
    ).first()
    if row is None:
        row = Selection(pilot_id=pilot_id, person_id=person_id)
        session.add(row)
    row.status, row.decided_by = status, decided_by
    row.decided_at = dt.datetime.now(dt.UTC)
    session.flush()
    return row
