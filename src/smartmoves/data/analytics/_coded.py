"""Interaction events read once, with every id turned into a number.

The SQL of :mod:`._ties` and :mod:`._topics` defines the ties and topics; on DuckDB the
product reaches the same rows by a faster road. Grouping 340 million meeting and message
pairs by two strings was most of the 7 minutes the SQL took at 100,000 people and
100 million events; once ids are numbers a pair is one 64-bit integer, and sorting
integers is an order of magnitude cheaper (``docs/network.md`` has the figures).

So DuckDB only reads and trims the columns (in parallel, any source it can read), Arrow
splits the lists and codes the ids batch by batch in two threads, and :mod:`._counted`
does the counting with numpy. The cleaning is the SQL's: recipients are trimmed of
spaces, empty ones and the sender dropped, each counted once per event.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from smartmoves.data.analytics._backends import DuckDBBackend
from smartmoves.data.analytics._sql import raw_events

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["CodedEvents", "CodedLists", "code_events"]

# Rows per batch handed to a thread: big enough that Arrow's kernels dominate, small
# enough that two threads share the work evenly.
BATCH_ROWS = 1_000_000


@dataclass(frozen=True)
class CodedLists:
    """One list of codes per event: event ``e`` holds ``codes[offsets[e]:offsets[e + 1]]``,
    and code ``c`` stands for ``words[c]`` (sorted, so code order is string order)."""

    words: pa.Array
    offsets: np.ndarray
    codes: np.ndarray

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def owners(self) -> np.ndarray:
        """The event of each code (32-bit where events fit: half the memory)."""
        events = len(self.offsets) - 1
        kind = np.int32 if events < 2**31 else np.int64
        return np.repeat(np.arange(events, dtype=kind), self.lengths())


@dataclass(frozen=True)
class CodedEvents:
    """Events with a sender, coded: person ``c`` is ``recipients.words[c]``.

    ``recipients`` holds each event's cleaned recipients (never the sender, each once);
    ``meeting`` is true for meetings and calls; ``minutes`` is NaN where empty;
    ``topics`` (when asked for) holds each event's distinct lower-cased keywords, and
    ``recent`` whether the event falls in the recent window.
    """

    sender: np.ndarray
    recipients: CodedLists
    meeting: np.ndarray
    minutes: np.ndarray
    topics: CodedLists | None = None
    recent: np.ndarray | None = None

    @property
    def ids(self) -> pa.Array:
        return self.recipients.words

    @property
    def events(self) -> int:
        return len(self.sender)


def _split(text: pa.Array, lower: bool) -> tuple[pa.Array, np.ndarray]:
    """Items of ``;``-separated text, trimmed of spaces, and each text's item count."""
    import pyarrow.compute as pc

    parts = pc.split_pattern(text, ";")
    values = parts.flatten()
    if pc.any(pc.match_substring(text, " ")).as_py():
        values = pc.utf8_trim(values, characters=" ")
    if lower:
        values = pc.utf8_lower(values)
    lengths = pc.fill_null(pc.list_value_length(parts), 0)
    return values, np.asarray(lengths.to_numpy(zero_copy_only=False), dtype=np.int64)


