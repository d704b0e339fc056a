"""Which metrics move the metric that matters: driver estimates over the metric tree,
from a workspace's imports or straight from two files.

Files are checked against the table contracts first (one line per bad cell, with file,
row and column). A workspace's estimates are kept per import: the history changes only
when it is imported again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from smartmoves.data.contracts import contract
from smartmoves.data.readers import read_text_table
from smartmoves.data.store import db, org
from smartmoves.data.validate import validate_table
from smartmoves.data.workspace import analytics_path
from smartmoves.engines.metrics import Driver, DriverEstimates, estimate_drivers
from smartmoves.errors import ConfigError
from smartmoves.pathway._cache import Kept, imports_mark
from smartmoves.pathway._store import store
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = [
    "MetricRow",
    "MetricTree",
    "drivers_from_files",
    "kept_drivers",
    "metric_tree",
    "workspace_drivers",
]

_KEPT: Kept[DriverEstimates] = Kept(8)
_VALUES = ["metric_id", "scope", "scope_id", "date", "value"]


def drivers_from_files(metrics: Path, values: Path) -> DriverEstimates:
    """Driver estimates from a metrics file and a metric_values file (CSV, Excel or
    Parquet). The values' units and people are not checked against an organization
    here, only that every value names a metric of the tree."""
    tree = validate_table(read_text_table(metrics), contract("metrics")).frame
    loose = contract("metric_values")
    # Without the organization's files, scopes cannot be resolved: metrics can.
    loose = dataclasses.replace(
        loose, references=tuple(r for r in loose.references if r.table == "metrics")
    )
    known = {"metrics": set(tree["metric_id"].astype(str))}
    history = validate_table(read_text_table(values), loose, known=known).frame
    return estimate_drivers(tree, history[_VALUES])


def kept_drivers(settings: Settings, tree: pd.DataFrame, mark: object) -> DriverEstimates | None:
    """The estimates for the workspace's ``tree`` as of import ``mark``, computed once per
    import (the Metrics page and the entry points share them); ``None`` without metrics
    or their history. The caller has asked the policy."""
    path = analytics_path(settings, "metric_values")
    if tree.empty or not path.is_file():
        return None

    def compute() -> DriverEstimates:
        history = pd.read_parquet(path, columns=_VALUES)
        return estimate_drivers(tree, history)

    return _KEPT.get((settings.sqlalchemy_url, str(path), mark), compute)


def _workspace(settings: Settings, account: Account) -> tuple[pd.DataFrame, DriverEstimates]:
    require(account, "metrics.read")
    with db.transaction(store(settings)) as session:
        mark = imports_mark(session)
        tree = org.read_table(session, "metrics")
    found = kept_drivers(settings, tree, mark)
    if found is None:
        raise ConfigError(
            "no metrics imported yet: put metrics.csv and metric_values.csv in a folder "
            "and run `smartmoves import FOLDER`"
        )
    return tree, found


def workspace_drivers(settings: Settings, account: Account) -> DriverEstimates:
    """Driver estimates from the workspace's imported metrics and their history."""
    return _workspace(settings, account)[1]


@dataclass(frozen=True)
class MetricRow:
    """One metric of the tree, with how strongly it moves its parent (lag 0)."""

    metric_id: str
    name: str
    level: str
    parent_id: str | None
    unit: str | None
    direction: str | None
    depth: int
    driver: Driver | None = None
    leading: bool = False


@dataclass(frozen=True)
class MetricTree:
    rows: list[MetricRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    identities: dict[str, dict[str, float]] = field(default_factory=dict)


def metric_tree(settings: Settings, account: Account) -> MetricTree:
    """The metric tree, financial at the top and frontline below, each metric beside
    its driver estimate (the same figures as :func:`workspace_drivers`)."""
    tree, found = _workspace(settings, account)
    lag0 = {(d.metric_id, d.parent_id): d for d in found.drivers if d.lag == 0}
    leading = {d.metric_id for d in found.drivers if d.leading}

    def text(value: object) -> str | None:
        return value if isinstance(value, str) and value else None

    metrics = {str(r.metric_id): r for r in tree.itertuples(index=False)}
    children: dict[str | None, list[str]] = {}
    for mid, r in sorted(metrics.items()):
        parent = text(r.parent_id)
        children.setdefault(parent if parent in metrics else None, []).append(mid)
    rows: list[MetricRow] = []

    def walk(mid: str, depth: int) -> None:
        r = metrics[mid]
        parent = text(r.parent_id)
        rows.append(
            MetricRow(mid, str(r.name), str(r.level), parent, text(getattr(r, "unit", None)),
                      text(getattr(r, "direction", None)), depth,
                      lag0.get((mid, parent or "")), mid in leading)
        )  # fmt: skip
        for child in children.get(mid, []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    return MetricTree(rows, list(found.warnings), dict(found.identities))
