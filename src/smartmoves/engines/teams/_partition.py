"""A partition of people into workgroups that knows its own diversity and constraints.

``sums[g, i]`` holds the summed distance from person ``i`` to the members of group
``g``; with it the gain of moving one person, or of swapping two, is O(1) per candidate,
so every candidate partner of a person is scored in one O(N) numpy step, and a move
updates the table in O(N).
"""

from __future__ import annotations

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
        self.apart_counts = self._counts(plan.apart)
        self.balance_counts = self._counts(plan.balance)
        # Singletons that the search may move on their own.
        self.free = (plan.pinned < 0) & (plan.block < 0)
        self.tol = 1e-9 * max(float(distances.max(initial=0.0)), 1e-12)

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
