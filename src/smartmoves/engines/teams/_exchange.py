"""The exchange search: seeded restarts of a local-maximum search over swaps and moves.

Each restart builds a feasible partition greedily (pinned people first, then must-link
blocks, then everyone else, hardest to place first) and climbs: for every movable person
in random order, the best swap with anyone in another group, or the best move to
another group where sizes allow, is made when it raises diversity. Must-link blocks
move as a whole: to another group in exchange for as many singletons (of the same
balance categories first, then of any) or for a block of the same size. The search
stops at a partition that no such step improves; the best restart wins. Every step
keeps every constraint, so the result is always valid.

Small inputs (``exchanges``) also climb by trades: the best exchange of up to two free
people of one group for up to two of another, which frees people that balance and apart
lock in place for single swaps. After the restarts, ``kicks`` rounds of iterated local
search make two random allowed trades in a copy of the best partition and climb again,
keeping the copy when it is better; trades already found useless between two unchanged
groups are not scored again, so a kick costs little.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from smartmoves.engines.teams._partition import Partition
from smartmoves.engines.teams._plan import Plan

__all__ = ["exchange_search", "greedy_start"]

MAX_PASSES = 200


def greedy_start(plan: Plan, rng: np.random.Generator) -> np.ndarray | None:
    """A random partition that keeps every constraint, or None when the greedy gets stuck.

    People without an apart class or balance category count in an extra last column of
    the tallies, which never limits anyone.
    """
    k = plan.groups
    if not (
        plan.blocks
        or (plan.pinned >= 0).any()
        or plan.apart.max(initial=-1) >= 0
        or plan.balance_hi.size
    ):
        # Sizes are the only constraint: a shuffled list of group codes will do.
        sizes = plan.lo.copy()
        grow = rng.choice(np.flatnonzero(plan.hi > plan.lo), plan.size - sizes.sum(), False)
        sizes[grow] += 1
        return rng.permutation(np.repeat(np.arange(k), sizes))
    codes = plan.pinned.copy()
    sizes = np.bincount(codes[codes >= 0], minlength=k)
    n_apart, n_cats = int(plan.apart.max(initial=-1)) + 1, len(plan.balance_hi)
    apart_of = np.where(plan.apart >= 0, plan.apart, n_apart)
    cat_of = np.where(plan.balance >= 0, plan.balance, n_cats)
    apart = np.zeros((k, n_apart + 1), dtype=int)
    balance = np.zeros((k, n_cats + 1), dtype=int)
    most = np.append(plan.balance_hi, len(codes))
    for i in np.flatnonzero(codes >= 0):
        apart[codes[i], apart_of[i]] += 1
        balance[codes[i], cat_of[i]] += 1
    blocks = [plan.blocks[u] for u in rng.permutation(len(plan.blocks))]
    units = sorted((m for m in blocks if plan.pinned[m[0]] < 0), key=len, reverse=True)
    singles = rng.permutation(np.flatnonzero((plan.pinned < 0) & (plan.block < 0)))
    # Hardest first: people of large apart classes, then of large balance categories.
    class_size = np.append(np.bincount(apart_of, minlength=n_apart + 1)[:-1], 0)
    cat_size = np.append(np.bincount(cat_of, minlength=n_cats + 1)[:-1], 0)
    order = np.lexsort(
        (cat_of[singles], -cat_size[cat_of[singles]], -class_size[apart_of[singles]])
    )
    units += [singles[[t]] for t in order]
    for members in units:
        fits = sizes + len(members) <= plan.hi
        fits &= apart[:, apart_of[members]][:, apart_of[members] < n_apart].sum(axis=1) == 0
        adds = np.bincount(cat_of[members], minlength=n_cats + 1)
        fits &= (balance + adds <= most).all(axis=1)
        if not fits.any():
            return None
        share = balance[:, cat_of[members[0]]] if cat_of[members[0]] < n_cats else np.zeros(k)
        g = np.lexsort((rng.random(k), sizes - plan.lo, share, ~fits))[0]
        codes[members] = g
        sizes[g] += len(members)
        np.add.at(apart[g], apart_of[members], 1)
        balance[g] += adds
    if (sizes < plan.lo).any() or (balance[:, :n_cats] < plan.balance_lo).any():
        return None
    return codes


def _climb_singles(state: Partition, rng: np.random.Generator) -> bool:
    """Passes of best swap or move per person until none helps; True if anything moved."""
    movable = np.flatnonzero(state.free)
    can_move = bool((state.plan.hi > state.plan.lo).any())
    changed = False
    for _ in range(MAX_PASSES):
        improved = False
        for i in rng.permutation(movable):
            gains = state.swap_gains(i)
            j = int(np.argmax(gains))
            best = gains[j]
            if can_move:
                to = state.move_gains(i)
                g = int(np.argmax(to))
                if to[g] > best and to[g] > state.tol:
                    state.move(i, g)
                    improved = True
                    continue
            if best > state.tol:
                a = int(state.codes[i])
                state.move(i, int(state.codes[j]))
                state.move(j, a)
                improved = True
        changed |= improved
        if not improved:
            break
    return changed


def _try_block(state: Partition, members: np.ndarray, g: int) -> bool:
    """Move a block to group g and take back singletons; keep it if better.

    The singletons taken back are first of the block's own balance categories, which
    keeps balance as it was; when that fails, of any category, so a block of two men can
    trade places with a woman and a man (a move the first way never finds).
    """
    if _try_block_with(state, members, g, same_categories=True):
        return True
    return bool(state.plan.balance_hi.size) and _try_block_with(
        state, members, g, same_categories=False
    )


def _try_block_with(
    state: Partition, members: np.ndarray, g: int, *, same_categories: bool
) -> bool:
    plan = state.plan
    a = int(state.codes[members[0]])
    before, changes = state.total, state.changes.copy()
    undo = [(int(i), a) for i in members]
    for i in members:
        state.move(int(i), g)
    wanted = list(plan.balance[members]) if same_categories and plan.balance_hi.size else None
    while state.sizes[g] > plan.hi[g] or state.sizes[a] < plan.lo[a]:
        pick = state.free & (state.codes == g)
        if state.apart_counts.size:
            pick &= (plan.apart < 0) | (state.apart_counts[a, np.maximum(plan.apart, 0)] == 0)
        if wanted is not None:
            pick &= np.isin(plan.balance, wanted)
        if not pick.any():
            break
        j = int(np.argmax(np.where(pick, state.sums[a] - state.sums[g], -np.inf)))
        state.move(j, a)
        undo.append((j, g))
        if wanted is not None:
            wanted.remove(plan.balance[j])
    if state.valid([a, g]) and state.total > before + state.tol:
        return True
    for i, back in reversed(undo):
        state.move(i, back)
    state.changes[:] = changes  # back as it was: nothing changed
    return False


def _try_block_swap(state: Partition, first: np.ndarray, second: np.ndarray) -> bool:
    a, b = int(state.codes[first[0]]), int(state.codes[second[0]])
    before, changes = state.total, state.changes.copy()
    for i in first:
        state.move(int(i), b)
    for i in second:
        state.move(int(i), a)
    if state.valid([a, b]) and state.total > before + state.tol:
        return True
    for i in second:
        state.move(int(i), b)
    for i in first:
        state.move(int(i), a)
    state.changes[:] = changes
    return False


def _climb_blocks(state: Partition, rng: np.random.Generator) -> bool:
    """Try every block in every other group and against every block of its size.

    A try that failed is not repeated while neither group involved has changed.
    """
    blocks = [m for m in state.plan.blocks if state.plan.pinned[m[0]] < 0]
    changed = False
    for u in map(int, rng.permutation(len(blocks))):
        members = blocks[u]
        for g in rng.permutation(state.plan.groups):
            a, g = int(state.codes[members[0]]), int(g)
            seen = (int(state.changes[a]), int(state.changes[g]))
            if g == a or state.no_trade.get((-1 - u, a, g)) == seen:
                continue
            if _try_block(state, members, g):
                changed = True
            else:
                state.no_trade[-1 - u, a, g] = seen
        for v, other in enumerate(blocks):
            a, b = int(state.codes[members[0]]), int(state.codes[other[0]])
            seen = (int(state.changes[a]), int(state.changes[b]))
            key = (-1 - u, -1 - v, a, b)
            if len(other) != len(members) or a == b or state.no_trade.get(key) == seen:
                continue
            if _try_block_swap(state, members, other):
                changed = True
            else:
                state.no_trade[key] = seen
    return changed


def _climb_exchanges(state: Partition, rng: np.random.Generator) -> bool:
    """Best two-for-two (or fewer) trades between every two groups until none helps."""
    k = state.plan.groups
    first, second = np.triu_indices(k, 1)
    changed = False
    for _ in range(MAX_PASSES):
        improved = False
        for t in rng.permutation(len(first)):
            a, b = int(first[t]), int(second[t])
            seen = (int(state.changes[a]), int(state.changes[b]))
            if state.no_trade.get((a, b)) == seen:
                continue
            if state.trade(a, b) == -np.inf:
                state.no_trade[a, b] = seen
            else:
                improved = True
        changed |= improved
        if not improved:
            break
    return changed


def local_maximum(
    state: Partition, rng: np.random.Generator, *, exchanges: bool = False
) -> Partition:
    """Climb until neither singletons nor blocks (nor, if asked, trades) improve diversity.

    Trades include every move and swap of a free person, so with them the singletons'
    passes (cheaper per step, from a random start) only come first.
    """
    _climb_singles(state, rng)
    return _climb_rest(state, rng, exchanges)


def _climb_rest(state: Partition, rng: np.random.Generator, exchanges: bool) -> Partition:
    while True:
        changed = bool(state.plan.blocks) and _climb_blocks(state, rng)
        if exchanges:
            changed |= _climb_exchanges(state, rng)
        elif changed:
            changed = _climb_singles(state, rng)
        if not changed:
            return state


def _shake(state: Partition, rng: np.random.Generator, steps: int) -> None:
    """Random allowed swaps, to leave a local maximum when no fresh start can be built."""
    movable = np.flatnonzero(state.free)
    for i in rng.choice(movable, size=min(steps, len(movable)), replace=False):
        allowed = np.flatnonzero(np.isfinite(state.swap_gains(int(i))))
        if len(allowed):
            j = int(rng.choice(allowed))
            a = int(state.codes[i])
            state.move(int(i), int(state.codes[j]))
            state.move(j, a)


def _kick(state: Partition, rng: np.random.Generator, trades: int) -> None:
    """Random allowed trades between random groups, helpful or not, to leave a maximum."""
    for _ in range(trades):
        a, b = rng.choice(state.plan.groups, size=2, replace=False)
        state.trade(int(a), int(b), pick=int(rng.integers(1 << 30)))


def exchange_search(
    distances: np.ndarray,
    plan: Plan,
    *,
    restarts: int,
    rng: np.random.Generator,
    fallback: Callable[[], np.ndarray],
    exchanges: bool = False,
    kicks: int = 0,
) -> np.ndarray:
    """Best local maximum over ``restarts`` starts; ``fallback`` gives a start when greedy fails."""
    best: Partition | None = None
    greedy_works = True
    for _ in range(restarts):
        codes = None
        for _ in range(3 if greedy_works else 0):
            codes = greedy_start(plan, rng)
            if codes is not None:
                break
        greedy_works = codes is not None
        if codes is None and best is None:
            codes = fallback()
        if codes is None:
            assert best is not None
            state = Partition(distances, plan, best.codes)
            _shake(state, rng, max(2, plan.size // 4))
        else:
            state = Partition(distances, plan, codes)
        local_maximum(state, rng, exchanges=exchanges)
        if best is None or state.total > best.total + state.tol:
            best = state
    assert best is not None
    # Iterated local search: kick the best partition a little and climb again.
    for _ in range(kicks if best.plan.groups > 1 else 0):
        state = best.copy()
        _kick(state, rng, 2)
        if exchanges:
            _climb_rest(state, rng, exchanges)
        else:
            local_maximum(state, rng)
        if state.total > best.total + state.tol:
            best = state
    return best.codes
