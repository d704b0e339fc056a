"""Set new expectations: each workgroup's charter, and its page.

A charter resets what a workgroup's work is: an objective of new value (not output), a
starting problem framed as a real need, the shared outcome, the powerful question,
guardrails (customers and systems the workgroup may or may not touch), the metrics
relaxed for it (from the pilot's ``relax-metric`` capacity decisions), how performance is
judged during the pilot, and the support offered. Every save adds a version: nothing is
overwritten, and the page shows what changed between versions. The starting problem
becomes the workgroup's focus.

Admins, champions and the workgroup's coach edit; supervisors read; a member reads the
charter of their own workgroup only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from smartmoves.data.store import capacity, coaching, db, org, pilots
from smartmoves.data.store.models import Activity, Charter, Workgroup
from smartmoves.errors import ConfigError, Forbidden, NotFound
from smartmoves.pathway._store import store
from smartmoves.pathway.access import Account
from smartmoves.settings import Settings

__all__ = [
    "FIELDS",
    "CharterContent",
    "CharterField",
    "CharterVersion",
    "CharterView",
    "FieldChange",
    "Person",
    "WorkgroupView",
    "charter_view",
    "relaxed_metric_lines",
    "save_charter",
    "workgroup_view",
]

MAX_TEXT = 4000  # characters per field: a charter is read in one sitting
GOOD_FAITH = (
    "By what the workgroup learns and the value it creates for customers, not by the usual "
    "output; nobody is penalized for good-faith participation."
)


@dataclass(frozen=True)
class CharterField:
    key: str
    label: str
    help: str
    required: bool = False
    many: bool = False  # a list, one item per line


FIELDS: tuple[CharterField, ...] = (
    CharterField(
        "objective", "Objective", "The new value the workgroup creates, not an output.", True
    ),
    CharterField(
        "starting_problem",
        "Starting problem",
        "A known problem to start with, framed as a real need of customers or the "
        "organization; it becomes the workgroup's focus.",
        True,
    ),
    CharterField("shared_outcome", "Shared outcome", "The outcome every member commits to."),
    CharterField(
        "powerful_question", "Powerful question", "The open question that guides the work."
    ),
    CharterField(
        "may_touch", "Guardrails: may touch", "Customers and systems the workgroup may work on."
    ),
    CharterField(
        "may_not_touch",
        "Guardrails: may not touch",
        "Customers and systems that stay off limits for now.",
    ),
    CharterField(
        "relaxed_metrics",
        "Relaxed metrics",
        "Normal metrics relaxed during the pilot, one per line.",
        many=True,
    ),
    CharterField(
        "performance",
        "How performance is judged during the pilot",
        "What counts, and the promise that good-faith participation is never penalized.",
    ),
    CharterField("support", "Support offered", "Coaching, resources, tools, time."),
)


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class CharterContent(_View):
    """What a charter says; also the body to save a new version."""

    model_config = ConfigDict(frozen=True, extra="forbid")  # a misspelt field is an error

    objective: str = ""
    starting_problem: str = ""
    shared_outcome: str = ""
    powerful_question: str = ""
    may_touch: str = ""
    may_not_touch: str = ""
    relaxed_metrics: list[str] = Field(default_factory=list)
    performance: str = ""
    support: str = ""


class FieldChange(_View):
    field: str
    label: str
    before: str
    after: str


class CharterVersion(_View):
    version: int
    created_at: dt.datetime
    created_by: str
    content: CharterContent
    changes: list[FieldChange]  # against the version before (every filled field for v1)


class CharterView(_View):
    workgroup_id: int
    current: CharterVersion | None
    versions: list[CharterVersion]  # newest first
    draft: CharterContent  # the form's starting values: the current version, or prefilled


class Person(_View):
    person_id: str
    unit_id: str | None
    role: str | None


class WorkgroupView(_View):
    """The page of one workgroup (and its JSON twin)."""

    pilot_id: int
    pilot_name: str
    id: int
    name: str
    focus: str | None
    members: list[Person]
    coach: Person | None
    charter: CharterView
    can_edit: bool
    connect_href: str  # the Connect step of the workgroup (act phase)


def relaxed_metric_lines(session: Session, pilot_id: int) -> list[str]:
    """The pilot's ``relax-metric`` capacity decisions, one readable line each."""
    lines = []
    for d in capacity.decisions(session, pilot_id):
        if d.decision != "relax-metric":
            continue
        activity = session.get(Activity, d.activity_id)
        line = f"{activity.name if activity else d.activity_id} ({d.activity_id})"
        if d.unit_id:
            line += f" in {d.unit_id}"
        if d.note:
            line += f": {d.note}"
        lines.append(line)
    return lines


def _content(raw: dict[str, Any]) -> CharterContent:
    return CharterContent.model_validate({f.key: raw[f.key] for f in FIELDS if f.key in raw})


def _text(content: CharterContent, key: str) -> str:
    value = getattr(content, key)
    return "; ".join(value) if isinstance(value, list) else str(value)


def _changes(before: CharterContent | None, after: CharterContent) -> list[FieldChange]:
    empty = CharterContent()
    old = before or empty
    return [
        FieldChange(field=f.key, label=f.label, before=_text(old, f.key), after=_text(after, f.key))
        for f in FIELDS
        if _text(old, f.key) != _text(after, f.key)
    ]


