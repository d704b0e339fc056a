"""Synthetic control (Abadie, Diamond and Hainmueller 2010) on the pre-period outcomes,
with in-space placebo inference."""

from __future__ import annotations

import numpy as np

from smartmoves.engines.impact._sdid import Fit
from smartmoves.engines.impact._weights import simplex_weights

__all__ = ["placebo_sets", "rmspe_ratio", "synth_fit", "synth_placebos"]


def synth_fit(y: np.ndarray, n0: int, t0: int) -> Fit:
    """The treated scopes' mean fitted by a convex combination of the controls."""
    treated = y[n0:].mean(axis=0)
    omega = simplex_weights(y[:n0, :t0].T, treated[:t0])
    counterfactual = omega @ y[:n0]
    effect = float((treated[t0:] - counterfactual[t0:]).mean())
    return Fit(effect=effect, counterfactual=counterfactual, omega=omega, lam=None)


def placebo_sets(n0: int, n1: int, reps: int, seed: int) -> list[np.ndarray]:
    """The controls that play the treated in each placebo: each control alone when one
    scope is treated (Abadie's in-space placebos), else ``reps`` seeded draws of ``n1``."""
    if n1 == 1:
        return [np.array([j]) for j in range(n0)]
    rng = np.random.default_rng(seed)
    return [rng.choice(n0, size=n1, replace=False) for _ in range(reps)]


def rmspe_ratio(y: np.ndarray, fit: Fit, n0: int, t0: int) -> float:
    """Post- over pre-period root mean squared gap: large when the fit breaks at the start."""
    gap = y[n0:].mean(axis=0) - fit.counterfactual
    pre = float(np.sqrt(np.mean(gap[:t0] ** 2)))
    post = float(np.sqrt(np.mean(gap[t0:] ** 2)))
    return post / max(pre, 1e-12)


def synth_placebos(
    y: np.ndarray, n0: int, t0: int, reps: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each placebo's effect and RMSPE ratio, its other controls as donors."""
    n1 = y.shape[0] - n0
    effects, ratios = [], []
    for chosen in placebo_sets(n0, n1, reps, seed):
        donors = np.setdiff1d(np.arange(n0), chosen)
        panel = np.vstack([y[donors], y[chosen]])
        fit = synth_fit(panel, len(donors), t0)
        effects.append(fit.effect)
        ratios.append(rmspe_ratio(panel, fit, len(donors), t0))
    return np.array(effects), np.array(ratios)
