"""Views kept in memory, by what they were computed from.

A page is read far more often than its data changes: the organization's figures change
with an import, a pilot's capacity with an import or a decision. So a use case names
what its view depends on in a *key* that is cheap to read on every request (the last
import of each table, the pilot's decisions, a count and the newest id of what the web
adds...), and computes the view only for a key it has not seen. Nothing is ever
invalidated by hand, and no process must tell another: a change anywhere (another
worker, the command line) is a new key everywhere. Keys start with the store's URL, so
two workspaces never share an entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from smartmoves.data.store import capacity, org, volunteers
from smartmoves.data.store.models import Pilot
from smartmoves.settings import Settings

__all__ = ["Kept", "imports_mark", "pilot_state"]

V = TypeVar("V")


def imports_mark(session: Session) -> tuple[tuple[str, int, str], ...]:
    """The last import of every table: a new import of any table changes it."""
    return org.imports_mark(session)


def pilot_state(session: Session, settings: Settings, pilot: Pilot) -> tuple[object, ...]:
    """What a pilot's pages of Create are computed from: the store and its minimum group
    size, the pilot's own fields, the last imports, its decisions, selections and plans,
    and the applications (a handful of small queries)."""
    return (
        settings.sqlalchemy_url,
        settings.min_group_size,
        (pilot.id, pilot.name, pilot.unit_id, pilot.status, pilot.opportunity),
        (pilot.call_text, pilot.target_free, pilot.min_pilot, pilot.max_pilot),
        imports_mark(session),
        capacity.pilot_mark(session, pilot.id),
        volunteers.applications_mark(session),
    )


class Kept(Generic[V]):
    """The last ``size`` values by key, shared by the threads of a process.

    A value is computed once: a thread asking for a key another one is computing waits
    for it (fifty users opening a page just after an import would otherwise compute it
    fifty times). A computation that fails keeps nothing.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def _found(self, key: Hashable) -> tuple[bool, V | None]:
        with self._lock:
            if key not in self._values:
                return False, None
            self._values.move_to_end(key)
            return True, self._values[key]

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        found, value = self._found(key)
        if found:
            return value  # type: ignore[return-value]
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            found, value = self._found(key)
            if found:
                return value  # type: ignore[return-value]
            try:
                value = compute()
                with self._lock:
                    self._values[key] = value
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
