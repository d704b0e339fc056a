"""A unit's influence on the metric that matters: which frontline metrics it is measured
on, how strongly each drives the metric above it, and the unit's share of it.

A frontline metric of the organization is the mean of the units measured on it,
weighted by headcount, so a unit moves it by its share. A plausible lift is one standard
deviation of the unit's own weekly values in the metric's good direction (unless the
user gives one): what the unit already moves by from week to week, not a target.
Carried up the tree through the lag-0 driver estimates, it is worth ``value`` in the
metric that matters' units, counted in that metric's good direction.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from smartmoves.engines._common import EngineResult
from smartmoves.engines.metrics._drivers import DriverEstimates

__all__ = ["Influence", "MetricInfluence", "UnitInfluence", "unit_influence"]


@dataclass(frozen=True)
class MetricInfluence:
    """One frontline metric of a unit, carried up to the metric that matters."""

    metric_id: str
    share: float
    lift: float
    path: list[str]
    coefficients: list[float]
    value: float


@dataclass(frozen=True)
class UnitInfluence:
    unit_id: str
    target_id: str
    value: float
    metrics: list[MetricInfluence] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Influence(EngineResult):
    """Every unit's influence on ``target_id``, by unit id."""

    target_id: str
    units: dict[str, UnitInfluence] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per unit and frontline metric."""
        rows = [
            {"unit_id": u.unit_id, "metric_id": m.metric_id, "share": m.share, "lift": m.lift,
             "path": " -> ".join(m.path), "value": m.value}
            for u in self.units.values()
            for m in u.metrics
        ]  # fmt: skip
        return pd.DataFrame(
            rows, columns=["unit_id", "metric_id", "share", "lift", "path", "value"]
        )


def _chain(metric: str, target: str, parent_of: Mapping[str, str]) -> list[str] | None:
    path = [metric]
    while path[-1] != target:
        up = parent_of.get(path[-1])
        if not up or up in path:
            return None
        path.append(up)
    return path


def unit_influence(
    metrics: pd.DataFrame,
    values: pd.DataFrame,
    drivers: DriverEstimates,
    headcount: Mapping[str, int],
    target_id: str,
    *,
    lifts: Mapping[str, float] | None = None,
) -> Influence:
    """Each unit's influence on ``target_id`` through the frontline metrics it is
    measured on (``values`` rows of scope ``unit``).

    >>> import pandas as pd
    >>> from smartmoves.engines.metrics import Driver, DriverEstimates
    >>> tree = pd.DataFrame({"metric_id": ["OP", "FL"], "parent_id": ["", "OP"],
    ...     "level": ["operating", "frontline"], "direction": ["up", "down"]})
    >>> values = pd.DataFrame({"metric_id": "FL", "scope": "unit",
    ...     "scope_id": ["A"] * 3 + ["B"] * 3, "date": ["w1", "w2", "w3"] * 2,
    ...     "value": [10.0, 12.0, 14.0, 5.0, 5.0, 5.0]})
    >>> found = DriverEstimates([Driver("FL", "OP", 0, -0.5, -0.7, -0.3, -0.6, 0.01, 0.8,
    ...     False, 30)])
    >>> out = unit_influence(tree, values, found, {"A": 30, "B": 10}, "OP")
    >>> out.units["A"].value, out.units["A"].metrics[0].share, out.units["B"].value
    (0.75, 0.75, 0.0)
    """
    tree = metrics.set_index("metric_id")
    parent_of = {str(m): str(p) for m, p in tree["parent_id"].items() if isinstance(p, str) and p}
    direction = {str(m): str(d) for m, d in tree.get("direction", pd.Series()).items()}
    coefficient = {(d.metric_id, d.parent_id): d.coefficient for d in drivers.drivers if d.lag == 0}
    frame = values[values["scope"] == "unit"]
    good = -1.0 if direction.get(target_id) == "down" else 1.0
    measured: dict[str, list[str]] = {}
    for (metric, unit), _rows in frame.groupby(["metric_id", "scope_id"], sort=True):
        measured.setdefault(str(metric), []).append(str(unit))
    out: dict[str, UnitInfluence] = {}
    for (unit, metric), rows in frame.groupby(["scope_id", "metric_id"], sort=True):
        unit, metric = str(unit), str(metric)
        current = out.setdefault(unit, UnitInfluence(unit, target_id, 0.0))
        path = _chain(metric, target_id, parent_of)
        steps = None if path is None else [coefficient.get(s) for s in itertools.pairwise(path)]
        if path is None or steps is None or any(c is None for c in steps):
            current.unlinked.append(metric)
            continue
        weights = [headcount.get(u, 0) for u in measured[metric]]
        share = headcount.get(unit, 0) / sum(weights) if sum(weights) > 0 else 0.0
        sign = -1.0 if direction.get(metric) == "down" else 1.0
        lift = (lifts or {}).get(metric, sign * float(rows["value"].std(ddof=1) or 0.0))
        change = lift * share
        for c in steps:
            change *= float(c or 0.0)
        item = MetricInfluence(metric, share, lift, path, [float(c or 0.0) for c in steps],
                               good * change)  # fmt: skip
        out[unit] = UnitInfluence(
            unit, target_id, current.value + item.value, [*current.metrics, item], current.unlinked
        )
    return Influence(target_id, out)
