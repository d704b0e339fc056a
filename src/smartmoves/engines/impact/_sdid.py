"""Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens and Wager
2021), written after the authors' R package ``synthdid``: the same regularization, the
same Frank-Wolfe solver with its stopping rule and sparsification, placebo variance
(their Algorithm 4).

The placebo draws solve their weights exactly instead (``placebo_se``): Frank-Wolfe's
10,000 steps are what the reported estimate must match, not what 200 draws can afford.
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


def _fw_one(
    a: np.ndarray, b: np.ndarray, zeta: float, x: np.ndarray, min_decrease: float, max_iter: int
) -> np.ndarray:
    """synthdid's Frank-Wolfe on one problem, on the Gram matrix: each step costs a few
    operations on vectors as long as the weights, not on the whole matrix."""
    rows = a.shape[0]
    gram, c, bb = a.T @ a, a.T @ b, float(b @ b)
    eta, z2, threshold = rows * zeta**2, zeta**2, min_decrease**2
    x = x.astype(float).copy()
    gx = gram @ x
    diag = np.diag(gram).copy()
    prev = last = np.inf
    for t in range(max_iter):
        grad = gx - c + eta * x
        i = int(grad.argmin())
        xgx, xx = float(x @ gx), float(x @ x)
        # The step toward vertex i: d = e_i - x, |A d|^2 = G_ii - 2 (Gx)_i + x'Gx.
        slope = float(grad[i] - grad @ x)
        denom = float(diag[i] - 2 * gx[i] + xgx) + eta * (xx - 2 * x[i] + 1)
        step = min(1.0, max(0.0, -slope / denom)) if denom > 0 else 0.0
        if step:
            x *= 1 - step
            x[i] += step
            gx *= 1 - step
            gx += step * gram[i]
        err2 = float(x @ gx) - 2 * float(c @ x) + bb
        prev, last = last, z2 * float(x @ x) + err2 / rows
        # synthdid goes on while fewer than two values or the last fell by more.
        if t >= 1 and prev - last <= threshold:
            break
    return x


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
    reps, _, k = m.shape
    k -= 1
    x = np.full((reps, k), 1.0 / k) if start is None else start
    return np.stack(
        [
            _fw_one(m[r, :, :-1], m[r, :, -1], float(zeta[r]), x[r], float(min_decrease[r]),
                    max_iter)
            for r in range(reps)
        ]
    )  # fmt: skip


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
