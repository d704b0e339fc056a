"""Which metrics move the metric that matters: driver estimates over the metric tree,
from a workspace's imports or straight from two files.

Files are checked against the table contracts first (one line per bad cell, with file,
row and column). A workspace's estimates are kept per import and per version of the
tree: the history changes only when it is imported again, the tree when it is imported
or edited (``metric_edits.py``).
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pandas as pd
from pydantic import Field

from smartmoves.data.contracts import contract
from smartmoves.data.readers import read_text_table
from smartmoves.data.store import db, org
from smartmoves.data.validate import validate_table
from smartmoves.data.workspace import analytics_path
from smartmoves.engines.metrics import Driver, DriverEstimates, estimate_drivers
from smartmoves.errors import ConfigError
from smartmoves.pathway._cache import Kept, imports_mark
from smartmoves.pathway._store import store
from smartmoves.pathway._views import View
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = [
    "PARENT_LEVELS",
    "MetricRow",
    "MetricTree",
    "drivers_from_files",
    "kept_drivers",
    "metric_tree",
    "value_counts",
    "workspace_drivers",
]

# The tree's rule: which levels a metric of each level may sit under (a financial
# metric may be part of another, as revenue and cost are of profit).
PARENT_LEVELS: dict[str, tuple[str, ...]] = {
    "frontline": ("operating",),
    "operating": ("financial",),
    "financial": ("financial",),
}
NO_HISTORY = (
    "no weekly history imported yet: put metric_values.csv in a folder and run "
    "`smartmoves import FOLDER` to estimate how strongly each metric moves its parent"
)

_KEPT: Kept[DriverEstimates] = Kept(8)
_COUNTS: Kept[dict[str, int]] = Kept(8)
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
    import and per version of the tree (the Metrics page and the entry points share
    them; an edit of the tree is a new key); ``None`` without metrics or their history.
    The caller has asked the policy."""
    path = analytics_path(settings, "metric_values")
    if tree.empty or not path.is_file():
        return None

    def compute() -> DriverEstimates:
        history = pd.read_parquet(path, columns=_VALUES)
        return estimate_drivers(tree, history)

    return _KEPT.get((settings.sqlalchemy_url, str(path), mark, _digest(tree)), compute)


def _digest(tree: pd.DataFrame) -> str:
    """The tree's content (a few dozen rows: well under a millisecond)."""
    ordered = tree.sort_values("metric_id").reset_index(drop=True)
    text = ordered.to_json(orient="split", default_handler=str)
    return hashlib.sha256(text.encode()).hexdigest()


def value_counts(settings: Settings, mark: object) -> dict[str, int]:
    """How many weekly values the history holds per metric, as of import ``mark``
    (a metric with any cannot be removed). The caller has asked the policy."""
    path = analytics_path(settings, "metric_values")
    if not path.is_file():
        return {}

    def compute() -> dict[str, int]:
        ids = pd.read_parquet(path, columns=["metric_id"])["metric_id"].astype(str)
        return {str(k): int(v) for k, v in ids.value_counts().items()}

    return _COUNTS.get((settings.sqlalchemy_url, str(path), mark), compute)


def _workspace(
    settings: Settings, account: Account
) -> tuple[pd.DataFrame, DriverEstimates | None, object]:
    require(account, "metrics.read")
    with db.transaction(store(settings)) as session:
        mark = imports_mark(session)
        tree = org.read_table(session, "metrics")
    return tree, kept_drivers(settings, tree, mark), mark


def workspace_drivers(settings: Settings, account: Account) -> DriverEstimates:
    """Driver estimates from the workspace's imported metrics and their history."""
    found = _workspace(settings, account)[1]
    if found is None:
        raise ConfigError(
            "no metrics imported yet: put metrics.csv and metric_values.csv in a folder "
            "and run `smartmoves import FOLDER`"
        )
    return found


class MetricRow(View):
    """One metric of the tree, with how strongly it moves its parent (lag 0), how many
    metrics sit under it and how many weekly values the history holds of it."""

    metric_id: str
    name: str
    level: str
    parent_id: str | None
    unit: str | None
    direction: str | None
    depth: int
    driver: Driver | None = None
    leading: bool = False
    children: int = 0
    values: int = 0


class MetricTree(View):
    """The tree in order (each metric followed by those under it), what could not be
    estimated, and the arithmetic identities found."""

    rows: list[MetricRow] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    identities: dict[str, dict[str, float]] = Field(default_factory=dict)


def metric_tree(settings: Settings, account: Account) -> MetricTree:
    """The metric tree, financial at the top and frontline below, each metric beside
    its driver estimate (the same figures as :func:`workspace_drivers`)."""
    tree, found, mark = _workspace(settings, account)
    drivers = found.drivers if found is not None else []
    lag0 = {(d.metric_id, d.parent_id): d for d in drivers if d.lag == 0}
    leading = {d.metric_id for d in drivers if d.leading}
    counts = value_counts(settings, mark)

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
            MetricRow(
                metric_id=mid, name=str(r.name), level=str(r.level), parent_id=parent,
                unit=text(getattr(r, "unit", None)), direction=text(getattr(r, "direction", None)),
                depth=depth, driver=lag0.get((mid, parent or "")), leading=mid in leading,
                children=len(children.get(mid, [])), values=counts.get(mid, 0),
            )
        )  # fmt: skip
        for child in children.get(mid, []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    if found is None:
        return MetricTree(rows=rows, warnings=[NO_HISTORY] if metrics else [])
    return MetricTree(rows=rows, warnings=list(found.warnings), identities=dict(found.identities))
