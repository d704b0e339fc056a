"""Who may do what: the one permission table of smartmoves.

Every use case calls :func:`require` before it reads or writes; navigation, templates
(``may(...)``) and both interfaces read the same :data:`PERMISSIONS`, so no route or
template decides on its own. A rule grants an action to roles, or to whoever stands in
a relation to the object acted on ("the coach of this workgroup", "a member of this
workgroup", "the person themselves", "a pilot that is not a draft").

Roles, fitted to the pathway:

- ``admin``, the transformation or people-analytics lead: everything, person-level
  figures included;
- ``champion``, the sponsor: starts pilots, writes the call, assigns coaches, edits
  charters, reads the aggregates of every pilot; is not offered to apply;
- ``supervisor``: coaches their workgroups (checklist, charter), reads the pilot's
  aggregates, opens Connect for the workgroups they coach;
- ``member``: their own application, workgroup, cell and network; never a draft pilot.

>>> champion = Account(1, "c@example.org", "champion", "P1", None)
>>> may(champion, "call.write"), may(champion, "volunteers.select")
(True, False)
>>> coach = Account(2, "s@example.org", "supervisor", "P7", None)
>>> may(coach, "charter.edit", Subject(coach_id="P7")), may(coach, "charter.edit")
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from smartmoves.data.store.models.access import ROLES
from smartmoves.errors import Forbidden

__all__ = [
    "EVERYONE",
    "PERMISSIONS",
    "ROLES",
    "Account",
    "Rule",
    "Subject",
    "may",
    "require",
    "roles_for",
    "who_may",
]

EVERYONE: tuple[str, ...] = tuple(ROLES)
STAFF = ("admin", "champion", "supervisor")  # read a pilot's aggregates
SPONSORS = ("admin", "champion")
ADMIN = ("admin",)


@dataclass(frozen=True)
class Account:
    """A user as the interfaces see it: never the password hash. ``address`` is where a
    web request came from (the audit log records it); the command line has none."""

    id: int
    email: str
    role: str
    person_id: str | None
    display_name: str | None
    address: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def system(cls, name: str = "cli") -> Account:
        """The command line (or the demo builder): whoever can open the workspace's files
        may do everything, so it acts as an admin, recorded in the audit log as ``name``."""
        return cls(0, name, "admin", None, name)


@dataclass(frozen=True)
class Subject:
    """What a rule may need to know about the object acted on."""

    coach_id: str | None = None  # the coach of the workgroup
    members: frozenset[str] = field(default_factory=frozenset)  # the workgroup's members
    person_id: str | None = None  # the person the object belongs to (a checklist, a row)
    draft: bool = False  # the pilot is a draft

    @classmethod
    def workgroup(cls, coach_id: str | None, members: Iterable[str]) -> Subject:
        return cls(coach_id=coach_id, members=frozenset(members))


# Relations an account may stand in to a subject; a rule lists those that grant it.
def _coach(account: Account, subject: Subject) -> bool:
    return account.person_id is not None and account.person_id == subject.coach_id


def _member(account: Account, subject: Subject) -> bool:
    return account.person_id is not None and account.person_id in subject.members


def _themselves(account: Account, subject: Subject) -> bool:
    return account.person_id is not None and account.person_id == subject.person_id


def _published(account: Account, subject: Subject) -> bool:
    return not subject.draft


RELATIONS = {
    "coach": _coach,
    "member": _member,
    "themselves": _themselves,
    "published": _published,
}


@dataclass(frozen=True)
class Rule:
    """Who may: ``roles`` always, anyone in one of ``relations`` to the subject, and only
    with a linked person when ``needs_person``. ``refusal`` is what the user reads."""

    roles: tuple[str, ...]
    refusal: str
    relations: tuple[str, ...] = ()
    needs_person: bool = False

    def allows(self, account: Account, subject: Subject | None) -> bool:
        if self.needs_person and not account.person_id:
            return False
        if account.role in self.roles:
            return True
        return subject is not None and any(RELATIONS[r](account, subject) for r in self.relations)


PERMISSIONS: dict[str, Rule] = {
    # setup
    "users.manage": Rule(ADMIN, "only admins manage users"),
    "account.sessions": Rule(EVERYONE, "log in to see your sessions"),
    "audit.read": Rule(ADMIN, "the audit log is for admins"),
    "audit.export": Rule(ADMIN, "only admins export the audit log"),
    "api.docs": Rule(EVERYONE, "log in to read the API docs"),
    "jobs.read": Rule(EVERYONE, "log in to follow a job"),
    "workspace.backup": Rule(ADMIN, "only admins back up the workspace"),
    "workspace.restore": Rule(ADMIN, "only admins restore the workspace"),
    # recognize
    "organization.read": Rule(EVERYONE, "log in to see the organization"),
    "metrics.read": Rule(
        STAFF, "the metrics that matter are for admins, champions and supervisors"
    ),
    "metrics.edit": Rule(SPONSORS, "only admins and champions change the metric tree"),
    "entry_points.read": Rule(STAFF, "where to start is for admins, champions and supervisors"),
    "assessments.read": Rule(STAFF, "unit assessments are for admins, champions and supervisors"),
    "assessments.edit": Rule(SPONSORS, "admins and champions assess units"),
    "entry_points.weights": Rule(SPONSORS, "admins and champions set the entry-point weights"),
    "catalysts.read": Rule(
        STAFF, "the catalysts and the champion are for admins, champions and supervisors"
    ),
    "catalysts.edit": Rule(SPONSORS, "admins and champions record the catalysts"),
    "champion.set": Rule(ADMIN, "only admins set the champion"),
    # pilots
    "pilot.list": Rule(EVERYONE, "log in to see the pilots"),
    "pilot.read": Rule(STAFF, "this pilot is still a draft", relations=("published",)),
    "pilot.create": Rule(SPONSORS, "admins and champions start pilots"),
    "pilot.status": Rule(SPONSORS, "admins and champions set a pilot's status"),
    # create capacity
    "capacity.read": Rule(STAFF, "capacity is for admins, champions and supervisors"),
    "capacity.person_level": Rule(ADMIN, "who does an activity is for admins"),
    "capacity.decide": Rule(ADMIN, "admins decide what to automate, stop or keep"),
    "capacity.plan": Rule(ADMIN, "admins compute the capacity plan"),
    # volunteers
    "call.read": Rule(EVERYONE, "log in to read the call"),
    "call.write": Rule(SPONSORS, "admins and champions write the call"),
    "application.send": Rule(
        ("admin", "supervisor", "member"),
        "applying needs a login linked to a person of the entry point (champions sponsor "
        "the pilot rather than join it)",
        needs_person=True,
    ),
    "volunteers.read": Rule(STAFF, "the applicants are for admins, champions and supervisors"),
    "volunteers.person_level": Rule(ADMIN, "applicants person by person are for admins"),
    "volunteers.select": Rule(ADMIN, "admins select the volunteers"),
    # teams
    "workgroups.read": Rule(EVERYONE, "log in to see the workgroups"),
    "workgroups.read_all": Rule(STAFF, "a member sees their own workgroup only"),
    "workgroups.form": Rule(ADMIN, "admins form the workgroups"),
    "workgroups.move": Rule(ADMIN, "admins move people between workgroups"),
    "cells.read": Rule(EVERYONE, "log in to see the cells"),
    "cells.read_all": Rule(STAFF, "a member sees their own cell only"),
    "cells.form": Rule(ADMIN, "admins form the cells"),
    # coaching
    "coaches.read": Rule(STAFF, "the coaches' page is for admins, champions and supervisors"),
    "coaches.assign": Rule(SPONSORS, "admins and champions assign coaches"),
    "checklist.update": Rule(
        SPONSORS,
        "only admins, champions and the coach themself update a checklist",
        relations=("themselves",),
    ),
    "workgroup.read": Rule(
        STAFF, "a member sees the page of their own workgroup only", relations=("member",)
    ),
    "charter.edit": Rule(
        SPONSORS,
        "only admins, champions and the workgroup's coach edit its charter",
        relations=("coach",),
    ),
    # act: connect
    "network.units": Rule(
        STAFF, "unit collaboration figures are for admins, champions and supervisors"
    ),
    "network.people": Rule(ADMIN, "person-level network figures are for admins"),
    "network.suggest": Rule(
        ADMIN, "whom another person might meet is for admins", relations=("themselves",)
    ),
    "network.mine": Rule(
        EVERYONE, "your login is not linked to a person of the organization", needs_person=True
    ),
    # Whom a suggestion passes through, how many contacts are shared, and matches in
    # other people's interaction topics or activities: third parties' data, for admins.
    # Everyone else reads reasons that name only what the person suggested chose to share.
    "network.suggestion_details": Rule(
        ADMIN, "the contacts and topics behind a suggestion are for admins"
    ),
    # Anyone says for themselves (the use case takes no other person) whether they are
    # suggested to others.
    "network.opt_out": Rule(
        EVERYONE,
        "your login is not linked to a person of the organization, so there is no one to "
        "suggest or keep out",
        needs_person=True,
    ),
    # act: insight flags
    # A workgroup's coach discusses its flags with it, as its members do.
    "insights.read": Rule(
        STAFF,
        "a member or coach sees the flags of their own workgroup only",
        relations=("coach", "member"),
    ),
    "connect.open": Rule(
        SPONSORS,
        "the Connect page is for the workgroup's members, its coach and champions",
        relations=("coach", "member"),
    ),
    # act: frontline metrics. A workgroup's figures are the group's, not a person's:
    # its members and coach read the pilot's metrics page and enter their own weeks.
    "frontline.read": Rule(
        STAFF,
        "a pilot's frontline metrics are for staff and the members of its workgroups",
        relations=("coach", "member"),
    ),
    "frontline.enter": Rule(
        STAFF,
        "only admins, champions, supervisors and the workgroup's coach and members enter its weeks",
        relations=("coach", "member"),
    ),
    "targets.set": Rule(SPONSORS, "admins and champions set a pilot's targets"),
    # act: the champion's report. It gathers every phase's aggregates of one pilot, to
    # forward: for its sponsors.
    "report.read": Rule(SPONSORS, "a pilot's report is for admins and champions"),
}


def may(account: Account, action: str, subject: Subject | None = None) -> bool:
    """Whether ``account`` may do ``action`` (on ``subject``, for rules with relations).

    Without a subject only the roles decide: navigation asks that way.
    """
    try:
        rule = PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"no permission {action!r} in the policy") from None
    return rule.allows(account, subject)


def require(account: Account, action: str, subject: Subject | None = None) -> None:
    """:class:`Forbidden` (a 403 on the web) unless ``account`` may do ``action``."""
    if not may(account, action, subject):
        raise Forbidden(PERMISSIONS[action].refusal)


_RELATION_WORDS = {
    "coach": "the workgroup's coach",
    "member": "a member of the workgroup",
    "themselves": "the person themselves",
    "published": "anyone, once the pilot is not a draft",
}


def who_may(action: str) -> str:
    """Who may do ``action``, in words (the table in ``docs/architecture.md``).

    >>> who_may("charter.edit")
    "admin, champion; or the workgroup's coach"
    """
    rule = PERMISSIONS[action]
    words = ", ".join(rule.roles)
    if rule.relations:
        words += "; or " + ", ".join(_RELATION_WORDS[r] for r in rule.relations)
    return words + ("; with a linked person" if rule.needs_person else "")


def roles_for(action: str) -> tuple[str, ...]:
    """The roles granted ``action`` whatever the subject (as the docs' table shows them)."""
    return PERMISSIONS[action].roles
