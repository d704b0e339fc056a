"""Interaction events: metadata only, inside the window, shaped by the organization."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow.parquet as pq

from smartmoves.data.synth import events as events_module
from smartmoves.data.synth import synthesize_bank
from smartmoves.data.synth.catalog import texts
from smartmoves.data.synth.spec import START


def _long(bank) -> pd.DataFrame:
    """One row per (event, recipient), with both ends' units."""
    ev = bank.interactions()
    ev["participants"] = ev["recipient_ids"].str.count(";") + 2
    ev["recipient"] = ev["recipient_ids"].str.split(";")
    long = ev.explode("recipient")
    unit = bank.csv("people").set_index("person_id")["unit_id"]
    long["sender_unit"] = long["sender_id"].map(unit)
    long["recipient_unit"] = long["recipient"].map(unit)
    return long


def test_timestamps_fall_on_working_hours_of_weekdays_in_the_window(bank):
    ev = bank.interactions()
    assert len(ev) == bank.summary.events == bank.truth["events"]
    start = pd.Timestamp(START)
    end = start + pd.Timedelta(weeks=bank.summary.weeks)
    assert ev["timestamp"].min() >= start and ev["timestamp"].max() < end
    assert (ev["timestamp"].dt.day_of_week < 5).all()
    assert ev["timestamp"].dt.hour.between(7, 18).all()
    # Sorted within each day (each day is written in order).
    assert ev["timestamp"].is_monotonic_increasing


def test_recipients_are_distinct_non_empty_and_never_the_sender(bank):
    ev = bank.interactions()
    recipients = ev["recipient_ids"].str.split(";")
    assert recipients.map(len).min() >= 1
    assert (recipients.map(len) == recipients.map(lambda r: len(set(r)))).all()
    assert not any(s in r for s, r in zip(ev["sender_id"], recipients, strict=True))
    assert set(ev["channel"]) == {"email", "chat", "meeting", "call"}
    assert (ev["duration_minutes"] > 0).all()


def test_topics_are_short_keywords_from_the_vocabulary(bank):
    topics = set(bank.interactions()["topic"])
    vocabulary = {t for words in texts()["topics"].values() for t in words}
    assert topics <= vocabulary
    assert max(len(t) for t in topics) <= 40
    assert all(len(t.split()) <= 4 for t in topics)


def test_some_meetings_exceed_25_participants(bank):
    ev = bank.interactions()
    size = ev["recipient_ids"].str.count(";") + 2
    meetings = ev["channel"].isin(["meeting", "call"])
    large = int((meetings & (size > 25)).sum())
    assert large == bank.truth["interactions"]["meetings_over_25"]
    assert 0 < large < 0.01 * len(ev)
    assert size[meetings].median() <= 6


def test_external_contacts_appear_as_recipients_and_senders(bank):
    ev = bank.interactions()
    people = set(bank.csv("people")["person_id"])
    recipients = set(ev["recipient_ids"].str.split(";").explode())
    external = recipients - people
    assert external and all(x.startswith("X") for x in external)
    senders = set(ev["sender_id"]) - people
    assert senders and senders <= external
    assert set(ev["sender_id"]) & people == people  # everybody sends something


def test_most_contacts_stay_in_the_unit_and_the_contact_center_is_self_contained(bank):
    long = _long(bank)
    internal = long[long["recipient_unit"].notna() & (long["participants"] <= 25)]
    same = internal["sender_unit"] == internal["recipient_unit"]
    assert same.mean() > 0.6
    crossing = internal[~same]
    touches = pd.concat([crossing["sender_unit"], crossing["recipient_unit"]]).value_counts()
    volume = pd.concat([internal["sender_unit"], internal["recipient_unit"]]).value_counts()
    share = (touches / volume).fillna(0)
    assert share["U-CC"] < share["U-COL"] < share["U-ITO"]
    assert share["U-CC"] < share["U-FPA"]


def test_cross_unit_contacts_follow_real_dependencies(bank):
    long = _long(bank)
    col = long[(long["sender_unit"] == "U-COL") & long["recipient_unit"].notna()]
    partners = col.loc[col["recipient_unit"] != "U-COL", "recipient_unit"].value_counts()
    assert set(partners.index[:3]) <= {"U-PAY", "U-CC", "U-FPA", "D-FIN", "U-BANK"}
    assert partners.get("U-PAY", 0) > partners.get("U-HR", 0)


def test_planted_brokers_have_top_betweenness(bank):
    import igraph

    long = _long(bank)
    inside = long["recipient_unit"].notna() & long["sender_unit"].notna()
    ties = long[inside & (long["participants"] <= 25)]
    pairs = set(zip(ties["sender_id"], ties["recipient"], strict=True))
    graph = igraph.Graph.TupleList(pairs, directed=False).simplify()
    betweenness = pd.Series(graph.betweenness(), index=graph.vs["name"])
    unit = bank.csv("people").set_index("person_id")["unit_id"]
    overall = betweenness.rank(ascending=False)
    in_unit = betweenness.groupby(unit[betweenness.index]).rank(ascending=False)
    brokers = [b["person_id"] for b in bank.truth["brokers"]]
    assert len(brokers) >= 4
    assert (overall[brokers] <= 0.1 * graph.vcount()).all()
    assert (in_unit[brokers] <= 3).all()


def test_chunks_are_row_groups_and_change_nothing_else(tmp_path, monkeypatch):
    whole = synthesize_bank(tmp_path / "a", people=80, weeks=1, seed=5, events=3000)
    monkeypatch.setattr(events_module, "CHUNK", 250)
    chunked = synthesize_bank(tmp_path / "b", people=80, weeks=1, seed=5, events=3000)
    assert whole.events == chunked.events == 3000
    big = pq.ParquetFile(tmp_path / "a" / "interactions.parquet")
    small = pq.ParquetFile(tmp_path / "b" / "interactions.parquet")
    assert big.metadata.num_row_groups == 5  # one per working day
    assert small.metadata.num_row_groups > 5
    # The same timestamps (drawn per day); the rest is drawn per chunk.
    t1 = big.read(columns=["timestamp"]).column(0)
    t2 = small.read(columns=["timestamp"]).column(0)
    assert t1.equals(t2)
    assert (tmp_path / "a" / "units.csv").read_bytes() == (
        tmp_path / "b" / "units.csv"
    ).read_bytes()


def test_events_per_day_are_exact_and_weekday_shaped():
    counts = events_module.day_counts(1003, 2)
    assert counts.sum() == 1003 and len(counts) == 10
    assert counts[0] > counts[4]  # Mondays are busier than Fridays
    assert events_module.day_counts(3, 1).tolist() == [1, 1, 1, 0, 0]
    assert dt.date(2024, 1, 1).weekday() == 0 == START.weekday()
