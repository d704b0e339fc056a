"""The page of one workgroup: its members, its coach and its charter.

Admins, champions and the workgroup's coach edit the charter there; supervisors read
it; a member opens the page of their own workgroup only. The link to the workgroup's
Connect page is given to those who may open it (``connect.open``: sponsors, its coach,
its members).
"""

from __future__ import annotations

from typing import Any

from smartmoves.data.store import coaching, db, pilots
from smartmoves.pathway._store import store
from smartmoves.pathway._views import View
from smartmoves.pathway.create.coaching.charters import CharterView, charter_of, readable_group
from smartmoves.pathway.people import People, who_is
from smartmoves.pathway.policy import Account, may
from smartmoves.settings import Settings

__all__ = ["Person", "WorkgroupView", "workgroup_view"]


class Person(View):
    person_id: str
    unit_id: str | None
    role: str | None


class WorkgroupView(View):
    """The page of one workgroup (and its JSON twin)."""

    pilot_id: int
    pilot_name: str
    id: int
    name: str
    focus: str | None
    members: list[Person]
    coach: Person | None
    charter: CharterView
    can_edit: bool  # the charter (``charter.edit``)
    connect_href: str | None  # the workgroup's Connect page (act phase), if it may open it
    who: People  # who each member and the coach are: name, email, role, unit


def _person(found: dict[str, Any], person_id: str) -> Person:
    p = found.get(person_id)
    return Person(
        person_id=person_id,
        unit_id=p.unit_id if p else None,
        role=p.role if p else None,
    )


def workgroup_view(
    settings: Settings, account: Account, pilot_id: int, workgroup_id: int
) -> WorkgroupView:
    """Members, coach and charter of a workgroup, as ``account`` may see them."""
    with db.reading(store(settings)) as session:
        group, subject = readable_group(session, account, workgroup_id, pilot_id)
        pilot = pilots.get_pilot(session, pilot_id)
        assert pilot is not None  # the workgroup's foreign key
        members = coaching.members_of(session, group.id)
        named = [*members, *([group.coach_id] if group.coach_id else [])]
        found = coaching.people(session, named)
        return WorkgroupView(
            pilot_id=pilot_id,
            pilot_name=pilot.name,
            id=group.id,
            name=group.name,
            focus=group.focus,
            members=[_person(found, m) for m in members],
            coach=_person(found, group.coach_id) if group.coach_id else None,
            charter=charter_of(session, group),
            can_edit=may(account, "charter.edit", subject),
            connect_href=f"/pilots/{pilot_id}/workgroups/{group.id}/connect"
            if may(account, "connect.open", subject)
            else None,
            who=who_is(session, account, named, "workgroup.read", subject),
        )
