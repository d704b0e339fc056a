"""Suppression of aggregates over small groups of people.

People analytics is sensitive: a figure computed over fewer people than the minimum
group size (5 by default, as Microsoft Viva Insights requires) could reveal one
person's data, so it is shown as suppressed, for every role.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

__all__ = ["suppressed", "unless_small"]


def suppressed(people: int, min_group_size: int) -> bool:
    """True when a figure over ``people`` people must not be shown."""
    return people < min_group_size


def unless_small(value: T, people: int, min_group_size: int) -> T | None:
    """``value``, or ``None`` when it was computed over too few people."""
    return None if suppressed(people, min_group_size) else value
