"""Planted communities of practice: recorded in truth.json, and found by the network analysis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from smartmoves.data.analytics import build_ties, person_topics
from smartmoves.data.synth import events as events_module
from smartmoves.data.synth import synthesize_bank
from smartmoves.data.synth.catalog import texts
from smartmoves.data.synth.practices import MIN_PEOPLE_FOR_PRACTICES
from smartmoves.engines.network import NetworkAnalysis, analyze_network


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("practices")
    synthesize_bank(folder, people=700, weeks=6, seed=11)
    return folder, json.loads((folder / "truth.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def analysis(planted: tuple[Path, dict[str, Any]]) -> NetworkAnalysis:
    folder, _ = planted
    events = folder / "interactions.parquet"
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    return analyze_network(build_ties(events), people, topics=person_topics(events))


def test_truth_records_practices_across_units(planted):
    folder, truth = planted
    practices = truth["communities_of_practice"]
    assert 2 <= len(practices) <= 4
    people = pd.read_csv(folder / "people.csv", dtype=str).set_index("person_id")
    unit = people["unit_id"]
    supervisors = set(people.index[people["is_supervisor"] == "true"])
    volunteers = set(truth["best_entry_point"]["volunteers"]["person_ids"])
    brokers = {b["person_id"] for b in truth["brokers"]}
    everyone: list[str] = []
    for practice in practices:
        members = practice["person_ids"]
        assert 12 <= len(members) <= 30
        shares = unit[members].value_counts(normalize=True)
        assert set(shares.index) == set(practice["units"]) and len(shares) >= 4
        assert shares.max() <= 0.35
        assert practice["members_per_unit"] == unit[members].value_counts().to_dict()
        assert set(practice["topics"]) == set(texts()["topics"][practice["name"]])
        assert not set(members) & (supervisors | volunteers | brokers)
        everyone += members
    assert len(everyone) == len(set(everyone))  # nobody in two practices


def test_members_talk_with_each_other_on_the_practice_topics(planted):
    folder, truth = planted
    events = pd.read_parquet(folder / "interactions.parquet")
    for practice in truth["communities_of_practice"]:
        members = set(practice["person_ids"])
        on_topic = events[events["topic"].isin(practice["topics"])]
        assert len(on_topic) > 50 * len(members)
        assert on_topic["sender_id"].isin(members).all()
        recipients = on_topic["recipient_ids"].str.split(";").explode()
        assert recipients.isin(members).all()
        assert on_topic["channel"].nunique() == 4  # e-mails, chats, calls, small meetings
        assert (on_topic["recipient_ids"].str.count(";") + 2).max() <= 25


def test_network_analysis_finds_each_practice_with_its_topics(planted, analysis):
    _, truth = planted
    communities = analysis.communities.set_index("community")
    community = analysis.people.set_index("person_id")["community"]
    for practice in truth["communities_of_practice"]:
        found = community.reindex(practice["person_ids"]).value_counts()
        best = int(found.index[0])
        assert found.iloc[0] >= 0.7 * len(practice["person_ids"])
        row = communities.loc[best]
        assert bool(row["practice"]) and not bool(row["suppressed"])
        assert row["size"] <= 1.5 * len(practice["person_ids"])
        assert set(practice["topics"]) & set(row["top_topics"][:3])


def test_units_still_shape_everyone_else(planted, analysis):
    folder, truth = planted
    members = {p for practice in truth["communities_of_practice"] for p in practice["person_ids"]}
    people = analysis.people.set_index("person_id")
    others = people[~people.index.isin(members) & (people["community"] >= 0)]
    unit = pd.read_csv(folder / "people.csv", dtype=str).set_index("person_id")["unit_id"]
    # For most people, their community is mostly made of their own unit.
    frame = pd.DataFrame({"community": others["community"], "unit": unit[others.index]})
    top = frame.groupby("community")["unit"].agg(lambda s: s.value_counts(normalize=True).iloc[0])
    assert float(np.mean(top[frame["community"]].to_numpy() >= 0.5)) > 0.8
    planted_practices = len(truth["communities_of_practice"])
    assert int(analysis.communities["practice"].sum()) <= planted_practices + 1


def test_events_stay_well_formed_with_practices_in_small_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(events_module, "CHUNK", 997)
    synthesize_bank(tmp_path, people=600, weeks=1, seed=4, events=20_000)
    events = pd.read_parquet(tmp_path / "interactions.parquet")
    assert len(events) == 20_000
    recipients = events["recipient_ids"].str.split(";")
    assert recipients.map(len).min() >= 1
    assert (recipients.map(len) == recipients.map(lambda r: len(set(r)))).all()
    assert not any(s in r for s, r in zip(events["sender_id"], recipients, strict=True))
    truth = json.loads((tmp_path / "truth.json").read_text("utf-8"))
    for practice in truth["communities_of_practice"]:
        on_topic = events[events["topic"].isin(practice["topics"])]
        assert len(on_topic) > 10 * len(practice["person_ids"])
        assert on_topic["sender_id"].isin(practice["person_ids"]).all()


def test_small_banks_plant_no_practices(tmp_path):
    synthesize_bank(tmp_path, people=MIN_PEOPLE_FOR_PRACTICES - 1, weeks=1, seed=2)
    truth = json.loads((tmp_path / "truth.json").read_text("utf-8"))
    assert truth["communities_of_practice"] == []
