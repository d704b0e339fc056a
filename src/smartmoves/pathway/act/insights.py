"""Insight flags ("see the unseen"): every metric series scanned for level shifts, trend
changes and anomalies, straight from a file or from a workspace's imported history, and
the flags posted to the workgroups they touch, to discuss.

A file is checked against the metric_values contract first (one line per bad cell, with
file, row and column). Without the organization's files its metrics and scopes cannot
be resolved, so only the cells themselves are checked. A workspace's scan is kept per
import: the history changes only when it is imported again.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd

from smartmoves.data.contracts import contract
from smartmoves.data.readers import read_text_table
from smartmoves.data.store import db, org
from smartmoves.data.validate import validate_table
from smartmoves.data.workspace import analytics_path
from smartmoves.engines.insights import Flag, InsightScan, scan
from smartmoves.pathway._cache import Kept, imports_mark
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway._views import View
from smartmoves.pathway.create.coaching.charters import charter_of, group_of, subject_of
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = ["FlagRow", "WorkgroupFlags", "insights_from_file", "workgroup_flags"]

_VALUES = ["metric_id", "scope", "scope_id", "date", "value"]
_KEPT: Kept[InsightScan] = Kept(4)
# Scopes that speak for everyone: a workgroup discusses them when it names the metric.
_SHARED = ("org", "market")


class FlagRow(View):
    """One flag, and why it is this workgroup's to discuss."""

    metric_id: str
    scope: str
    scope_id: str
    date: str
    kind: str
    magnitude: float
    magnitude_sd: float
    confidence: float
    explanation: str
    why: str


class WorkgroupFlags(View):
    """The flags touching a workgroup, newest first."""

    workgroup_id: int
    flags: list[FlagRow]


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


def _why(flag: Flag, workgroup_id: int, unit_id: str | None, named: set[str]) -> str | None:
    if flag.scope == "workgroup" and flag.scope_id == str(workgroup_id):
        return "the workgroup's own metric"
    if flag.scope == "unit" and unit_id is not None and flag.scope_id == unit_id:
        return "the pilot's unit"
    if flag.scope in _SHARED and flag.metric_id in named:
        return f"a metric its charter or focus names ({flag.scope})"
    return None


def workgroup_flags(settings: Settings, account: Account, workgroup_id: int) -> WorkgroupFlags:
    """The flags that touch a workgroup: on its own series (scope ``workgroup``), on its
    pilot's unit, and on the organization's and markets' series of the metrics its
    charter or focus names.

    Raises
    ------
    NotFound
        No such workgroup (or one of a draft pilot the account may not see).
    Forbidden
        The account is not staff nor a member of the workgroup.
    """
    with db.transaction(store(settings)) as session:
        group = group_of(session, workgroup_id, None)
        pilot = pilot_for(session, account, group.pilot_id)
        require(account, "insights.read", subject_of(session, group))
        charter = charter_of(session, group).draft
        mark = imports_mark(session)
        metrics = org.read_table(session, "metrics")
    path = analytics_path(settings, "metric_values")
    if not path.is_file():
        return WorkgroupFlags(workgroup_id=workgroup_id, flags=[])
    found = _KEPT.get(
        (settings.sqlalchemy_url, str(path), mark),
        lambda: scan(pd.read_parquet(path, columns=_VALUES)),
    )
    text = " ".join([group.focus or "", *(str(v) for v in charter.model_dump().values())])
    named = _named(text, metrics) if not metrics.empty else set()
    rows = []
    for flag in found.flags:
        why = _why(flag, workgroup_id, pilot.unit_id, named)
        if why is not None:
            rows.append(
                FlagRow(
                    **{k: getattr(flag, k) for k in FlagRow.model_fields if k != "why"},
                    why=why,
                )
            )
    rows.sort(key=lambda r: r.date, reverse=True)
    return WorkgroupFlags(workgroup_id=workgroup_id, flags=rows)
