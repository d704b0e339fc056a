"""Who talks to whom: the probabilities behind the interaction generator, as arrays.

Every person has a *profile* (their unit's row, or their own row if they are a planted
broker) that says where their recipients come from: their team, their unit, a partner
unit (the unit's real dependencies), a broker who bridges their unit, or an external
contact. Categorical draws for many rows at once use one ``searchsorted`` over the
profiles' cumulative probabilities laid end to end (row ``r`` shifted by ``r``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from smartmoves.data.synth.catalog import texts
from smartmoves.data.synth.org import Org
from smartmoves.data.synth.practices import Practice, PracticeModel, build_practice_model
from smartmoves.data.synth.spec import UNITS

__all__ = ["Broker", "EventModel", "build_event_model", "plant_brokers"]

TEAM, UNIT, PARTNER, BROKER, EXTERNAL = range(5)
# Colleagues in the unit come from nearby teams (a window of people around the sender),
# and each person deals with the same few people of a partner unit week after week:
# ties repeat, as they do at work, instead of everyone meeting everyone. Brokers are the
# exception: they reach anyone in the units they bridge.
UNIT_WINDOW, PARTNER_WINDOW = 40, 5
_SPREAD = 2654435761  # Knuth's multiplicative hash: spreads senders' anchors over a unit
# The first brokers exist at every size; larger banks get a few more (at most 12 in all).
_BROKERS = (
    ("U-COL", ("U-PAY", "U-CC")),
    ("U-FPA", ("U-BR-NORTH", "U-BR-METRO", "U-UW", "U-COL")),
    ("U-ITO", ("U-CC", "U-PAY", "U-HR")),
    ("U-SBA", ("U-BR-SOUTH", "U-BR-EAST", "U-UW")),
)
_MORE_BROKERS = ("U-CC", "U-UW", "U-HR", "U-PAY", "U-BR-WEST", "U-BR-NORTH", "U-ITO", "U-FPA")


@dataclass(frozen=True)
class Broker:
    """A planted cross-unit broker: a person (position) and the units they bridge."""

    person: int
    unit_id: str
    bridges: tuple[str, ...]


def plant_brokers(org: Org, rng: np.random.Generator, exclude: np.ndarray) -> list[Broker]:
    """Pick the brokers: ordinary members (not supervisors, not in ``exclude``)."""
    plan = list(_BROKERS)
    unit_ids = [u.unit_id for u in UNITS]
    for i in range(min(8, org.n // 10_000)):
        home = _MORE_BROKERS[i]
        others = [u for u in unit_ids if u != home]
        picks = rng.choice(len(others), size=3, replace=False)
        plan.append((home, tuple(others[j] for j in sorted(picks))))
    member = org.people["is_supervisor"].to_numpy() == "false"
    member[exclude] = False
    taken: set[int] = set()
    brokers = []
    for home, bridges in plan:
        row = org.unit_index(home)
        pool = [p for p in np.flatnonzero(member & (org.unit_of == row)).tolist() if p not in taken]
        if not pool:
            continue
        person = int(pool[int(rng.integers(len(pool)))])
        taken.add(person)
        brokers.append(Broker(person, home, bridges))
    return brokers


def _flat(cum: np.ndarray) -> np.ndarray:
    cum = cum / cum[:, -1:]
    return (cum + np.arange(len(cum))[:, None]).ravel()


def _pick(flat: np.ndarray, width: int, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Category per row: ``rows[i]``'s cumulative probabilities, uniform ``u[i]``."""
    return np.searchsorted(flat, rows + u, side="right") - rows * width


def _within(rng_u: np.ndarray, start: np.ndarray, size: np.ndarray) -> np.ndarray:
    return start + np.minimum((rng_u * size).astype(np.int64), size - 1)


