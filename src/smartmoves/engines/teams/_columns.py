"""The proved optimum of the workgroup problem, from its set-partitioning bound.

A partition is a choice of K groups ("columns") that cover everyone once. With at most
24 people every allowed group can be listed: for each group, every subset of the people
not pinned elsewhere, with that group's pinned people, whose size, must-link blocks,
apart classes and balance counts are allowed. Interchangeable groups share one list (a
"pool"); a group named by ``fixed``/``existing`` has its own. People and groups are
bitmasks (bit ``i`` is person ``i``), and a group's diversity is read from byte tables,
so millions of groups cost a fraction of a second.

Bound. For any prices ``u`` (one per person), every partition has diversity
``sum(u) + sum_g mu_g + sum_g rc(G_g)``, where ``mu`` is the best ``v(G) - u(G)`` over a
group's list and ``rc(G) = v(G) - u(G) - mu <= 0``. So ``L(u) = sum(u) + sum_g mu_g`` is
an upper bound (Lagrangian), and a group can be in a partition of diversity at least
``LB`` only if ``rc(G) >= LB - L(u)``. Column generation on the linear relaxation finds
prices whose bound is tight (for these problems within a fraction of a percent of the
optimum), so with ``LB`` the exchange search's diversity few groups survive, and a small
set-partitioning MILP (HiGHS) over them gives the optimum, proved. Everything is numpy
and HiGHS: deterministic for given inputs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from smartmoves.engines.teams._plan import REFUSED, Plan
from smartmoves.errors import InfeasibleError

__all__ = ["ColumnOptimum", "solve_by_columns"]

CHUNK = 1 << 20  # subsets enumerated at a time
ADD_PER_POOL = 40  # columns a pricing round adds to each pool
MAX_ROUNDS = 400


@dataclass(frozen=True)
class ColumnOptimum:
    """Group codes, whether they are proved optimal, and the upper bound on diversity."""

    codes: np.ndarray
    optimal: bool
    bound: float


@dataclass
class _Pool:
    groups: list[int]  # group codes this list serves
    masks: np.ndarray  # int64 bitmask of each allowed group
    values: np.ndarray  # its diversity


def _byte_tables(weights_per_person: np.ndarray) -> list[np.ndarray]:
    """Per byte of a mask, the sum of the weights of the people whose bits are set."""
    bits = (np.arange(256)[:, None] >> np.arange(8)) & 1
    n = len(weights_per_person)
    padded = np.zeros(-(-n // 8) * 8)
    padded[:n] = weights_per_person
    return [bits @ padded[8 * b : 8 * b + 8] for b in range(len(padded) // 8)]


def _linear(masks: np.ndarray, tables: list[np.ndarray]) -> np.ndarray:
    out = np.zeros(len(masks))
    for b, table in enumerate(tables):
        out += table[(masks >> (8 * b)) & 255]
    return out


def _diversity(masks: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Sum of within-group distances of each mask, from per-byte-pair tables."""
    n = d.shape[0]
    nb = -(-n // 8)
    padded = np.zeros((8 * nb, 8 * nb))
    padded[:n, :n] = d
    bits = ((np.arange(256)[:, None] >> np.arange(8)) & 1).astype(float)
    parts = [(masks >> (8 * b)) & 255 for b in range(nb)]
    out = np.zeros(len(masks))
    for a in range(nb):
        block = padded[8 * a : 8 * a + 8, 8 * a : 8 * a + 8]
        out += 0.5 * np.einsum("xi,ij,xj->x", bits, block, bits)[parts[a]]
        for b in range(a + 1, nb):
            cross = bits @ padded[8 * a : 8 * a + 8, 8 * b : 8 * b + 8] @ bits.T
            out += cross[parts[a], parts[b]]
    return out


def _mask_of(people: np.ndarray) -> int:
    return int(np.sum(np.left_shift(np.int64(1), people.astype(np.int64)), dtype=np.int64))


def _allowed_groups(plan: Plan, g: int, free: np.ndarray) -> np.ndarray:
    """Bitmasks of every group ``g`` may be: its pinned people plus a subset of ``free``."""
    base = _mask_of(np.flatnonzero(plan.pinned == g))
    fixed_count = int((plan.pinned == g).sum())
    lo, hi = int(plan.lo[g]) - fixed_count, int(plan.hi[g]) - fixed_count
    deposit = [np.zeros(256, dtype=np.int64) for _ in range(-(-len(free) // 8))]
    for t, person in enumerate(free):
        has = ((np.arange(256) >> (t % 8)) & 1).astype(bool)
        deposit[t // 8][has] |= np.int64(1) << np.int64(person)
    checks = _mask_checks(plan)
    kept = []
    for start in range(0, 1 << len(free), CHUNK):
        subsets = np.arange(start, min(start + CHUNK, 1 << len(free)), dtype=np.int64)
        count = np.bitwise_count(subsets)
        subsets = subsets[(count >= lo) & (count <= hi)]
        masks = np.full(len(subsets), base, dtype=np.int64)
        for b, table in enumerate(deposit):
            masks |= table[(subsets >> (8 * b)) & 255]
        ok = np.ones(len(masks), dtype=bool)
        for mask, low, high in checks:
            held = np.bitwise_count(masks & mask)
            ok &= (held >= low) & (held <= high)
        for mask in (_mask_of(b) for b in plan.blocks):
            held = masks & mask
            ok &= (held == 0) | (held == mask)
        kept.append(masks[ok])
    return np.concatenate(kept)


def _mask_checks(plan: Plan) -> list[tuple[int, int, int]]:
    """(people, fewest, most) a group may hold: apart classes, then balance categories."""
    checks = []
    for c in range(int(plan.apart.max(initial=-1)) + 1):
        checks.append((_mask_of(np.flatnonzero(plan.apart == c)), 0, 1))
    for c in range(len(plan.balance_hi)):
        people = _mask_of(np.flatnonzero(plan.balance == c))
        checks.append((people, int(plan.balance_lo[c]), int(plan.balance_hi[c])))
    return checks


def _pools(plan: Plan, d: np.ndarray) -> list[_Pool]:
    free = np.flatnonzero(plan.pinned < 0)
    pools = []
    loose = [int(g) for g in np.flatnonzero(~plan.named)]
    for g in [int(g) for g in np.flatnonzero(plan.named)] + loose[:1]:
        masks = _allowed_groups(plan, g, free)
        pools.append(_Pool([g] if plan.named[g] else loose, masks, _diversity(masks, d)))
    return pools


def _master_lp(
    pools: list[_Pool], chosen: list[set[int]], n: int
) -> tuple[float, np.ndarray, np.ndarray]:
    """Linear relaxation over the chosen columns: value, person prices, pool prices."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_array

    rows, cols, values = [], [], []
    col = 0
    for p, (pool, picked) in enumerate(zip(pools, chosen, strict=True)):
        for c in sorted(picked):
            people = np.flatnonzero((int(pool.masks[c]) >> np.arange(n)) & 1)
            rows += [*people.tolist(), n + p]
            cols += [col] * (len(people) + 1)
            values.append(pool.values[c])
            col += 1
    a = csr_array((np.ones(len(rows)), (rows, cols)), shape=(n + len(pools), col))
    b = np.append(np.ones(n), [len(pool.groups) for pool in pools])
    res = linprog(-np.array(values), A_eq=a, b_eq=b, bounds=(0, None), method="highs")
    duals = -np.asarray(res.eqlin.marginals)
    return -float(res.fun), duals[:n], duals[n:]


def _column_generation(
    pools: list[_Pool], hint: np.ndarray, n: int, deadline: float
) -> tuple[float, list[np.ndarray]]:
    """Best Lagrangian bound found, and each column's reduced cost under its prices."""
    chosen: list[set[int]] = [set() for _ in pools]
    for g in range(int(hint.max()) + 1):
        mask = _mask_of(np.flatnonzero(hint == g))
        p = next(p for p, pool in enumerate(pools) if g in pool.groups)
        chosen[p].add(int(np.flatnonzero(pools[p].masks == mask)[0]))
    counts = np.array([len(pool.groups) for pool in pools])
    best, best_rc = np.inf, [pool.values for pool in pools]
    scale = max(float(np.abs(pools[0].values).max()), 1.0)
    for _ in range(MAX_ROUNDS):
        _, u, mu_lp = _master_lp(pools, chosen, n)
        tables = _byte_tables(u)
        reduced = [pool.values - _linear(pool.masks, tables) for pool in pools]
        mu = np.array([r.max() for r in reduced])
        bound = float(u.sum() + counts @ mu)
        if bound < best:
            best, best_rc = bound, [r - m for r, m in zip(reduced, mu, strict=True)]
        added = False
        for p, r in enumerate(reduced):
            gain = r - mu_lp[p]
            top = np.flatnonzero(gain > 1e-9 * scale)
            if len(top) > ADD_PER_POOL:  # the best few, without sorting millions
                top = np.sort(top[np.argpartition(-gain[top], ADD_PER_POOL)[:ADD_PER_POOL]])
            new = [int(c) for c in top if int(c) not in chosen[p]]
            chosen[p].update(new)
            added = added or bool(new)
        if not added or time.perf_counter() > deadline:
            break
    return best, best_rc


def _diversity_of(d: np.ndarray, codes: np.ndarray) -> float:
    i, j = np.triu_indices(len(codes), 1)
    return float(d[i, j] @ (codes[i] == codes[j]))


def _two_groups(pools: list[_Pool], n: int) -> ColumnOptimum:
    """Two groups: each allowed group with its complement, all of them (exhaustive)."""
    first = next(pool for pool in pools if 0 in pool.groups)
    second = next(pool for pool in pools if 1 in pool.groups)
    order = np.argsort(second.masks)
    everyone = np.int64((1 << n) - 1)
    where = np.searchsorted(second.masks[order], everyone ^ first.masks)
    where = np.minimum(where, len(order) - 1)
    fits = second.masks[order][where] == (everyone ^ first.masks)
    total = np.where(fits, first.values + second.values[order][where], -np.inf)
    if not fits.any():
        raise InfeasibleError(REFUSED, ["no two workgroups keep every constraint at once"])
    best = int(np.argmax(total))
    codes = np.where((int(first.masks[best]) >> np.arange(n)) & 1, 0, 1)
    return ColumnOptimum(codes, True, float(total[best]))


def _fits(pools: list[_Pool], codes: np.ndarray | None, k: int) -> bool:
    """Whether ``codes`` is a partition every group of which is on its list."""
    if codes is None or codes.min(initial=0) < 0 or codes.max(initial=0) >= k:
        return False
    for g in range(k):
        pool = next(pool for pool in pools if g in pool.groups)
        if not (pool.masks == _mask_of(np.flatnonzero(codes == g))).any():
            return False
    return True


def solve_by_columns(
    distances: np.ndarray,
    plan: Plan,
    hint: np.ndarray | None,
    fallback: Callable[[], np.ndarray],
    time_limit: float,
) -> ColumnOptimum:
    """Optimum over every partition that keeps the plan, proved unless time runs out.

    ``hint`` is a partition (group codes), or ``fallback()`` gives one when it is missing
    or breaks the plan; its diversity is the lower bound that rules most groups out.
    """
    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import csr_array

    deadline = time.perf_counter() + time_limit
    n = plan.size
    pools = _pools(plan, distances)
    if any(len(pool.masks) == 0 for pool in pools):
        raise InfeasibleError(REFUSED, ["no workgroup can keep every constraint at once"])
    if plan.groups == 2:
        return _two_groups(pools, n)
    if hint is None or len(hint) != n or not _fits(pools, np.asarray(hint, dtype=int), plan.groups):
        hint = fallback()
    hint = np.asarray(hint, dtype=int)
    start = _diversity_of(distances, hint)
    bound, reduced = _column_generation(pools, hint, n, deadline)
    slack = 1e-9 * max(abs(bound), 1.0)
    keep = [np.flatnonzero(r >= start - bound - slack) for r in reduced]
    masks = np.concatenate([pool.masks[k] for pool, k in zip(pools, keep, strict=True)])
    values = np.concatenate([pool.values[k] for pool, k in zip(pools, keep, strict=True)])
    owner = np.repeat(np.arange(len(pools)), [len(k) for k in keep])
    members = ((masks[:, None] >> np.arange(n)) & 1).astype(float)
    matrix = np.vstack([members.T, (owner[None, :] == np.arange(len(pools))[:, None])])
    counts = np.append(np.ones(n), [len(pool.groups) for pool in pools])
    res = milp(
        -values,
        constraints=LinearConstraint(csr_array(matrix), counts, counts),
        integrality=np.ones(len(values)),
        bounds=(0, 1),
        options={"time_limit": max(deadline - time.perf_counter(), 1.0), "mip_rel_gap": 0.0},
    )
    if res.x is None:
        return ColumnOptimum(hint.copy(), False, bound)
    codes = np.full(n, -1)
    picked = np.flatnonzero(res.x > 0.5)
    # Interchangeable groups take their codes in the order of their first member.
    picked = picked[np.argsort([int(masks[c] & -masks[c]).bit_length() for c in picked])]
    free_codes = {p: list(pool.groups) for p, pool in enumerate(pools)}
    for c in picked:
        codes[members[c] > 0] = free_codes[int(owner[c])].pop(0)
    found = _diversity_of(distances, codes)
    if found < start:  # equal up to rounding: keep the start
        codes, found = hint.copy(), start
    proved = res.status == 0
    return ColumnOptimum(codes, proved, found if proved else bound)
