"""A pilot's frontline metrics: the weeks its people enter, its targets, and the view
that shows each metric's workgroups against their baseline, target and comparison.

A workgroup's metrics are tracked where the organization tracks them: on the teams its
members come from (the people's ``team_id``; metric values of scope ``workgroup`` name
those teams), or, when its members carry no team, on the workgroup itself. Entered
weeks outrank imported ones for the same scope and week, and a later entry outranks an
earlier one; nothing entered is ever overwritten (``data/store/models/act.py``).

The comparison is every other group scope of the metric (workgroup and unit scopes
outside the pilot and its entry point), averaged into one line: those are groups
already. Person scopes join it only in weeks where at least the minimum group size of
people have a value (``pathway/privacy.py``), so no line shows one person's figure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from smartmoves.data.store import db, frontline, teams
from smartmoves.data.store.models import Metric, MetricEntry, MetricTarget, Pilot
from smartmoves.data.workspace import analytics_path
from smartmoves.errors import DataError, NotFound
from smartmoves.pathway import audit
from smartmoves.pathway._cache import Kept
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.act.frontline_figures import (
    BASELINE_WEEKS,
    ComparisonPoint,
    Series,
    baseline_of,
    comparison_line,
    history,
    label,
    latest_of,
    monday,
    series_of,
)
from smartmoves.pathway.policy import Account, Subject, may, require
from smartmoves.settings import Settings

__all__ = [
    "BASELINE_WEEKS",
    "EntryView",
    "FrontlineView",
    "MetricPanel",
    "TargetView",
    "frontline_view",
    "monday",
    "pilot_targets",
    "pilot_teams",
    "record_week",
    "set_target",
    "team_of",
]

SCOPE = "workgroup"
# The figures of a few pilots' pages (each a few kB per metric).
_KEPT: Kept[list[MetricPanel]] = Kept(16)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _date(label: str, text: str | dt.date) -> dt.date:
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise DataError(f"{label}: {str(text)[:40]!r} is not a date (YYYY-MM-DD)") from None


def _number(label: str, text: str | float) -> float:
    try:
        value = float(str(text).strip()) if not isinstance(text, float | int) else float(text)
    except ValueError:
        raise DataError(f"{label}: {str(text)[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise DataError(f"{label}: must be a finite number, not {str(text)[:40]!r}")
    return value


def _frontline_metric(session: Session, metric_id: str) -> Metric:
    found = session.get(Metric, metric_id)
    if found is None:
        raise DataError(f"metric: no metric {metric_id[:60]!r} (import it first)")
    if found.level != "frontline":
        raise DataError(
            f"metric: {metric_id} is {found.level}, not frontline: weeks are entered for "
            "frontline metrics only"
        )
    return found


# ------------------------------------------------------------------ the pilot's scopes
@dataclass
class _Scope:
    """One scope the pilot's metrics are tracked on, and the workgroups drawn from it."""

    scope_id: str
    workgroups: list[tuple[int, str]] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)  # one per workgroup


def team_of(session: Session, person_ids: Collection[str]) -> dict[str, str]:
    """person_id -> the team they come from (the people's ``team_id``), for those of
    ``person_ids`` who have one: the scope the organization tracks their metrics on."""
    people = teams.people_by_id(session, person_ids)
    if "team_id" not in people.columns:
        return {}
    return {
        str(p): str(t)
        for p, t in zip(people["person_id"], people["team_id"], strict=True)
        if isinstance(t, str) and t
    }


def pilot_teams(session: Session, pilot_id: int) -> set[str]:
    """The teams the pilot's workgroup members come from: the scopes its history names
    (the treated scopes of its effect, the report's and the flags' own series)."""
    return set(team_of(session, list(teams.workgroup_members(session, pilot_id))).values())