def _versions(rows: list[Charter]) -> list[CharterVersion]:
    out, before = [], None
    for row in rows:
        content = _content(row.content)
        out.append(
            CharterVersion(
                version=row.version,
                created_at=row.created_at,
                created_by=row.created_by,
                content=content,
                changes=_changes(before, content),
            )
        )
        before = content
    return out[::-1]


def _charter(session: Session, group: Workgroup) -> CharterView:
    versions = _versions(coaching.charters(session, group.id))
    current = versions[0] if versions else None
    draft = (
        current.content
        if current
        else CharterContent(
            starting_problem=group.focus or "",
            relaxed_metrics=relaxed_metric_lines(session, group.pilot_id),
            performance=GOOD_FAITH,
            support="A coach for the workgroup, time freed for the pilot, and help with data "
            "and tools when the workgroup asks for it.",
        )
    )
    return CharterView(workgroup_id=group.id, current=current, versions=versions, draft=draft)


def _group(session: Session, workgroup_id: int, pilot_id: int | None) -> Workgroup:
    group = coaching.get_workgroup(session, workgroup_id)
    if group is None or (pilot_id is not None and group.pilot_id != pilot_id):
        where = "" if pilot_id is None else f" in pilot {pilot_id}"
        raise NotFound(f"no workgroup {workgroup_id}{where}")
    return group


def _access(session: Session, account: Account | None, group: Workgroup) -> bool:
    """Whether ``account`` may edit the workgroup (``None``: the command line, which
    may); Forbidden when it may not even read it."""
    if account is None or account.role in ("admin", "champion"):
        return True
    if account.role == "supervisor":
        return account.person_id is not None and account.person_id == group.coach_id
    mine = account.person_id and coaching.workgroup_of(session, group.pilot_id, account.person_id)
    if mine != group.id:
        raise Forbidden("a member sees the page of their own workgroup only")
    return False


def charter_view(
    settings: Settings,
    workgroup_id: int,
    *,
    pilot_id: int | None = None,
    account: Account | None = None,
) -> CharterView:
    """The current charter and every version, newest first."""
    with db.transaction(store(settings)) as session:
        group = _group(session, workgroup_id, pilot_id)
        _access(session, account, group)
        return _charter(session, group)


def _clean(content: CharterContent) -> CharterContent:
    """Trimmed text, empty lines dropped; one clear line for what is missing or too long."""
    values: dict[str, Any] = {}
    for f in FIELDS:
        value = getattr(content, f.key)
        if f.many:
            values[f.key] = [str(v).strip() for v in value if str(v).strip()]
            size = sum(len(v) for v in values[f.key])
        else:
            values[f.key] = str(value).strip()
            size = len(values[f.key])
        if size > MAX_TEXT:
            raise ConfigError(
                f"the charter's {f.label.lower()} is longer than {MAX_TEXT} characters"
            )
    missing = [f.label.lower() for f in FIELDS if f.required and not values[f.key]]
    if missing:
        raise ConfigError(
            f"a charter needs an objective and a starting problem (missing: {', '.join(missing)})"
        )
    return CharterContent.model_validate(values)


def save_charter(
    settings: Settings,
    workgroup_id: int,
    content: CharterContent,
    *,
    pilot_id: int | None = None,
    account: Account | None = None,
    actor: str = "cli",
) -> CharterView:
    """Add a new version of the workgroup's charter and set the workgroup's focus to its
    starting problem. Saving what the current version already says adds nothing.

    Raises
    ------
    ConfigError
        No objective or no starting problem, or a field longer than 4,000 characters.
    NotFound, Forbidden
        No such workgroup (in the pilot), or ``account`` may not edit it.
    """
    clean = _clean(content)
    with db.transaction(store(settings)) as session:
        group = _group(session, workgroup_id, pilot_id)
        if not _access(session, account, group):
            raise Forbidden("only admins, champions and the workgroup's coach edit its charter")
        saved = coaching.charters(session, group.id)
        if saved and _content(saved[-1].content) == clean:
            return _charter(session, group)  # nothing changed: no new version to read
        row = coaching.add_charter(session, group.id, clean.model_dump(), actor)
        group.focus = clean.starting_problem
        org.audit(session, actor, "charter", str(group.id), version=row.version)
        session.flush()
        return _charter(session, group)


def _person(found: dict[str, Any], person_id: str) -> Person:
    p = found.get(person_id)
    return Person(
        person_id=person_id,
        unit_id=p.unit_id if p else None,
        role=p.role if p else None,
    )


def workgroup_view(
    settings: Settings, pilot_id: int, workgroup_id: int, *, account: Account | None = None
) -> WorkgroupView:
    """Members, coach and charter of a workgroup, as ``account`` may see them."""
    with db.transaction(store(settings)) as session:
        group = _group(session, workgroup_id, pilot_id)
        can_edit = _access(session, account, group)
        pilot = pilots.get_pilot(session, pilot_id)
        assert pilot is not None  # the workgroup's foreign key
        members = coaching.members_of(session, group.id)
        found = coaching.people(session, [*members, *([group.coach_id] if group.coach_id else [])])
        return WorkgroupView(
            pilot_id=pilot_id,
            pilot_name=pilot.name,
            id=group.id,
            name=group.name,
            focus=group.focus,
            members=[_person(found, m) for m in members],
            coach=_person(found, group.coach_id) if group.coach_id else None,
            charter=_charter(session, group),
            can_edit=can_edit,
            connect_href=f"/pilots/{pilot_id}/workgroups/{group.id}/connect",
        )
