"""Select a pilot's volunteers among the applicants (admins).

The admin selects, seeing each applicant's unit, attributes and whether the pilot's
current capacity plan frees them (:mod:`smartmoves.pathway.create.volunteers.applicants`).
Selection is person-level and for admins only; champions and supervisors read counts by
unit, suppressed below the minimum group size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from smartmoves.data.store import db, teams
from smartmoves.data.store import volunteers as store_volunteers
from smartmoves.data.store.models.pilot import SELECTION_STATUSES
from smartmoves.errors import DataError, Problem
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import View
from smartmoves.pathway.create.volunteers.applicants import (
    VolunteersView,
    volunteers_view,
)
from smartmoves.pathway.create.volunteers.call import (
    entry_units,
)
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = ["SelectionIn", "decide"]


class SelectionIn(View):
    person_id: str
    status: str  # selected / not_selected


def decide(
    settings: Settings,
    account: Account,
    pilot_id: int,
    decisions: Sequence[SelectionIn],
    *,
    filters: Mapping[str, str] | None = None,
) -> VolunteersView:
    """Select or unselect applicants of the pilot (admins). All or nothing: an unknown
    status, someone who did not apply, or more selected than the pilot's maximum is
    refused with every problem named, and nothing changes. The answer is the applicants
    under ``filters`` (the screen the admin acted on) with what changed in workgroups."""
    require(account, "volunteers.select")
    if not decisions:
        raise DataError("no volunteers given: tick at least one applicant")
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        db.hold(session, pilot)  # decisions one after the other: the maximum holds
        units = entry_units(session, pilot)
        applied = {r.person_id for r in store_volunteers.applications_of(session, pilot_id, units)}
        decided = store_volunteers.selections_of(session, pilot_id)
        problems = []
        for i, d in enumerate(decisions, start=1):
            if d.status not in SELECTION_STATUSES:
                wrong = f"{d.status!r} is not selected or not_selected"
                problems.append(Problem("selection", i, "status", wrong))
            if d.person_id not in applied:
                wrong = f"{d.person_id} did not apply to this pilot"
                problems.append(Problem("selection", i, "person_id", wrong))
        status = {p: s.status for p, s in decided.items()}
        status |= {d.person_id: d.status for d in decisions}
        chosen = sum(s == "selected" for s in status.values())
        if chosen > pilot.max_pilot:
            too_many = f"{chosen} would be selected, above the pilot's maximum of {pilot.max_pilot}"
            problems.append(Problem("selection", None, None, too_many))
        if problems:
            raise DataError(problems)
        for d in decisions:
            store_volunteers.save_selection(session, pilot_id, d.person_id, d.status, account.email)
        # Workgroups hold selected volunteers only: whoever is unselected leaves theirs (and
        # their cell) in the same transaction, and the answer says so.
        dropped = [d.person_id for d in decisions if d.status == "not_selected"]
        left = teams.leave_groups(session, pilot_id, dropped)
        audit.record(
            session, account, "select volunteers", str(pilot_id), selected=chosen, left=len(left)
        )
    view = volunteers_view(settings, account, pilot_id, filters=filters)
    changes = [
        f"{person} is no longer selected and left {group} (and their cell)"
        for person, group in sorted(left.items())
    ]
    return view.model_copy(update={"changes": changes})
