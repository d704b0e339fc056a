"""The champion's view of a pilot: where it started and why, the capacity it freed, its
workgroups, its frontline metrics with the pilot's effect on each, and the flags to
discuss. The momentum section and the report (HTML, PDF) both render this one view.

A workgroup's metrics are tracked on the teams its members come from (the people's
``team_id``; metric values of scope ``workgroup`` name those teams). The pilot's effect
on a metric compares those teams (treated) with the metric's other workgroup scopes
(controls) from the pilot's start, through the impact engine; only group scopes enter
it, never a person's series. Every part is read through the use case that owns it
(entry points, the capacity plan, the coaches' page, the flags of the Frontline page),
so the report shows no more than the reader's role may see there.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from pydantic import Field

from smartmoves.data.store import db, org
from smartmoves.data.workspace import analytics_path
from smartmoves.errors import NotFound, SmartMovesError
from smartmoves.pathway import audit
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import UtcTime, View
from smartmoves.pathway.act.effect_words import effect_sentence
from smartmoves.pathway.act.frontline import pilot_teams
from smartmoves.pathway.act.insights import FlagRow, pilot_flags
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = [
    "CapacityPart",
    "EntryPart",
    "FlagPart",
    "MetricEffect",
    "PilotReport",
    "WorkgroupPart",
    "pilot_report",
    "record_download",
]

SCOPE = "workgroup"
_VALUES = ["metric_id", "scope", "scope_id", "date", "value"]
MAX_FLAGS = 12  # a report a champion forwards: the most confident flags, not all


class EntryPart(View):
    unit_id: str
    name: str
    overall: float
    capacity: float
    impact: float
    likelihood: float
    rank: int  # among every unit scored
    units: int
    reasons: list[str]
    target_name: str | None


class CapacityPart(View):
    summary: str
    volunteers: int | None
    freed: int | None
    hours: dict[str, float] | None


class WorkgroupPart(View):
    name: str
    members: int
    focus: str | None
    coach: str | None  # the coach's name as the reader may see it


class Period(View):
    date: dt.date
    post: bool
    treated: float
    counterfactual: float | None


class MetricEffect(View):
    """One frontline metric: the treated teams' weekly mean, and the pilot's effect."""

    metric_id: str
    name: str
    unit: str | None
    direction: str
    treated: list[str]  # the pilot's scopes (teams)
    controls: int  # how many other workgroup scopes the counterfactual draws on
    effect: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    method: str | None = None
    why: str | None = None
    naive: float | None = None  # after minus before, without controls
    warnings: list[str] = Field(default_factory=list)
    sentence: str
    periods: list[Period]


class FlagPart(View):
    metric_id: str
    metric_name: str
    scope_id: str
    date: str
    kind: str
    confidence: float
    explanation: str


class PilotReport(View):
    """A pilot as its champion reads and forwards it (the momentum section, the report)."""

    pilot_id: int
    pilot_name: str
    status: str
    opportunity: str | None
    unit_id: str | None
    started_on: dt.date | None
    generated_at: UtcTime
    entry: EntryPart | None
    capacity: CapacityPart | None
    workgroups: list[WorkgroupPart]
    metrics: list[MetricEffect]
    headline: str | None  # the metric_id of the metric that matters most here
    flags: list[FlagPart]
    notes: list[str]


# ------------------------------------------------------------------ parts
def _entry(settings: Settings, account: Account, unit_id: str | None) -> EntryPart | None:
    from smartmoves.pathway.act.connect import unit_external_shares
    from smartmoves.pathway.recognize.entry import entry_points

    if unit_id is None:
        return None
    try:
        found = entry_points(
            settings,
            account,
            external_shares=lambda _p: unit_external_shares(settings, account=account),
        )
    except SmartMovesError:  # no network analysis kept: score without "self-contained"
        found = entry_points(settings, account)
    ranked = found.entry_points
    for rank, e in enumerate(ranked, start=1):
        if e.unit_id == unit_id:
            return EntryPart(
                unit_id=e.unit_id, name=e.name, overall=e.overall, capacity=e.capacity,
                impact=e.impact, likelihood=e.likelihood, rank=rank, units=len(ranked),
                reasons=list(e.reasons), target_name=found.target_name,
            )  # fmt: skip
    return None


def _capacity(settings: Settings, account: Account, pilot_id: int) -> CapacityPart | None:
    from smartmoves.pathway.create.capacity import current_plan_view

    try:
        plan = current_plan_view(settings, account, pilot_id)
    except NotFound:
        return None
    return CapacityPart(
        summary=plan.summary, volunteers=plan.volunteers, freed=plan.freed_count,
        hours=plan.hours,
    )  # fmt: skip


def _workgroups(settings: Settings, account: Account, pilot_id: int) -> list[WorkgroupPart]:
    from smartmoves.pathway.create.coaching import coaches_view

    view = coaches_view(settings, account, pilot_id)
    return [
        WorkgroupPart(
            name=g.name,
            members=g.members,
            focus=g.focus,
            coach=view.who[g.coach_id].shown if g.coach_id in view.who else g.coach_id,
        )
        for g in view.workgroups
    ]


def _pilot_start(pilot: Any, start: dt.date | None) -> dt.date | None:
    """The pilot's first running day as the store keeps it, else the one given (a
    pilot that ran before smartmoves knew of it)."""
    return start if start is not None else pilot.started_on


# ------------------------------------------------------------------ metrics
def metric_history(settings: Settings, metric_ids: list[str]) -> pd.DataFrame:
    """The imported weekly values of ``metric_ids`` at team (workgroup) and unit scope."""
    path = analytics_path(settings, "metric_values")
    if not metric_ids or not path.is_file():
        return pd.DataFrame(columns=_VALUES)
    frame = pd.read_parquet(path, columns=_VALUES, filters=[("metric_id", "in", metric_ids)])
    frame = frame[frame["scope"].isin((SCOPE, "unit"))].dropna(subset=["value"]).copy()
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    frame["scope_id"] = frame["scope_id"].astype(str)
    return frame[frame["date"].notna()]


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _trend(rows: pd.DataFrame, start: dt.date | None) -> list[Period]:
    mean = rows.groupby("date")["value"].mean().sort_index()
    return [
        Period(
            date=d.date(),
            post=start is not None and d.date() >= start,
            treated=round(float(v), 4),
            counterfactual=None,
        )
        for d, v in mean.items()
    ]


def _estimate(frame: pd.DataFrame, treated: list[str], start: dt.date) -> Any:
    """The impact engine's estimate, or the reason there is none."""
    from smartmoves.engines.impact import estimate_effect  # scipy: only when estimating

    try:
        return estimate_effect(
            frame[["scope_id", "date", "value"]], treated=treated, start=start, seed=0
        )
    except SmartMovesError as exc:
        return exc.message


