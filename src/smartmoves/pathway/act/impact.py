"""The pilot's effect on a metric, from a metric_values file or a workspace's pilot.

The file is checked against the metric_values contract first (one line per bad cell).
The treated scopes' kind (workgroup, unit...) picks the controls: every other scope of
that kind with values of the same metric. On a workspace, the treated scopes are the
teams the pilot's workgroup members come from, and the controls every other team that
tracks the metric, from the day the pilot first ran (as the report counts them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from smartmoves.data.contracts import contract
from smartmoves.data.readers import read_text_table
from smartmoves.data.store import db
from smartmoves.data.validate import validate_table
from smartmoves.engines.impact import EffectEstimate, estimate_effect
from smartmoves.errors import DataError
from smartmoves.pathway._store import pilot_for, store
from smartmoves.pathway.act.frontline import pilot_teams
from smartmoves.pathway.act.report import SCOPE, metric_history
from smartmoves.pathway.policy import Account, require
from smartmoves.settings import Settings

__all__ = ["effect_for_pilot", "effect_from_file"]


def effect_from_file(
    values: Path,
    *,
    metric: str,
    treated: Sequence[str],
    start: str,
    method: str = "auto",
    alpha: float = 0.05,
    seed: int = 0,
) -> EffectEstimate:
    """The effect on ``metric`` of the pilot run by ``treated`` from ``start``, estimated
    from a metric_values file (CSV, Excel or Parquet). Without the organization's files,
    scopes and metrics cannot be resolved: only the cells are checked."""
    loose = dataclasses.replace(contract("metric_values"), references=())
    history = validate_table(read_text_table(values), loose).frame
    rows = history[history["metric_id"].astype(str) == metric]
    if rows.empty:
        known = ", ".join(sorted(history["metric_id"].astype(str).unique())[:10])
        raise DataError(f"{values.name} has no values of metric {metric} (it has {known})")
    wanted = {str(t) for t in treated}
    kinds = set(rows.loc[rows["scope_id"].astype(str).isin(wanted), "scope"].astype(str))
    if len(kinds) > 1:
        raise DataError(f"the treated scopes are of several kinds ({', '.join(sorted(kinds))})")
    if kinds:
        rows = rows[rows["scope"].astype(str).isin(kinds)]
    frame = rows[["scope_id", "date", "value"]]
    return estimate_effect(
        frame, treated=list(treated), start=start, method=method, alpha=alpha, seed=seed
    )


def effect_for_pilot(
    settings: Settings,
    account: Account,
    pilot_id: int,
    *,
    metric: str,
    method: str = "auto",
    alpha: float = 0.05,
    seed: int = 0,
) -> EffectEstimate:
    """The effect on ``metric`` of a workspace's pilot: its teams against the other
    teams that track the metric, from the pilot's start. The same readers as the report.

    Raises
    ------
    Forbidden
        The account may not read reports.
    NotFound
        No such pilot.
    DataError
        The pilot has not run yet, or none of its teams has values of ``metric``.
    """
    require(account, "report.read")
    with db.transaction(store(settings)) as session:
        pilot = pilot_for(session, account, pilot_id)
        treated_all = pilot_teams(session, pilot.id)
        start = pilot.started_on
    if start is None:
        raise DataError(
            f"pilot {pilot_id} has not run yet: its effect is measured from the day it "
            "is set to running"
        )
    history = metric_history(settings, [metric])
    groups = history[history["scope"] == SCOPE]
    if groups.empty:
        raise DataError(f"no team has imported values of metric {metric}")
    treated = sorted(set(groups["scope_id"]) & treated_all)
    if not treated:
        raise DataError(f"none of pilot {pilot_id}'s teams has values of metric {metric}")
    return estimate_effect(
        groups[["scope_id", "date", "value"]], treated=treated, start=start, method=method,
        alpha=alpha, seed=seed,
    )  # fmt: skip
