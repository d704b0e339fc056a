"""A partition of people into workgroups that knows its own diversity and constraints.

``sums[g, i]`` holds the summed distance from person ``i`` to the members of group
``g``; with it the gain of moving one person, or of swapping two, is O(1) per candidate,
so every candidate partner of a person is scored in one O(N) numpy step, and a move
updates the table in O(N).

For small inputs :meth:`Partition.exchange_gains` also scores every trade of up to two
people of one group for up to two of another (moves and swaps included) in one step.
Balance and apart often lock people in place for single swaps (a man whose manager's
other reports sit in every group can only trade places with a woman of that manager,
which balance forbids); trading two for two frees them.
"""

from __future__ import annotations

import copy
import functools

import numpy as np

from smartmoves.engines.teams._plan import Plan

__all__ = ["Partition"]


class Partition:
    """Workgroup codes plus the running tables the exchange search reads."""

    def __init__(self, distances: np.ndarray, plan: Plan, codes: np.ndarray) -> None:
        n, k = plan.size, plan.groups
        self.d = distances
        self.plan = plan
        self.codes = codes.astype(int).copy()
        self.sums = np.zeros((k, n))
        for g in range(k):
            self.sums[g] = distances[self.codes == g].sum(axis=0)
        self.own = self.sums[self.codes, np.arange(n)]
        self.total = float(self.own.sum() / 2)
        self.sizes = np.bincount(self.codes, minlength=k)
        # Moves in or out of each group so far, and per try (two groups' trades, a block's
        # move or swap) the counts at which it did not help: it need not be tried again
        # while both groups are unchanged.
        self.changes = np.zeros(k, dtype=int)
        self.no_trade: dict[tuple[int, ...], tuple[int, int]] = {}
        self.apart_counts = self._counts(plan.apart)
        self.balance_counts = self._counts(plan.balance)
        # Singletons that the search may move on their own.
        self.free = (plan.pinned < 0) & (plan.block < 0)
        self.tol = 1e-9 * max(float(distances.max(initial=0.0)), 1e-12)
        # Per person: one column for the size, then one per balance category and apart
        # class, so the counts any trade leaves are sums of these rows; per group, the
        # limits of those counts.
        width = (len(plan.balance_hi), self.apart_counts.shape[1])
        self.traits = np.zeros((n, 1 + sum(width)), dtype=int)
        self.traits[:, 0] = 1
        for offset, classes in ((1, plan.balance), (1 + width[0], plan.apart)):
            known = np.flatnonzero(classes >= 0)
            self.traits[known, offset + classes[known]] = 1
        self.trait_lo = np.column_stack(
            [plan.lo, np.tile(plan.balance_lo, (k, 1)), np.zeros((k, width[1]), dtype=int)]
        )
        self.trait_hi = np.column_stack(
            [plan.hi, np.tile(plan.balance_hi, (k, 1)), np.ones((k, width[1]), dtype=int)]
        )

    def _counts(self, classes: np.ndarray) -> np.ndarray:
        width = int(classes.max(initial=-1)) + 1
        counts = np.zeros((self.plan.groups, width), dtype=int)
        known = classes >= 0
        np.add.at(counts, (self.codes[known], classes[known]), 1)
        return counts

    def move(self, i: int, g: int) -> float:
        """Put person ``i`` in group ``g``; return the change in diversity."""
        a = int(self.codes[i])
        gain = float(self.sums[g, i] - self.sums[a, i])
        row = self.d[i]
        self.sums[a] -= row
        self.sums[g] += row
        self.codes[i] = g
        self.sizes[a] -= 1
        self.sizes[g] += 1
        self.changes[a] += 1
        self.changes[g] += 1
        for classes, counts in (
            (self.plan.apart, self.apart_counts),
            (self.plan.balance, self.balance_counts),
        ):
            if classes[i] >= 0:
                counts[a, classes[i]] -= 1
                counts[g, classes[i]] += 1
        self.own = self.sums[self.codes, np.arange(len(self.codes))]
        self.total += gain
        return gain

    def valid(self, groups: np.ndarray | list[int]) -> bool:
        """Whether the given groups meet their size, apart and balance limits."""
        plan = self.plan
        if ((self.sizes[groups] < plan.lo[groups]) | (self.sizes[groups] > plan.hi[groups])).any():
            return False
        if self.apart_counts.size and self.apart_counts[groups].max() > 1:
            return False
        if self.balance_counts.size:
            counts = self.balance_counts[groups]
            if (counts < plan.balance_lo).any() or (counts > plan.balance_hi).any():
                return False
        return True

    def swap_gains(self, i: int) -> np.ndarray:
        """Diversity change of swapping ``i`` with each person (-inf where not allowed)."""
        plan, codes = self.plan, self.codes
        a = codes[i]
        gains = self.sums[:, i][codes] - self.sums[a, i] + self.sums[a] - self.own - 2 * self.d[i]
        ok = self.free & (codes != a)
        if self.apart_counts.size:
            mine, theirs = plan.apart[i], plan.apart
            same = theirs == mine
            if mine >= 0:
                ok &= (self.apart_counts[codes, mine] == 0) | same
            ok &= (theirs < 0) | (self.apart_counts[a, np.maximum(theirs, 0)] == 0) | same
        if self.balance_counts.size:
            ok &= self._balanced_swaps(i)
        return np.where(ok, gains, -np.inf)

    def _balanced_swaps(self, i: int) -> np.ndarray:
        plan, codes, counts = self.plan, self.codes, self.balance_counts
        a, mine, theirs = codes[i], plan.balance[i], plan.balance
        fine = np.ones(len(codes), dtype=bool)
        if mine >= 0:
            fine &= counts[a, mine] - 1 >= plan.balance_lo[mine]
            fine &= counts[codes, mine] + 1 <= plan.balance_hi[mine]
        t = np.maximum(theirs, 0)
        fine &= (theirs < 0) | (
            (counts[codes, t] - 1 >= plan.balance_lo[t]) & (counts[a, t] + 1 <= plan.balance_hi[t])
        )
        return fine | (theirs == mine)

    def move_gains(self, i: int) -> np.ndarray:
        """Diversity change of moving ``i`` to each group (-inf where not allowed)."""
        plan = self.plan
        a = self.codes[i]
        ok = (self.sizes + 1 <= plan.hi) & (self.sizes[a] - 1 >= plan.lo[a])
        ok[a] = False
        if plan.apart[i] >= 0:
            ok &= self.apart_counts[:, plan.apart[i]] == 0
        c = plan.balance[i]
        if c >= 0:
            ok &= (self.balance_counts[:, c] + 1 <= plan.balance_hi[c]) & (
                self.balance_counts[a, c] - 1 >= plan.balance_lo[c]
            )
        return np.where(ok, self.sums[:, i] - self.sums[a, i], -np.inf)

    def _units(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sets of at most two free people of group ``a``: members, indicator rows, gains.

        A set's gain is what moving it alone to ``b`` would add: each member's own gain,
        plus twice the distance between the two (they leave together and arrive together).
        """
        members = np.flatnonzero(self.free & (self.codes == a))
        rows, first, second = _sets_of_two(len(members))
        gains = rows @ (self.sums[b, members] - self.sums[a, members])
        gains[len(gains) - len(first) :] += 2 * self.d[members[first], members[second]]
        return members, rows, gains

    def exchange_gains(
        self, a: int, b: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Gains of every trade of up to two free people of ``a`` for up to two of ``b``.

        Returns the gains (-inf where a limit would break), the free members of ``a`` and
        ``b``, and the indicator rows of the sets of each side the gains are indexed by.
        """
        out_a, rows_a, gains_a = self._units(a, b)
        out_b, rows_b, gains_b = self._units(b, a)
        cross = rows_a @ self.d[np.ix_(out_a, out_b)] @ rows_b.T
        gains = gains_a[:, None] + gains_b[None, :] - 2 * cross
        # What group a gains in each count (group b gains the opposite).
        arriving, leaving = rows_b @ self.traits[out_b], rows_a @ self.traits[out_a]
        shift = arriving[None, :, :] - leaving[:, None, :]
        after_a = self._trait_counts(a) + shift
        after_b = self._trait_counts(b) - shift
        ok = (
            (after_a >= self.trait_lo[a])
            & (after_a <= self.trait_hi[a])
            & (after_b >= self.trait_lo[b])
            & (after_b <= self.trait_hi[b])
        ).all(axis=2)
        ok[0, 0] = False  # trading nobody for nobody
        return np.where(ok, gains, -np.inf), out_a, out_b, rows_a, rows_b

    def _trait_counts(self, g: int) -> np.ndarray:
        return np.concatenate([self.sizes[g : g + 1], self.balance_counts[g], self.apart_counts[g]])

    def trade(self, a: int, b: int, pick: int | None = None) -> float:
        """Make the best trade between ``a`` and ``b`` if it helps (or trade number ``pick``
        of the allowed ones, helpful or not); return its gain (-inf when none was made)."""
        gains, out_a, out_b, rows_a, rows_b = self.exchange_gains(a, b)
        if pick is None:
            at = int(np.argmax(gains))
            if gains.flat[at] <= self.tol:
                return -np.inf
        else:
            allowed = np.flatnonzero(np.isfinite(gains))
            if not len(allowed):
                return -np.inf
            at = int(allowed[pick % len(allowed)])
        first, second = np.unravel_index(at, gains.shape)
        for i in out_a[rows_a[first] > 0]:
            self.move(int(i), b)
        for i in out_b[rows_b[second] > 0]:
            self.move(int(i), a)
        return float(gains[first, second])

    def copy(self) -> Partition:
        """An independent partition with the same codes (and the same memory of trades)."""
        twin = copy.copy(self)
        tables = ("codes", "sums", "own", "sizes", "apart_counts", "balance_counts")
        for name in (*tables, "changes"):
            setattr(twin, name, getattr(self, name).copy())
        twin.no_trade = dict(self.no_trade)
        return twin


@functools.lru_cache(maxsize=64)
def _sets_of_two(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indicator rows of the empty set, the m singletons and the pairs (last), and the pairs."""
    first, second = np.triu_indices(m, 1)
    rows = np.zeros((1 + m + len(first), m))
    rows[1 + np.arange(m), np.arange(m)] = 1
    pairs = 1 + m + np.arange(len(first))
    rows[pairs, first] = 1
    rows[pairs, second] = 1
    for array in (rows, first, second):
        array.setflags(write=False)
    return rows, first, second
