"""Unit assessments (the judgements behind a unit's likelihood of success and its
opportunity) and the workspace's entry-point weights: read, edited on the web, and kept
with their history (see ``docs/entry-points.md``).

An assessment edited on the web is validated by the same contract as an imported file,
so a rating of 7 reads the same wherever it was typed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from smartmoves.data.contracts import CONTRACTS
from smartmoves.data.readers import TextTable
from smartmoves.data.store import assessments as stored
from smartmoves.data.store import db, org
from smartmoves.data.validate import validate_table
from smartmoves.engines.entry import DEFAULT_WEIGHTS, Weights
from smartmoves.errors import ConfigError, DataError, NotFound, Problem
from smartmoves.pathway import audit
from smartmoves.pathway._store import store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = [
    "WEIGHT_HELP",
    "AssessmentEntry",
    "Change",
    "UnitAssessment",
    "WeightsView",
    "all_assessments",
    "save_assessment",
    "save_weights",
    "unit_assessment",
    "weights_view",
    "workspace_weights",
]

FIELDS = stored.FIELDS

# What each weight counts, as the page's form and docs/entry-points.md say it.
WEIGHT_HELP = {
    "capacity": "the ability to free capacity, in the overall score",
    "impact": "the potential for impact, in the overall score",
    "likelihood": "the likelihood of success, in the overall score",
    "metric_impact": "within impact: the value through the metrics' drivers",
    "opportunity": "within impact: the opportunity size recorded in the assessment",
    "supportive_leadership": "within likelihood: the leader's support",
    "motivated_supervisors": "within likelihood: the frontline supervisors' motivation",
    "champion_influence": "within likelihood: the champion's influence on the unit",
    "type_of_workers": "within likelihood: people with improvement experience",
    "workgroups_exist": "within likelihood: teams that already collaborate",
    "business_unit": "within likelihood: a business unit rather than a function",
    "self_contained": "within likelihood: little collaboration outside the unit",
    "edge": "within likelihood: at the edge rather than the core",
}


class Change(View):
    """One field of an assessment that differs from the one before it."""

    field: str
    before: float | str | None
    after: float | str | None


class AssessmentEntry(View):
    """One assessment of a unit, and what it changed from the one before."""

    id: int
    leader_support: float | None
    supervisor_motivation: float | None
    champion_influence: str | None
    opportunity_size: float | None
    notes: str | None
    assessed_by: str
    assessed_at: UtcTime
    source: str
    changed: list[Change]


class UnitAssessment(View):
    """A unit's assessment in force (the newest) and its history, newest first."""

    unit_id: str
    unit_name: str
    current: AssessmentEntry | None
    history: list[AssessmentEntry]


class WeightsView(View):
    """The weights in force, the documented defaults, what each counts, and who last
    changed them (``None``: never changed, the defaults)."""

    weights: dict[str, float]
    defaults: dict[str, float]
    help: dict[str, str]
    changed_by: str | None
    changed_at: UtcTime | None


def _entries(rows: list[dict[str, Any]]) -> list[AssessmentEntry]:
    out = []
    before: dict[str, Any] = {}
    for row in rows:
        changed = [
            Change(field=f, before=before.get(f), after=row[f])
            for f in FIELDS
            if row[f] != before.get(f) and (before or row[f] is not None)
        ]
        out.append(AssessmentEntry(**{k: row[k] for k in AssessmentEntry.model_fields
                                      if k != "changed"}, changed=changed))  # fmt: skip
        before = row
    return out[::-1]


def _unit_name(session: Any, unit_id: str) -> str:
    units = org.read_table(session, "units")
    names = dict(zip(units["unit_id"].astype(str), units["name"].astype(str), strict=True))
    if unit_id not in names:
        raise NotFound(f"no unit {unit_id!r}")
    return names[unit_id]


def _view(session: Any, unit_id: str) -> UnitAssessment:
    name = _unit_name(session, unit_id)
    history = _entries(stored.history(session, unit_id))
    return UnitAssessment(
        unit_id=unit_id, unit_name=name, current=history[0] if history else None,
        history=history,
    )  # fmt: skip


def unit_assessment(settings: Settings, account: Account, unit_id: str) -> UnitAssessment:
    """A unit's assessment and its history.

    Raises
    ------
    Forbidden
        The account may not read assessments.
    NotFound
        No such unit.
    """
    require(account, "assessments.read")
    with db.transaction(store(settings)) as session:
        return _view(session, unit_id)


