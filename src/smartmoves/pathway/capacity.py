"""Create capacity for a pilot: decisions per activity and what they free.

For the pilot's entry point (see :mod:`smartmoves.pathway.capacity_scope` for the scope,
the volunteers and the optional exposure model) the organization decides, activity by
activity, to ``automate``, ``stop``, ``keep`` or ``relax-metric``; smartmoves suggests a
starting point (stop what is eliminable, automate what is highly automatable) and shows
the hours each choice frees. The consolidation plan that frees the volunteers lives in
:mod:`smartmoves.pathway.capacity_plan`.

Person-level figures (who does an activity) are for admins; every other role sees
aggregates, suppressed over fewer people than the minimum group size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict

from smartmoves.data.store import capacity, db, org
from smartmoves.engines.capacity import (
    DecisionSuggestions,
    apply_decisions,
    suggest_decisions,
)
from smartmoves.engines.capacity.decisions import DECISIONS
from smartmoves.errors import DataError, Problem
from smartmoves.pathway._store import store
from smartmoves.pathway.capacity_plan import PlanView, current_plan, plan_for_pilot, plan_view
from smartmoves.pathway.capacity_scope import Scope, load_scope, too_few, volunteer_pool
from smartmoves.pathway.pilots import list_pilots
from smartmoves.settings import Settings

__all__ = [
    "DECISIONS",
    "HIGHLY_AUTOMATABLE",
    "ActivityDecision",
    "CapacityView",
    "DecisionHours",
    "DecisionIn",
    "DecisionRow",
    "capacity_view",
    "demo_step",
    "save_decisions",
    "suggest_for_pilot",
    "suggested_decision",
]

# Suggested for automation from this automation potential up: most of the hours go.
HIGHLY_AUTOMATABLE = 0.7
# The demo's plan search: long enough to prove the most volunteers freed and the lightest
# load on the synthetic bank, short enough for `make demo`.
DEMO_TIME_LIMIT = 5.0


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class DecisionIn(_View):
    """A decision to save: for every person of the scope, or only for those of ``unit_id``."""

    activity_id: str
    decision: str
    unit_id: str | None = None
    use_model: bool = False  # automate by the exposure model's beta
    note: str | None = None


class DecisionRow(_View):
    activity_id: str
    unit_id: str | None
    decision: str
    use_model: bool = False
    note: str | None


class DecisionHours(_View):
    """Weekly hours of the scope under one decision, and how many of them it frees."""

    decision: str
    activities: int
    hours: float | None
    freed: float | None
    remaining: float | None
    people: int | None
    suppressed: bool


class ActivityDecision(_View):
    """One activity of the scope: what each decision would free, the suggestion, the choice."""

    activity_id: str
    name: str
    category: str | None
    hours: float | None
    people: int | None
    automation_share: float | None
    share_source: str | None  # automation_potential, model, or None (flagged)
    model_share: float | None  # the exposure model's beta, when a model is there
    flagged: bool  # neither an automation potential nor a model estimate
    eliminable: bool | None
    frees_if_automated: float | None
    frees_if_stopped: float | None
    suggested: str
    decision: str  # the decision for the whole scope ("keep" when none was made)
    use_model: bool  # that decision automates by the model's beta
    unit_decisions: int  # decisions that override it for one unit
    freed: float | None  # hours the current decisions free
    person_ids: list[str] | None  # admins only
    suppressed: bool


class CapacityView(_View):
    """The Create-capacity page of a pilot (and its JSON twin)."""

    pilot_id: int
    pilot_name: str
    unit_id: str
    units: list[str]
    min_group_size: int
    person_level: bool
    target_free: float
    min_pilot: int
    max_pilot: int
    people: int | None
    hours: float | None
    freed: float | None
    by_decision: list[DecisionHours]
    activities: list[ActivityDecision]
    missing_estimates: list[str]
    exposure_model: str | None
    decisions: list[DecisionRow]
    stale_decisions: list[str]
    volunteers: int | None
    volunteers_source: str
    plan: PlanView | None


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


def _suggest(scope: Scope) -> DecisionSuggestions:
    return suggest_decisions(
        scope.people, scope.activities, scope.allocations, exposure=scope.exposure
    )


def suggest_for_pilot(settings: Settings, pilot_id: int) -> DecisionSuggestions:
    """Activities of the pilot's scope ranked by the hours automating or stopping each
    would free (the engine's result, as ``smartmoves capacity suggest`` prints it)."""
    with db.transaction(store(settings)) as session:
        scope = load_scope(session, settings, pilot_id)
    return _suggest(scope)


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
    pilot_id: int,
    decisions: Sequence[DecisionIn],
    *,
    replace: bool = True,
    actor: str = "cli",
) -> list[DecisionRow]:
    """Save the pilot's decisions: all of them (``replace``), or only those given, the
    others kept (``replace=False``: the page changes one activity at a time).

    Raises
    ------
    DataError
        Unknown decision values or activities, units outside the entry point, two
        different decisions for the same activity and unit, or ``automate`` on an
        activity with neither an automation potential nor a model estimate. Nothing is
        saved then.
    NotFound, ConfigError
        No such pilot, or a pilot without an entry point.
    """
    given = _rows(decisions)
    with db.transaction(store(settings)) as session:
        scope = load_scope(session, settings, pilot_id)
        _check(scope, given)
        chosen = given
        if not replace:
            keys = set(zip(given["activity_id"], given["unit_id"], strict=True))
            old = scope.decisions
            pairs = zip(old["activity_id"], old["unit_id"], strict=True)
            kept = old[[k not in keys for k in pairs]]
            chosen = pd.concat([kept, given], ignore_index=True) if len(kept) else given
        chosen = chosen.drop_duplicates(["activity_id", "unit_id"], keep="last")
        records = [{k: _maybe(v) for k, v in r.items()} for r in chosen.to_dict("records")]
        capacity.replace_decisions(session, pilot_id, records)
        counts = chosen["decision"].value_counts().to_dict()
        org.audit(session, actor, "capacity decisions", str(pilot_id), **counts)
        return [DecisionRow.model_validate(r) for r in records]


