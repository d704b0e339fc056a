"""A profile index built once answers exactly as the one each suggestion builds itself.

The inputs are a synthetic bank's (``smartmoves.data.synth``): its interactions turned
into ties and topics by the named queries, its people, activities and applications
turned into profiles, as the Connect page does.
"""

from __future__ import annotations

import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartmoves.data.analytics import build_ties, person_topics
from smartmoves.data.synth import synthesize_bank
from smartmoves.engines.network import (
    ProfileIndex,
    Suggestions,
    expert_profiles,
    find_experts,
    profile_index,
    similar_challenges,
    suggest_connections,
    tie_graph,
    topic_profiles,
)
from smartmoves.engines.network._index import phrase_counts, words
from smartmoves.errors import ConfigError

TEXTS = (
    "why do customers churn?",
    "loan pricing and credit risk",
    "faster onboarding of new clients",
    "payroll",
    "nothing anyone talks about: zyzzyva",
)


@dataclasses.dataclass(frozen=True)
class Bank:
    people: pd.DataFrame
    ties: pd.DataFrame
    topics: pd.DataFrame
    profiles: pd.DataFrame
    index: ProfileIndex  # over the profiles
    topic_index: ProfileIndex  # over the topics of the network's people
    groups: pd.DataFrame  # workgroup_id, person_id: three made-up workgroups


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    folder: Path = tmp_path_factory.mktemp("bank")
    synthesize_bank(folder, people=300, weeks=3, seed=4)
    people = pd.read_csv(folder / "people.csv")
    events = folder / "interactions.parquet"
    topics = person_topics(events)
    profiles = expert_profiles(
        people,
        topics=topics,
        activities=pd.read_csv(folder / "activities.csv"),
        allocations=pd.read_csv(folder / "allocations.csv"),
        applications=pd.read_csv(folder / "applications.csv"),
    )
    ids = people["person_id"].astype(str)
    groups = pd.DataFrame(
        {"workgroup_id": np.repeat(["g1", "g2", "g3"], 5), "person_id": ids.iloc[100:115]}
    )
    return Bank(
        people,
        build_ties(events),
        topics,
        profiles,
        profile_index(profiles),
        profile_index(topic_profiles(topics, people=ids)),
        groups,
    )


def same(a: Suggestions, b: Suggestions) -> None:
    """Equal down to the last bit of every score: the JSON text and the frames alike."""
    assert json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)
    pd.testing.assert_frame_equal(a.suggestions, b.suggestions, check_exact=True)


def members_of(bank: Bank, start: int, size: int) -> list[str]:
    return bank.people["person_id"].astype(str).iloc[start : start + size].tolist()


def test_the_bank_gives_suggestions_to_compare(bank: Bank) -> None:
    # The comparisons below mean something only if there is something to compare.
    members = members_of(bank, 0, 6)
    found = suggest_connections(
        bank.ties, bank.people, members=members, about=TEXTS[0], profiles=bank.profiles
    )
    assert len(found.suggestions) > 3 and found.suggestions["score"].max() > 0
    assert len(find_experts(bank.profiles, TEXTS[1], method="tfidf").suggestions) > 3
    assert bank.index.method == "tfidf" and len(bank.index.owners) > 250


@pytest.mark.parametrize("about", [*TEXTS, None])
def test_connections_are_the_same_with_a_built_index(bank: Bank, about: str | None) -> None:
    for start in (0, 40, 200):
        asked: dict[str, Any] = {
            "members": members_of(bank, start, 5),
            "about": about,
            "profiles": bank.profiles,
        }
        built = suggest_connections(bank.ties, bank.people, **asked)
        same(built, suggest_connections(bank.ties, bank.people, **asked, index=bank.index))
    one = {"person": members_of(bank, 7, 1)[0], "about": about, "profiles": bank.profiles}
    same(
        suggest_connections(bank.ties, bank.people, **one),
        suggest_connections(bank.ties, bank.people, **one, index=bank.index),
    )


@pytest.mark.parametrize("text", TEXTS)
def test_experts_are_the_same_with_a_built_index(bank: Bank, text: str) -> None:
    exclude = members_of(bank, 0, 10)
    built = find_experts(bank.profiles, text, people=bank.people, method="tfidf", exclude=exclude)
    again = find_experts(
        bank.profiles, text, people=bank.people, method="tfidf", exclude=exclude, index=bank.index
    )
    same(built, again)


@pytest.mark.parametrize("text", TEXTS)
def test_similar_challenges_are_the_same_with_a_built_index(bank: Bank, text: str) -> None:
    asked: dict[str, Any] = {
        "members": members_of(bank, 20, 5),
        "network": bank.ties,
        "people": bank.people,
        "workgroups": bank.groups,
    }
    built = similar_challenges(bank.topics, text, **asked)
    same(built, similar_challenges(bank.topics, text, **asked, index=bank.topic_index))


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_question_gets_the_same_answer_from_a_built_index(bank: Bank, data: Any) -> None:
    ids = bank.people["person_id"].astype(str).tolist()
    members = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=8, unique=True))
    vocabulary = [str(t) for t in bank.index.terms]
    text = " ".join(data.draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=4)))
    limit = data.draw(st.integers(1, 15))
    connections: dict[str, Any] = {"members": members, "profiles": bank.profiles, "limit": limit}
    connections["about"] = data.draw(st.sampled_from([text, None]))
    same(
        suggest_connections(bank.ties, bank.people, **connections),
        suggest_connections(bank.ties, bank.people, **connections, index=bank.index),
    )
    same(
        find_experts(bank.profiles, text, method="tfidf", exclude=members, limit=limit),
        find_experts(
            bank.profiles, text, method="tfidf", exclude=members, limit=limit, index=bank.index
        ),
    )
    similar: dict[str, Any] = {"members": members, "network": bank.ties, "people": bank.people}
    same(
        similar_challenges(bank.topics, text, **similar, limit=limit),
        similar_challenges(bank.topics, text, **similar, limit=limit, index=bank.topic_index),
    )


