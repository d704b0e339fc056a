"""Create capacity for a pilot: the hours each decision frees, as the page shows them.

Per decision and per activity of the pilot's entry point: the weekly hours, what
automating or stopping would free, the suggestion and the choice made (see
:mod:`smartmoves.pathway.create.capacity.decisions`), and the current plan
(:mod:`smartmoves.pathway.create.capacity.plan`).

Person-level figures (who does an activity) are for admins; every other role sees
aggregates, suppressed over fewer people than the minimum group size.
"""

from __future__ import annotations

from typing import Any

from smartmoves.data.store import capacity, db
from smartmoves.engines.capacity import DecisionSuggestions, apply_decisions
from smartmoves.engines.capacity.decisions import DECISIONS
from smartmoves.pathway import audit
from smartmoves.pathway._cache import Kept, pilot_state
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import View
from smartmoves.pathway.create.capacity.decisions import (
    DecisionRow,
    cell_value,
    suggest_in_scope,
    suggested_decision,
)
from smartmoves.pathway.create.capacity.plan_read import (
    PlanView,
    current_plan,
    plan_people,
    plan_view,
)
from smartmoves.pathway.create.capacity.scope import (
    Scope,
    exposure_model_path,
    load_scope,
    too_few,
    volunteer_pool,
)
from smartmoves.pathway.policy import Account, may, require
from smartmoves.pathway.privacy import overlapping_with_total
from smartmoves.settings import Settings

__all__ = ["ActivityDecision", "CapacityView", "DecisionHours", "SimilarTask", "capacity_view"]


class SimilarTask(View):
    """A labelled task close to an activity's wording: why the model estimates what it does."""

    task: str
    occupation: str
    label: str  # E0 none, E1 direct, E2 with extra software
    similarity: float


class DecisionHours(View):
    """Weekly hours of the scope under one decision, and how many of them it frees."""

    decision: str
    activities: int
    hours: float | None
    freed: float | None
    remaining: float | None
    people: int | None
    suppressed: bool


class ActivityDecision(View):
    """One activity of the scope: what each decision would free, the suggestion, the choice."""

    activity_id: str
    name: str
    category: str | None
    hours: float | None
    people: int | None
    automation_share: float | None
    share_source: str | None  # automation_potential, model, or None (flagged)
    model_share: float | None  # the exposure model's beta, when a model is there
    model_label: str | None  # the model's label (E0, E1, E2), when a model is there
    similar_tasks: list[SimilarTask]  # the labelled tasks closest to it: the model's reason
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


class CapacityView(View):
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
    exposure_model_reads: str | None = None
    decisions: list[DecisionRow]
    stale_decisions: list[str]
    volunteers: int | None
    volunteers_source: str
    plan: PlanView | None


def _hidden_beside_total(
    people: dict[str, set[str]], person_level: bool, minimum: int
) -> dict[str, bool]:
    """Which groups' figures to hide: they add up to the scope's figures shown above them
    (a person's hours split over activities and decisions), so the hidden ones together
    must cover no one or enough people, not only each alone."""
    if person_level:
        return dict.fromkeys(people, False)
    return {g: r is not None for g, r in overlapping_with_total(people, minimum).items()}


