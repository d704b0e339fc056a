"""Ties and topic counts from coded events (:mod:`._coded`), with numpy.

The definitions are those of :mod:`._ties` and :mod:`._topics`; only the road differs.
Every pair an event makes is packed into one unsigned 64-bit integer, the pair in the
high bits and, below it, the code of its weight and who started it; one sort of those
integers then brings each pair's rows together, and the weights are summed from a small
table. When a workspace has too many ids for the pair and the weight code to share 64
bits, Arrow's hash grouping does the same work more slowly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from smartmoves.data.analytics._coded import CodedEvents

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["coded_ties", "coded_topics"]

# Who started a pair's events: the lower-coded person (A), the other (B), or both, as a
# meeting counts for everyone in it. A tie is reciprocal when both bits are set.
A_STARTED, B_STARTED = 2, 1
FLAG_BITS = 2
# Bits a packed pair may use; a test lowers it to walk the hash-grouping road.
WORD_BITS = 64


# Per distinct pair: lower code, higher code, weight, flags, rows.
_Grouped = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values begins in a sorted array."""
    if len(ordered) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))


def _bits(count: int) -> int:
    return max(1, int(count - 1).bit_length())


class _Pairs:
    """Every pair the events make, written as it is made into one array sized up front
    (hundreds of millions of pairs: no list of parts, no copy of them all)."""

    def __init__(self, people: int, weights: np.ndarray, total: int) -> None:
        self.people, self.weights, self.filled = people, weights, 0
        self.code_bits = _bits(len(weights))
        self.low = np.uint64(self.code_bits + FLAG_BITS)
        self.packs = _bits(people * people) + self.code_bits + FLAG_BITS <= WORD_BITS
        self.keys = np.empty(total, dtype=np.uint64)
        if not self.packs:
            self.weight = np.empty(total, dtype=np.float64)
            self.flags = np.empty(total, dtype=np.uint8)

    def add(self, x: np.ndarray, y: np.ndarray, code: np.ndarray, flags: np.ndarray | int) -> None:
        """Pairs ``x[i], y[i]`` with weight ``weights[code[i]]``, started as ``flags``."""
        part = slice(self.filled, self.filled + len(x))
        self.filled += len(x)
        key = self.keys[part]
        np.minimum(x, y, out=key, casting="unsafe")
        key *= np.uint64(self.people)
        key += np.maximum(x, y).astype(np.uint64)
        if self.packs:
            key <<= self.low
            key |= np.asarray(code, dtype=np.uint64) << np.uint64(FLAG_BITS)
            key |= np.asarray(flags, dtype=np.uint64)
        else:
            self.weight[part] = self.weights[code]
            self.flags[part] = flags

    def grouped(self) -> _Grouped:
        """Per distinct pair: lower code, higher code, weight, flags, rows; sorted."""
        pair, weight, flags, rows = self._sorted() if self.packs else self._hashed()
        n = np.uint64(self.people)
        return pair // n, pair % n, weight, flags, rows

    def _sorted(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        packed = self.keys
        packed.sort()
        flags = (packed & np.uint64(A_STARTED | B_STARTED)).astype(np.uint8)
        weight = np.empty(len(packed), dtype=np.float64)
        mask = np.uint64((1 << self.code_bits) - 1)
        for first in range(0, len(packed), 1 << 24):  # in slices: no second full copy
            chunk = packed[first : first + (1 << 24)]
            weight[first : first + len(chunk)] = self.weights[
                ((chunk >> np.uint64(FLAG_BITS)) & mask).astype(np.int64)
            ]
        packed >>= self.low  # now the pair alone
        start = _starts(packed)
        if len(start) == 0:
            return packed, weight, flags, start
        return (
            packed[start],
            np.add.reduceat(weight, start),
            np.bitwise_or.reduceat(flags, start),
            np.diff(np.append(start, len(packed))),
        )

    def _hashed(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        import pyarrow as pa

        table = pa.table(
            {
                "key": self.keys,
                "w": self.weight,
                "a": (self.flags & A_STARTED) > 0,
                "b": (self.flags & B_STARTED) > 0,
            }
        )
        grouped = table.group_by("key").aggregate(
            [("w", "sum"), ("a", "any"), ("b", "any"), ("w", "count")]
        )
        grouped = grouped.sort_by("key")
        flags = (
            grouped.column("a_any").to_numpy() * A_STARTED
            + grouped.column("b_any").to_numpy() * B_STARTED
        )
        return (
            grouped.column("key").to_numpy(),
            grouped.column("w_sum").to_numpy(),
            flags,
            grouped.column("w_count").to_numpy(),
        )


def _meeting_weights(
    events: CodedEvents, held: np.ndarray, meeting_limit: int, meeting_minutes: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct meeting weight ``hours / recipients``, and the code of each event's
    duration row in that table (its code is that plus the recipients)."""
    minutes = np.where(np.isnan(events.minutes[held]), float(meeting_minutes), events.minutes[held])
    durations, duration_code = np.unique(minutes, return_inverse=True)
    per_size = np.arange(meeting_limit, dtype=np.float64)
    per_size[0] = 1.0  # never used: a meeting has at least one recipient
    table = ((durations / 60.0)[:, None] / per_size[None, :]).ravel()
    code = np.zeros(events.events, dtype=np.int64)
    code[held] = duration_code * meeting_limit
    return table, code


def coded_ties(events: CodedEvents, *, meeting_limit: int, meeting_minutes: float) -> pa.Table:
    """``person_a, person_b, weight, reciprocal, events, source`` of the events' ties,
    sorted by ``person_a, person_b`` (see :func:`smartmoves.data.analytics.build_ties`)."""
    import pyarrow as pa

    recipients = events.recipients
    sizes = recipients.lengths()
    owner = recipients.owners()
    message = ~events.meeting[owner]
    held = events.meeting & (sizes >= 1) & (sizes <= meeting_limit - 1)
    # The weight table: messages' 1 / recipients (code = recipients), then meetings'.
    largest = int(sizes.max()) if len(sizes) else 0
    meeting_table, meeting_code = _meeting_weights(events, held, meeting_limit, meeting_minutes)
    weights = np.concatenate([1.0 / np.maximum(np.arange(largest + 1), 1), meeting_table])
    meeting_code += largest + 1
    held_sizes, held_count = np.unique(sizes[held], return_counts=True)
    total = int(message.sum()) + int((held_count * held_sizes * (held_sizes + 1) // 2).sum())
    pairs = _Pairs(len(events.ids), weights, total)
    # Messages: the sender and each recipient.
    sender = events.sender[owner[message]]
    other = recipients.codes[message]
    started = np.where(sender < other, A_STARTED, B_STARTED).astype(np.uint8)
    pairs.add(sender, other, sizes[owner[message]], started)
    del owner, message, sender, other, started
    # Meetings and calls: every pair of participants, grouped by their number.
    for size in held_sizes:
        chosen = np.flatnonzero(held & (sizes == size))
        people = np.empty((len(chosen), size + 1), dtype=np.int32)
        people[:, 0] = events.sender[chosen]
        first = recipients.offsets[chosen]
        for j in range(size):
            people[:, j + 1] = recipients.codes[first + j]
        left, right = np.triu_indices(size + 1, 1)
        pairs.add(
            people[:, left].ravel(),
            people[:, right].ravel(),
            np.repeat(meeting_code[chosen] + size, len(left)),
            A_STARTED | B_STARTED,
        )
    lo, hi, weight, flags, rows = pairs.grouped()
    ids = events.ids
    return pa.table(
        {
            "person_a": ids.take(pa.array(lo.astype(np.int64))),
            "person_b": ids.take(pa.array(hi.astype(np.int64))),
            "weight": pa.array(weight, pa.float64()),
            "reciprocal": pa.array(flags == (A_STARTED | B_STARTED)),
            "events": pa.array(rows.astype(np.int64)),
            "source": pa.repeat("events", len(lo)).cast(pa.string()),
        }
    )


# Below this many (person, keyword) cells, counting into an array beats sorting keys.
DENSE_CELLS = 1 << 26


class _Tally:
    """How often each (person, keyword) key occurs, fed in parts: into an array when
    the cells are few, else by sorting the keys at the end."""

    def __init__(self, cells: int) -> None:
        self.cells = cells
        self.dense = np.zeros(cells, dtype=np.int64) if cells <= DENSE_CELLS else None
        self.parts: list[np.ndarray] = []

    def add(self, keys: np.ndarray) -> None:
        if self.dense is not None:
            self.dense += np.bincount(keys, minlength=self.cells)
        else:
            self.parts.append(keys)

    def counts(self) -> tuple[np.ndarray, np.ndarray]:
        """The keys that occur, sorted, and how often."""
        if self.dense is not None:
            found = np.flatnonzero(self.dense)
            return found, self.dense[found]
        ordered = np.sort(np.concatenate(self.parts)) if self.parts else np.zeros(0, np.int64)
        start = _starts(ordered)
        return ordered[start], np.diff(np.append(start, len(ordered)))


# Events whose mentions are tallied at a time: bounded memory at any number of events.
TOPIC_CHUNK = 1 << 22


def _mentions(
    events: CodedEvents, first: int, last: int, vocabulary: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """For events ``first:last``: everyone in each (sender, then recipients) as
    ``person * keywords``, the event of each (from 0), and whether it is recent."""
    recipients = events.recipients
    start, end = recipients.offsets[first], recipients.offsets[last]
    kind = np.int32 if len(events.ids) * vocabulary < 2**31 else np.int64
    person: np.ndarray = np.concatenate(
        [events.sender[first:last], recipients.codes[start:end]]
    ).astype(kind)
    person *= vocabulary
    lengths = np.diff(recipients.offsets[first : last + 1])
    local = np.arange(last - first, dtype=np.int32)
    event = np.concatenate([local, np.repeat(local, lengths)])
    recent = events.recent[first:last][event] if events.recent is not None else None
    return person, event, recent


def coded_topics(events: CodedEvents) -> pa.Table:
    """``person_id, topic, events`` (and ``recent_events`` when the events carry the
    recent window), sorted (see :func:`smartmoves.data.analytics.person_topics`)."""
    import pyarrow as pa

    topics = events.topics
    if topics is None:
        raise ValueError("the events were coded without their topics")
    vocabulary = max(1, len(topics.words))
    cells = len(events.ids) * vocabulary
    counts = topics.lengths()
    every, lately = _Tally(cells), _Tally(cells)
    for first in range(0, events.events, TOPIC_CHUNK):
        last = min(events.events, first + TOPIC_CHUNK)
        person, event, recent = _mentions(events, first, last, vocabulary)
        for j in range(int(counts[first:last].max())):
            # The j-th keyword of each event (-1 where it has fewer), for everyone in it.
            word = np.full(last - first, -1, dtype=person.dtype)
            has = np.flatnonzero(counts[first:last] > j) + first
            word[has - first] = topics.codes[topics.offsets[has] + j]
            mentioned = word[event]
            took_part = mentioned >= 0
            every.add(person[took_part] + mentioned[took_part])
            if recent is not None:
                took_part &= recent
                lately.add(person[took_part] + mentioned[took_part])
    found, times = every.counts()
    columns = {
        "person_id": events.ids.take(pa.array(found // vocabulary)),
        "topic": topics.words.take(pa.array(found % vocabulary)),
        "events": pa.array(times.astype(np.int64)),
    }
    if events.recent is not None:
        recent_found, recent_times = lately.counts()
        recent_events = np.zeros(len(found), dtype=np.int64)
        recent_events[np.searchsorted(found, recent_found)] = recent_times
        columns["recent_events"] = pa.array(recent_events)
    return pa.table(columns)