def _scopes(session: Session, pilot_id: int) -> dict[str, _Scope]:
    groups = teams.workgroups(session, pilot_id)
    members: dict[int, set[str]] = defaultdict(set)
    for person, group in teams.workgroup_members(session, pilot_id).items():
        members[group].add(person)
    team_of_person = team_of(session, [p for m in members.values() for p in m])
    found: dict[str, _Scope] = {}
    for g in groups:
        subject = Subject.workgroup(g.coach_id, members[g.id])
        ids = sorted({team_of_person[p] for p in members[g.id] if p in team_of_person})
        for scope_id in ids or [f"pilot-{pilot_id}-workgroup-{g.id}"]:
            scope = found.setdefault(scope_id, _Scope(scope_id))
            scope.workgroups.append((g.id, g.name))
            scope.subjects.append(subject)
    return dict(sorted(found.items()))


def _names(scope: _Scope) -> list[str]:
    return [name for _, name in scope.workgroups]


def _may_on(account: Account, action: str, subjects: list[Subject]) -> bool:
    return may(account, action) or any(may(account, action, s) for s in subjects)


def _require_on(account: Account, action: str, subjects: list[Subject]) -> None:
    if not _may_on(account, action, subjects):
        require(account, action)  # raises Forbidden with the policy's words


# ------------------------------------------------------------------ writes
class EntryView(View):
    id: int
    pilot_id: int
    metric_id: str
    scope: str
    scope_id: str
    week: dt.date
    value: float
    entered_by: str


class TargetView(View):
    metric_id: str
    value: float
    by: dt.date
    set_by: str
    set_at: UtcTime | None = None


def record_week(
    settings: Settings,
    account: Account,
    pilot_id: int,
    *,
    metric_id: str,
    scope_id: str,
    week: str | dt.date,
    value: str | float,
) -> EntryView:
    """Enter a week's value of a frontline metric for one of the pilot's scopes.

    ``week`` is any day of the week (it is kept as its Monday). Refused, with nothing
    written: a week that has not begun, a value that is not a finite number, a metric that
    is not frontline, a scope that is not the pilot's.
    """
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        scopes = _scopes(session, pilot.id)
        everyone = [s for scope in scopes.values() for s in scope.subjects]
        _require_on(account, "frontline.enter", everyone)
        if scope_id not in scopes:
            raise NotFound(f"scope: {scope_id[:60]!r} is not one of this pilot's workgroups")
        _require_on(account, "frontline.enter", scopes[scope_id].subjects)
        metric = _frontline_metric(session, metric_id)
        day = monday(_date("week", week))
        if day > monday(_today()):
            raise DataError(f"week: the week of {day.isoformat()} has not begun yet")
        number = _number("value", value)
        entry = frontline.add_entry(
            session,
            pilot_id=pilot.id,
            metric_id=metric.metric_id,
            scope=SCOPE,
            scope_id=scope_id,
            week=day,
            value=number,
            entered_by=account.email,
        )
        audit.record(
            session, account, "metric entry", str(pilot.id), metric_id=metric.metric_id,
            scope_id=scope_id, week=day.isoformat(), value=number,
        )  # fmt: skip
        return EntryView(
            id=entry.id, pilot_id=pilot.id, metric_id=metric.metric_id, scope=SCOPE,
            scope_id=scope_id, week=day, value=number, entered_by=account.email,
        )  # fmt: skip


def set_target(
    settings: Settings,
    account: Account,
    pilot_id: int,
    *,
    metric_id: str,
    value: str | float,
    by: str | dt.date,
) -> TargetView:
    """Set where the pilot means a frontline metric to be (``value``) by a date (``by``).
    The earlier target stays in the store, outranked."""
    require(account, "targets.set")
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        metric = _frontline_metric(session, metric_id)
        number = _number("target", value)
        day = _date("by", by)
        frontline.add_target(
            session, pilot_id=pilot.id, metric_id=metric.metric_id, value=number,
            by_date=day, set_by=account.email,
        )  # fmt: skip
        audit.record(
            session, account, "metric target", str(pilot.id), metric_id=metric.metric_id,
            value=number, by=day.isoformat(),
        )  # fmt: skip
        return TargetView(metric_id=metric.metric_id, value=number, by=day, set_by=account.email)


