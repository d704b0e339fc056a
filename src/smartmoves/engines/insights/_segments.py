"""Where a series' level or trend changes: two segmentations by ``ruptures``, one chosen.

- *Levels*: piecewise constant means, the least-squares (l2) cost, by PELT (exact; the
  kernel implementation of ``ruptures``, whose linear kernel is the l2 cost, in C).
- *Lines*: a straight line per segment (a level and a slope), by binary segmentation with
  a least-squares line cost computed from running sums, so each segment costs O(1).

Both use the penalty ``GAMMA * log(n) * long_run**2`` per parameter (a change point adds
its place and a level, and a slope for lines): the BIC's ``log(n)`` per parameter in units
of the noise variance, made a little stricter (``GAMMA``) because a flag asks people's
attention. The segmentation with the lower penalized cost wins, so a steady trend is one
line rather than a staircase of level shifts, and a plain step is one break of levels
rather than a break of lines.

Over two yearly cycles a slope and a season trade places: a line less a step at the
turn of the year is a sawtooth, which is periodic, so a season absorbs most of it. The
data then tell a trend from a shift at the year's turn only weakly (``docs/insights.md``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

__all__ = ["GAMMA", "Segmentation", "segment"]

GAMMA = 1.25


@dataclass(frozen=True)
class Segmentation:
    """``breaks``: the first position of each new segment; ``lines``: whether each
    segment has its own slope; ``fitted``: the model's value at every position;
    ``cost``: its residual sum of squares plus the penalty of its ``parameters``."""

    breaks: tuple[int, ...]
    lines: bool
    fitted: np.ndarray
    cost: float
    parameters: float


def _line_cost_class() -> type:
    from ruptures.base import BaseCost

    class LineCost(BaseCost):
        """Residual sum of squares of a least-squares line on [start, end)."""

        model = "line"

        def __init__(self, min_size: int = 4) -> None:
            self.min_size = min_size
            self.sums: list[list[float]] = []

        def fit(self, signal: np.ndarray) -> LineCost:
            y = np.asarray(signal, dtype=float).ravel()
            t = np.arange(len(y), dtype=float)
            zero = np.zeros(1)
            self.sums = [
                np.concatenate([zero, np.cumsum(v)]).tolist() for v in (t, t * t, y, t * y, y * y)
            ]
            self.signal = y.reshape(-1, 1)
            return self

        def error(self, start: int, end: int) -> float:
            st, stt, sy, sty, syy = (s[end] - s[start] for s in self.sums)
            m = end - start
            sxx = stt - st * st / m
            syy_c = syy - sy * sy / m
            if sxx <= 0:
                return max(syy_c, 0.0)
            sxy = sty - st * sy / m
            return max(syy_c - sxy * sxy / sxx, 0.0)

    return LineCost


def _fit(values: np.ndarray, breaks: tuple[int, ...], lines: bool) -> np.ndarray:
    fitted = np.empty_like(values)
    edges = (0, *breaks, len(values))
    for a, b in itertools.pairwise(edges):
        part = values[a:b]
        if lines and b - a >= 2:
            t = np.arange(a, b, dtype=float)
            slope, intercept = np.polyfit(t, part, 1)
            fitted[a:b] = intercept + slope * t
        else:
            fitted[a:b] = part.mean()
    return fitted


def _rss(values: np.ndarray, fitted: np.ndarray) -> float:
    return float(np.sum((values - fitted) ** 2))


def _slope_z(values: np.ndarray, long_run: float) -> float:
    """How many standard errors the slope of ``values`` is from flat."""
    t = np.arange(len(values), dtype=float) - (len(values) - 1) / 2
    sxx = float(np.dot(t, t))
    return abs(float(np.dot(t, values)) / sxx) / (long_run / np.sqrt(sxx))


def segment(values: np.ndarray, *, long_run: float, min_size: int) -> Segmentation:
    """The better of the two segmentations of ``values`` (season and outliers already
    taken out). The lines are tried only where a slope may matter: where the levels
    break (a trend cut into steps looks like that too) or the whole series slopes."""
    import ruptures as rpt

    n = len(values)
    per_parameter = GAMMA * np.log(n) * long_run**2
    level_breaks: tuple[int, ...] = ()
    if n >= 2 * min_size:
        levels = rpt.KernelCPD(kernel="linear", min_size=min_size, jump=1).fit(values)
        level_breaks = tuple(int(b) for b in levels.predict(pen=2 * per_parameter)[:-1])
    level_fit = _fit(values, level_breaks, lines=False)
    level_parameters = 2.0 * len(level_breaks) + 1
    level_cost = _rss(values, level_fit) + per_parameter * level_parameters
    best = Segmentation(level_breaks, False, level_fit, level_cost, level_parameters)
    trend = bool(level_breaks) or _slope_z(values, long_run) > 2.0
    if not trend or n < 4 * min_size:
        return best
    cost = _line_cost_class()(min_size=2 * min_size)
    search = rpt.Binseg(custom_cost=cost, min_size=2 * min_size, jump=1).fit(values)
    line_breaks = tuple(int(b) for b in search.predict(pen=3 * per_parameter)[:-1])
    line_fit = _fit(values, line_breaks, lines=True)
    k = len(line_breaks)
    line_parameters = 3.0 * k + 2
    line_cost = _rss(values, line_fit) + per_parameter * line_parameters
    if line_cost < level_cost:
        return Segmentation(line_breaks, True, line_fit, line_cost, line_parameters)
    return best
