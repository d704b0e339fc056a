"""Where to start: every unit of the workspace scored as an entry point, from its own
data (see ``docs/entry-points.md``).

Capacity is read as the most that decisions could free before any pilot exists: every
eliminable activity stopped, every other automated at its potential (the activity's own,
or the exposure model's estimate). A person counts as freeable when that frees at least
75% of their contracted hours (supervisors coach, so they are not counted). Figures over
a unit's people that fall under the minimum group size are unknown to anyone who may not
see person-level figures: the score leaves them out and says so, rather than computing
with them, since a score is a function of its inputs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.data.store import assessments as stored_assessments
from smartmoves.data.store import capacity as store_capacity
from smartmoves.data.store import db, org
from smartmoves.data.store import metrics as store_metrics
from smartmoves.data.values import parse_bool
from smartmoves.data.workspace import analytics_path
from smartmoves.engines.capacity.decisions import CapacityAfterDecisions, apply_decisions
from smartmoves.engines.entry import (
    DEFAULT_WEIGHTS,
    EntryPoint,
    UnitEvidence,
    Weights,
    score_entry_points,
)
from smartmoves.engines.metrics import unit_influence
from smartmoves.errors import ConfigError, NotFound
from smartmoves.pathway._cache import Kept, imports_mark
from smartmoves.pathway._store import store
from smartmoves.pathway.exposure_model import estimates as exposure_estimates
from smartmoves.pathway.jobs import Progress
from smartmoves.pathway.pilots import PilotView, create_pilot
from smartmoves.pathway.policy import Account, may, require
from smartmoves.pathway.privacy import suppressed
from smartmoves.pathway.recognize._champion_area import champion_area, champion_version
from smartmoves.pathway.recognize._quick_capacity import CapacityInputs, with_quick_counts
from smartmoves.pathway.recognize.drivers import kept_drivers
from smartmoves.settings import Settings

__all__ = ["EntryPoints", "ExternalShares", "entry_points", "start_pilot_here"]

FREED = 0.75
_KEPT: Kept[EntryPoints] = Kept(8)


@dataclass(frozen=True)
class EntryPoints:
    """Every unit scored, best first, against ``target_id`` (the metric that matters)."""

    target_id: str | None
    target_name: str | None
    entry_points: list[EntryPoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target_id": self.target_id,
            "target_name": self.target_name,
            "entry_points": [e.to_dict() for e in self.entry_points],
            "notes": list(self.notes),
            "weights": dict(self.weights),
        }


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


def _decisions(activities: pd.DataFrame, exposure: Any) -> pd.DataFrame:
    """The most decisive decisions: every eliminable activity stopped, every other with a
    potential (its own or the exposure model's) automated."""
    # A list, not a mapped Series: pandas would turn all-True into numpy booleans.
    eliminable = [parse_bool(v) for v in activities.get("eliminable", [None] * len(activities))]
    has_potential = activities["automation_potential"].map(_number).notna()
    estimated = set() if exposure is None else {a.activity_id for a in exposure.activities}
    rows = []
    for i, activity in enumerate(activities["activity_id"].astype(str)):
        if eliminable[i] is True:
            rows.append((activity, "stop"))
        elif has_potential.iat[i] or activity in estimated:
            rows.append((activity, "automate"))
    return pd.DataFrame(rows, columns=["activity_id", "decision"]).assign(unit_id=None)


def _freed(after: CapacityAfterDecisions) -> pd.DataFrame:
    """Per person: hours and the share the decisions free."""
    table = after.people
    hours = table["hours"].astype(float)
    freed = hours - table["remaining"].astype(float)
    share = np.where(hours > 0, freed / hours.where(hours > 0, 1.0), 0.0)
    return pd.DataFrame(
        {
            "person_id": table["person_id"].astype(str),
            "hours": hours,
            "freed": freed,
            "share": share,
        }
    )


def _target(tree: pd.DataFrame, wanted: str | None) -> tuple[str | None, str | None]:
    """The metric that matters: the one asked for, or the top metric with the most
    frontline metrics below it."""
    names = dict(zip(tree["metric_id"].astype(str), tree["name"].astype(str), strict=True))
    if wanted is not None:
        if wanted not in names:
            raise ConfigError(f"no metric {wanted!r}; the metrics: {', '.join(sorted(names))}")
        return wanted, names[wanted]
    if tree.empty:
        return None, None
    parent = {
        str(m): p if isinstance(p, str) else ""
        for m, p in zip(tree["metric_id"], tree["parent_id"], strict=True)
    }
    level = dict(zip(tree["metric_id"].astype(str), tree["level"].astype(str), strict=True))

    def top(m: str) -> str:
        seen = {m}
        while parent.get(m) and parent[m] not in seen:
            m = parent[m]
            seen.add(m)
        return m

    below: dict[str, int] = {}
    for m in names:
        if level.get(m) == "frontline":
            below[top(m)] = below.get(top(m), 0) + 1
    if not below:
        return None, None
    best = sorted(below, key=lambda m: (-below[m], m))[0]
    return best, names[best]


# The judgement inputs: where an assessment gives one, its value (a judgement, not an
# aggregate over people, so no minimum group size applies); else the measured or
# imported figure; else unknown. Each says where it came from.
_ASSESSED = {
    "supportive_leadership": "leader_support",
    "motivated_supervisors": "supervisor_motivation",
    "champion_influence": "champion_influence",
    "opportunity_size": "opportunity_size",
}


@dataclass(frozen=True)
class _Judged:
    values: dict[str, Any]
    sources: dict[str, str]


def _judged(
    assessment: Mapping[str, Any] | None, fallback: Mapping[str, tuple[Any, str]]
) -> _Judged:
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for factor, column in _ASSESSED.items():
        value = None if assessment is None else assessment.get(column)
        if value is not None:
            at = assessment["assessed_at"] if assessment else None
            day = at.date().isoformat() if isinstance(at, dt.datetime) else str(at)
            values[factor] = value
            sources[factor] = (
                f"unit_assessments, assessed by {assessment['assessed_by']} on {day}"
                if assessment
                else "unit_assessments"
            )
            continue
        values[factor], sources[factor] = fallback[factor]
    return _Judged(values, sources)


# How self-contained units are comes from the collaboration network, which a later phase
# (Act for impact) analyzes: the interfaces pass its figures in, so that phases still
# point one way (``ExternalShares`` is ``connect.unit_external_shares``, bound).
ExternalShares = Callable[[Progress], Mapping[str, float] | None]


# Where the units do not say whether their teams already collaborate, the people's
# teams do: most of the unit's people in a team of at least TEAM_MIN inside it.
TEAM_MIN = 3
TEAMS_SOURCE = f"people.team_id (most people in a team of {TEAM_MIN} or more)"


def _teams_exist(team_ids: pd.Series) -> bool | None:
    named = team_ids.map(lambda v: v.strip() if isinstance(v, str) else None).dropna()
    named = named[named != ""]
    if named.empty:
        return None
    sizes = named.map(named.value_counts())
    return bool((sizes >= TEAM_MIN).sum() * 2 > len(team_ids))


@dataclass(frozen=True)
class _Evidence:
    target_id: str | None
    target_name: str | None
    units: list[UnitEvidence]
    notes: list[str]
    capacity: CapacityInputs


def _evidence(settings: Settings, person_level: bool, shares: ExternalShares | None,
              target: str | None, mark: object, progress: Progress) -> _Evidence:  # fmt: skip
    minimum = settings.min_group_size
    with db.transaction(store(settings)) as session:
        units = org.read_table(session, "units")
        people = org.read_table(session, "people")
        activities = store_capacity.activities(session)
        allocations = org.read_table(session, "allocations")
        applications = org.read_table(session, "applications")
        tree = org.read_table(session, "metrics")
        judged = stored_assessments.newest(session)
        area = champion_area(session)
    if units.empty or people.empty:
        raise ConfigError("no organization imported yet: import units.csv and people.csv first")
    notes: list[str] = []
    progress("capacity", 0, 3)
    wanted = {str(a) for a in allocations["activity_id"]}
    exposure = exposure_estimates(settings, activities, wanted)[0]
    if exposure is None:
        notes.append("no exposure model yet: activities without a potential free nothing here")
    decisions = _decisions(activities, exposure)
    after = apply_decisions(people, activities, allocations, decisions, exposure=exposure)
    freed = _freed(after).set_index("person_id")
    people = people.assign(person_id=people["person_id"].astype(str)).set_index("person_id")
    supervisor = people["is_supervisor"].map(parse_bool).fillna(False).astype(bool)
    inputs = CapacityInputs(people, supervisor, activities, allocations, after)
    people = people.join(freed, how="left")
    applied = set(applications["person_id"].astype(str)) if not applications.empty else set()
    headcount = people.groupby("unit_id").size().to_dict()
    impact: dict[str, float] = {}
    progress("metrics", 1, 3)
    target_id, target_name = _target(tree, target) if not tree.empty else (None, None)
    drivers = kept_drivers(settings, tree, mark) if target_id is not None else None
    if target_id is not None and drivers is not None:
        values = pd.read_parquet(
            analytics_path(settings, "metric_values"),
            columns=["metric_id", "scope", "scope_id", "date", "value"],
        )
        # The organization's own sense of a plausible lift where it gave one (metrics'
        # ``lift`` column); else one standard deviation of the unit's weekly values.
        lifts = {
            str(m): abs(float(v)) * (-1.0 if d == "down" else 1.0)
            for m, v, d in zip(
                tree["metric_id"],
                tree["lift"] if "lift" in tree else [None] * len(tree),
                tree["direction"],
                strict=True,
            )
            if _number(v) is not None
        }
        found = unit_influence(tree, values, drivers, headcount, target_id, lifts=lifts)
        impact = {u: max(0.0, i.value) for u, i in found.units.items()}
    else:
        notes.append("no metric history imported: potential for impact is unknown")
    progress("network", 2, 3)
    external = None if shares is None else shares(progress)
    if external is None:
        notes.append("no collaboration data: whether units are self-contained is unknown")
    evidence = []
    for unit in units.itertuples(index=False):
        uid = str(unit.unit_id)
        mine = people[people["unit_id"] == uid]
        n = len(mine)
        sups = mine[supervisor.loc[mine.index]]
        small = not person_level and suppressed(n, minimum)
        few_sups = not person_level and suppressed(len(sups), minimum)
        readiness = (
            sups["change_readiness"].map(_number).dropna() if "change_readiness" in mine else None
        )
        experience = (
            mine["improvement_experience"].map(parse_bool).dropna()
            if "improvement_experience" in mine
            else None
        )
        workers = mine[~supervisor.loc[mine.index]]
        attrs = unit._asdict()
        measured_motivation = (
            None if few_sups or readiness is None or readiness.empty else float(readiness.mean())
        )
        judged_inputs = _judged(
            judged.get(uid),
            {
                "supportive_leadership": (
                    _number(attrs.get("leader_support")),
                    "units.leader_support",
                ),
                "motivated_supervisors": (
                    measured_motivation,
                    "people.change_readiness (supervisors)",
                ),
                "champion_influence": (
                    attrs.get("champion_influence") or None,
                    "units.champion_influence",
                ),
                "opportunity_size": (None, "unit_assessments.opportunity_size"),
            },
        )
        if area is not None:  # the stored champion outranks the units' column
            influence = area.influence(uid, judged.get(uid))
            judged_inputs.values["champion_influence"] = influence[0]
            judged_inputs.sources["champion_influence"] = influence[1]
        teams = parse_bool(attrs.get("teams_collaborate"))
        teams_source = "units.teams_collaborate"
        if teams is None and not small and "team_id" in mine:
            teams, teams_source = _teams_exist(mine["team_id"]), TEAMS_SOURCE
        evidence.append(
            UnitEvidence(
                unit_id=uid,
                name=str(unit.name),
                people=n,
                kind=attrs.get("kind") or None,
                position=attrs.get("position") or None,
                freeable_share=None
                if small or n == 0
                else float(mine["freed"].sum() / mine["hours"].sum())
                if mine["hours"].sum() > 0
                else 0.0,
                freeable_volunteers=None if small else int((workers["share"] >= FREED).sum()),
                applicants=None if small else int(mine.index.isin(applied).sum()),
                impact=impact.get(uid, 0.0) if impact else None,
                leader_support=judged_inputs.values["supportive_leadership"],
                supervisor_motivation=judged_inputs.values["motivated_supervisors"],
                improvement_share=None
                if small or experience is None or experience.empty
                else float(experience.mean()),
                teams_collaborate=teams,
                external_share=None if external is None else external.get(uid),
                champion_influence=judged_inputs.values["champion_influence"],
                opportunity_size=judged_inputs.values["opportunity_size"],
                sources={**judged_inputs.sources, "workgroups_exist": teams_source},
            )
        )
    if not person_level:
        notes.append(
            f"figures over fewer than {minimum} people are not known to this view: scores "
            "leave them out and their confidence says so"
        )
    return _Evidence(target_id, target_name, evidence, notes, inputs)


def _kept_weights(kept: Mapping[str, float]) -> Weights:
    try:
        return Weights.from_mapping(dict(kept))
    except ConfigError:
        return DEFAULT_WEIGHTS  # a weight a later version dropped: the defaults, not a crash


def entry_points(
    settings: Settings,
    account: Account,
    *,
    weights: Weights | None = None,
    target: str | None = None,
    external_shares: ExternalShares | None = None,
    progress: Progress | None = None,
) -> EntryPoints:
    """Every unit scored and ranked as an entry point, best first, with ``weights``
    (default: the workspace's, see ``assessments.save_weights``).

    Raises
    ------
    Forbidden
        The account may not read entry points.
    ConfigError
        No organization imported, or an unknown target metric.
    JobPending
        The network analysis behind "self-contained" is being computed (raised by
        ``external_shares``, which the web binds without computing and the command line
        with computing).
    """
    require(account, "entry_points.read")
    person_level = may(account, "capacity.person_level")
    with db.transaction(store(settings)) as session:
        mark = imports_mark(session)
        judged = stored_assessments.assessments_mark(session)
        tree = store_metrics.tree_mark(session)  # an edit of the tree moves the impact
        champion = champion_version(session)  # setting a champion moves the ranking at once
        chosen = weights
        if chosen is None:
            kept, _, _ = stored_assessments.read_weights(session)
            chosen = _kept_weights(kept)
    key = (
        settings.sqlalchemy_url, settings.min_group_size, person_level, target, chosen, mark,
        judged, tree, champion, external_shares is not None,
    )  # fmt: skip

    def compute() -> EntryPoints:
        report = progress or (lambda _stage, _done, _total: None)
        found = _evidence(settings, person_level, external_shares, target, mark, report)
        first = score_entry_points(found.units, chosen).entry_points
        units = with_quick_counts(found.units, first, found.capacity)
        ranked = score_entry_points(units, chosen).entry_points
        report("scores", 3, 3)
        return EntryPoints(
            found.target_id, found.target_name, ranked, found.notes, dataclasses.asdict(chosen)
        )

    return _KEPT.get(key, compute)


def start_pilot_here(
    settings: Settings,
    account: Account,
    unit_id: str,
    *,
    name: str | None = None,
    external_shares: ExternalShares | None = None,
) -> PilotView:
    """Start a pilot at ``unit_id`` from the entry points (admins and champions), named
    after the unit and aimed at the metric that matters.

    Raises
    ------
    Forbidden
        The account may not start pilots.
    NotFound
        No such unit.
    ConfigError
        The unit cannot yield a pilot group (with the number it can yield), or its
        capacity is not known to this account.
    """
    require(account, "pilot.create")
    found = entry_points(settings, account, external_shares=external_shares)
    unit = next((e for e in found.entry_points if e.unit_id == unit_id), None)
    if unit is None:
        raise NotFound(f"no unit {unit_id!r}")
    if unit.feasible is False:
        raise ConfigError(f"{unit.name} {unit.reasons[0]}")
    if unit.feasible is None:
        raise ConfigError(
            f"{unit.name}: how many people it could free is not known here "
            "(too few people to show, or no activity inventory): choose another unit"
        )
    aim = f"Move {found.target_name.lower()}" if found.target_name else None
    return create_pilot(
        settings, account, name or f"{unit.name} redefines work", unit_id=unit_id,
        opportunity=aim,
    )  # fmt: skip
