"""One series, scanned: its season out, its outliers set aside, its segments found, and
each change worth a flag measured against the noise.

Two passes: the season is first fitted beside a straight line, then again beside the
levels the first pass found, so that a shift is not mistaken for part of the season.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np

from smartmoves.engines.insights._flags import Flag, confidence, explain
from smartmoves.engines.insights._noise import Noise, estimate_noise, local_residuals
from smartmoves.engines.insights._season import (
    choose_harmonics,
    fit_season,
    fit_steps,
    refine_steps,
    start_season,
)
from smartmoves.engines.insights._segments import GAMMA, Segmentation, segment
from smartmoves.engines.insights._series import Series

__all__ = ["MIN_POINTS", "detect"]

MIN_POINTS = 8
# An anomaly is one point, checked at every position: it must stand one SD further out
# than a shift (which pools a segment) before it is worth a flag.
ANOMALY_EXTRA = 1.0
# Season and segments fitted in turn: three passes settle them (a fourth moves nothing).
_PASSES = 3
_STARTS = ("constant", "step", "line")


def _min_size(n: int) -> int:
    """Shortest segment: a few steps (fewer would be an outlier's run, not a level)."""
    return max(3, min(6, n // 20))


def _break_flags(
    series: Series, y: np.ndarray, seg: Segmentation, noise: Noise, centre: float
) -> list[tuple[str, int, float, float, float, float]]:
    """(kind, position, before, after, z, size in noise SDs) of every break."""
    n = len(y)
    edges = (0, *seg.breaks, n)
    found = []
    for i, b in enumerate(seg.breaks):
        left = np.arange(edges[i], b, dtype=float)
        right = np.arange(b, edges[i + 2], dtype=float)
        yl, yr = y[edges[i] : b], y[b : edges[i + 2]]
        if not seg.lines:
            before, after = float(yl.mean()), float(yr.mean())
            se = noise.long_run * math.sqrt(1 / len(yl) + 1 / len(yr))
            jump = after - before
            size = jump / noise.sigma
            found.append(("level_shift", b, before + centre, after + centre, abs(jump) / se, size))
            continue
        at = b - 0.5
        sl, il = np.polyfit(left, yl, 1)
        sr, ir = np.polyfit(right, yr, 1)
        sxx_l = float(np.sum((left - left.mean()) ** 2))
        sxx_r = float(np.sum((right - right.mean()) ** 2))
        before, after = il + sl * at, ir + sr * at
        se_jump = noise.long_run * math.sqrt(
            1 / len(yl)
            + (at - left.mean()) ** 2 / sxx_l
            + 1 / len(yr)
            + (at - right.mean()) ** 2 / sxx_r
        )
        jump = after - before
        size = jump / noise.sigma
        found.append(("level_shift", b, before + centre, after + centre, abs(jump) / se_jump, size))
        se_slope = noise.long_run * math.sqrt(1 / sxx_l + 1 / sxx_r)
        found.append(("trend_change", b, sl, sr, abs(sr - sl) / se_slope, (sr - sl) / noise.sigma))
    return found


@dataclass(frozen=True)
class _Fit:
    seg: Segmentation
    noise: Noise
    seasonal: np.ndarray
    clean: np.ndarray
    resid: np.ndarray
    medians: np.ndarray
    local_sd: float
    outlier: np.ndarray


def _fit(
    y: np.ndarray,
    design: np.ndarray | None,
    start: str,
    *,
    min_size: int,
    floor: float,
    passes: int,
) -> _Fit:
    """Season and segments of ``y``, in turn (``passes`` times), from a season fitted
    beside ``start``."""
    n = len(y)
    seasonal = (
        start_season(y, design, start, min_size=min_size) if design is not None else np.zeros(n)
    )
    for i in range(passes):
        z = y - seasonal
        noise = estimate_noise(z, floor=floor)
        resid, medians = local_residuals(z)
        local_sd = max(float(1.4826 * np.median(np.abs(resid))), floor)
        outlier = np.abs(resid) / local_sd >= math.sqrt(2 * math.log(n)) + ANOMALY_EXTRA
        clean = np.where(outlier, medians, z)
        seg = segment(clean, long_run=noise.long_run, min_size=min_size)
        if design is not None and i < passes - 1:
            seasonal = fit_season(clean + seasonal, design, seg.fitted)
    return _Fit(seg, noise, seasonal, clean, resid, medians, local_sd, outlier)


def _refined(fit: _Fit, design: np.ndarray, *, min_size: int) -> _Fit:
    """The fit with its steps placed exactly against a season refitted beside them."""
    y = fit.clean + fit.seasonal
    breaks = refine_steps(y, design, fit.seg.breaks, min_size=min_size)
    if breaks == fit.seg.breaks:
        return fit
    seasonal = fit_steps(y, design, breaks)
    clean = y - seasonal
    edges = (0, *breaks, len(y))
    fitted = np.concatenate(
        [np.full(b - a, clean[a:b].mean()) for a, b in itertools.pairwise(edges)]
    )
    seg = Segmentation(breaks, False, fitted, fit.seg.cost, fit.seg.parameters)
    return dataclasses.replace(fit, seg=seg, seasonal=seasonal, clean=clean)


def _best(fits: list[_Fit], n: int) -> _Fit:
    """The fit of lowest penalized cost, all priced with the first fit's noise."""
    per_parameter = GAMMA * math.log(n) * fits[0].noise.long_run ** 2

    def cost(fit: _Fit) -> float:
        return float(np.sum((fit.clean - fit.seg.fitted) ** 2)) + per_parameter * fit.seg.parameters

    return min(fits, key=cost)


def detect(series: Series, *, min_confidence: float, kinds: frozenset[str]) -> list[Flag]:
    """The flags of one series, earliest first."""
    x = series.values
    n = len(x)
    if n < MIN_POINTS:
        return []
    centre = float(np.median(x))
    y = x - centre
    scale = float(np.max(np.abs(y)))
    if scale == 0.0:
        return []
    floor = scale * 1e-9
    season = series.season or 0.0
    can = season >= 4 and n >= int(2 * season)
    design = choose_harmonics(y, season, min_size=_min_size(n)) if can else None
    fit = functools.partial(
        _fit,
        y,
        design,
        min_size=_min_size(n),
        floor=floor,
    )
    best = fit("constant", passes=1)
    # Most series are quiet: one pass finds no break and no slope, and a season fitted
    # beside a constant is then the season. Only the others pay for the full search.
    if design is not None and (best.seg.breaks or best.seg.lines):
        best = _best([fit(start, passes=_PASSES) for start in _STARTS], n)
    if design is not None and not best.seg.lines and best.seg.breaks:
        best = _refined(best, design, min_size=_min_size(n))
    seg, noise, seasonal, clean = best.seg, best.noise, best.seasonal, best.clean
    resid, local_sd, outlier = best.resid, best.local_sd, best.outlier
    z = y - seasonal
    what = f"{series.metric_id} ({series.scope} {series.scope_id})"
    flags = []
    for kind, at, before, after, zscore, size in _break_flags(series, clean, seg, noise, centre):
        sure = confidence(zscore, n)
        if kind in kinds and sure >= min_confidence:
            flags.append(_flag(series, kind, at, before, after, size, sure, what))
    if "anomaly" in kinds:
        # Far from its neighbours and from the fitted levels both: a point beside a shift
        # is far from one of them only, and so is a slow wander.
        model = (z - seg.fitted) / noise.sigma
        extreme = np.minimum(np.abs(resid) / local_sd, np.abs(model))
        for at in np.flatnonzero(outlier & series.observed).tolist():
            sure = confidence(float(extreme[at]), n, extra=ANOMALY_EXTRA)
            if sure >= min_confidence:
                expected = float(seg.fitted[at] + seasonal[at] + centre)
                size = float(model[at])
                flags.append(
                    _flag(series, "anomaly", int(at), expected, float(x[at]), size, sure, what)
                )
    return sorted(flags, key=lambda f: (f.date, f.kind))


def _flag(
    series: Series,
    kind: str,
    at: int,
    before: float,
    after: float,
    size: float,
    sure: float,
    what: str,
) -> Flag:
    date = str(series.dates[at])
    return Flag(
        metric_id=series.metric_id,
        scope=series.scope,
        scope_id=series.scope_id,
        date=date,
        kind=kind,
        magnitude=float(after - before),
        magnitude_sd=float(size),
        before=float(before),
        after=float(after),
        confidence=round(sure, 4),
        explanation=explain(
            kind, what=what, date=date, before=before, after=after, size_sd=size, step=series.step
        ),
    )