def test_one_index_answers_several_threads_at_once(bank: Bank) -> None:
    def ask(text: str) -> str:
        found = find_experts(bank.profiles, text, method="tfidf", index=bank.index)
        return json.dumps(found.to_dict())

    alone = [ask(t) for t in TEXTS * 4]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(ask, TEXTS * 4)) == alone


def test_an_index_of_other_profiles_is_refused(bank: Bank) -> None:
    fewer = bank.profiles.iloc[1:]
    with pytest.raises(ConfigError, match="other profiles"):
        find_experts(fewer, "payroll", method="tfidf", index=bank.index)
    with pytest.raises(ConfigError, match="other profiles"):
        suggest_connections(
            bank.ties, bank.people, members=members_of(bank, 0, 3), profiles=fewer, index=bank.index
        )
    with pytest.raises(ConfigError, match="other profiles"):  # the profiles, not the topics
        similar_challenges(
            bank.topics,
            "payroll",
            members=members_of(bank, 0, 3),
            network=bank.ties,
            people=bank.people,
            index=bank.index,
        )
    changed = bank.profiles.assign(weight=bank.profiles["weight"] + 1)
    with pytest.raises(ConfigError, match="other profiles"):
        find_experts(changed, "payroll", method="tfidf", index=bank.index)


def test_an_index_must_match_the_method_and_come_without_an_encoder(bank: Bank) -> None:
    with pytest.raises(ConfigError, match="method"):
        find_experts(bank.profiles, "payroll", method="embeddings", index=bank.index)
    with pytest.raises(ConfigError, match="method"):
        find_experts(bank.profiles, "payroll", method="bm25", index=bank.index)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="encoder"):
        find_experts(
            bank.profiles,
            "payroll",
            method="tfidf",
            encoder=lambda texts: np.ones((len(texts), 2)),
            index=bank.index,
        )
    with pytest.raises(ConfigError, match="profiles"):
        suggest_connections(
            bank.ties, bank.people, members=members_of(bank, 0, 3), index=bank.index
        )
    with pytest.raises(ConfigError, match="ProfileIndex"):
        find_experts(bank.profiles, "payroll", method="tfidf", index="index")  # type: ignore[arg-type]
    # "auto" takes whichever method the index was built with.
    auto = find_experts(bank.profiles, "payroll", method="auto", index=bank.index)
    assert auto.method == "tfidf"


def test_the_index_is_frozen_and_keeps_its_own_copy(bank: Bank) -> None:
    index = profile_index(bank.profiles.copy())
    with pytest.raises(dataclasses.FrozenInstanceError):
        index.method = "embeddings"  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        index.owners[0] = "someone else"
    assert index.profiles is not bank.profiles and index.built_from(bank.profiles)


def test_the_index_shows_each_owners_words(bank: Bank) -> None:
    frame = bank.index.to_frame()
    assert list(frame.columns) == ["person_id", "term", "weight"]
    first = frame[frame["person_id"] == frame["person_id"].iloc[0]]
    assert first["weight"].is_monotonic_decreasing
    # TF-IDF rows are unit vectors: each owner's weights square-sum to one.
    norms = frame.groupby("person_id")["weight"].apply(lambda w: float((w**2).sum()))
    assert np.allclose(norms, 1.0)
    assert set(bank.index.to_dict()) == {"method", "owner", "owners", "terms"}


def test_topic_profiles_keep_the_networks_people_only(bank: Bank) -> None:
    graph = tie_graph(bank.ties, bank.people)
    some = graph.person_ids.astype(str)[:50]
    rows = topic_profiles(bank.topics, people=some)
    assert set(rows["person_id"]) <= set(some) and (rows["field"] == "topics").all()
    assert len(topic_profiles(bank.topics)) == len(bank.topics)


PHRASE_WORDS = ["churn", "customers", "customer", "the", "of", "pricing", "processes", "tax", "a"]


@settings(max_examples=60, deadline=None, database=None)
@given(
    phrases=st.lists(
        st.lists(st.sampled_from(PHRASE_WORDS), max_size=4).map(" ".join), min_size=1, max_size=8
    ),
    picks=st.lists(st.integers(0, 7), min_size=1, max_size=40),
)
def test_phrases_are_counted_as_count_vectorizer_counts_every_row(
    phrases: list[str], picks: list[int]
) -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    texts = pd.Series([phrases[p % len(phrases)] for p in picks])  # phrases repeat, as in life
    vectorizer, counts = phrase_counts(texts)
    plain = CountVectorizer(analyzer=words)
    try:
        expected = plain.fit_transform(texts.tolist())
    except ValueError:  # only stop words: nothing to count, for either
        assert counts.nnz == 0 and counts.shape[0] == len(texts)
        return
    assert vectorizer.vocabulary_ == plain.vocabulary_
    # The same arrays, in the same order: later sums add up in that order.
    for name in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(counts, name), getattr(expected, name)), name
    assert counts.dtype == expected.dtype and counts.shape == expected.shape
