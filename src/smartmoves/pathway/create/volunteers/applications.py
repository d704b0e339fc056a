"""Apply to a pilot: a person's application, sent from the web or imported.

Members of the entry point (and the units below it) apply, once the call is open, with the
problem or opportunity they want to address, and why. A second application of the same
person to the same pilot updates their first: one application per person per pilot.
Applications imported from a file (no pilot named) count for every pilot whose entry
point holds their person; an import never removes a web application.
"""

from __future__ import annotations

from smartmoves.data.store import capacity, db
from smartmoves.data.store import volunteers as store_volunteers
from smartmoves.data.store.models import Application
from smartmoves.errors import ConfigError, DataError, Forbidden, Problem
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.create.volunteers.applicants import best_applications
from smartmoves.pathway.create.volunteers.call import MAX_TEXT, entry_units
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = ["ApplicationView", "apply", "my_application"]


class ApplicationView(View):
    person_id: str
    problem: str
    why: str
    submitted_at: UtcTime | None
    source: str
    pilot_id: int | None


def _application(row: Application) -> ApplicationView:
    return ApplicationView(
        person_id=row.person_id,
        problem=row.problem,
        why=row.why,
        submitted_at=row.submitted_at,
        source=row.source,
        pilot_id=row.pilot_id,
    )


def my_application(settings: Settings, account: Account, pilot_id: int) -> ApplicationView | None:
    """The account's own application to the pilot (sent from the web, or imported);
    ``None`` without one, or for a login with no person."""
    person_id = account.person_id
    if person_id is None:  # a login with no person has no application to read
        return None
    with db.reading(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        if pilot.unit_id is None:
            return None
        rows = [
            r
            for r in store_volunteers.applications_of(
                session, pilot_id, entry_units(session, pilot)
            )
            if r.person_id == person_id
        ]
        best = best_applications(rows, pilot_id).get(person_id)
        return None if best is None else _application(best)


def apply(
    settings: Settings, account: Account, pilot_id: int, problem: str, why: str
) -> ApplicationView:
    """Store the account's person's application to the pilot; a second one updates
    their first.

    Raises
    ------
    DataError
        An empty or too long answer (nothing is stored then).
    Forbidden
        A login with no person, a champion (who sponsors the pilot rather than joins
        it), or a person outside the pilot's entry point.
    ConfigError
        The call is not open (the pilot is not ``recruiting``).
    """
    problem, why = (problem or "").strip(), (why or "").strip()
    problems = [
        Problem("application", None, field, message)
        for field, value, message in (
            ("problem", problem, "say which problem or opportunity you want to address"),
            ("why", why, "say why you want to address it"),
        )
        if not value
    ] + [
        Problem("application", None, field, f"at most {MAX_TEXT} characters")
        for field, value in (("problem", problem), ("why", why))
        if len(value) > MAX_TEXT
    ]
    if problems:
        raise DataError(problems)
    require(account, "application.send")
    person_id = str(account.person_id)
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        db.hold(session, pilot)  # a second application, even at once, updates the first
        if pilot.status != "recruiting":
            raise ConfigError(f"the call for pilot {pilot_id} is not open ({pilot.status})")
        inside = set(capacity.people_in(session, entry_units(session, pilot))["person_id"])
        if person_id not in inside:
            raise Forbidden(f"this call is for the people of {pilot.unit_id} and below it")
        row, created = store_volunteers.save_web_application(
            session, pilot_id, person_id, problem, why
        )
        audit.record(session, account, "apply" if created else "update application", str(pilot_id))
        return _application(row)