def all_assessments(settings: Settings, account: Account) -> dict[str, UnitAssessment]:
    """Every unit's assessment and history, by unit id (units never assessed too)."""
    require(account, "assessments.read")
    with db.transaction(store(settings)) as session:
        units = org.read_table(session, "units")
        rows = stored.every(session)
    out = {}
    for uid, name in zip(units["unit_id"].astype(str), units["name"].astype(str), strict=True):
        history = _entries(rows.get(uid, []))
        out[uid] = UnitAssessment(
            unit_id=uid, unit_name=name, current=history[0] if history else None,
            history=history,
        )  # fmt: skip
    return out


def _validated(unit_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values as the contract reads them; every bad field, one line each."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise ConfigError(f"unknown field {unknown[0]!r}; an assessment has {', '.join(FIELDS)}")
    cells = {f: "" if values.get(f) is None else str(values.get(f)) for f in FIELDS}
    label = f"assessment of {unit_id}"
    text = TextTable(label, Path(label), "csv", pd.DataFrame([{"unit_id": unit_id, **cells}]), 1)
    # References are checked against the store below; here only the cells.
    contract = dataclasses.replace(CONTRACTS["unit_assessments"], references=())
    try:
        valid = validate_table(text, contract)
    except DataError as exc:
        # A form has no rows: name the field alone.
        raise DataError(
            [Problem(label, None, p.column, p.message, p.expected) for p in exc.problems]
        ) from None
    return {f: valid.frame[f].iat[0] for f in FIELDS}


def save_assessment(
    settings: Settings, account: Account, unit_id: str, values: Mapping[str, Any]
) -> UnitAssessment:
    """Add an assessment of ``unit_id`` (by the account, now): it is the one in force,
    and the one before it joins the history. An empty field is "not known".

    Raises
    ------
    Forbidden
        The account may not assess units.
    NotFound
        No such unit.
    DataError
        A field out of range or not one of its choices (each named).
    """
    require(account, "assessments.edit")
    row = _validated(unit_id, values)
    with db.transaction(store(settings)) as session:
        _unit_name(session, unit_id)
        now = dt.datetime.now(dt.UTC)
        stored.append(session, [{"unit_id": unit_id, **row, "assessed_by": account.email,
                                 "assessed_at": now}], actor=account.email, source="web",
                      now=now)  # fmt: skip
        audit.record(session, account, "unit assessment", unit_id)
        session.flush()
        return _view(session, unit_id)


def workspace_weights(settings: Settings) -> Weights:
    """The weights the workspace keeps (the defaults where it changed none)."""
    with db.transaction(store(settings)) as session:
        changed, _, _ = stored.read_weights(session)
    try:
        return Weights.from_mapping(changed)
    except ConfigError:
        return DEFAULT_WEIGHTS  # a weight a later version dropped: the defaults, not a crash


def weights_view(settings: Settings, account: Account) -> WeightsView:
    """The weights in force and the defaults."""
    require(account, "entry_points.read")
    with db.transaction(store(settings)) as session:
        changed, by, at = stored.read_weights(session)
    try:
        weights = Weights.from_mapping(changed)
    except ConfigError:
        weights = DEFAULT_WEIGHTS
    return WeightsView(
        weights=dataclasses.asdict(weights), defaults=dataclasses.asdict(DEFAULT_WEIGHTS),
        help=WEIGHT_HELP, changed_by=by, changed_at=at,
    )  # fmt: skip


def _number(name: str, value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if not text:
        raise ConfigError(f"weight {name!r} is empty: give a number at least 0")
    try:
        return float(text)
    except ValueError:
        raise ConfigError(f"weight {name!r} must be a number at least 0, not {text!r}") from None


def save_weights(settings: Settings, account: Account, values: Mapping[str, Any]) -> WeightsView:
    """Keep ``values`` (weights by name; names left out keep their defaults) as the
    workspace's weights, for the page and the command line.

    Raises
    ------
    Forbidden
        The account may not set the weights.
    ConfigError
        An unknown name, a weight that is not a number at least 0, or all three scores
        at 0.
    """
    require(account, "entry_points.weights")
    weights = Weights.from_mapping({n: _number(n, v) for n, v in values.items()})
    with db.transaction(store(settings)) as session:
        stored.write_weights(session, weights.changed(), actor=account.email,
                             now=dt.datetime.now(dt.UTC))  # fmt: skip
        audit.record(session, account, "entry-point weights", None, **weights.changed())
    return weights_view(settings, account)