def _by_decision(after: Any, person_level: bool, minimum: int) -> list[DecisionHours]:
    alloc = after.allocations[after.allocations["hours"] > 0]
    rows = []
    for decision in DECISIONS:
        mine = alloc[alloc["decision"] == decision]
        people = int(mine["person_id"].nunique())
        hidden = too_few(people, minimum, person_level=person_level)
        freed = float(mine["automated"].sum() + mine["stopped"].sum())
        rows.append(
            DecisionHours(
                decision=decision,
                activities=int(mine["activity_id"].nunique()),
                hours=None if hidden else round(float(mine["hours"].sum()), 2),
                freed=None if hidden else round(freed, 2),
                remaining=None if hidden else round(float(mine["remaining"].sum()), 2),
                people=None if hidden else people,
                suppressed=hidden,
            )
        )
    return rows


def _activities(
    scope: Scope, after: Any, suggestions: DecisionSuggestions, person_level: bool, minimum: int
) -> list[ActivityDecision]:
    table = suggestions.suggestions
    offers = {(r["activity_id"], r["decision"]): r for r in table.to_dict("records")}
    best = table.groupby("activity_id")["hours_freed"].max().to_dict()
    general = scope.decisions[scope.decisions["unit_id"].isna()]
    chosen = dict(zip(general["activity_id"], general["decision"], strict=True))
    by_model = dict(zip(general["activity_id"], general["use_model"], strict=True))
    betas = (
        {}
        if scope.exposure is None
        else {e.activity_id: float(e.beta) for e in scope.exposure.activities}
    )
    per_unit = scope.decisions[scope.decisions["unit_id"].notna()]["activity_id"].value_counts()
    info = scope.activities.set_index("activity_id")
    doing = after.allocations[after.allocations["hours"] > 0]
    doers = doing.groupby("activity_id")["person_id"].apply(sorted).to_dict()
    missing = set(suggestions.missing_estimates)
    rows = []
    for act in after.activities[after.activities["hours"] > 0].to_dict("records"):
        a = str(act["activity_id"])
        auto, stop = offers.get((a, "automate")), offers.get((a, "stop"))
        share = None if auto is None else float(auto["automation_share"])
        eliminable = _maybe(info.at[a, "eliminable"])
        eliminable = None if eliminable is None else bool(eliminable)
        hidden = too_few(int(act["people"]), minimum, person_level=person_level)

        def shown(value: Any, hidden: bool = hidden) -> Any:
            return None if hidden or value is None else float(value)

        rows.append(
            ActivityDecision(
                activity_id=a,
                name=str(act["name"]),
                category=_maybe(info.at[a, "category"]),
                hours=shown(act["hours"]),
                people=None if hidden else int(act["people"]),
                automation_share=share,
                share_source=None if auto is None else str(auto["share_source"]),
                model_share=betas.get(a),
                flagged=a in missing,
                eliminable=eliminable,
                frees_if_automated=shown(None if auto is None else auto["hours_freed"]),
                frees_if_stopped=shown(None if stop is None else stop["hours_freed"]),
                suggested=suggested_decision(eliminable, share),
                decision=chosen.get(a, "keep"),
                use_model=bool(by_model.get(a, False)),
                unit_decisions=int(per_unit.get(a, 0)),
                freed=shown(act["freed"]),
                person_ids=list(doers.get(a, [])) if person_level else None,
                suppressed=hidden,
            )
        )
    return sorted(rows, key=lambda r: (-best.get(r.activity_id, 0.0), r.activity_id))