# ------------------------------------------------------------------ the view
class MetricPanel(View):
    metric_id: str
    name: str
    unit: str | None
    direction: str
    series: list[Series]
    comparison: list[ComparisonPoint]
    comparison_scopes: int  # distinct scopes in the comparison line
    baseline: float | None
    baseline_weeks: int  # weeks with values in the baseline window
    latest: float | None  # the pilot's scopes' mean in the newest week with values
    latest_week: dt.date | None
    target: TargetView | None


class ScopeChoice(View):
    scope_id: str
    label: str


class MetricChoice(View):
    metric_id: str
    name: str


class FrontlineView(View):
    """The Frontline metrics page of a pilot (and its JSON twin)."""

    pilot_id: int
    pilot_name: str
    status: str
    started_on: dt.date | None
    baseline_from: dt.date | None  # the first week of the baseline window
    metrics: list[MetricPanel]
    all_frontline: list[MetricChoice]  # every frontline metric, for the forms
    enter_scopes: list[ScopeChoice]  # the scopes this account may enter weeks for
    can_set_target: bool
    this_week: dt.date
    note: str | None = None


def _target(found: MetricTarget) -> TargetView:
    return TargetView(
        metric_id=found.metric_id, value=found.value, by=found.by_date, set_by=found.set_by,
        set_at=found.set_at,
    )  # fmt: skip


def _target_view(found: MetricTarget | None) -> TargetView | None:
    return None if found is None else _target(found)


def pilot_targets(settings: Settings, account: Account, pilot_id: int) -> list[TargetView]:
    """The pilot's targets in force: the newest of each metric, by metric. Read as the
    Frontline metrics page reads them (``frontline.read``)."""
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        scopes = _scopes(session, pilot.id)
        _require_on(account, "frontline.read", [s for c in scopes.values() for s in c.subjects])
        found = frontline.newest_targets(session, pilot.id)
        return [_target(t) for _, t in sorted(found.items())]


def frontline_view(settings: Settings, account: Account, pilot_id: int) -> FrontlineView:
    """Each frontline metric of the pilot's workgroups: every scope's weekly series
    (entered weeks over imported ones), the comparison line, the baseline (the mean of
    the 8 weeks before the pilot started), the target and the start."""
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        scopes = _scopes(session, pilot.id)
        everyone = [s for scope in scopes.values() for s in scope.subjects]
        _require_on(account, "frontline.read", everyone)
        metrics = frontline.frontline_metrics(session)
        ids = [m.metric_id for m in metrics]
        entries = frontline.newest_entries(session, ids, SCOPE, list(scopes))
        targets = frontline.newest_targets(session, pilot.id)
        pilot_people = {p for s in everyone for p in s.members}
        given = _Given(settings, pilot, scopes, metrics, entries, targets, pilot_people)
        return _assemble(account, given)


@dataclass(frozen=True)
class _Given:
    """What a pilot's panels are computed from, read in one transaction."""

    settings: Settings
    pilot: Pilot
    scopes: dict[str, _Scope]
    metrics: list[Metric]
    entries: dict[tuple[str, str, dt.date], MetricEntry]
    targets: dict[str, MetricTarget]
    pilot_people: set[str]  # every member of the pilot's workgroups

    def key(self) -> tuple[object, ...]:
        """Everything the panels depend on: the history file (replaced by a rename at
        each import, so its time changes), the pilot's start, entry point and scopes with
        their people, the metrics, the entries and targets (their ids). Who reads is not
        in it: every reader of the page sees the same figures."""
        settings, pilot = self.settings, self.pilot
        path = analytics_path(settings, "metric_values")
        return (
            settings.sqlalchemy_url, str(path),
            path.stat().st_mtime_ns if path.is_file() else None,
            pilot.id, pilot.started_on, pilot.unit_id, settings.min_group_size,
            tuple((s.scope_id, tuple(s.workgroups),
                   tuple(sorted(p for sub in s.subjects for p in sub.members)))
                  for s in self.scopes.values()),
            tuple((m.metric_id, m.name, m.unit, m.direction) for m in self.metrics),
            tuple(sorted((m, s, w.isoformat(), e.id) for (m, s, w), e in self.entries.items())),
            tuple(sorted((m, t.id) for m, t in self.targets.items())),
        )  # fmt: skip


