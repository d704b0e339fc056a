"""Collaboration events (metadata only) for the synthetic bank, written in bounded memory.

Events are drawn day by day, in chunks of at most :data:`CHUNK` events, each chunk with
vectorized NumPy and written as one Parquet row group, so 100 million events need no
more memory than one chunk. Each chunk has its own seed (``seed, day, part``): the file
is the same for a seed whatever else runs.

Who talks to whom follows the org: most recipients are teammates or unit colleagues;
cross-unit contacts follow each unit's real dependencies (:data:`~.spec.UNITS`
``partners``); a few planted brokers bridge units; some recipients are external
contacts (``X…`` ids); members of the planted communities of practice
(:mod:`.practices`) spend most of their events with each other. Large meetings are blocks
of consecutive people of a unit, division or the whole bank, so a few exceed 25
participants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from smartmoves.data.synth.events_model import EventModel
from smartmoves.data.synth.spec import START

__all__ = ["CHUNK", "SCHEMA", "EventTally", "day_counts", "write_interactions"]

CHUNK = 1_000_000
SCHEMA = pa.schema(
    [
        ("timestamp", pa.timestamp("s")),
        ("sender_id", pa.string()),
        ("recipient_ids", pa.string()),
        ("channel", pa.string()),
        ("duration_minutes", pa.int32()),
        ("topic", pa.string()),
    ]
)
CHANNELS = np.array(["email", "chat", "meeting", "call"], dtype=object)
EMAIL, CHAT, MEETING, CALL = range(4)
# Working-hours profile from 07:00 to 18:59 (a morning and an afternoon peak).
HOURS = np.array([0.3, 1.0, 1.4, 1.5, 1.2, 0.8, 1.2, 1.4, 1.3, 1.0, 0.5, 0.2])
WEEKDAYS = np.array([1.05, 1.05, 1.0, 1.0, 0.9])
MEETING_MINUTES = np.array([15, 30, 30, 45, 60, 60, 90])
CALL_MINUTES = np.array([5, 10, 10, 15, 20, 30, 45])
BIG_MEETING, TOWN_HALL = 0.06, 0.015  # shares of meetings
LARGE = 25  # meetings above this many participants add no ties in the network queries


@dataclass
class EventTally:
    """What the generator wrote, counted as it went (for truth.json).

    ``internal``/``external`` are per units row the collaboration weight inside the unit
    and across its boundary (sender-recipient pairs, weighted like the network queries:
    ``1/recipients`` for messages, hours/(participants-1) for meetings of at most 25).
    """

    units: int
    people: int
    events: int = 0
    large_meetings: int = 0
    external_recipients: int = 0
    inbound_external: int = 0
    channels: dict[str, int] = field(default_factory=dict)
    internal: np.ndarray = field(default_factory=lambda: np.zeros(0))
    external: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cross_contacts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        self.internal = np.zeros(self.units)
        self.external = np.zeros(self.units)
        self.cross_contacts = np.zeros(self.people, dtype=np.int64)

    def external_share(self) -> np.ndarray:
        total = self.internal + self.external
        return np.divide(self.external, total, out=np.full(self.units, np.nan), where=total > 0)


def day_counts(events: int, weeks: int) -> np.ndarray:
    """Events per working day, exactly ``events`` in total (largest remainders)."""
    w = np.tile(WEEKDAYS, weeks)
    raw = events * w / w.sum()
    counts = np.floor(raw).astype(np.int64)
    short = events - int(counts.sum())
    counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts


def _day_timestamps(day: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted epoch seconds of ``n`` events on working day ``day``."""
    date = START + dt.timedelta(days=7 * (day // 5) + day % 5)
    base = (date - dt.date(1970, 1, 1)).days * 86400
    hour = 7 + rng.choice(len(HOURS), size=n, p=HOURS / HOURS.sum())
    return np.sort(base + hour * 3600 + rng.integers(0, 3600, n))


def write_interactions(
    path: Path,
    model: EventModel,
    *,
    events: int,
    weeks: int,
    seed: int,
    progress: Callable[[str, int, int], None] | None = None,
) -> EventTally:
    """Write ``events`` events over ``weeks`` weeks to ``path`` (Parquet, zstd)."""
    tally = EventTally(len(model.unit_size), model.n_people)
    done = 0
    with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:
        for day, n in enumerate(day_counts(events, weeks)):
            if n == 0:
                continue
            stamps = _day_timestamps(day, int(n), np.random.default_rng([seed, 101, day]))
            for part, lo in enumerate(range(0, int(n), CHUNK)):
                rng = np.random.default_rng([seed, 102, day, part])
                # Practices draw from their own stream: the ordinary draws stay as they were.
                practice_rng = np.random.default_rng([seed, 103, day, part])
                chunk = stamps[lo : lo + CHUNK]
                table = _chunk(model, chunk, rng, tally, practice_rng)
                writer.write_table(table, row_group_size=CHUNK)
                done += len(chunk)
                if progress is not None:
                    progress("interactions", done, events)
    tally.events = done
    return tally


def _chunk(
    model: EventModel,
    stamps: np.ndarray,
    rng: np.random.Generator,
    tally: EventTally,
    practice_rng: np.random.Generator | None = None,
) -> pa.Table:
    n = len(stamps)
    sender = model.draw_senders(rng, n)
    practices = model.practices
    if practices is not None and practice_rng is not None:
        sender = practices.busy_senders(practice_rng, sender)
    unit = model.unit_of[sender]
    channel = model.draw_channels(rng, unit)
    k = np.ones(n, dtype=np.int64)
    is_ = {c: channel == c for c in range(4)}
    k[is_[EMAIL]] = np.minimum(rng.geometric(0.55, int(is_[EMAIL].sum())), 8)
    k[is_[CHAT]] = np.minimum(rng.geometric(0.7, int(is_[CHAT].sum())), 4)
    k[is_[CALL]] = 1 + (rng.random(int(is_[CALL].sum())) < 0.25)
    k[is_[MEETING]] = 1 + np.minimum(rng.geometric(0.3, int(is_[MEETING].sum())), 10)
    size = rng.random(n)
    big = is_[MEETING] & (size < BIG_MEETING)
    hall = is_[MEETING] & (size < TOWN_HALL)
    k[big] = rng.integers(12, LARGE, int(big.sum()))
    k[hall] = rng.integers(LARGE + 1, 40, int(hall.sum()))
    k = np.minimum(k, model.n_people - 1)

    ev, rec = model.draw_recipients(rng, sender, k, ~big)
    practice = np.full(n, -1, dtype=np.int64)
    if practices is not None and practice_rng is not None:
        practice = practices.choose(practice_rng, sender, ~big)
        practices.recipients(
            practice_rng, sender, practice, ev, rec, model.team_start, model.team_size
        )
    bev, brec = model.draw_blocks(rng, sender, k, big, hall)
    ev, rec = np.concatenate([ev, bev]), np.concatenate([rec, brec])
    # Distinct recipients per event, never the sender: sort by (event, recipient).
    key = np.sort(ev * model.n_ids + rec)
    keep = np.empty(len(key), dtype=bool)
    keep[0] = True
    np.not_equal(key[1:], key[:-1], out=keep[1:])
    key = key[keep]
    ev, rec = key // model.n_ids, key % model.n_ids
    ok = rec != sender[ev]
    ev, rec = ev[ok], rec[ok]
    count = np.bincount(ev, minlength=n)
    offsets = np.concatenate([[0], np.cumsum(count)]).astype(np.int32)

    minutes = model.draw_minutes(rng, channel, big, hall)
    _tally(tally, model, sender, unit, channel, ev, rec, count, minutes)

    # A reply from outside: single-recipient e-mails to an external contact come back.
    inbound = (channel == EMAIL) & (count == 1) & (rng.random(n) < 0.5)
    first = np.minimum(offsets[:-1], len(rec) - 1)
    inbound &= rec[first] >= model.n_people
    sender_out = sender.copy()
    sender_out[inbound] = rec[first[inbound]]
    rec[first[inbound]] = sender[inbound]
    tally.inbound_external += int(inbound.sum())
    topic = model.draw_topics(rng, unit)
    if practices is not None and practice_rng is not None:
        topic = practices.topics(practice_rng, practice, topic)
    recipients = pc.binary_join(
        pa.ListArray.from_arrays(pa.array(offsets), model.ids.take(pa.array(rec))), ";"
    )
    return pa.Table.from_arrays(
        [
            pa.array(stamps, type=pa.timestamp("s")),
            model.ids.take(pa.array(sender_out)),
            recipients,
            pa.array(CHANNELS[channel], type=pa.string()),
            pa.array(minutes.astype(np.int32)),
            model.topics.take(pa.array(topic)),
        ],
        schema=SCHEMA,
    )


def _tally(
    tally: EventTally,
    model: EventModel,
    sender: np.ndarray,
    unit: np.ndarray,
    channel: np.ndarray,
    ev: np.ndarray,
    rec: np.ndarray,
    count: np.ndarray,
    minutes: np.ndarray,
) -> None:
    participants = count + 1
    meeting = (channel == MEETING) | (channel == CALL)
    tally.large_meetings += int((meeting & (participants > LARGE)).sum())
    for c, name in enumerate(CHANNELS):
        tally.channels[str(name)] = tally.channels.get(str(name), 0) + int((channel == c).sum())
    internal = rec < model.n_people
    tally.external_recipients += int((~internal).sum())
    weight_ev = np.where(
        meeting, minutes / 60 / np.maximum(participants - 1, 1), 1 / np.maximum(count, 1)
    )
    weight_ev[meeting & (participants > LARGE)] = 0.0
    ev, rec = ev[internal], rec[internal]
    w = weight_ev[ev]
    su, ru = unit[ev], model.unit_of[rec]
    same = su == ru
    r = len(model.unit_size)
    tally.internal += np.bincount(su[same], weights=w[same], minlength=r)
    tally.external += np.bincount(su[~same], weights=w[~same], minlength=r)
    tally.external += np.bincount(ru[~same], weights=w[~same], minlength=r)
    cross = ~same
    tally.cross_contacts += np.bincount(sender[ev[cross]], minlength=model.n_people)
    tally.cross_contacts += np.bincount(rec[cross], minlength=model.n_people)
