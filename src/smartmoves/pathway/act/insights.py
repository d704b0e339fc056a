"""Insight flags ("see the unseen"): every metric series scanned for level shifts, trend
changes and anomalies, straight from a file or from a workspace's imported history.

A file is checked against the metric_values contract first (one line per bad cell, with
file, row and column). Without the organization's files its metrics and scopes cannot
be resolved, so only the cells themselves are checked.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from smartmoves.data.contracts import contract
from smartmoves.data.readers import read_text_table
from smartmoves.data.validate import validate_table
from smartmoves.engines.insights import InsightScan, scan

__all__ = ["insights_from_file"]

_VALUES = ["metric_id", "scope", "scope_id", "date", "value"]


def insights_from_file(values: Path) -> InsightScan:
    """The flags of every series in a metric_values file (CSV, Excel or Parquet)."""
    loose = dataclasses.replace(contract("metric_values"), references=())
    history = validate_table(read_text_table(values), loose).frame
    return scan(history[_VALUES])