def _panels(given: _Given) -> list[MetricPanel]:
    """The panels, kept by everything they are computed from (:meth:`_Given.key`)."""
    return _KEPT.get(given.key(), lambda: _compute(given))


def _compute(given: _Given) -> list[MetricPanel]:
    settings, pilot, scopes, entries = given.settings, given.pilot, given.scopes, given.entries
    frame = history(settings, [m.metric_id for m in given.metrics])
    own = frame[(frame["scope"] == SCOPE) & frame["scope_id"].isin(list(scopes))]
    tracked = set(own["metric_id"]) | {m for m, _, _ in entries} | set(given.targets)
    start = monday(pilot.started_on) if pilot.started_on else None
    panels: list[MetricPanel] = []
    for m in given.metrics:
        if m.metric_id not in tracked:
            continue
        mine = own[own["metric_id"] == m.metric_id]
        series = []
        for scope in scopes.values():
            entered = {
                week: float(e.value)
                for (mid, sid, week), e in entries.items()
                if mid == m.metric_id and sid == scope.scope_id
            }
            imported = mine[mine["scope_id"] == scope.scope_id]
            if entered or not imported.empty:
                series.append(series_of(scope.scope_id, _names(scope), imported, entered))
        rows = frame[frame["metric_id"] == m.metric_id]
        comparison, compared = comparison_line(
            rows, pilot.unit_id, set(scopes), given.pilot_people, settings.min_group_size
        )
        baseline, weeks = baseline_of(series, start)
        latest, latest_week = latest_of(series)
        panels.append(
            MetricPanel(
                metric_id=m.metric_id, name=m.name, unit=m.unit, direction=m.direction or "up",
                series=series, comparison=comparison, comparison_scopes=compared,
                baseline=baseline, baseline_weeks=weeks, latest=latest,
                latest_week=latest_week, target=_target_view(given.targets.get(m.metric_id)),
            )
        )  # fmt: skip
    return panels


def _assemble(account: Account, given: _Given) -> FrontlineView:
    pilot, scopes, metrics = given.pilot, given.scopes, given.metrics
    panels = _panels(given)
    tracked = {p.metric_id for p in panels}
    start = monday(pilot.started_on) if pilot.started_on else None
    may_enter = [
        ScopeChoice(scope_id=s.scope_id, label=label(s.scope_id, _names(s)))
        for s in scopes.values()
        if _may_on(account, "frontline.enter", s.subjects)
    ]  # fmt: skip
    note = None
    if not scopes:
        note = "This pilot has no workgroups yet: their metrics show once they are formed."
    elif not panels:
        note = (
            "No frontline metric has values for this pilot's workgroups yet: import "
            "metric_values with scope workgroup, or enter a week below."
        )
    return FrontlineView(
        pilot_id=pilot.id,
        pilot_name=pilot.name,
        status=pilot.status,
        started_on=pilot.started_on,
        baseline_from=start - dt.timedelta(weeks=BASELINE_WEEKS) if start else None,
        metrics=panels,
        # The pilot's own metrics first: the forms start on one the page shows.
        all_frontline=[
            MetricChoice(metric_id=m.metric_id, name=m.name)
            for m in sorted(metrics, key=lambda m: m.metric_id not in tracked)
        ],
        enter_scopes=may_enter,
        can_set_target=may(account, "targets.set"),
        this_week=monday(_today()),
        note=note,
    )
