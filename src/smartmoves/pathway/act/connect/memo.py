"""What suggestions keep in memory: the text indexes they search, and recent answers.

A Connect page asks three questions of the same profiles (whom to meet, who can help,
who faces a similar challenge), and every workgroup's page asks them again. The text
index over every profile is built once per analysis and profiles (and the one over the
recent topics once per analysis), then searched by every page; the answers themselves
are kept too, keyed by the analysis, the profiles and the question, so a page seen again
costs nothing. Both are small, bounded and shared by the server's threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from smartmoves.engines.network import ProfileIndex, Suggestions, profile_index, topic_profiles
from smartmoves.pathway.act.connect.analysis import Network

__all__ = [
    "ANSWERS",
    "INDEXES",
    "Memo",
    "profiles_index",
    "recent_topics_index",
    "remembered",
]

V = TypeVar("V")


class Memo(Generic[V]):
    """The last ``size`` values computed, by key; safe to share between threads.

    A value is computed once: a thread asking for a key another thread is computing
    waits for that value instead of computing it again (two first visits of Connect
    pages at once would otherwise build the same index twice, on a machine with few
    cores). A computation that fails keeps nothing, and the next ask tries again.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def _kept(self, key: Hashable) -> tuple[bool, V | None]:
        with self._lock:
            if key not in self._values:
                return False, None
            self._values.move_to_end(key)
            return True, self._values[key]

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value kept for ``key``, computed by ``compute()`` when there is none."""
        found, value = self._kept(key)
        if found:
            return value  # type: ignore[return-value]
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            found, value = self._kept(key)  # computed while this thread waited
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


# Answers are small; a few hundred questions cover every workgroup of several pilots.
ANSWERS: Memo[Suggestions] = Memo(256)

# An index over 100,000 people's profiles is large, and each analysis has two (profiles,
# recent topics): keep those of the last two analyses, so the pages still open when new
# data arrives keep answering at once.
INDEXES: Memo[ProfileIndex] = Memo(4)


def remembered(
    network: Network, question: tuple[Hashable, ...], compute: Callable[[], Suggestions]
) -> Suggestions:
    """The answer to ``question`` on this analysis and profiles, computed once."""
    return ANSWERS.get((network.key, network.profiles_key, *question), compute)


def profiles_index(network: Network) -> ProfileIndex | None:
    """The index of the network's profiles (``None`` without any), built once for the
    analysis and these profiles; what whom-to-meet and who-can-help search."""
    profiles = network.profiles
    if profiles.empty:
        return None
    return INDEXES.get(
        (network.key, network.profiles_key, "profiles"),
        lambda: profile_index(profiles, method="tfidf"),
    )


def recent_topics_index(network: Network) -> ProfileIndex | None:
    """The index of the recent topics of the network's people (``None`` without any),
    built once for the analysis; what who-faces-a-similar-challenge searches."""
    recent = network.recent_topics
    if recent is None or recent.empty:
        return None
    people = network.analysis.graph.person_ids.astype(str)
    # The recent topics and the people both come from the analysis the key names.
    return INDEXES.get(
        (network.key, "recent topics"),
        lambda: profile_index(topic_profiles(recent, people=people), method="tfidf"),
    )
