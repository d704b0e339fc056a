"""Metrics that matter: how strongly each metric moves the one above it in the tree.

>>> import pandas as pd
>>> tree = pd.DataFrame({"metric_id": ["OP", "FL"], "parent_id": ["", "OP"],
...                      "level": ["operating", "frontline"]})
>>> weeks = pd.date_range("2026-01-05", periods=30, freq="7D").strftime("%Y-%m-%d")
>>> child = [10 + (i * 7 % 5) for i in range(30)]
>>> parent = [3 * c + (i % 3) * 0.1 for i, c in enumerate(child)]
>>> values = pd.DataFrame({
...     "metric_id": ["FL"] * 30 + ["OP"] * 30, "scope": "org", "scope_id": "ORG",
...     "date": list(weeks) * 2, "value": child + parent})
>>> found = estimate_drivers(tree, values)
>>> lag0 = next(d for d in found.drivers if d.lag == 0)
>>> round(lag0.coefficient, 2), lag0.ci_low < 3 < lag0.ci_high
(3.0, True)
"""

from smartmoves.engines.metrics._drivers import (
    Driver,
    DriverEstimates,
    estimate_drivers,
    metric_series,
)
from smartmoves.engines.metrics._influence import (
    Influence,
    MetricInfluence,
    UnitInfluence,
    unit_influence,
)

__all__ = [
    "Driver",
    "DriverEstimates",
    "Influence",
    "MetricInfluence",
    "UnitInfluence",
    "estimate_drivers",
    "metric_series",
    "unit_influence",
]
