"""Insight flags ("see the unseen"): every metric series scanned for level shifts, trend
changes and anomalies, straight from a file or from a workspace's imported history, and
the flags posted to the workgroups they touch, to discuss.

A file is checked against the metric_values contract first (one line per bad cell, with
file, row and column). Without the organization's files its metrics and scopes cannot
be resolved, so only the cells themselves are checked. A workspace's scan is kept per
import: the history changes only when it is imported again.

The workgroup page and the pilot's Frontline metrics page list them ("Flags to
discuss"), in words: the metric's name, the scope, the kind, the size in the metric's
unit and in noise SDs.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from smartmoves.data.contracts import contract
from smartmoves.data.readers import read_text_table
from smartmoves.data.store import coaching, db, org, teams
from smartmoves.data.store import metrics as store_metrics
from smartmoves.data.store.models import Workgroup
from smartmoves.data.validate import validate_table
from smartmoves.data.workspace import analytics_path
from smartmoves.engines.insights import Flag, InsightScan, scan
from smartmoves.pathway._cache import Kept, imports_mark
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import View
from smartmoves.pathway.act.frontline import team_of
from smartmoves.pathway.create.coaching.charters import charter_of, group_of, subject_of
from smartmoves.pathway.policy import Account, may, require
from smartmoves.settings import Settings

__all__ = [
    "FlagRow",
    "PilotFlags",
    "WorkgroupFlags",
    "insights_from_file",
    "pilot_flags",
    "warm",
    "workgroup_flags",
]

_VALUES = ["metric_id", "scope", "scope_id", "date", "value"]
_KEPT: Kept[InsightScan] = Kept(4)
_LOG = logging.getLogger(__name__)
# Scopes that speak for everyone: a workgroup discusses them when it names the metric.
_SHARED = ("org", "market")


_KINDS = {
    "level_shift": "a level shift",
    "trend_change": "a change of trend",
    "anomaly": "an unusual week",
}


class FlagRow(View):
    """One flag, and why it is this workgroup's to discuss, with its words for a page."""

    metric_id: str
    metric_name: str
    scope: str
    scope_id: str
    scope_words: str
    date: str
    kind: str
    kind_words: str
    magnitude: float
    magnitude_sd: float
    size: str
    confidence: float
    explanation: str
    why: str


class WorkgroupFlags(View):
    """The flags touching a workgroup, newest first."""

    workgroup_id: int
    name: str
    flags: list[FlagRow]


class PilotFlags(View):
    """The flags of each of a pilot's workgroups the account may read."""

    pilot_id: int
    workgroups: list[WorkgroupFlags]


def insights_from_file(values: Path) -> InsightScan:
    """The flags of every series in a metric_values file (CSV, Excel or Parquet)."""
    loose = dataclasses.replace(contract("metric_values"), references=())
    history = validate_table(read_text_table(values), loose).frame
    return scan(history[_VALUES])


def _named(text: str, metrics: pd.DataFrame) -> set[str]:
    """The metrics whose id or name the text names, as whole words in any case."""
    found = set()
    lowered = text.lower()
    for row in metrics.itertuples(index=False):
        for word in {str(row.metric_id), str(getattr(row, "name", "") or "")}:
            if word.strip() and re.search(rf"\b{re.escape(word.lower())}\b", lowered):
                found.add(str(row.metric_id))
    return found


@dataclasses.dataclass(frozen=True)
class _Group:
    """What decides which flags touch a workgroup."""

    id: int
    name: str
    unit_id: str | None
    teams: frozenset[str]  # the teams its members come from (people's team_id)
    named: frozenset[str]  # the metrics its charter or focus names


