"""Insight flags ("see the unseen"): level shifts, trend changes and anomalies in every
metric series, each with its size, confidence and one line in plain words.

>>> import pandas as pd
>>> frame = pd.DataFrame({"metric_id": "m", "scope": "org", "scope_id": "ORG",
...     "date": pd.date_range("2026-01-05", periods=20, freq="7D"), "value": 3.0})
>>> scan(frame).flags
()
"""

from smartmoves.engines.insights._flags import KINDS, Flag
from smartmoves.engines.insights._scan import InsightScan, scan

__all__ = ["KINDS", "Flag", "InsightScan", "scan"]
