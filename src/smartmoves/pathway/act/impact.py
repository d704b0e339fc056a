"""The pilot's effect on a metric, from a metric_values file.

The file is checked against the metric_values contract first (one line per bad cell).
The treated scopes' kind (workgroup, unit...) picks the controls: every other scope of
that kind with values of the same metric.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from smartmoves.data.contracts import contract
from smartmoves.data.readers import read_text_table
from smartmoves.data.validate import validate_table
from smartmoves.engines.impact import EffectEstimate, estimate_effect
from smartmoves.errors import DataError

__all__ = ["effect_from_file"]


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