def _why(flag: Flag, group: _Group) -> str | None:
    if flag.scope == "workgroup" and flag.scope_id == str(group.id):
        return "the workgroup's own metric"
    # The organization tracks a workgroup's metrics on its members' teams (scope
    # ``workgroup``, the team's id), as the Frontline metrics page does.
    if flag.scope == "workgroup" and flag.scope_id in group.teams:
        return "a team its members come from"
    if flag.scope == "unit" and group.unit_id is not None and flag.scope_id == group.unit_id:
        return "the pilot's unit"
    if flag.scope in _SHARED and flag.metric_id in group.named:
        return f"a metric its charter or focus names ({flag.scope})"
    return None


def _scope_words(flag: Flag, group: _Group) -> str:
    if flag.scope == "market":
        return "the market" if flag.scope_id in ("", "market") else f"the market ({flag.scope_id})"
    if flag.scope == "org":
        return "the whole organization"
    if flag.scope == "unit":
        return f"unit {flag.scope_id}"
    if flag.scope == "workgroup" and flag.scope_id == str(group.id):
        return "this workgroup"
    if flag.scope == "workgroup":
        return f"team {flag.scope_id}"
    return f"{flag.scope} {flag.scope_id}"


def _size(flag: Flag, unit: str) -> str:
    per = " a week" if flag.kind == "trend_change" else ""
    number = f"{flag.magnitude:+,.3g}" if abs(flag.magnitude) < 1000 else f"{flag.magnitude:+,.0f}"
    unit_words = f" {unit}" if unit and unit != "%" else unit
    return f"{number}{unit_words}{per} ({abs(flag.magnitude_sd):.1f} noise SD)"


def _rows(found: InsightScan, group: _Group, metrics: pd.DataFrame) -> list[FlagRow]:
    names = dict(zip(metrics["metric_id"], metrics["name"], strict=True)) if len(metrics) else {}
    units: dict[str, str] = {}
    if "unit" in metrics.columns:
        units = {
            str(m): str(u)
            for m, u in zip(metrics["metric_id"], metrics["unit"], strict=True)
            if isinstance(u, str)
        }
    rows = []
    for flag in found.flags:
        why = _why(flag, group)
        if why is None:
            continue
        rows.append(
            FlagRow(
                metric_id=flag.metric_id,
                metric_name=str(names.get(flag.metric_id) or flag.metric_id),
                scope=flag.scope,
                scope_id=flag.scope_id,
                scope_words=_scope_words(flag, group),
                date=flag.date,
                kind=flag.kind,
                kind_words=_KINDS.get(flag.kind, flag.kind),
                magnitude=flag.magnitude,
                magnitude_sd=flag.magnitude_sd,
                size=_size(flag, units.get(flag.metric_id, "")),
                confidence=flag.confidence,
                explanation=flag.explanation,
                why=why,
            )
        )
    rows.sort(key=lambda r: r.date, reverse=True)
    return rows


# What a workgroup page reads beside the kept scan, kept too: the metrics table changes
# with an import or an edit of the tree (its digest), the members' teams only with an
# import (the mark), and a workgroup's rows only with those, the scan and what decides
# which flags touch it (the _Group itself).
_METRICS: Kept[pd.DataFrame] = Kept(4)
_TEAMS: Kept[frozenset[str]] = Kept(256)
_ROWS: Kept[list[FlagRow]] = Kept(256)


def _metrics(session: Session, settings: Settings) -> tuple[str, pd.DataFrame]:
    """The metrics table and the digest of the tree it was read at."""
    tree = store_metrics.tree_mark(session)
    read = _METRICS.get((settings.sqlalchemy_url, tree), lambda: org.read_table(session, "metrics"))
    return tree, read


def _group(
    session: Session,
    settings: Settings,
    mark: object,
    group: Workgroup,
    unit_id: str | None,
    metrics: pd.DataFrame,
) -> _Group:
    charter = charter_of(session, group).draft
    text = " ".join([group.focus or "", *(str(v) for v in charter.model_dump().values())])
    members = tuple(coaching.members_of(session, group.id))
    return _Group(
        id=group.id,
        name=group.name,
        unit_id=unit_id,
        teams=_TEAMS.get(
            (settings.sqlalchemy_url, mark, members),
            lambda: frozenset(team_of(session, members).values()),
        ),
        named=frozenset(_named(text, metrics) if not metrics.empty else ()),
    )