def _by_decision(after: Any, person_level: bool, minimum: int) -> list[DecisionHours]:
    alloc = after.allocations[after.allocations["hours"] > 0]
    hide = _hidden_beside_total(
        {d: set(alloc.loc[alloc["decision"] == d, "person_id"]) for d in DECISIONS},
        person_level,
        minimum,
    )
    rows = []
    for decision in DECISIONS:
        mine = alloc[alloc["decision"] == decision]
        people = int(mine["person_id"].nunique())
        hidden = hide[decision]
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
    estimates = (
        {} if scope.exposure is None else {e.activity_id: e for e in scope.exposure.activities}
    )
    per_unit = scope.decisions[scope.decisions["unit_id"].notna()]["activity_id"].value_counts()
    info = scope.activities.set_index("activity_id")
    doing = after.allocations[after.allocations["hours"] > 0]
    doers = doing.groupby("activity_id")["person_id"].apply(sorted).to_dict()
    missing = set(suggestions.missing_estimates)
    hide = _hidden_beside_total(
        {a: set(doers.get(a, [])) for a in after.activities["activity_id"]}, person_level, minimum
    )
    rows = []
    for act in after.activities[after.activities["hours"] > 0].to_dict("records"):
        a = str(act["activity_id"])
        auto, stop = offers.get((a, "automate")), offers.get((a, "stop"))
        share = None if auto is None else float(auto["automation_share"])
        eliminable = cell_value(info.at[a, "eliminable"])
        eliminable = None if eliminable is None else bool(eliminable)
        hidden = hide[a]

        def shown(value: Any, hidden: bool = hidden) -> Any:
            return None if hidden or value is None else float(value)

        rows.append(
            ActivityDecision(
                activity_id=a,
                name=str(act["name"]),
                category=cell_value(info.at[a, "category"]),
                hours=shown(act["hours"]),
                people=None if hidden else int(act["people"]),
                automation_share=share,
                share_source=None if auto is None else str(auto["share_source"]),
                model_share=None if a not in estimates else float(estimates[a].beta),
                model_label=None if a not in estimates else estimates[a].label,
                similar_tasks=_similar(estimates.get(a)),
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


# Pilots' capacity views by what they were computed from (:func:`_view_key`): applying
# the decisions and suggesting new ones took a third of a second a request.
_VIEWS: Kept[CapacityView] = Kept(32)


def _model_mark(settings: Settings) -> tuple[str, int] | None:
    path = exposure_model_path(settings)
    return (str(path), path.stat().st_mtime_ns) if path.is_file() else None


def _view_key(settings: Settings, account: Account, pilot_id: int, person_level: bool) -> tuple:
    """What a pilot's capacity view is computed from: the pilot's state (its fields,
    the last imports, its decisions, selections and plans, the applications), whether
    the reader sees person-level rows, and the exposure model file."""
    with db.reading(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)  # a draft is not found for members
        return (pilot_state(session, settings, pilot), person_level, _model_mark(settings))


def _similar(estimate: Any) -> list[SimilarTask]:
    if estimate is None:
        return []
    return [
        SimilarTask(
            task=s.task, occupation=s.occupation, label=s.label, similarity=round(s.similarity, 3)
        )
        for s in estimate.similar
    ]


def capacity_view(settings: Settings, account: Account, pilot_id: int) -> CapacityView:
    """Everything the Create-capacity page shows: person-level rows for readers of
    person-level figures (admins), aggregates suppressed over small groups for the other
    readers (champions, supervisors); members may not read it.

    Computed once per import, decision, selection and plan (see :func:`_view_key`)."""
    require(account, "capacity.read")
    person_level = may(account, "capacity.person_level")
    key = _view_key(settings, account, pilot_id, person_level)
    view = _VIEWS.get(key, lambda: _compute_view(settings, account, pilot_id, person_level))
    if person_level:
        audit.viewed(settings, account, "capacity.person_level", f"pilot {pilot_id} capacity")
    return view


def _compute_view(
    settings: Settings, account: Account, pilot_id: int, person_level: bool
) -> CapacityView:
    minimum = settings.min_group_size
    with db.transaction(store(settings)) as session:
        scope = load_scope(session, settings, account, pilot_id)
        pool, source = volunteer_pool(session, scope)
        saved = current_plan(session, pilot_id)
        history = capacity.plan_count(session, pilot_id)
        who = plan_people(session, account, saved, person_level=person_level)
    after = apply_decisions(
        scope.people,
        scope.activities,
        scope.allocations,
        scope.decisions.drop(columns="note"),
        exposure=scope.exposure,
    )
    suggestions = suggest_in_scope(scope)
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
        exposure_model_reads=scope.model_reads,
        decisions=[
            DecisionRow.model_validate({k: cell_value(v) for k, v in r.items()})
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
            who=who,
        ),
    )
