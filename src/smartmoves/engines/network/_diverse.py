"""Suggestions from more than one unit: a ranked list keeps at most a few people of a
unit before it lets more of them in, so that ten people of one unit with the same reason
do not fill a page when others rank close behind."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

__all__ = ["PER_UNIT", "diversified"]

PER_UNIT = 3


def diversified(units: Sequence[Hashable], limit: int, per_unit: int = PER_UNIT) -> list[int]:
    """Positions of a ranked list to show: in rank order, at most ``per_unit`` of a unit
    first; only when those run short does the rest follow, in rank order.

    >>> diversified(["a", "a", "a", "a", "b", "c"], limit=5, per_unit=2)
    [0, 1, 4, 5, 2]
    >>> diversified(["a", "a", "a"], limit=3, per_unit=1)
    [0, 1, 2]
    """
    seen: dict[Hashable, int] = {}
    first: list[int] = []
    rest: list[int] = []
    for position, unit in enumerate(units):
        seen[unit] = seen.get(unit, 0) + 1
        (first if seen[unit] <= per_unit else rest).append(position)
    chosen = first[:limit]
    if len(chosen) < limit:
        chosen += rest[: limit - len(chosen)]
    return chosen