def _maybe(value: Any) -> Any:
    """A cell's value, or ``None`` for an empty one."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def capacity_view(settings: Settings, pilot_id: int, *, person_level: bool) -> CapacityView:
    """Everything the Create-capacity page shows; person-level rows only when asked
    (admins), aggregates suppressed over small groups otherwise."""
    minimum = settings.min_group_size
    with db.transaction(store(settings)) as session:
        scope = load_scope(session, settings, pilot_id)
        pool, source = volunteer_pool(session, scope)
        saved = current_plan(session, pilot_id)
        history = capacity.plan_count(session, pilot_id)
    after = apply_decisions(
        scope.people,
        scope.activities,
        scope.allocations,
        scope.decisions.drop(columns="note"),
        exposure=scope.exposure,
    )
    suggestions = _suggest(scope)
    people = len(scope.people)
    hidden = too_few(people, minimum, person_level=person_level)
    totals = after.people
    return CapacityView(
        pilot_id=scope.pilot_id,
        pilot_name=scope.pilot_name,
        unit_id=scope.unit_id,
        units=list(scope.units),
        min_group_size=minimum,
        person_level=person_level,
        target_free=scope.target_free,
        min_pilot=scope.min_pilot,
        max_pilot=scope.max_pilot,
        people=None if hidden else people,
        hours=None if hidden else round(float(totals["hours"].sum()), 2),
        freed=None
        if hidden
        else round(float(totals["automated"].sum() + totals["stopped"].sum()), 2),
        by_decision=_by_decision(after, person_level, minimum),
        activities=_activities(scope, after, suggestions, person_level, minimum),
        missing_estimates=list(suggestions.missing_estimates),
        exposure_model=scope.model_file,
        decisions=[
            DecisionRow.model_validate({k: _maybe(v) for k, v in r.items()})
            for r in scope.decisions.to_dict("records")
        ],
        stale_decisions=list(scope.stale),
        volunteers=None if too_few(len(pool), minimum, person_level=person_level) else len(pool),
        volunteers_source=source,
        plan=None
        if saved is None
        else plan_view(
            saved,
            person_level=person_level,
            min_group_size=minimum,
            activity_names=scope.activity_names,
            plans=history,
        ),
    )


def demo_step(settings: Settings, truth: dict[str, Any]) -> None:
    """The demo pilot accepts every suggestion (stop the eliminable, automate the highly
    automatable), relaxes the metric of one relationship activity it keeps, and keeps the
    plan that frees its volunteers."""
    entry = truth["best_entry_point"]["unit_id"]
    pilot = next((p for p in list_pilots(settings) if p.unit_id == entry), None)
    if pilot is None:
        return
    view = capacity_view(settings, pilot.id, person_level=True)
    accepted = [
        DecisionIn(activity_id=a.activity_id, decision=a.suggested)
        for a in view.activities
        if a.suggested != "keep"
    ]
    # The judgement work the volunteers keep is no longer counted against the usual
    # throughput metric: the charters show it as a relaxed metric.
    kept = [a for a in view.activities if a.suggested == "keep" and a.category == "relationship"]
    accepted += [
        DecisionIn(
            activity_id=a.activity_id,
            decision="relax-metric",
            note="conversations per hour are not counted for pilot volunteers",
        )
        for a in kept[:1]
    ]
    save_decisions(settings, pilot.id, accepted, actor="demo")
    plan_for_pilot(settings, pilot.id, time_limit=DEMO_TIME_LIMIT, actor="demo")
