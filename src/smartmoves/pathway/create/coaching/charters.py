"""Set new expectations: each workgroup's charter.

A charter resets what a workgroup's work is: an objective of new value (not output), a
starting problem framed as a real need, the shared outcome, the powerful question,
guardrails (customers and systems the workgroup may or may not touch), the metrics
relaxed for it (from the pilot's ``relax-metric`` capacity decisions), how performance is
judged during the pilot, and the support offered. Every save adds a version: nothing is
overwritten, and the page shows what changed between versions. The starting problem
becomes the workgroup's focus. A save says which version it was based on: when someone
saved a newer one meanwhile it is refused (:class:`Conflict`), so a slow or stale form
never buries another person's version under its own.

Who may is the policy's: admins, champions and the workgroup's coach edit
(``charter.edit``); supervisors read; a member reads the charter of their own workgroup
only (``workgroup.read``), and never one of a draft pilot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, Field
from sqlalchemy.orm import Session

from smartmoves.data.store import capacity, coaching, db
from smartmoves.data.store.models import Activity, Charter, Workgroup
from smartmoves.errors import ConfigError, Conflict, NotFound
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.policy import Account, Subject, require
from smartmoves.settings import Settings

__all__ = [
    "FIELDS",
    "CharterContent",
    "CharterField",
    "CharterVersion",
    "CharterView",
    "FieldChange",
    "charter_of",
    "charter_view",
    "group_of",
    "readable_group",
    "relaxed_metric_lines",
    "save_charter",
    "subject_of",
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


class CharterContent(View):
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


class FieldChange(View):
    field: str
    label: str
    before: str
    after: str


class CharterVersion(View):
    version: int
    created_at: UtcTime
    created_by: str
    content: CharterContent
    changes: list[FieldChange]  # against the version before (every filled field for v1)


class CharterView(View):
    workgroup_id: int
    version: int  # the current version (0: none yet), which a save is based on
    current: CharterVersion | None
    versions: list[CharterVersion]  # newest first
    draft: CharterContent  # the form's starting values: the current version, or prefilled


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


def charter_of(session: Session, group: Workgroup) -> CharterView:
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
    return CharterView(
        workgroup_id=group.id,
        version=current.version if current else 0,
        current=current,
        versions=versions,
        draft=draft,
    )


def group_of(session: Session, workgroup_id: int, pilot_id: int | None) -> Workgroup:
    group = coaching.get_workgroup(session, workgroup_id)
    if group is None or (pilot_id is not None and group.pilot_id != pilot_id):
        where = "" if pilot_id is None else f" in pilot {pilot_id}"
        raise NotFound(f"no workgroup {workgroup_id}{where}")
    return group


def subject_of(session: Session, group: Workgroup) -> Subject:
    """The workgroup as the policy's rules see it: its coach and its members."""
    return Subject.workgroup(group.coach_id, coaching.members_of(session, group.id))


def readable_group(
    session: Session, account: Account, workgroup_id: int, pilot_id: int | None
) -> tuple[Workgroup, Subject]:
    """The workgroup, if ``account`` may read its page (``workgroup.read``).

    A workgroup of a draft pilot does not exist for those who may not read drafts: the
    pilot is checked before who may read the workgroup, so nothing reveals it.
    """
    group = group_of(session, workgroup_id, pilot_id)
    pilot_for(session, account, group.pilot_id)
    subject = subject_of(session, group)
    require(account, "workgroup.read", subject)
    return group, subject


def charter_view(
    settings: Settings, account: Account, workgroup_id: int, *, pilot_id: int | None = None
) -> CharterView:
    """The current charter and every version, newest first."""
    with db.transaction(store(settings)) as session:
        group, _ = readable_group(session, account, workgroup_id, pilot_id)
        return charter_of(session, group)


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


def _stale(saved: list[Charter], base_version: int | None) -> None:
    """Refuse a save based on an older version than the latest (``None``: not asked)."""
    latest = saved[-1].version if saved else 0
    if base_version is None or base_version == latest:
        return
    if not 0 <= base_version < latest:
        raise ConfigError(
            f"base_version must be a version of this charter (0 to {latest}), not {base_version}"
        )
    started = f"version {base_version}" if base_version else "no charter yet"
    last = saved[-1]
    raise Conflict(
        f"someone saved version {latest} of this charter meanwhile ({last.created_by}, "
        f"{last.created_at:%Y-%m-%d %H:%M}; you started from {started}): nothing was "
        f"overwritten. Read version {latest}, then save your changes on top of it"
    )


def save_charter(
    settings: Settings,
    account: Account,
    workgroup_id: int,
    content: CharterContent,
    *,
    pilot_id: int | None = None,
    base_version: int | None = None,
) -> CharterView:
    """Add a new version of the workgroup's charter and set the workgroup's focus to its
    starting problem. Saving what the current version already says adds nothing.

    ``base_version`` is the version the new text was written from (0: none yet); when a
    newer version exists the save is refused. ``None`` saves on top of whatever is
    current (the command line reads and saves at once).

    Raises
    ------
    ConfigError
        No objective or no starting problem, or a field longer than 4,000 characters.
    NotFound, Forbidden
        No such workgroup (in the pilot), or ``account`` may not edit it.
    Conflict
        Someone saved a version newer than ``base_version`` meanwhile.
    """
    with db.transaction(store(settings)) as session:
        group = group_of(session, workgroup_id, pilot_id)
        pilot_for(session, account, group.pilot_id)
        require(account, "charter.edit", subject_of(session, group))
        clean = _clean(content)
        # Two saves of one charter wait for each other here, so the second sees the first.
        db.hold(session, group)
        saved = coaching.charters(session, group.id)
        if saved and _content(saved[-1].content) == clean:
            return charter_of(session, group)  # nothing changed: no new version to read
        _stale(saved, base_version)
        row = coaching.add_charter(session, group.id, clean.model_dump(), account.email)
        group.focus = clean.starting_problem
        audit.record(session, account, "charter", str(group.id), version=row.version)
        session.flush()
        return charter_of(session, group)
