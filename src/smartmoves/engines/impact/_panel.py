"""One metric's history as a wide panel: controls first, then the treated scopes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartmoves.engines._common import require_columns
from smartmoves.errors import DataError

__all__ = ["Panel", "build_panel"]

# Fewer pre-period weeks than this leave the weights fitted on noise.
MIN_PRE = 4
# Fewer controls than this make placebo inference coarse (a p-value of 1/(n+1) at best).
MIN_CONTROLS = 5


@dataclass(frozen=True)
class Panel:
    """``y`` is scopes x dates; its first ``n0`` rows are controls, the rest treated;
    its first ``t0`` columns are before the start."""

    y: np.ndarray
    scopes: tuple[str, ...]
    dates: tuple[dt.date, ...]
    n0: int
    t0: int
    warnings: tuple[str, ...]

    @property
    def n1(self) -> int:
        return len(self.scopes) - self.n0

    @property
    def t1(self) -> int:
        return len(self.dates) - self.t0

    def treated_mean(self) -> np.ndarray:
        return np.asarray(self.y[self.n0 :].mean(axis=0))


def _start(start: object) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(start)
    except (TypeError, ValueError):
        raise DataError(f"start {start!r} is not a date (expected YYYY-MM-DD)") from None
    if pd.isna(stamp):
        raise DataError(f"start {start!r} is not a date (expected YYYY-MM-DD)")
    return stamp


def build_panel(frame: pd.DataFrame, treated: Sequence[str], start: object) -> Panel:
    """The panel of ``frame`` (scope_id, date, value), or a :class:`DataError` in one line."""
    require_columns(frame, ("scope_id", "date", "value"), what="the metric values")
    if isinstance(treated, str) or not len(treated):
        raise DataError("treated must list at least one scope_id")
    data = pd.DataFrame(
        {
            "scope_id": frame["scope_id"].astype(str),
            "date": pd.to_datetime(frame["date"], errors="coerce"),
            "value": pd.to_numeric(frame["value"], errors="coerce"),
        }
    )
    if data["date"].isna().any():
        raise DataError("some dates are not dates (expected YYYY-MM-DD)")
    data = data.dropna(subset=["value"])
    twice = data.duplicated(["scope_id", "date"])
    if twice.any():
        row = data[twice].iloc[0]
        raise DataError(
            f"scope {row['scope_id']} has more than one value on {row['date'].date()}: "
            "give one value per scope and date"
        )
    wanted = list(dict.fromkeys(str(t) for t in treated))
    known = set(data["scope_id"])
    missing = [t for t in wanted if t not in known]
    if missing:
        raise DataError(f"treated scope(s) {', '.join(missing)} have no values in the frame")
    first = _start(start)
    wide = data.pivot(index="scope_id", columns="date", values="value").sort_index(axis=1)
    dates = wide.columns
    if not dates[0] < first <= dates[-1]:
        raise DataError(
            f"start {first.date()} must fall after the first date ({dates[0].date()}) "
            f"and on or before the last ({dates[-1].date()})"
        )
    warnings: list[str] = []
    controls = [s for s in wide.index if s not in set(wanted)]
    full = [s for s in controls if not wide.loc[s].isna().any()]
    if len(full) < len(controls):
        warnings.append(
            f"unbalanced panel: {len(controls) - len(full)} control scope(s) missing some "
            "weeks were left out"
        )
    gaps = wide.loc[wanted].isna().any(axis=1)
    if gaps.any():
        warnings.append(
            f"unbalanced panel: treated scope(s) {', '.join(gaps[gaps].index)} miss some "
            "weeks, filled from their neighbours"
        )
    if not full:
        raise DataError("no control scope has a value for every date: nothing to compare with")
    treated_rows = wide.loc[wanted].interpolate(axis=1, limit_direction="both")
    if treated_rows.isna().any().any():
        raise DataError("a treated scope has no value before or after the start")
    y = np.vstack([wide.loc[full].to_numpy(float), treated_rows.to_numpy(float)])
    t0 = int((dates < first).sum())
    n0 = len(full)
    if t0 < MIN_PRE:
        warnings.append(f"short pre-period: {t0} date(s) before the start (fewer than {MIN_PRE})")
    if n0 < MIN_CONTROLS:
        warnings.append(f"too few controls: {n0} (fewer than {MIN_CONTROLS})")
    return Panel(
        y=y,
        scopes=tuple(full) + tuple(wanted),
        dates=tuple(d.date() for d in dates),
        n0=n0,
        t0=t0,
        warnings=tuple(warnings),
    )
