"""Suggestions: experts, weak cross-silo connections, similar challenges; each says why."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from smartmoves.engines import _sentences
from smartmoves.engines.network import (
    analyze_network,
    expert_profiles,
    find_experts,
    similar_challenges,
    suggest_connections,
)
from smartmoves.errors import ConfigError, NotFound

# The workgroup w1, w2 (unit wg) knows m1, m2 (mkt); they know f1, f2 (fin) and w3 (wg).
PEOPLE = pd.DataFrame(
    {
        "person_id": ["w1", "w2", "w3", "m1", "m2", "f1", "f2", "f3"],
        "unit_id": ["wg", "wg", "wg", "mkt", "mkt", "fin", "fin", "fin"],
        "skills": [None, None, None, None, None, "payroll", "pricing analytics", "cost models"],
    }
)
TIES = pd.DataFrame(
    [("w1", "m1"), ("w2", "m2"), ("m1", "f1"), ("m1", "f2"), ("m2", "f1"), ("m1", "w3")],
    columns=["person_a", "person_b"],
).assign(weight=1.0, reciprocal=True)
TOPICS = pd.DataFrame(
    [
        ("w1", "pricing", 6),
        ("m1", "churn", 4),
        ("f1", "payroll", 9),
        ("f2", "churn analytics", 2),
        ("f3", "customer churn", 5),
    ],
    columns=["person_id", "topic", "events"],
)


@pytest.fixture
def profiles() -> pd.DataFrame:
    return expert_profiles(PEOPLE, topics=TOPICS)


def test_two_steps_away_in_other_units_ranked_by_shared_contacts() -> None:
    found = suggest_connections(TIES, PEOPLE, members=["w1", "w2"]).suggestions
    assert found["person_id"].tolist() == ["f1", "f2"]  # w3 shares the workgroup's unit
    assert found["shared_contacts"].tolist() == [2, 1]
    assert found["via"].tolist() == [["m1", "m2"], ["m1"]]
    assert found["why"].iloc[0] == (
        "two steps away through m1, m2 (2 shared contacts); works in fin, "
        "outside the workgroup's units"
    )


def test_relevance_to_a_text_comes_first(profiles) -> None:
    analysis = analyze_network(TIES, PEOPLE)
    found = suggest_connections(analysis, members=["w1", "w2"], about="pricing", profiles=profiles)
    top = found.suggestions.iloc[0]
    assert top["person_id"] == "f2" and top["matched"] == ["pricing"]
    assert top["why"].endswith("matches 'pricing' in skills")
    assert found.method == "tfidf"


def test_without_a_text_the_groups_own_profile_is_the_focus(profiles) -> None:
    found = suggest_connections(TIES, PEOPLE, person="w1", profiles=profiles).suggestions
    assert found["person_id"].tolist() == ["f2", "f1"]
    assert found["score"].iloc[0] > 0 == found["score"].iloc[1]


def test_connections_need_exactly_one_known_group() -> None:
    with pytest.raises(ConfigError):
        suggest_connections(TIES, PEOPLE)
    with pytest.raises(ConfigError):
        suggest_connections(TIES, PEOPLE, person="w1", members=["w2"])
    with pytest.raises(NotFound, match="zz"):
        suggest_connections(TIES, PEOPLE, members=["w1", "zz"])
    with pytest.raises(ConfigError, match="profiles"):
        suggest_connections(TIES, PEOPLE, person="w1", about="pricing")


def test_experts_are_ranked_and_say_where_the_words_are(profiles) -> None:
    found = find_experts(profiles, "Need help with churn analytics", people=PEOPLE, method="tfidf")
    table = found.suggestions
    assert table["person_id"].tolist()[0] == "f2"
    assert set(table["person_id"]) == {"f2", "f3", "m1"}
    assert (
        table["why"].iloc[0]
        == "matches 'analytic' in skills, interaction topics; 'churn' in interaction topics"
    )
    assert table["unit_id"].iloc[0] == "fin"
    assert table["score"].is_monotonic_decreasing
    excluded = find_experts(profiles, "churn", exclude=["f3"], method="tfidf").suggestions
    assert "f3" not in set(excluded["person_id"])
    assert find_experts(profiles, "quantum chemistry", method="tfidf").suggestions.empty
    with pytest.raises(ConfigError):
        find_experts(profiles, "  ", method="tfidf")


def test_embeddings_find_meaning_beyond_shared_words(profiles) -> None:
    def encoder(texts: list[str]) -> np.ndarray:
        # A stand-in model that knows "cost" and "pricing" are about the same thing.
        return np.array(
            [[("pricing" in t) + ("cost" in t), "payroll" in t, 0.01] for t in texts], dtype=float
        )

    lexical = find_experts(profiles, "cost", method="tfidf").suggestions
    assert lexical["person_id"].tolist() == ["f3"]
    found = find_experts(profiles, "pricing", method="embeddings", encoder=encoder)
    assert found.method == "embeddings"
    assert set(found.suggestions["person_id"].iloc[:3]) == {"f2", "f3", "w1"}
    f3 = found.suggestions.set_index("person_id").loc["f3"]
    assert f3["why"] == "close in meaning to the request (embeddings)"


def test_embeddings_without_the_extra_say_how_to_get_it(profiles, monkeypatch) -> None:
    # None in sys.modules makes the import fail exactly as when the extra is absent.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    _sentences.model_path.cache_clear()
    try:
        with pytest.raises(ConfigError, match="embeddings"):
            find_experts(profiles, "pricing", method="embeddings")
        assert find_experts(profiles, "pricing", method="auto").method == "tfidf"
    finally:
        _sentences.model_path.cache_clear()


def test_similar_challenges_nudge_people_and_workgroups_not_yet_tied() -> None:
    workgroups = pd.DataFrame(
        {"workgroup_id": ["wg-b", "wg-b", "wg-c"], "person_id": ["f2", "f3", "m2"]}
    )
    found = similar_challenges(
        TOPICS,
        "Why do customers churn?",
        members=["w1", "w2"],
        network=TIES,
        people=PEOPLE,
        workgroups=workgroups,
    ).suggestions
    assert found[["kind", "id"]].values.tolist() == [
        ["person", "f3"],
        ["workgroup", "wg-b"],
        ["person", "f2"],
    ]  # m1 talks churn but already knows w1; wg-c's m2 knows w2
    assert found["why"].iloc[1] == (
        "its members' recent topics match the problem: 'customer', 'churn'; "
        "no tie between the two workgroups yet"
    )
    assert found["score"].is_monotonic_decreasing


def test_suggestions_serialize(profiles) -> None:
    out = find_experts(profiles, "payroll", method="tfidf").to_dict()
    assert out["kind"] == "experts" and out["query"]["text"] == "payroll"
    assert out["suggestions"][0]["person_id"] == "f1"


def test_profiles_gather_topics_skills_activities_and_applications() -> None:
    activities = pd.DataFrame(
        {
            "activity_id": ["A1", "A2"],
            "name": ["Invoice matching", "Fraud review"],
            "skill": ["", "forensics"],
        }
    )
    allocations = pd.DataFrame(
        {
            "person_id": ["f1", "f2", "ghost"],
            "activity_id": ["A1", "A2", "A2"],
            "hours_per_week": [20, 0.5, 8],
        }
    )
    applications = pd.DataFrame(
        {"person_id": ["w3"], "problem": ["Claims take too long"], "why": ["Customers wait weeks"]}
    )
    profiles = expert_profiles(
        PEOPLE,
        topics=TOPICS,
        activities=activities,
        allocations=allocations,
        applications=applications,
    )
    assert set(profiles["field"]) == {"topics", "skills", "activities", "applications"}
    assert "ghost" not in set(profiles["person_id"])  # only people of the people table
    f2 = profiles[(profiles["person_id"] == "f2") & (profiles["field"] == "activities")]
    assert f2[["text", "weight"]].values.tolist() == [["Fraud review (forensics)", 0.5]]
    found = find_experts(profiles, "forensics and fraud", method="tfidf").suggestions
    assert found["person_id"].tolist() == ["f2"]
    assert found["why"].iloc[0] == "matches 'forensic' in activities; 'fraud' in activities"
    claims = find_experts(profiles, "long claims", method="tfidf").suggestions
    assert claims["person_id"].tolist() == ["w3"] and "application" in claims["why"].iloc[0]
