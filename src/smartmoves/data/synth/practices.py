"""Planted communities of practice: people of several units who work on the same craft.

A practice is a dozen to thirty ordinary members drawn evenly from four or five units
(so no unit holds more than about a third of them). Members are busier than most, and
most of their events are *practice events*: e-mails, chats, calls and small meetings
with other members, on the practice's own topics (``texts.json`` ``topics``, keyed by
the practice's name). That is enough for a modularity partition to group the members,
while everyone else's collaboration still follows the org.

Practices draw from their own random stream (``seed, 103, day, part``), after and beside
the ordinary draws, so the ordinary draws are unchanged: only the events handed to
members, and some messages addressed to members, differ from a bank without practices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from smartmoves.data.synth.catalog import texts
from smartmoves.data.synth.org import Org

__all__ = ["PRACTICES", "Practice", "PracticeModel", "build_practice_model", "plant_practices"]

# Name and home units of each practice; its topics are texts.json topics[name].
PRACTICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("process automation", ("U-FPA", "U-PAY", "U-COL", "U-CC")),
    ("customer retention", ("U-COL", "U-CC", "U-BR-NORTH", "U-BR-METRO", "U-SBA")),
    ("data quality", ("U-ITO", "U-UW", "U-PAY", "U-HR", "U-FPA")),
)
# Below this headcount units are too small to lend a practice members.
MIN_PEOPLE_FOR_PRACTICES = 500
# Members per practice: one per 80 people, from 12 (well above the usual minimum group
# size of 5) to 30.
MIN_MEMBERS, MAX_MEMBERS, PEOPLE_PER_MEMBER = 12, 30, 80
# Members are busier than most (ACTIVITY times the events of an average person) and
# spend PRACTICE_SHARE of their events on the practice. Modularity merges a small group
# into a large one it has many ties with, and unit colleagues keep writing to members
# whatever the members send: only busy members whose practice takes most of their
# events stay a community of their own, apart from each of their units.
ACTIVITY, PRACTICE_SHARE = 3.0, 0.9
# Share of their colleagues' messages that find members elsewhere (with the practice):
# the rest still reach them, so members keep ties to their unit.
AWAY = 0.9


@dataclass(frozen=True)
class Practice:
    """A planted community of practice: its members (positions), units and topics."""

    name: str
    members: tuple[int, ...]
    units: tuple[str, ...]
    topics: tuple[str, ...]


def plant_practices(org: Org, rng: np.random.Generator, exclude: np.ndarray) -> list[Practice]:
    """Pick each practice's members: ordinary people (no supervisors, none of ``exclude``),
    an even share from each of its units, nobody in two practices."""
    if org.n < MIN_PEOPLE_FOR_PRACTICES:
        return []
    size = int(np.clip(org.n // PEOPLE_PER_MEMBER, MIN_MEMBERS, MAX_MEMBERS))
    free = org.people["is_supervisor"].to_numpy() == "false"
    free[np.asarray(exclude, dtype=np.int64)] = False
    vocab = texts()["topics"]
    practices = []
    for name, units in PRACTICES:
        share = np.full(len(units), size // len(units))
        share[: size % len(units)] += 1
        members: list[int] = []
        for unit_id, m in zip(units, share.tolist(), strict=True):
            pool = np.flatnonzero(free & (org.unit_of == org.unit_index(unit_id)))
            picked = np.sort(rng.choice(pool, size=min(m, len(pool)), replace=False))
            free[picked] = False
            members.extend(int(p) for p in picked)
        if len(members) < 3:  # nobody to talk to: no practice
            continue
        practices.append(Practice(name, tuple(members), units, tuple(vocab[name])))
    return practices


@dataclass
class PracticeModel:
    """The practices as arrays for the event generator.

    ``practice_of`` is each person's practice (``-1``: none) and ``rank`` their place in
    it; members of practice ``p`` are ``members[start[p] : start[p] + size[p]]``, its
    topics ``topic_start[p] ..`` (indices into the event model's topic list).
    """

    practice_of: np.ndarray
    rank: np.ndarray
    members: np.ndarray
    start: np.ndarray
    size: np.ndarray
    topic_start: np.ndarray
    topic_len: np.ndarray
    borrow: float
    share: float = PRACTICE_SHARE

    def busy_senders(self, rng: np.random.Generator, sender: np.ndarray) -> np.ndarray:
        """Senders with a share of events handed to members, so members send more."""
        handed = np.flatnonzero(rng.random(len(sender)) < self.borrow)
        out = sender.copy()
        out[handed] = self.members[rng.integers(0, len(self.members), len(handed))]
        return out

    def choose(self, rng: np.random.Generator, sender: np.ndarray, small: np.ndarray) -> np.ndarray:
        """Each event's practice, or ``-1`` (only members' events that are not large)."""
        practice = self.practice_of[sender]
        chosen = (practice >= 0) & small & (rng.random(len(sender)) < self.share)
        return np.where(chosen, practice, -1)

    def recipients(
        self,
        rng: np.random.Generator,
        sender: np.ndarray,
        practice: np.ndarray,
        ev: np.ndarray,
        rec: np.ndarray,
        team_start: np.ndarray,
        team_size: np.ndarray,
    ) -> None:
        """Replace, in place, the recipients of practice events by other members, and
        hand :data:`AWAY` of the other messages to members to a teammate instead."""
        internal = np.flatnonzero(rec < len(self.practice_of))
        hit = internal[self.practice_of[rec[internal]] >= 0]
        hit = hit[(practice[ev[hit]] < 0) & (rng.random(len(hit)) < AWAY)]
        member = rec[hit]
        start, size = team_start[member], team_size[member]
        mate = start + (member - start + 1) % size
        # Never the sender nor another member: those messages stay as they were.
        ok = (mate != sender[ev[hit]]) & (self.practice_of[mate] < 0)
        rec[hit[ok]] = mate[ok]
        slots = np.flatnonzero(practice[ev] >= 0)
        s = sender[ev[slots]]
        p = practice[ev[slots]]
        size = self.size[p]
        # One of the other size-1 members: step 1..size-1 places after the sender.
        step = 1 + np.minimum((rng.random(len(slots)) * (size - 1)).astype(np.int64), size - 2)
        rec[slots] = self.members[self.start[p] + (self.rank[s] + step) % size]

    def topics(
        self, rng: np.random.Generator, practice: np.ndarray, topic: np.ndarray
    ) -> np.ndarray:
        """The practice's own topics on practice events, ``topic`` elsewhere."""
        sel = np.flatnonzero(practice >= 0)
        p = practice[sel]
        n = self.topic_len[p]
        pick = np.minimum((rng.random(len(sel)) * n).astype(np.int64), n - 1)
        out = topic.copy()
        out[sel] = self.topic_start[p] + pick
        return out


def build_practice_model(
    n_people: int, practices: list[Practice], topic_offset: int
) -> PracticeModel | None:
    """Arrays for ``practices``; their topics sit at ``topic_offset..`` of the topic list."""
    if not practices:
        return None
    practice_of = np.full(n_people, -1, dtype=np.int64)
    rank = np.zeros(n_people, dtype=np.int64)
    for i, practice in enumerate(practices):
        members = np.asarray(practice.members, dtype=np.int64)
        practice_of[members] = i
        rank[members] = np.arange(len(members))
    size = np.array([len(p.members) for p in practices], dtype=np.int64)
    topic_len = np.array([len(p.topics) for p in practices], dtype=np.int64)
    topic_start = topic_offset + np.concatenate([[0], np.cumsum(topic_len)[:-1]])
    return PracticeModel(
        practice_of=practice_of,
        rank=rank,
        members=np.concatenate([np.asarray(p.members, dtype=np.int64) for p in practices]),
        start=np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64),
        size=size,
        topic_start=topic_start.astype(np.int64),
        topic_len=topic_len,
        # Members send about ACTIVITY times their share of events (ignoring unit activity).
        borrow=float((ACTIVITY - 1) * size.sum() / n_people),
    )
