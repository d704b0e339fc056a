"""The one suppression rule every aggregate over people goes through.

People analytics is sensitive: a figure over fewer people than the minimum group size
(5 at least, as Microsoft Viva Insights requires) could reveal one person's data, and so
could the *difference* of two figures shown side by side (a parent unit minus its only
child). Figures are therefore decided family by family (one measure over nested groups:
the units tree, or groups shown with their total) by
:func:`smartmoves.engines.suppression.suppress`, which hides small groups and whatever
subtraction would isolate fewer than the minimum. ``docs/security.md`` gives the reasoning.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from smartmoves.engines.suppression import (
    Reason,
    groups_with_total,
    overlapping_with_total,
    suppress,
)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

__all__ = [
    "Reason",
    "because",
    "family",
    "groups_with_total",
    "overlapping_with_total",
    "suppressed",
    "unless_small",
]


def suppressed(people: int, min_group_size: int) -> bool:
    """True when a figure over ``people`` people must not be shown, whatever is beside it."""
    return people < min_group_size


def unless_small(value: T, people: int, min_group_size: int) -> T | None:
    """``value``, or ``None`` when it was computed over too few people."""
    return None if suppressed(people, min_group_size) else value


def family(
    own: Mapping[K, int], parent: Mapping[K, K | None], minimum: int, *, show_empty: bool = False
) -> dict[K, Reason]:
    """Why each figure of one measure over nested groups is hidden (or None: shown)."""
    return suppress(own, parent, minimum, show_empty=show_empty)


def because(reason: Reason, minimum: int) -> str | None:
    """The reason a figure is hidden, in words a page shows."""
    if reason == "small":
        return f"fewer than {minimum} people"
    if reason == "difference":
        return f"with the figures beside it, it would reveal fewer than {minimum} people"
    return None
