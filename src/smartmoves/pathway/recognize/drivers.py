"""Which metrics move the metric that matters: driver estimates over the metric tree,
from a workspace's imports or straight from two files.

Files are checked against the table contracts first (one line per bad cell, with file,
row and column). A workspace's estimates are kept per import: the history changes only
when it is imported again.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from smartmoves.data.contracts import contract
from smartmoves.data.readers import read_text_table
from smartmoves.data.store import db, org
from smartmoves.data.validate import validate_table
from smartmoves.data.workspace import analytics_path
from smartmoves.engines.metrics import DriverEstimates, estimate_drivers
from smartmoves.errors import ConfigError
from smartmoves.pathway._cache import Kept, imports_mark
from smartmoves.pathway._store import store
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = ["drivers_from_files", "workspace_drivers"]

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


def workspace_drivers(settings: Settings, account: Account) -> DriverEstimates:
    """Driver estimates from the workspace's imported metrics and their history."""
    require(account, "metrics.read")
    with db.transaction(store(settings)) as session:
        mark = imports_mark(session)
        tree = org.read_table(session, "metrics")
    path = analytics_path(settings, "metric_values")
    if tree.empty or not path.is_file():
        raise ConfigError(
            "no metrics imported yet: put metrics.csv and metric_values.csv in a folder "
            "and run `smartmoves import FOLDER`"
        )

    def compute() -> DriverEstimates:
        history = pd.read_parquet(path, columns=_VALUES)
        return estimate_drivers(tree, history)

    return _KEPT.get((settings.sqlalchemy_url, str(path), mark), compute)
