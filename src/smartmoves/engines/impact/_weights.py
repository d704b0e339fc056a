"""Weights on the simplex: non-negative, summing to one, fitted by least squares."""

from __future__ import annotations

import numpy as np
from scipy.optimize import nnls

__all__ = ["simplex_weights"]

# The sum-to-one row's weight in the least squares: large enough that the weights sum to
# one within about 1e-9 of it, small enough to keep NNLS well conditioned.
_SUM_WEIGHT = 1e4


def simplex_weights(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Weights w >= 0 summing to 1 minimizing ``|a w - b|^2`` (``a`` is dates x donors),
    solved as one non-negative least squares with the constraint as a heavy extra row."""
    scale = max(float(np.abs(a).max()), 1.0)
    heavy = _SUM_WEIGHT * scale
    stacked = np.vstack([a, np.full((1, a.shape[1]), heavy)])
    target = np.append(b, heavy)
    w, _ = nnls(stacked, target, maxiter=50 * a.shape[1])
    total = w.sum()
    return w / total if total > 0 else np.full(a.shape[1], 1.0 / a.shape[1])
