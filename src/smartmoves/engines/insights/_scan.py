"""``scan``: every series of a long frame of metric values, scanned for insight flags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

from smartmoves.engines._common import EngineResult, check_seed
from smartmoves.engines.insights._detect import MIN_POINTS, detect
from smartmoves.engines.insights._flags import KINDS, Flag
from smartmoves.engines.insights._series import Series, regular_series
from smartmoves.errors import ConfigError

__all__ = ["InsightScan", "scan"]

# Below this many series a second process costs more than it saves.
_PARALLEL_FROM = 2000


@dataclass(frozen=True)
class InsightScan(EngineResult):
    """Every flag, earliest first within each series, and how many series were scanned."""

    flags: tuple[Flag, ...] = ()
    series: int = 0
    too_short: int = 0
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "flags": [f.to_dict() for f in self.flags],
            "series": self.series,
            "too_short": self.too_short,
            "warnings": list(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per flag."""
        columns = [f.name for f in fields(Flag)]
        return pd.DataFrame([f.to_dict() for f in self.flags], columns=columns)


def _check(min_confidence: object, kinds: object, workers: object) -> frozenset[str]:
    if isinstance(min_confidence, bool) or not isinstance(min_confidence, int | float):
        raise ConfigError(f"min_confidence must be a number from 0 to 1, not {min_confidence!r}")
    if not 0 <= min_confidence < 1:
        raise ConfigError(f"min_confidence must be from 0 to below 1, not {min_confidence}")
    if isinstance(kinds, str) or not isinstance(kinds, Iterable):
        raise ConfigError(f"kinds must be a list of {', '.join(KINDS)}, not {kinds!r}")
    chosen = frozenset(kinds)
    unknown = sorted(str(k) for k in chosen - set(KINDS))
    if unknown or not chosen:
        raise ConfigError(f"kinds must be some of {', '.join(KINDS)}, not {sorted(chosen)}")
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 8:
        raise ConfigError(f"workers must be a whole number from 1 to 8, not {workers!r}")
    return chosen


def _detect_all(
    chunk: Sequence[Series], min_confidence: float, kinds: frozenset[str]
) -> list[Flag]:
    return [f for s in chunk for f in detect(s, min_confidence=min_confidence, kinds=kinds)]


def scan(
    frame: pd.DataFrame,
    *,
    seed: int = 0,
    min_confidence: float = 0.5,
    kinds: Sequence[str] = KINDS,
    workers: int = 1,
) -> InsightScan:
    """Level shifts, trend changes and anomalies in every series of ``frame``.

    Each (metric_id, scope, scope_id) is one series at its own regular step (weekly,
    monthly, yearly...). Its yearly season is taken out once it spans two years; its noise
    is estimated robustly from first differences (MAD / sqrt(2), corrected for
    autocorrelation), and change points are found by ``ruptures`` with a BIC-like penalty
    in units of that noise (``docs/insights.md``).

    Parameters
    ----------
    frame : DataFrame
        Columns metric_id, scope, scope_id, date, value (the metric_values table).
    seed : int
        Accepted like every engine's; the scan draws nothing at random, so any seed gives
        the same flags.
    min_confidence : float
        Flags below this confidence (0 to 1) are left out; 0.5 keeps every change larger
        than noise alone shows in a series of that length.
    kinds : sequence of str
        Which of ``level_shift``, ``trend_change``, ``anomaly`` to look for.
    workers : int
        Processes to share a large scan (1 to 8); the flags are the same.

    Returns
    -------
    InsightScan
        The flags (``to_frame()``: one row each), the number of series scanned and of
        those too short to scan (fewer than 8 values).

    Raises
    ------
    ConfigError
        A bad option.
    DataError
        A missing column, an unreadable date or value, two values on one date.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> noise = np.random.default_rng(1).normal(0, 1, 60)
    >>> values = 50 + noise + np.where(np.arange(60) >= 30, 4.0, 0.0)
    >>> frame = pd.DataFrame({"metric_id": "orders", "scope": "unit", "scope_id": "U1",
    ...     "date": pd.date_range("2026-01-05", periods=60, freq="7D"), "value": values})
    >>> found = scan(frame)
    >>> [(f.kind, f.date) for f in found.flags]
    [('level_shift', '2026-08-03')]
    >>> found.flags[0].explanation
    'orders (unit U1) moved up by 3.84 (4.4 noise SD) from 2026-08-03: about 50 before, 53.9 after.'
    """
    check_seed(seed)
    chosen = _check(min_confidence, kinds, workers)
    series = regular_series(frame)
    short = sum(len(s.values) < MIN_POINTS for s in series)
    if workers > 1 and len(series) >= _PARALLEL_FROM:
        flags = _parallel(series, float(min_confidence), chosen, workers)
    else:
        flags = _detect_all(series, float(min_confidence), chosen)
    warnings = (
        (f"{short} series have fewer than {MIN_POINTS} values and were not scanned",)
        if short
        else ()
    )
    return InsightScan(tuple(flags), len(series), short, warnings)


def _parallel(
    series: list[Series], min_confidence: float, kinds: frozenset[str], workers: int
) -> list[Flag]:
    """The same scan shared by fresh interpreters (spawned, never forked: the caller may
    be a threaded server), in order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(series) // (workers * 4))
    chunks = [series[i : i + size] for i in range(0, len(series), size)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        parts = pool.map(_detect_all, chunks, [min_confidence] * len(chunks), [kinds] * len(chunks))
        return [f for part in parts for f in part]
