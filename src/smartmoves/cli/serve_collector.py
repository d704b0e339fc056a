"""Short pauses of Python's cycle collector in a server process.

A full collection walks every object the collector tracks, and in a server process
most of them live as long as the process: the code, the kept analysis, the kept views.
On the warm demo a full collection took 100 to 220 ms, and every request waiting on that
process waited with it: at 50 users, a few requests in a hundred.

After each full collection, what survived it is frozen (:func:`gc.freeze`), so the next
one walks only what is newer. Objects that become garbage later are still freed at once
by reference counting; only garbage made of reference cycles among frozen objects waits
until the frozen objects are let go again, every ``refresh`` seconds, when the next full
collection walks, and frees, everything.

    >>> import gc
    >>> after = install(refresh=600.0)
    >>> _ = gc.collect()
    >>> gc.get_freeze_count() > 0
    True
    >>> uninstall(after); gc.unfreeze()
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

__all__ = ["install", "uninstall"]

Callback = Callable[[str, dict[str, Any]], None]


def install(refresh: float = 600.0, clock: Callable[[], float] = time.monotonic) -> Callback:
    """Freeze what survives each full collection, and let it all go every ``refresh``
    seconds; returns the collector callback (for :func:`uninstall`)."""
    since = clock()

    def after(phase: str, info: dict[str, Any]) -> None:
        nonlocal since
        if phase != "stop" or info.get("generation") != 2:
            return
        if clock() - since >= refresh:
            since = clock()
            gc.unfreeze()  # the next full collection walks everything again
        else:
            gc.freeze()

    gc.callbacks.append(after)
    return after


def uninstall(after: Callback) -> None:
    if after in gc.callbacks:
        gc.callbacks.remove(after)
