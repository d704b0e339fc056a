"""The seasonal profile: a few yearly harmonics, fitted once two full years are there.

A handful of sines and cosines (up to 3 pairs, as many as the BIC picks) follow a yearly
shape with a few numbers, where
a mean per week of the year would spend 52 numbers on two values each and absorb the very
shifts being looked for. The profile is fitted beside the current levels and re-fitted
once the levels are found (``fit_season``), so a shift does not leak into the season.
Where a level and a season could trade places (a shift against a trend, over two years
only), the scan starts from a constant, a line and the best single step, and keeps the
fit with the lowest penalized cost.
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = [
    "HARMONICS",
    "best_step",
    "choose_harmonics",
    "fit_season",
    "fit_steps",
    "harmonics",
    "refine_steps",
    "start_season",
]

HARMONICS = 3


@functools.lru_cache(maxsize=64)
def harmonics(n: int, season: float, k: int = HARMONICS) -> np.ndarray:
    """The ``n`` x 2k design of k yearly harmonics (at most what the season can hold),
    each column centred."""
    t = np.arange(n, dtype=float)
    k = min(k, max(1, int(season // 2) - 1))
    columns = []
    for h in range(1, k + 1):
        angle = 2 * np.pi * h * t / season
        columns += [np.cos(angle), np.sin(angle)]
    design = np.column_stack(columns)
    design = design - design.mean(axis=0)
    design.flags.writeable = False  # shared by every series of this length (cached)
    return design


@functools.lru_cache(maxsize=64)
def _basis(n: int, season: float, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An orthonormal basis of a constant and k harmonics, with its running tail sums
    and each step's residual norm (what :func:`best_step` needs), for every series of
    this length."""
    design = harmonics(n, season, k) if k else np.zeros((n, 0))
    q = np.linalg.qr(np.column_stack([np.ones(n), design]))[0]
    return _tails(q, n)


def _tails(q: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q_tail = np.cumsum(q[::-1], axis=0)[::-1]
    norm = (n - np.arange(n)) - np.sum(q_tail**2, axis=1)
    return q, q_tail, norm


def choose_harmonics(values: np.ndarray, season: float, *, min_size: int) -> np.ndarray | None:
    """The season's design with as many harmonics (0 to 3) as the BIC picks, each fit
    beside the best single step: every harmonic fitted and not needed blurs where a
    shift falls (the yearly one looks a little like a step over two years)."""
    n = len(values)
    best, chosen = np.inf, None
    for k in range(HARMONICS + 1):
        design = harmonics(n, season, k) if k else np.zeros((n, 0))
        nuisance = np.column_stack([np.ones(n), design])
        at = _step_at(values, _basis(n, season, k), min_size, n - min_size)
        full = np.column_stack([nuisance, (np.arange(n) >= at).astype(float)])
        rss = float(np.sum((values - full @ np.linalg.lstsq(full, values, rcond=None)[0]) ** 2))
        bic = n * np.log(max(rss, 1e-300) / n) + design.shape[1] * np.log(n)
        if bic < best:
            best, chosen = bic, (design if k else None)
    return chosen


def fit_season(values: np.ndarray, design: np.ndarray, level: np.ndarray) -> np.ndarray:
    """The seasonal part of ``values`` beside ``level``, by least squares."""
    coef = np.linalg.lstsq(design, values - level, rcond=None)[0]
    return design @ coef


def start_season(
    values: np.ndarray, design: np.ndarray, start: str, *, min_size: int
) -> np.ndarray:
    """The seasonal part of ``values`` fitted beside a ``constant``, a ``line`` or the
    best single ``step`` (found exactly, with the season profiled out), to start from."""
    n = len(values)
    t = np.arange(n, dtype=float)
    base = [np.ones(n)]
    if start == "line":
        base.append(t - t.mean())
    elif start == "step":
        base.append((t >= _best_step(values, design, min_size=min_size)).astype(float))
    full = np.column_stack([*base, design])
    coef = np.linalg.lstsq(full, values, rcond=None)[0]
    return design @ coef[len(base) :]


def _best_step(values: np.ndarray, design: np.ndarray, *, min_size: int) -> int:
    n = len(values)
    return best_step(values, np.column_stack([np.ones(n), design]), min_size, n - min_size)


def best_step(values: np.ndarray, nuisance: np.ndarray, low: int, high: int) -> int:
    """Where in ``[low, high]`` one step, beside the ``nuisance`` columns (a constant, the
    season, other steps), explains most, exactly: for a step at k the gain is (sum of
    residuals from k on)^2 over the step's own residual norm."""
    n = len(values)
    return _step_at(values, _tails(np.linalg.qr(nuisance)[0], n), low, high)


def _step_at(
    values: np.ndarray, basis: tuple[np.ndarray, np.ndarray, np.ndarray], low: int, high: int
) -> int:
    q, _, norm = basis
    resid = values - q @ (q.T @ values)
    tail = np.cumsum(resid[::-1])[::-1]
    k = np.arange(low, high + 1)
    gain = tail[k] ** 2 / np.maximum(norm[k], 1e-12)
    return int(k[np.argmax(gain)])


def refine_steps(
    values: np.ndarray, design: np.ndarray, breaks: tuple[int, ...], *, min_size: int
) -> tuple[int, ...]:
    """Each step moved to where it fits best with the season and the other steps refitted
    beside it: the search placed it against a season fitted to the old places."""
    n = len(values)
    t = np.arange(n)
    places = list(breaks)
    for i in range(len(places)):
        others = [(t >= b).astype(float) for j, b in enumerate(places) if j != i]
        nuisance = np.column_stack([np.ones(n), *others, design])
        low = (places[i - 1] if i else 0) + min_size
        high = (places[i + 1] if i + 1 < len(places) else n) - min_size
        if low <= high:
            places[i] = best_step(values, nuisance, low, high)
    return tuple(places)


def fit_steps(values: np.ndarray, design: np.ndarray, breaks: tuple[int, ...]) -> np.ndarray:
    """The season fitted jointly with a level per segment."""
    n = len(values)
    t = np.arange(n)
    steps = [(t >= b).astype(float) for b in breaks]
    full = np.column_stack([np.ones(n), *steps, design])
    coef = np.linalg.lstsq(full, values, rcond=None)[0]
    return design @ coef[1 + len(steps) :]