def _clean(
    words: pa.Array, codes: np.ndarray, lengths: np.ndarray, drop: np.ndarray | None
) -> CodedLists:
    """Drop empty items and, per event, the code ``drop`` and repeated codes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    keep = np.ones(len(codes), dtype=bool)
    empty = pc.index_in(pa.scalar("", words.type), value_set=words).as_py()
    if empty is not None:
        keep &= codes != empty
    if drop is not None:
        keep &= codes != drop[owner]
    several = np.flatnonzero(keep & (lengths[owner] >= 2))
    if len(several):
        key = owner[several] * len(words) + codes[several]
        # Repeats within an event are rare: a plain sort says whether there are any,
        # and only then does a stable argsort (quick here: the keys come nearly in
        # order, event after event) find them.
        ordered = np.sort(key)
        if (ordered[1:] == ordered[:-1]).any():
            order = np.argsort(key, kind="stable")
            repeated = np.zeros(len(key), dtype=bool)
            repeated[order[1:]] = key[order[1:]] == key[order[:-1]]
            keep[several[repeated]] = False
    kept = np.bincount(owner[keep], minlength=len(lengths))
    offsets = np.concatenate([[0], np.cumsum(kept)]).astype(np.int64)
    return CodedLists(words=words, offsets=offsets, codes=codes[keep])


@dataclass(frozen=True)
class _Batch:
    """One batch coded and cleaned on its own, over its own dictionaries."""

    sender: np.ndarray
    recipients: CodedLists
    topics: CodedLists | None
    meeting: np.ndarray
    minutes: np.ndarray
    recent: np.ndarray | None


def _column(batch: pa.RecordBatch, name: str, fill: object, kind: type) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(batch.column(name), fill).to_numpy(zero_copy_only=False), kind)


def _code_batch(batch: pa.RecordBatch, topics: bool) -> _Batch:
    import pyarrow as pa
    import pyarrow.compute as pc

    values, lengths = _split(batch.column("listed"), lower=False)
    people = pc.dictionary_encode(pa.concat_arrays([batch.column("sender"), values]))
    del values
    codes = np.asarray(people.indices.to_numpy(zero_copy_only=False), dtype=np.int32)
    sender = codes[: batch.num_rows]
    recipients = _clean(people.dictionary, codes[batch.num_rows :], lengths, sender)
    keywords = None
    if topics:
        words, counts = _split(batch.column("topic"), lower=True)
        encoded = pc.dictionary_encode(words)
        word_codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int32)
        keywords = _clean(encoded.dictionary, word_codes, counts, None)
    names = batch.schema.names
    return _Batch(
        sender=sender,
        recipients=recipients,
        topics=keywords,
        meeting=_column(batch, "meeting", False, bool),
        minutes=_column(batch, "minutes", float("nan"), np.float64),
        recent=_column(batch, "recent", False, bool) if "recent" in names else None,
    )


def _merge(lists: list[CodedLists], also: list[np.ndarray]) -> tuple[CodedLists, np.ndarray]:
    """The batches' lists over one sorted dictionary, and ``also`` (codes over the same
    dictionaries, one array per batch) recoded into it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    own = [part.words.cast(pa.large_string()) for part in lists]
    every = pc.unique(pa.chunked_array(own, type=pa.large_string()).combine_chunks())
    words = every.take(pc.sort_indices(every))
    remaps = [
        np.asarray(pc.index_in(mine, value_set=words).to_numpy(), dtype=np.int32) for mine in own
    ]
    codes = np.concatenate([m[part.codes] for m, part in zip(remaps, lists, strict=True)])
    ends = np.cumsum([0] + [int(part.offsets[-1]) for part in lists])
    offsets = np.concatenate(
        [[0]] + [part.offsets[1:] + end for part, end in zip(lists, ends, strict=False)]
    ).astype(np.int64)
    recoded = [m[codes_b] for m, codes_b in zip(remaps, also, strict=True)] if also else []
    return CodedLists(words, offsets, codes), (
        np.concatenate(recoded) if recoded else np.zeros(0, dtype=np.int32)
    )


def code_events(
    backend: DuckDBBackend,
    view: str,
    columns: list[str],
    window: str,
    *,
    topics: bool = False,
    recent: str | None = None,
) -> CodedEvents:
    """Read the events of ``view`` within ``window`` (SQL) and code them.

    ``topics`` also codes the ``topic`` keywords; ``recent`` is an SQL condition that
    marks the recent events. The rows kept are those of the SQL's ``events``: a sender
    that is not empty, and a recipient list that is not missing.
    """

    extra = {}
    if topics:
        extra["topic"] = f"trim(CAST({backend.ident('topic')} AS VARCHAR))"
    if recent is not None:
        extra["recent"] = f"coalesce({recent}, FALSE)"
    picked = "".join(f", {name}" for name in extra)
    query = f"""WITH {raw_events(backend, view, columns, window, extra=extra)}
SELECT sender, listed, channel IN ('meeting', 'call') AS meeting, minutes{picked}
FROM raw WHERE sender IS NOT NULL AND sender <> '' AND listed IS NOT NULL"""
    # Batches are coded as DuckDB streams them, two at a time, a few waiting: the
    # events are never held whole as strings (6 GB at 100 million events).
    coded: list[_Batch] = []
    waiting: deque[Future[_Batch]] = deque()
    with ThreadPoolExecutor(max_workers=2) as pool:
        for batch in backend.batches(query, BATCH_ROWS):
            waiting.append(pool.submit(_code_batch, batch, topics))
            while len(waiting) > 3:
                coded.append(waiting.popleft().result())
        coded.extend(future.result() for future in waiting)
    if not coded:
        return _no_events(topics, recent is not None)
    recipients, sender = _merge([c.recipients for c in coded], [c.sender for c in coded])
    words = None
    if topics:
        words, _ = _merge([c.topics for c in coded if c.topics is not None], [])
    return CodedEvents(
        sender=sender,
        recipients=recipients,
        meeting=np.concatenate([c.meeting for c in coded]),
        minutes=np.concatenate([c.minutes for c in coded]),
        topics=words,
        recent=np.concatenate([c.recent for c in coded if c.recent is not None])
        if recent is not None
        else None,
    )


def _no_events(topics: bool, recent: bool) -> CodedEvents:
    import pyarrow as pa

    def nothing() -> CodedLists:
        none = np.zeros(0, dtype=np.int32)
        return CodedLists(pa.array([], pa.large_string()), np.zeros(1, np.int64), none)

    return CodedEvents(
        sender=np.zeros(0, dtype=np.int32),
        recipients=nothing(),
        meeting=np.zeros(0, dtype=bool),
        minutes=np.zeros(0),
        topics=nothing() if topics else None,
        recent=np.zeros(0, dtype=bool) if recent else None,
    )
