"""Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens and Wager
2021), written after the authors' R package ``synthdid``: the same regularization, the
same Frank-Wolfe solver with its stopping rule and sparsification, placebo variance
(their Algorithm 4).

The solver takes a stack of problems of one shape, each stopping by its own rule (one
Python loop for many panels, as a benchmark may want); the placebo draws solve their
weights exactly instead (``placebo_se``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from smartmoves.engines.impact._weights import simplex_weights

__all__ = ["Fit", "frank_wolfe", "placebo_se", "sdid_exact", "sdid_fit", "sdid_fits"]

# synthdid's defaults: 100 iterations, drop weights under a quarter of the largest, then
# up to 10,000 more; stop when the objective falls by less than (1e-5 * noise)^2.
_PRE_SPARSIFY = 100
_MAX_ITER = 10_000


@dataclass(frozen=True)
class Fit:
    """A fitted counterfactual: ``effect`` is the mean post-period gap between the treated
    mean and ``counterfactual`` (one value per date)."""

    effect: float
    counterfactual: np.ndarray
    omega: np.ndarray
    lam: np.ndarray | None


def frank_wolfe(
    m: np.ndarray,
    zeta: np.ndarray,
    *,
    start: np.ndarray | None,
    min_decrease: np.ndarray,
    max_iter: int,
) -> np.ndarray:
    """For each problem r of the stack ``m`` (r, rows, k + 1): weights x on the simplex
    minimizing ``zeta^2 |x|^2 + |A x - b|^2 / rows``, ``A, b = m[r, :, :-1], m[r, :, -1]``
    with columns centred (the intercept)."""
    m = m - m.mean(axis=1, keepdims=True)
    a, b = m[:, :, :-1], m[:, :, -1]
    reps, rows, k = a.shape
    x = np.full((reps, k), 1.0 / k) if start is None else start.astype(float).copy()
    eta = rows * zeta**2
    ax = np.einsum("rnk,rk->rn", a, x)
    threshold = min_decrease**2
    prev = np.full(reps, np.inf)
    last = np.full(reps, np.inf)
    active = np.ones(reps, dtype=bool)
    at = np.arange(reps)
    for t in range(max_iter):
        grad = np.einsum("rn,rnk->rk", ax - b, a) + eta[:, None] * x
        i = np.argmin(grad, axis=1)
        dx = -x
        dx[at, i] += 1.0
        derr = a[at, :, i] - ax
        denom = np.einsum("rn,rn->r", derr, derr) + eta * np.einsum("rk,rk->r", dx, dx)
        num = -np.einsum("rk,rk->r", grad, dx)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(denom > 0, np.clip(num / denom, 0.0, 1.0), 0.0)
        step = np.where(active, step, 0.0)
        x = x + step[:, None] * dx
        ax = ax + step[:, None] * derr
        err = ax - b
        val = zeta**2 * np.einsum("rk,rk->r", x, x) + np.einsum("rn,rn->r", err, err) / rows
        prev, last = np.where(active, last, prev), np.where(active, val, last)
        # synthdid goes on while fewer than two values or the last fell by more.
        if t >= 1:
            active &= (prev - last) > threshold
            if not active.any():
                break
    return x


def _sparsify(v: np.ndarray) -> np.ndarray:
    v = np.where(v <= v.max(axis=1, keepdims=True) / 4, 0.0, v)
    return v / v.sum(axis=1, keepdims=True)


def _solve(
    m: np.ndarray, zeta: np.ndarray, start: np.ndarray | None, min_decrease: np.ndarray
) -> np.ndarray:
    first = frank_wolfe(m, zeta, start=start, min_decrease=min_decrease, max_iter=_PRE_SPARSIFY)
    return frank_wolfe(
        m, zeta, start=_sparsify(first), min_decrease=min_decrease, max_iter=_MAX_ITER
    )


def _collapsed(ys: np.ndarray, n0: int, t0: int) -> np.ndarray:
    """synthdid's collapsed form: controls by pre-period dates, with the post-period mean
    as the last column and the treated mean as the last row."""
    reps = ys.shape[0]
    collapsed = np.empty((reps, n0 + 1, t0 + 1))
    collapsed[:, :n0, :t0] = ys[:, :n0, :t0]
    collapsed[:, :n0, t0] = ys[:, :n0, t0:].mean(axis=2)
    collapsed[:, n0, :t0] = ys[:, n0:, :t0].mean(axis=1)
    collapsed[:, n0, t0] = ys[:, n0:, t0:].mean(axis=(1, 2))
    return collapsed


def sdid_fits(
    ys: np.ndarray,
    n0: int,
    t0: int,
    *,
    omega: np.ndarray | None = None,
    lam: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """sdid on each panel of the stack ``ys`` (r, scopes, dates; controls first,
    pre-period first): effects, unit weights, time weights, counterfactuals."""
    reps, n, _ = ys.shape
    n1, t1 = n - n0, ys.shape[2] - t0
    diffs = np.diff(ys[:, :n0, :t0], axis=2).reshape(reps, -1)
    noise = diffs.std(axis=1, ddof=1) if diffs.shape[1] > 1 else np.zeros(reps)
    collapsed = _collapsed(ys, n0, t0)
    min_decrease = 1e-5 * noise
    lam = _solve(collapsed[:, :n0], 1e-6 * noise, lam, min_decrease)
    zeta_omega = (n1 * t1) ** 0.25 * noise
    omega = _solve(collapsed[:, :, :t0].transpose(0, 2, 1), zeta_omega, omega, min_decrease)
    synthetic = np.einsum("rn,rnt->rt", omega, ys[:, :n0])
    treated = ys[:, n0:].mean(axis=1)
    offset = np.einsum("rt,rt->r", lam, treated[:, :t0] - synthetic[:, :t0])
    counterfactual = synthetic + offset[:, None]
    effects = (treated[:, t0:] - counterfactual[:, t0:]).mean(axis=1)
    return effects, omega, lam, counterfactual


def sdid_fit(y: np.ndarray, n0: int, t0: int) -> Fit:
    """The sdid estimate on one panel ``y`` (controls first, pre-period first)."""
    effects, omega, lam, counterfactual = sdid_fits(y[None], n0, t0)
    return Fit(float(effects[0]), counterfactual[0], omega[0], lam[0])


def _exact(m: np.ndarray, zeta: float) -> np.ndarray:
    """The optimum Frank-Wolfe approaches, solved exactly: the ridge as extra rows of one
    simplex-constrained least squares."""
    m = m - m.mean(axis=0)
    a, b = m[:, :-1], m[:, -1]
    rows, k = a.shape
    ridge = np.sqrt(rows) * zeta * np.eye(k)
    return simplex_weights(np.vstack([a, ridge]), np.append(b, np.zeros(k)))


def sdid_exact(y: np.ndarray, n0: int, t0: int) -> float:
    """The sdid estimate with exactly optimal weights (no Frank-Wolfe stopping rule)."""
    n1, t1 = y.shape[0] - n0, y.shape[1] - t0
    diffs = np.diff(y[:n0, :t0], axis=1)
    noise = float(diffs.std(ddof=1)) if diffs.size > 1 else 0.0
    collapsed = _collapsed(y[None], n0, t0)[0]
    lam = _exact(collapsed[:n0], 1e-6 * noise)
    omega = _exact(collapsed[:, :t0].T, (n1 * t1) ** 0.25 * noise)
    treated = y[n0:].mean(axis=0)
    gap = treated - omega @ y[:n0]
    return float(gap[t0:].mean() - lam @ gap[:t0])


def placebo_se(y: np.ndarray, n0: int, t0: int, reps: int, seed: int) -> float:
    """Algorithm 4: the spread of sdid estimates when controls drawn at random play the
    treated. Each draw's weights are solved exactly rather than by Frank-Wolfe: the same
    optimum (within about 1e-3 of the estimate on Prop 99), a hundred times faster."""
    n1 = y.shape[0] - n0
    rng = np.random.default_rng(seed)
    estimates = np.array([sdid_exact(y[rng.permutation(n0)], n0 - n1, t0) for _ in range(reps)])
    return float(np.sqrt((reps - 1) / reps) * estimates.std(ddof=1))
