"""From a long frame of metric values to regular series, one per metric and scope.

A series keeps its own step (a week, a month, a year...): the scan works on positions
along a regular grid, so a gap is a missing position (filled in a straight line for the
search, never flagged) and a season is a number of positions (52.18 for weekly values).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartmoves.engines._common import require_columns
from smartmoves.errors import DataError

__all__ = ["COLUMNS", "Series", "regular_series"]

COLUMNS = ("metric_id", "scope", "scope_id", "date", "value")
_YEAR_DAYS = 365.2425
# Steps (in days) a reader names in words, and how far a step may stray from its name.
_STEP_NAMES = ((1, "day"), (7, "week"), (30.44, "month"), (91.31, "quarter"), (_YEAR_DAYS, "year"))


@dataclass(frozen=True)
class Series:
    """One metric in one scope on a regular grid; ``observed`` marks the real values."""

    metric_id: str
    scope: str
    scope_id: str
    dates: tuple[str, ...]
    values: np.ndarray
    observed: np.ndarray
    step: str
    season: float | None


def _step_of(days: float) -> tuple[str, float | None]:
    """The step's name and how many steps make a year (its season), if it has one."""
    name = min(_STEP_NAMES, key=lambda s: abs(np.log(days / s[0])))[1]
    # Annual values have no season to remove; shorter steps repeat every year.
    season = _YEAR_DAYS / days if days <= 100 else None
    return name, season


def _positions(stamps: np.ndarray, days: float) -> np.ndarray:
    """Each date's place on the grid: calendar months, quarters and years are counted
    as such (their lengths vary), other steps as multiples of the typical one."""
    if 27 <= days <= 32 or 88 <= days <= 93 or 364 <= days <= 367:
        months = stamps.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        per = 1 if days <= 32 else 3 if days <= 93 else 12
        return (months - months[0]) // per
    return np.rint((stamps - stamps[0]) / days).astype(np.int64)


def _grid(metric_id: str, scope: str, scope_id: str, group: pd.DataFrame) -> Series:
    stamps = group["date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    values = group["value"].to_numpy(dtype=float)
    if len(stamps) < 2:
        positions = np.zeros(len(stamps), dtype=np.int64)
        days = 7.0
    else:
        days = float(np.median(np.diff(stamps)))
        if days <= 0:
            raise DataError(f"{metric_id} ({scope} {scope_id}) has two values for one date")
        positions = _positions(stamps, days)
    if len(np.unique(positions)) < len(positions):
        raise DataError(
            f"{metric_id} ({scope} {scope_id}) is not at a regular step: two dates fall "
            f"in one {_step_of(days)[0]}"
        )
    n = int(positions[-1]) + 1 if len(positions) else 0
    grid = np.full(n, np.nan)
    grid[positions] = values
    observed = ~np.isnan(grid)
    if not observed.all():
        where = np.arange(n)
        grid = np.interp(where, where[observed], grid[observed])
    # The file's own dates where it gave them, the grid's in the gaps.
    grid_days = np.empty(n, dtype=np.int64)
    grid_days[positions] = stamps
    missing = np.setdiff1d(np.arange(n), positions)
    if len(missing):
        grid_days[missing] = np.rint(np.interp(missing, positions, stamps)).astype(np.int64)
    dates = tuple(np.datetime_as_string(grid_days.astype("datetime64[D]")).tolist())
    name, season = _step_of(days)
    return Series(metric_id, scope, scope_id, dates, grid, observed, name, season)


def regular_series(frame: pd.DataFrame) -> list[Series]:
    """Every (metric_id, scope, scope_id) of ``frame`` as a :class:`Series`, in order.

    Raises :class:`DataError` for a missing column, a date or value that cannot be read,
    two values on one date, or dates that follow no regular step.
    """
    require_columns(frame, COLUMNS, what="metric values")
    data = frame.loc[:, list(COLUMNS)].copy()
    for column in ("metric_id", "scope", "scope_id"):
        if data[column].isna().any():
            raise DataError(f"metric values have a blank {column}")
        data[column] = data[column].astype(str)
    dates = pd.to_datetime(data["date"], errors="coerce", format="mixed")
    if dates.isna().any():
        bad = data.loc[dates.isna(), "date"].iloc[0]
        raise DataError(f"metric values have a date that is not a date: {bad!r}")
    data["date"] = dates.dt.normalize()
    values = pd.to_numeric(data["value"], errors="coerce")
    if values.isna().any() or not np.isfinite(values.to_numpy(dtype=float)).all():
        bad = data.loc[~np.isfinite(values.fillna(np.inf)), "value"].iloc[0]
        raise DataError(f"metric values have a value that is not a number: {bad!r}")
    data["value"] = values.astype(float)
    keys = ["metric_id", "scope", "scope_id"]
    if data.duplicated([*keys, "date"]).any():
        row = data[data.duplicated([*keys, "date"])].iloc[0]
        raise DataError(
            f"{row['metric_id']} ({row['scope']} {row['scope_id']}) has two values for "
            f"{row['date'].date().isoformat()}"
        )
    data = data.sort_values([*keys, "date"], kind="stable")
    return [
        _grid(str(metric), str(scope), str(scope_id), group)
        for (metric, scope, scope_id), group in data.groupby(keys, sort=True)
    ]