def _kept_rows(
    settings: Settings,
    mark: tuple[object, str],
    found: InsightScan | None,
    group: _Group,
    metrics: pd.DataFrame,
) -> list[FlagRow]:
    """The flag rows of ``group``; ``mark`` is the imports' mark and the tree's digest."""
    if found is None:
        return []
    kept = _ROWS.get((settings.sqlalchemy_url, *mark, group), lambda: _rows(found, group, metrics))
    return list(kept)  # a caller's change to its list never reaches the memo


def _scanned(settings: Settings, mark: object) -> InsightScan | None:
    """The workspace's scan, computed once per import (the history changes only then)."""
    path = analytics_path(settings, "metric_values")
    if not path.is_file():
        return None
    return _KEPT.get(
        (settings.sqlalchemy_url, str(path), mark),
        lambda: scan(pd.read_parquet(path, columns=_VALUES)),
    )


def warm(settings: Settings) -> None:
    """Compute the workspace's scan ahead of the first page that lists flags.

    The first scan in a process scans (0.2 s on the 2,000-person demo) after the
    change-point library is imported (about 1 s; ``serve`` imports it before it starts
    this), so the web server runs this in a thread at start: a page asking meanwhile
    waits for the same computation, never a second one. A failure is left for that page
    to report.
    """
    try:
        with db.transaction(store(settings)) as session:
            mark = imports_mark(session)
        _scanned(settings, mark)
    except Exception:  # warming is best effort: the page that needs the scan reports it
        _LOG.warning("the insight scan could not be computed ahead", exc_info=True)


def workgroup_flags(settings: Settings, account: Account, workgroup_id: int) -> WorkgroupFlags:
    """The flags that touch a workgroup: on its own series (scope ``workgroup``: its id,
    or a team its members come from), on its pilot's unit, and on the organization's and
    markets' series of the metrics its charter or focus names.

    Raises
    ------
    NotFound
        No such workgroup (or one of a draft pilot the account may not see).
    Forbidden
        The account is not staff nor a member or the coach of the workgroup.
    """
    with db.reading(store(settings)) as session:
        found_group = group_of(session, workgroup_id, None)
        pilot = pilot_for(session, account, found_group.pilot_id)
        require(account, "insights.read", subject_of(session, found_group))
        mark = imports_mark(session)
        tree, metrics = _metrics(session, settings)
        group = _group(session, settings, mark, found_group, pilot.unit_id, metrics)
    rows = _kept_rows(settings, (mark, tree), _scanned(settings, mark), group, metrics)
    return WorkgroupFlags(workgroup_id=workgroup_id, name=group.name, flags=rows)


def pilot_flags(settings: Settings, account: Account, pilot_id: int) -> PilotFlags:
    """The flags of each of the pilot's workgroups that the account may read
    (``insights.read``: staff all of them, a member or coach their own), in the
    workgroups' order. None is an empty list, never a refusal: the Frontline metrics
    page shows what there is.

    Raises
    ------
    NotFound
        No such pilot (or a draft the account may not see).
    """
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        mark = imports_mark(session)
        tree, metrics = _metrics(session, settings)
        groups = [
            _group(session, settings, mark, g, pilot.unit_id, metrics)
            for g in teams.workgroups(session, pilot_id)
            if may(account, "insights.read", subject_of(session, g))
        ]
    found = _scanned(settings, mark) if groups else None
    return PilotFlags(
        pilot_id=pilot_id,
        workgroups=[
            WorkgroupFlags(
                workgroup_id=g.id,
                name=g.name,
                flags=_kept_rows(settings, (mark, tree), found, g, metrics),
            )
            for g in groups
        ],
    )
