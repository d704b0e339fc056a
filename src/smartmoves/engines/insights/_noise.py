"""How noisy a series is, estimated so that the changes being looked for do not inflate it.

First differences cancel a level (a shift spoils one difference, not the rest) and most of
a slow trend or season; their median absolute deviation ignores the few spoilt ones. For
white noise of SD sigma a difference has SD sigma * sqrt(2), hence the division.

Weekly metrics are often autocorrelated, and a change-point search that treats them as
white noise sees a shift in every slow wander. The lag-1 correlation of the differences
is -(1 - rho) / 2 for AR(1) noise of correlation rho, which gives rho without first
knowing where the shifts are; the penalty then uses the long-run variance, the variance
that governs how far a segment's mean strays by chance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["MAX_RHO", "Noise", "estimate_noise", "local_residuals"]

# Beyond this the series behaves like a random walk: its "shifts" are its nature.
MAX_RHO = 0.8
_MAD = 1.482602218505602  # MAD to SD for normal noise


@dataclass(frozen=True)
class Noise:
    """``sigma``: the point noise SD; ``rho``: its lag-1 correlation; ``long_run``: the
    SD that a mean over many points strays by (``sigma`` when ``rho`` is 0)."""

    sigma: float
    rho: float
    long_run: float


def _mad(values: np.ndarray) -> float:
    return float(_MAD * np.median(np.abs(values - np.median(values))))


def estimate_noise(values: np.ndarray, *, floor: float) -> Noise:
    """Robust noise of ``values`` (one series); never below ``floor``."""
    diffs = np.diff(values)
    if len(diffs) < 3:
        return Noise(floor, 0.0, floor)
    spread = _mad(diffs)
    if spread == 0.0:
        # Mostly repeated values: the mean absolute deviation still sees the rest.
        spread = float(1.2533 * np.mean(np.abs(diffs - np.median(diffs))))
    sigma_d = max(spread / np.sqrt(2.0), floor)
    # Correlation of winsorized differences: a shift's one big difference must not set it.
    centre = np.median(diffs)
    clipped = np.clip(diffs - centre, -3 * spread, 3 * spread) if spread > 0 else diffs - centre
    a, b = clipped[:-1], clipped[1:]
    denominator = float(np.sqrt(np.dot(a, a) * np.dot(b, b)))
    r = float(np.dot(a, b) / denominator) if denominator > 0 else -0.5
    # Less one standard error (2 / sqrt(n) for rho): white noise often shows a spurious
    # correlation of 0.1-0.2 in two years of weeks, which would cost real shifts.
    rho = float(np.clip(1.0 + 2.0 * r - 2.0 / np.sqrt(len(diffs)), 0.0, MAX_RHO))
    sigma = sigma_d / np.sqrt(1.0 - rho)
    long_run = sigma * np.sqrt((1.0 + rho) / (1.0 - rho))
    return Noise(float(sigma), rho, float(long_run))


def local_residuals(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value less the median of itself and its two neighbours on each side (the
    ends reflected), and that median: an outlier departs from its neighbours, while a
    shift moves them with it."""
    if len(values) < 5:
        return np.zeros_like(values), values.copy()
    padded = np.pad(values, 2, mode="reflect")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 5)
    medians = np.median(windows, axis=1)
    return values - medians, medians