def _metric(
    metric: Any, rows: pd.DataFrame, treated_all: set[str], start: dt.date | None
) -> MetricEffect | None:
    groups = rows[rows["scope"] == SCOPE]
    treated = sorted(set(groups["scope_id"]) & treated_all)
    if not treated:
        return None
    controls = sorted(set(groups["scope_id"]) - treated_all)
    mine = groups[groups["scope_id"].isin(treated)]
    base: dict[str, Any] = {
        "metric_id": metric.metric_id, "name": metric.name, "unit": metric.unit,
        "direction": metric.direction or "up", "treated": treated, "controls": len(controls),
    }  # fmt: skip
    if start is None:
        why = "the pilot has not started running: its effect is estimated from its start"
        return MetricEffect(**base, sentence=f"Not estimated: {why}.", periods=_trend(mine, None))
    if not controls:
        return MetricEffect(
            **base, sentence="Not estimated: no other workgroup tracks this metric to compare "
            "with.", periods=_trend(mine, start),
        )  # fmt: skip
    found = _estimate(groups, treated, start)
    if isinstance(found, str):
        return MetricEffect(
            **base, sentence=f"Not estimated: {found}.", periods=_trend(mine, start)
        )
    periods = [
        Period(
            date=p.date if isinstance(p.date, dt.date) else pd.Timestamp(p.date).date(),
            post=bool(p.post),
            treated=round(float(p.treated), 4),
            counterfactual=round(float(p.counterfactual), 4),
        )
        for p in found.periods
    ]
    effect, low, high = _finite(found.effect), _finite(found.ci_low), _finite(found.ci_high)
    p_value = _finite(found.p_value)
    return MetricEffect(
        **base, effect=effect, ci_low=low, ci_high=high, p_value=p_value,
        method=found.method, why=getattr(found, "why", None),
        naive=_finite(found.naive.effect), warnings=list(found.warnings),
        sentence=effect_sentence(effect, low, high, p_value, unit=metric.unit,
                                 direction=metric.direction or "up", alpha=found.alpha),
        periods=periods,
    )  # fmt: skip


