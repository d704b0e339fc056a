"""Recognize the opportunity: the catalysts, each judged against the seeds' four
questions (``engines/entry/_catalyst.py``: must we break from the status quo, is it
urgent now, must we think beyond optimization, can a pilot group be freed full time).

Admins and champions add, edit and delete catalysts (``catalysts.edit``); supervisors
read them (``catalysts.read``). An edit says which version it was based on: when someone
saved a newer one meanwhile it is refused (:class:`Conflict`) and nothing is overwritten.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from smartmoves.data.store import db
from smartmoves.data.store import recognize as stored
from smartmoves.data.store.models import Catalyst
from smartmoves.engines.entry import CATALYST_TYPES, QUESTIONS, judge_catalyst
from smartmoves.errors import ConfigError, Conflict, NotFound
from smartmoves.pathway import audit
from smartmoves.pathway._store import store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.policy import Account, may, require
from smartmoves.settings import Settings

__all__ = [
    "ANSWERS",
    "KIND_LABELS",
    "CatalystAnswer",
    "CatalystIn",
    "CatalystView",
    "CatalystsView",
    "Choice",
    "add_catalyst",
    "catalyst",
    "delete_catalyst",
    "edit_catalyst",
    "list_catalysts",
]

ANSWERS = ("yes", "no", "unsure")
KIND_LABELS = {
    "market_pressure": "Market pressure",
    "skills_gap": "Skills gap",
    "technology_change": "Technology change",
    "automation_program": "Automation program",
    "reorganization_or_merger": "Reorganization or merger",
    "compelling_opportunity": "Compelling opportunity",
    "other": "Other",
}
MAX_TITLE = 200
MAX_NOTE = 4000  # an evidence note is read beside its question, in one sitting


class Choice(View):
    key: str
    label: str


class CatalystIn(View):
    """A catalyst as a form or a client sends it; also the body of the API."""

    model_config = ConfigDict(frozen=True, extra="forbid")  # a misspelt field is an error

    kind: str = Field(default="", description="One of: " + ", ".join(CATALYST_TYPES) + ".")
    title: str = ""
    answers: dict[str, str] = Field(
        default_factory=dict,
        description="Question -> yes, no or unsure (a question left out is unsure). "
        "The questions: " + ", ".join(QUESTIONS) + ".",
    )
    evidence: dict[str, str] = Field(
        default_factory=dict, description="Question -> the evidence note for its answer."
    )
    mainly_controls: bool = Field(
        default=False, description="The catalyst mainly calls for controls (a poor catalyst)."
    )


class CatalystAnswer(View):
    key: str
    question: str
    answer: str  # yes, no or unsure
    evidence: str


class CatalystView(View):
    id: int
    kind: str
    kind_label: str
    title: str
    answers: list[CatalystAnswer]
    mainly_controls: bool
    verdict: str  # good, weak, poor, undecided
    reasons: list[str]
    warnings: list[str]
    may_skip_to_workgroups: bool
    version: int  # what an edit is based on
    created_by: str
    created_at: UtcTime
    updated_by: str
    updated_at: UtcTime


class CatalystsView(View):
    catalysts: list[CatalystView]
    types: list[Choice]
    questions: list[Choice]
    answers: list[str]
    can_edit: bool


def _truth(answer: str) -> bool | None:
    return {"yes": True, "no": False}.get(answer)


def view_of(row: Catalyst) -> CatalystView:
    answers = {q: str(row.answers.get(q) or "unsure") for q in QUESTIONS}
    notes = {q: str(row.evidence.get(q) or "") for q in QUESTIONS}
    verdict = judge_catalyst(
        row.kind,
        {q: _truth(a) for q, a in answers.items()},
        evidence=notes,
        mainly_controls=row.mainly_controls,
    )
    return CatalystView(
        id=row.id,
        kind=row.kind,
        kind_label=KIND_LABELS.get(row.kind, row.kind),
        title=row.title,
        answers=[
            CatalystAnswer(key=q, question=text, answer=answers[q], evidence=notes[q])
            for q, text in QUESTIONS.items()
        ],
        mainly_controls=row.mainly_controls,
        verdict=verdict.verdict,
        reasons=list(verdict.reasons),
        warnings=list(verdict.warnings),
        may_skip_to_workgroups=verdict.may_skip_to_workgroups,
        version=row.version,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def clean(body: CatalystIn) -> dict[str, Any]:
    """The values to store, or one clear line saying what is wrong (nothing stored).

    >>> clean(CatalystIn(kind="skills_gap", title=" Data skills ",
    ...                  answers={"urgent_now": "Yes"}))["answers"]["urgent_now"]
    'yes'
    """
    kind = body.kind.strip()
    if kind not in CATALYST_TYPES:
        shown = repr(kind) if kind else "none"
        raise ConfigError(f"a catalyst's type is one of {', '.join(CATALYST_TYPES)} (got {shown})")
    title = body.title.strip()
    if not title:
        raise ConfigError("a catalyst needs a title: what is pushing the organization to act?")
    if len(title) > MAX_TITLE:
        raise ConfigError(f"a catalyst's title is at most {MAX_TITLE} characters")
    for given in (body.answers, body.evidence):
        unknown = sorted(set(given) - set(QUESTIONS))
        if unknown:
            raise ConfigError(f"no question {unknown[0]!r}; the questions: {', '.join(QUESTIONS)}")
    answers = {}
    for q in QUESTIONS:
        answer = (body.answers.get(q) or "unsure").strip().lower()
        if answer not in ANSWERS:
            raise ConfigError(f"the answer to {q!r} is yes, no or unsure (got {answer!r})")
        answers[q] = answer
    evidence = {}
    for q in QUESTIONS:
        note = (body.evidence.get(q) or "").strip()
        if len(note) > MAX_NOTE:
            raise ConfigError(f"the evidence for {q!r} is longer than {MAX_NOTE} characters")
        evidence[q] = note
    return {
        "kind": kind,
        "title": title,
        "answers": answers,
        "evidence": evidence,
        "mainly_controls": bool(body.mainly_controls),
    }


def _choices(account: Account, rows: list[Catalyst]) -> CatalystsView:
    return CatalystsView(
        catalysts=[view_of(r) for r in rows],
        types=[Choice(key=k, label=KIND_LABELS[k]) for k in CATALYST_TYPES],
        questions=[Choice(key=k, label=v) for k, v in QUESTIONS.items()],
        answers=list(ANSWERS),
        can_edit=may(account, "catalysts.edit"),
    )


def list_catalysts(settings: Settings, account: Account) -> CatalystsView:
    """Every catalyst with its verdict, oldest first."""
    require(account, "catalysts.read")
    with db.transaction(store(settings)) as session:
        return _choices(account, stored.catalysts(session))


def _existing(session: Any, catalyst_id: int) -> Catalyst:
    row = stored.get_catalyst(session, catalyst_id)
    if row is None:
        raise NotFound(f"no catalyst {catalyst_id}")
    return row


def catalyst(settings: Settings, account: Account, catalyst_id: int) -> CatalystView:
    """One catalyst with its verdict."""
    require(account, "catalysts.read")
    with db.transaction(store(settings)) as session:
        return view_of(_existing(session, catalyst_id))


def add_catalyst(settings: Settings, account: Account, body: CatalystIn) -> CatalystView:
    """Record a catalyst; its verdict is computed whenever it is read.

    Raises
    ------
    Forbidden
        The account may not edit catalysts.
    ConfigError
        An unknown type or question, an answer other than yes/no/unsure, no title, or
        a text too long.
    """
    require(account, "catalysts.edit")
    values = clean(body)
    with db.transaction(store(settings)) as session:
        row = stored.add_catalyst(session, values, account.email)
        audit.record(session, account, "add catalyst", str(row.id), kind=row.kind)
        return view_of(row)


def _stale(row: Catalyst, base_version: int | None) -> None:
    if base_version is None or base_version == row.version:
        return
    raise Conflict(
        f"someone saved version {row.version} of this catalyst meanwhile ({row.updated_by}; "
        f"you started from version {base_version}): nothing was overwritten. Read it again, "
        "then make your change on top of it"
    )


def edit_catalyst(
    settings: Settings,
    account: Account,
    catalyst_id: int,
    body: CatalystIn,
    *,
    base_version: int | None = None,
) -> CatalystView:
    """Change a catalyst. ``base_version`` is the version the change was made from; when
    a newer one was saved meanwhile the edit is refused (``None``: on top of whatever is
    there). Saving what is already there changes nothing.

    Raises
    ------
    Forbidden, NotFound, ConfigError
        As for :func:`add_catalyst`, or no such catalyst.
    Conflict
        Someone saved a newer version meanwhile.
    """
    require(account, "catalysts.edit")
    values = clean(body)
    with db.transaction(store(settings)) as session:
        row = _existing(session, catalyst_id)
        db.hold(session, row)  # a second edit waits here, then sees the first
        _stale(row, base_version)
        if all(getattr(row, k) == v for k, v in values.items()):
            return view_of(row)
        stored.update_catalyst(session, row, values, account.email)
        audit.record(session, account, "edit catalyst", str(row.id), version=row.version)
        return view_of(row)


def delete_catalyst(
    settings: Settings, account: Account, catalyst_id: int, *, base_version: int | None = None
) -> None:
    """Delete a catalyst (refused when it changed since ``base_version``)."""
    require(account, "catalysts.edit")
    with db.transaction(store(settings)) as session:
        row = _existing(session, catalyst_id)
        db.hold(session, row)
        _stale(row, base_version)
        audit.record(session, account, "delete catalyst", str(row.id), title=row.title)
        stored.delete_catalyst(session, row)
