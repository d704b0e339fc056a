"""Create capacity for a pilot: the decision taken for each activity.

For the pilot's entry point (see :mod:`smartmoves.pathway.create.capacity.scope` for the scope,
the volunteers and the optional exposure model) the organization decides, activity by
activity, to ``automate``, ``stop``, ``keep`` or ``relax-metric``; smartmoves suggests a
starting point (stop what is eliminable, automate what is highly automatable). The hours
each choice frees are in :mod:`smartmoves.pathway.create.capacity.hours`, the
consolidation plan that frees the volunteers in :mod:`smartmoves.pathway.create.capacity.plan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from smartmoves.data.store import capacity, db
from smartmoves.engines.capacity import (
    DecisionSuggestions,
    apply_decisions,
    suggest_decisions,
)
from smartmoves.engines.capacity.decisions import DECISIONS
from smartmoves.errors import DataError, Problem
from smartmoves.pathway import audit
from smartmoves.pathway._store import store
from smartmoves.pathway._views import View
from smartmoves.pathway.create.capacity.scope import Scope, load_scope, lock_pilot
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = [
    "DECISIONS",
    "HIGHLY_AUTOMATABLE",
    "DecisionIn",
    "DecisionRow",
    "cell_value",
    "save_decisions",
    "suggest_for_pilot",
    "suggest_in_scope",
    "suggested_decision",
]

# Suggested for automation from this automation potential up: most of the hours go.
HIGHLY_AUTOMATABLE = 0.7


class DecisionIn(View):
    """A decision to save: for every person of the scope, or only for those of ``unit_id``."""

    activity_id: str
    decision: str
    unit_id: str | None = None
    use_model: bool = False  # automate by the exposure model's beta
    note: str | None = None


class DecisionRow(View):
    activity_id: str
    unit_id: str | None
    decision: str
    use_model: bool = False
    note: str | None


def suggested_decision(eliminable: bool | None, automation_share: float | None) -> str:
    """The starting point smartmoves suggests for an activity.

    >>> suggested_decision(True, 0.2), suggested_decision(False, 0.9), suggested_decision(None, 0.3)
    ('stop', 'automate', 'keep')
    """
    if eliminable is True:
        return "stop"
    if automation_share is not None and automation_share >= HIGHLY_AUTOMATABLE:
        return "automate"
    return "keep"


def suggest_in_scope(scope: Scope) -> DecisionSuggestions:
    return suggest_decisions(
        scope.people, scope.activities, scope.allocations, exposure=scope.exposure
    )


def suggest_for_pilot(settings: Settings, account: Account, pilot_id: int) -> DecisionSuggestions:
    """Activities of the pilot's scope ranked by the hours automating or stopping each
    would free (the engine's result, as ``smartmoves capacity suggest`` prints it). It
    names the people of each activity, so it is for readers of person-level figures."""
    require(account, "capacity.read")
    require(account, "capacity.person_level")
    with db.transaction(store(settings)) as session:
        scope = load_scope(session, settings, account, pilot_id)
    audit.viewed(settings, account, "capacity.person_level", f"pilot {pilot_id} suggestions")
    return suggest_in_scope(scope)


def _rows(decisions: Sequence[DecisionIn]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "activity_id": d.activity_id.strip(),
                "unit_id": (d.unit_id or "").strip() or None,
                "decision": d.decision.strip().lower(),
                "use_model": bool(d.use_model),
                "note": (d.note or "").strip() or None,
            }
            for d in decisions
        ],
        columns=["activity_id", "unit_id", "decision", "use_model", "note"],
    )


def _check(scope: Scope, frame: pd.DataFrame) -> None:
    """Every problem of a set of decisions at once (rows counted as in a spreadsheet)."""
    problems = [
        Problem("decisions", i + 2, "unit_id", f"{u!r} is not in the pilot's entry point")
        for i, u in enumerate(frame["unit_id"])
        if u is not None and u not in scope.units
    ]
    try:  # the engine names unknown decisions and activities, conflicts, missing estimates
        apply_decisions(
            scope.people,
            scope.activities,
            scope.allocations,
            frame.drop(columns="note"),
            exposure=scope.exposure,
        )
    except DataError as exc:
        problems += exc.problems or [Problem("decisions", None, None, exc.message)]
    if problems:
        raise DataError(problems)


def save_decisions(
    settings: Settings,
    account: Account,
    pilot_id: int,
    decisions: Sequence[DecisionIn],
    *,
    replace: bool = True,
) -> list[DecisionRow]:
    """Save the pilot's decisions: all of them (``replace``; none given clears them), or
    only those given, the others kept (``replace=False``: the page changes one activity
    at a time).

    Raises
    ------
    Forbidden
        An account that may not decide (only admins do).
    DataError
        Unknown decision values or activities, units outside the entry point, two
        different decisions for the same activity and unit, or ``automate`` on an
        activity with neither an automation potential nor a model estimate; nothing to
        change (``replace=False`` with no decision). Nothing is saved then.
    NotFound, ConfigError
        No such pilot, or a pilot without an entry point.
    """
    require(account, "capacity.decide")
    if not decisions and not replace:
        raise DataError("no decisions given: the pilot has no activity to decide on yet")
    given = _rows(decisions)
    with db.transaction(store(settings)) as session:
        lock_pilot(session, account, pilot_id)  # a plan being saved sees these, or none
        scope = load_scope(session, settings, account, pilot_id)
        _check(scope, given)
        chosen = given
        if not replace:
            keys = set(zip(given["activity_id"], given["unit_id"], strict=True))
            old = scope.decisions
            pairs = zip(old["activity_id"], old["unit_id"], strict=True)
            kept = old[[k not in keys for k in pairs]]
            chosen = pd.concat([kept, given], ignore_index=True) if len(kept) else given
        chosen = chosen.drop_duplicates(["activity_id", "unit_id"], keep="last")
        records = [{k: cell_value(v) for k, v in r.items()} for r in chosen.to_dict("records")]
        capacity.replace_decisions(session, pilot_id, records)
        counts = chosen["decision"].value_counts().to_dict()
        audit.record(session, account, "capacity decisions", str(pilot_id), **counts)
        return [DecisionRow.model_validate(r) for r in records]


def cell_value(value: Any) -> Any:
    """A cell's value, or ``None`` for an empty one."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
