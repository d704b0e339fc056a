"""Two-way fixed-effects difference-in-differences, its cluster-robust error, and
randomization inference for when few scopes are treated."""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import stats

from smartmoves.engines.impact._sdid import Fit

__all__ = ["cluster_se", "did_fit", "permuted_effects"]

# Below this many treated scopes a cluster-robust error leans on too few clusters of one
# arm (it under-covers badly), so the test permutes which scopes are treated instead.
FEW_TREATED = 5


def did_fit(y: np.ndarray, n0: int, t0: int) -> Fit:
    """On a balanced panel the TWFE coefficient is the difference of the two arms'
    before/after differences; the counterfactual is the controls' mean moved to the
    treated's pre-period level."""
    control = y[:n0].mean(axis=0)
    treated = y[n0:].mean(axis=0)
    counterfactual = control + (treated[:t0].mean() - control[:t0].mean())
    effect = float((treated[t0:] - counterfactual[t0:]).mean())
    return Fit(effect=effect, counterfactual=counterfactual, omega=np.full(n0, 1 / n0), lam=None)


def cluster_se(y: np.ndarray, n0: int, t0: int, effect: float) -> tuple[float, int]:
    """The cluster-robust (by scope) standard error of the TWFE coefficient, with the
    G/(G-1) small-sample factor, and its degrees of freedom (G - 1)."""
    n, t = y.shape
    d = np.zeros((n, t))
    d[n0:, t0:] = 1.0

    def within(m: np.ndarray) -> np.ndarray:
        return m - m.mean(axis=1, keepdims=True) - m.mean(axis=0, keepdims=True) + m.mean()

    dd, yy = within(d), within(y)
    resid = yy - effect * dd
    scores = (dd * resid).sum(axis=1)
    bread = float((dd**2).sum())
    variance = n / (n - 1) * float(scores @ scores) / bread**2
    return math.sqrt(variance), n - 1


def t_interval(effect: float, se: float, df: int, alpha: float) -> tuple[float, float, float]:
    """The two-sided interval and p-value of a t statistic with ``df`` degrees of freedom."""
    if se <= 0 or not math.isfinite(se):
        return effect, effect, float("nan")
    q = float(stats.t.ppf(1 - alpha / 2, df))
    p = float(2 * stats.t.sf(abs(effect / se), df))
    return effect - q * se, effect + q * se, p


def permuted_effects(
    y: np.ndarray, n1: int, t0: int, reps: int, seed: int
) -> tuple[np.ndarray, bool]:
    """The DiD effect for every way (or ``reps`` seeded ways, when there are more) of
    choosing ``n1`` of the scopes as treated, and whether it was every way."""
    n = y.shape[0]
    before, after = y[:, :t0].mean(axis=1), y[:, t0:].mean(axis=1)
    change = after - before
    total = change.sum()
    every = math.comb(n, n1) <= reps
    if every:
        sets = np.array(list(itertools.combinations(range(n), n1)))
    else:
        rng = np.random.default_rng(seed)
        sets = np.stack([rng.choice(n, size=n1, replace=False) for _ in range(reps)])
    picked = change[sets].sum(axis=1)
    return np.asarray(picked / n1 - (total - picked) / (n - n1)), every