@dataclass
class EventModel:
    n_people: int
    n_ids: int
    ids: pa.Array
    topics: pa.Array
    unit_of: np.ndarray
    profile: np.ndarray
    sender_cum: np.ndarray
    team_start: np.ndarray
    team_size: np.ndarray
    unit_start: np.ndarray
    unit_size: np.ndarray
    division_start: np.ndarray
    division_size: np.ndarray
    scope_flat: np.ndarray
    partner_flat: np.ndarray
    channel_flat: np.ndarray
    broker_start: np.ndarray
    broker_len: np.ndarray
    broker_list: np.ndarray
    ext_start: np.ndarray
    ext_len: np.ndarray
    topic_start: np.ndarray
    topic_len: np.ndarray
    general_len: int
    practices: PracticeModel | None = None

    def draw_senders(self, rng: np.random.Generator, n: int) -> np.ndarray:
        u = rng.random(n) * self.sender_cum[-1]
        return np.minimum(np.searchsorted(self.sender_cum, u, side="right"), self.n_people - 1)

    def draw_channels(self, rng: np.random.Generator, unit: np.ndarray) -> np.ndarray:
        return _pick(self.channel_flat, 4, unit, rng.random(len(unit)))

    def draw_recipients(
        self, rng: np.random.Generator, sender: np.ndarray, k: np.ndarray, mask: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """One recipient per slot (``k`` slots per event where ``mask``), never the sender."""
        idx = np.flatnonzero(mask)
        ev = np.repeat(idx, k[idx])
        s = sender[ev]
        prof = self.profile[s]
        unit = self.unit_of[s]
        m = len(ev)
        scope = _pick(self.scope_flat, 5, prof, rng.random(m))
        r = rng.random(m)
        rec = _within(r, self.team_start[s], self.team_size[s])
        sel = scope == UNIT
        lo, size = self.unit_start[unit[sel]], self.unit_size[unit[sel]]
        step = (r[sel] * UNIT_WINDOW).astype(np.int64) - UNIT_WINDOW // 2
        rec[sel] = lo + (s[sel] - lo + step) % size
        sel = scope == PARTNER
        width = len(self.unit_size)
        partner = _pick(self.partner_flat, width, prof[sel], rng.random(int(sel.sum())))
        lo, size = self.unit_start[partner], self.unit_size[partner]
        anchor = (s[sel] * _SPREAD) % size
        window = np.where(self.profile[s[sel]] >= width, size, PARTNER_WINDOW)
        rec[sel] = lo + (anchor + (r[sel] * window).astype(np.int64)) % size
        sel = scope == BROKER
        slot = _within(r[sel], self.broker_start[unit[sel]], self.broker_len[unit[sel]])
        rec[sel] = self.broker_list[slot]
        sel = scope == EXTERNAL
        ext = _within(r[sel], self.ext_start[unit[sel]], self.ext_len[unit[sel]])
        rec[sel] = self.n_people + ext
        self_pick = rec == s
        ts = self.team_start[s[self_pick]]
        rec[self_pick] = ts + (s[self_pick] - ts + 1) % self.team_size[s[self_pick]]
        return ev, rec

    def draw_blocks(
        self,
        rng: np.random.Generator,
        sender: np.ndarray,
        k: np.ndarray,
        big: np.ndarray,
        hall: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Large meetings: ``k`` consecutive people of the unit, division or bank."""
        idx = np.flatnonzero(big)
        unit = self.unit_of[sender[idx]]
        kk = k[idx]
        start = np.zeros(len(idx), dtype=np.int64)
        size = np.full(len(idx), self.n_people, dtype=np.int64)
        div = (self.division_size[unit] > kk) & ~(self.unit_size[unit] > kk)
        own = (self.unit_size[unit] > kk) & ~hall[idx]
        div |= hall[idx] & (self.division_size[unit] > kk)
        start[div], size[div] = self.division_start[unit[div]], self.division_size[unit[div]]
        start[own], size[own] = self.unit_start[unit[own]], self.unit_size[unit[own]]
        offset = (rng.random(len(idx)) * size).astype(np.int64)
        ev = np.repeat(idx, kk)
        first = np.cumsum(kk) - kk
        j = np.arange(len(ev)) - np.repeat(first, kk)
        pos = np.repeat(np.arange(len(idx)), kk)
        rec = start[pos] + (offset[pos] + j) % size[pos]
        return ev, rec

    def draw_minutes(
        self, rng: np.random.Generator, channel: np.ndarray, big: np.ndarray, hall: np.ndarray
    ) -> np.ndarray:
        n = len(channel)
        minutes = np.where(channel == 0, rng.integers(1, 9, n), rng.integers(1, 4, n))
        meeting = np.array([15, 30, 30, 45, 60, 60, 90])[rng.integers(0, 7, n)]
        call = np.array([5, 10, 10, 15, 20, 30, 45])[rng.integers(0, 7, n)]
        minutes = np.where(channel == 2, meeting, np.where(channel == 3, call, minutes))
        minutes[big] = np.maximum(minutes[big], 30)
        minutes[hall] = 60
        return minutes

    def draw_topics(self, rng: np.random.Generator, unit: np.ndarray) -> np.ndarray:
        n = len(unit)
        own = _within(rng.random(n), self.topic_start[unit], self.topic_len[unit])
        general = _within(rng.random(n), np.zeros(n, dtype=np.int64), np.full(n, self.general_len))
        return np.where(rng.random(n) < 0.2, general, own)


def build_event_model(
    org: Org, brokers: list[Broker], practices: list[Practice] | None = None
) -> EventModel:
    """The arrays :mod:`.events` draws from, for this org, its brokers and practices."""
    unit_ids = org.units["unit_id"].tolist()
    rows = len(unit_ids)
    row_of = {u: i for i, u in enumerate(unit_ids)}
    specs = {u.unit_id: u for u in UNITS}
    broker_units: dict[int, list[int]] = {}
    for b in brokers:
        for u in b.bridges:
            broker_units.setdefault(row_of[u], []).append(b.person)
    broker_len = np.array([len(broker_units.get(r, [])) for r in range(rows)], dtype=np.int64)
    broker_start = np.concatenate([[0], np.cumsum(broker_len)[:-1]]).astype(np.int64)
    broker_list = np.array([p for r in range(rows) for p in broker_units.get(r, [])] or [0])

    ext_weight = np.array(
        [
            specs[u].external * org.unit_size[i] if u in specs else 0.0
            for i, u in enumerate(unit_ids)
        ]
    )
    n_ext_target = max(20, org.n // 25)
    ext_len = np.where(
        ext_weight > 0, np.maximum(1, np.floor(ext_weight / ext_weight.sum() * n_ext_target)), 0
    ).astype(np.int64)
    ext_start = np.concatenate([[0], np.cumsum(ext_len)[:-1]]).astype(np.int64)
    n_ext = int(ext_len.sum())

    profiles = rows + len(brokers)
    scope = np.zeros((profiles, 5))
    partner = np.zeros((profiles, rows))
    channel = np.zeros((rows, 4))
    for i, u in enumerate(unit_ids):
        spec = specs.get(u)
        if spec is None:  # the bank and its divisions: the executive team
            scope[i] = [0.45, 0.0, 0.5, 0.0, 0.0]
            children = [row_of[x.unit_id] for x in UNITS if x.parent_id == u or i == 0]
            partner[i, children] = 1.0
            channel[i] = [0.45, 0.15, 0.3, 0.1]
            continue
        p_broker = 0.5 * spec.cross if broker_len[i] else 0.0
        within = 1.0 - spec.cross - spec.external
        team = 0.7 if spec.teams_collaborate else 0.55
        scope[i] = [
            within * team,
            within * (1 - team),
            spec.cross - p_broker,
            p_broker,
            spec.external,
        ]
        for other, w in spec.partners.items():
            partner[i, row_of[other]] = w
        channel[i] = [1 - spec.chat - spec.meetings - 0.07, spec.chat, spec.meetings, 0.07]
    for j, b in enumerate(brokers):
        home = row_of[b.unit_id]
        scope[rows + j] = [0.15, 0.1, 0.7, 0.0, 0.05 if ext_len[home] else 0.0]
        partner[rows + j, [row_of[u] for u in b.bridges]] = 1.0

    activity = np.array([specs[u].activity if u in specs else 1.2 for u in unit_ids])
    weight = activity[org.unit_of] * np.where(org.people["is_supervisor"] == "true", 1.5, 1.0)
    profile = org.unit_of.copy()
    for j, b in enumerate(brokers):
        weight[b.person] *= 4.0
        profile[b.person] = rows + j

    vocab = texts()["topics"]
    families = ["EXEC" if u not in specs else specs[u].family for u in unit_ids]
    order = ["general", *sorted(set(families))]
    lengths = [len(vocab[f]) for f in order]
    starts = dict(zip(order, np.concatenate([[0], np.cumsum(lengths)[:-1]]), strict=True))
    topics = [t for f in order for t in vocab[f]]
    practice_model = build_practice_model(org.n, practices or [], len(topics))
    topics += [t for p in practices or [] for t in p.topics]
    width = max(5, len(str(n_ext)))
    ids = org.people["person_id"].tolist() + [f"X{i:0{width}d}" for i in range(1, n_ext + 1)]
    return EventModel(
        n_people=org.n,
        n_ids=org.n + n_ext,
        ids=pa.array(ids, type=pa.string()),
        topics=pa.array(topics, type=pa.string()),
        unit_of=org.unit_of,
        profile=profile,
        sender_cum=np.cumsum(weight),
        team_start=org.team_start,
        team_size=org.team_size,
        unit_start=org.unit_start,
        unit_size=org.unit_size,
        division_start=org.division_start,
        division_size=org.division_size,
        scope_flat=_flat(np.cumsum(scope, axis=1)),
        partner_flat=_flat(np.cumsum(partner, axis=1)),
        channel_flat=_flat(np.cumsum(channel, axis=1)),
        broker_start=broker_start,
        broker_len=broker_len,
        broker_list=broker_list,
        ext_start=ext_start,
        ext_len=ext_len,
        topic_start=np.array([starts[f] for f in families], dtype=np.int64),
        topic_len=np.array([len(vocab[f]) for f in families], dtype=np.int64),
        general_len=len(vocab["general"]),
        practices=practice_model,
    )
