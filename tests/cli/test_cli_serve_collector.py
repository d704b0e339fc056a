"""A server process freezes what survives each full collection, and lets it all go again
every ``refresh`` seconds, so that garbage cycles among old objects are freed in the end."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from smartmoves.cli.serve_collector import install, uninstall


class Node:
    """Something that can sit in a reference cycle."""

    other: Node | None = None


@pytest.fixture
def clock() -> Iterator[list[float]]:
    now = [0.0]
    gc.unfreeze()
    after = install(refresh=600.0, clock=lambda: now[0])
    try:
        yield now
    finally:
        uninstall(after)
        gc.unfreeze()


def test_what_survives_a_full_collection_is_frozen(clock: list[float]) -> None:
    gc.collect(0)
    assert gc.get_freeze_count() == 0  # a young collection walks little: nothing to do
    gc.collect()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    # What the next full collection walks is only what came after: next to nothing.
    assert len(gc.get_objects()) < frozen / 10


def test_a_cycle_among_frozen_objects_is_freed_after_the_refresh(clock: list[float]) -> None:
    one, other = Node(), Node()
    one.other, other.other = other, one
    gone = weakref.ref(one)
    gc.collect()  # both are frozen now
    del one, other
    gc.collect()
    assert gone() is not None  # frozen: the collector does not walk them
    clock[0] = 601.0
    gc.collect()  # the refresh lets everything go...
    assert gc.get_freeze_count() == 0
    gc.collect()  # ...and the next full collection frees the cycle
    assert gone() is None


def test_uninstalled_it_freezes_nothing_more() -> None:
    gc.unfreeze()
    uninstall(install())
    gc.collect()
    assert gc.get_freeze_count() == 0