def _feeds(tree: pd.DataFrame, metric_id: str, target: str | None) -> bool:
    parent = dict(zip(tree["metric_id"], tree["parent_id"], strict=True))
    seen: set[str] = set()
    while metric_id and metric_id not in seen:
        if metric_id == target:
            return True
        seen.add(metric_id)
        metric_id = parent.get(metric_id) or ""
    return False


def _flags(settings: Settings, account: Account, pilot_id: int, frontline_ids: set[str],
           treated: set[str], unit_id: str | None) -> list[FlagPart]:  # fmt: skip
    """The most confident flags on the pilot's own series of its frontline metrics (its
    teams', its unit's), from the workspace's scan the Frontline page lists them from."""
    mine: dict[tuple[str, str, str, str, str], FlagRow] = {}
    for group in pilot_flags(settings, account, pilot_id).workgroups:
        for f in group.flags:  # a team's flag is each of its workgroups': keep it once
            own = (f.scope == SCOPE and f.scope_id in treated) or (
                f.scope == "unit" and f.scope_id == (unit_id or "")
            )
            if own and f.metric_id in frontline_ids:
                mine.setdefault((f.metric_id, f.scope, f.scope_id, f.date, f.kind), f)
    ranked = sorted(mine.values(), key=lambda f: (-f.confidence, f.date, f.metric_id, f.scope_id))
    return [
        FlagPart(
            metric_id=f.metric_id,
            metric_name=f.metric_name,
            scope_id=f.scope_id,
            date=f.date[:10],
            kind=f.kind,
            confidence=round(float(f.confidence), 2),
            explanation=f.explanation,
        )
        for f in ranked[:MAX_FLAGS]
    ]


def pilot_report(
    settings: Settings, account: Account, pilot_id: int, *, start: dt.date | None = None
) -> PilotReport:
    """The pilot's report: entry point and why, capacity freed, workgroups, each
    frontline metric of its workgroups with the pilot's effect, and flags to discuss.

    ``start`` is the pilot's first week, when the store does not record it (a pilot
    that ran before smartmoves knew of it); otherwise the pilot's own start.

    Raises
    ------
    Forbidden
        The account may not read reports (members, supervisors).
    NotFound
        No such pilot.
    """
    require(account, "report.read")
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        treated = pilot_teams(session, pilot.id)
        tree = org.read_table(session, "metrics")
        head: dict[str, Any] = {
            "pilot_id": pilot.id, "pilot_name": pilot.name, "status": pilot.status,
            "opportunity": pilot.opportunity, "unit_id": pilot.unit_id,
        }  # fmt: skip
        begun = _pilot_start(pilot, start)
    entry = _entry(settings, account, head["unit_id"])
    frontline = tree[tree["level"] == "frontline"] if not tree.empty else tree
    history = metric_history(settings, [str(m) for m in frontline.get("metric_id", [])])
    metrics: list[MetricEffect] = []
    for m in frontline.itertuples():
        found = _metric(m, history[history["metric_id"] == m.metric_id], treated, begun)
        if found is not None:
            metrics.append(found)
    target = entry.target_name if entry else None
    target_id = next(
        (str(i) for i, n in zip(tree.get("metric_id", []), tree.get("name", []), strict=True)
         if n == target), None,
    )  # fmt: skip
    feeding = [m for m in metrics if _feeds(tree, m.metric_id, target_id)]
    headline = (feeding or metrics)[0] if metrics else None
    ids = {str(m) for m in frontline.get("metric_id", [])}
    flags = _flags(settings, account, pilot_id, ids, treated, head["unit_id"])
    notes: list[str] = []
    if not treated:
        notes.append("The pilot has no workgroups yet: their metrics show once they are formed.")
    elif not metrics:
        notes.append("No frontline metric has values for this pilot's workgroups' teams yet.")
    return PilotReport(
        **head, started_on=begun, generated_at=dt.datetime.now(dt.UTC), entry=entry,
        capacity=_capacity(settings, account, pilot_id),
        workgroups=_workgroups(settings, account, pilot_id), metrics=metrics,
        headline=headline.metric_id if headline else None, flags=flags, notes=notes,
    )  # fmt: skip


def record_download(settings: Settings, account: Account, pilot_id: int, kind: str) -> None:
    """Write the report's download (or file written) to the audit log."""
    audit.exported(settings, account, f"pilot {pilot_id} report", format=kind)
