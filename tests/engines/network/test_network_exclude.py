"""People who asked not to be suggested never are, and nothing else changes; every
matched word says which fields hold it.

Random small organizations (hypothesis): whatever the ties, units and topics, excluding
people takes exactly them out of the answer, and the others keep their rank order, their
shared contacts, the contacts in between and their reasons.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.engines._common import json_ready
from smartmoves.engines.network import (
    expert_profiles,
    find_experts,
    similar_challenges,
    suggest_connections,
)
from smartmoves.engines.network._index import words

WORDS = ["pricing", "churn", "payroll", "invoices", "credit", "onboarding"]


@st.composite
def organizations(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(3, 12))
    ids = [f"p{i:02d}" for i in range(n)]
    units = draw(st.lists(st.sampled_from(["u1", "u2", "u3"]), min_size=n, max_size=n))
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1])
    ties = draw(st.lists(pairs, min_size=1, max_size=3 * n, unique_by=lambda p: frozenset(p)))
    topic_rows = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(WORDS), st.integers(1, 9)),
            min_size=1,  # similar_challenges needs some topics (the pathway asks only then)
            max_size=2 * n,
            unique_by=lambda r: r[:2],
        )
    )
    skills = draw(st.lists(st.sampled_from([None, *WORDS]), min_size=n, max_size=n))
    return {
        "ids": ids,
        "people": pd.DataFrame({"person_id": ids, "unit_id": units, "skills": skills}),
        "ties": pd.DataFrame(ties, columns=["person_a", "person_b"]).assign(weight=1.0),
        "topics": pd.DataFrame(topic_rows, columns=["person_id", "topic", "events"]),
        "person": draw(st.sampled_from(ids)),
        "excluded": draw(st.lists(st.sampled_from(ids), max_size=n, unique=True)),
    }


def _without(frame: pd.DataFrame, key: str, excluded: list[str]) -> pd.DataFrame:
    """The answer as it would be with ``excluded`` taken out afterwards, ranked again."""
    kept = frame[~frame[key].isin(excluded)].drop(columns="rank").reset_index(drop=True)
    kept.insert(0, "rank", range(1, len(kept) + 1))
    return kept


@settings(max_examples=30, deadline=None, database=None)
@given(org=organizations(), with_profiles=st.booleans())
def test_excluded_people_are_taken_out_of_whom_to_meet_and_nothing_else(
    org: dict[str, Any], with_profiles: bool
) -> None:
    profiles = expert_profiles(org["people"], topics=org["topics"]) if with_profiles else None
    if profiles is not None and profiles.empty:
        profiles = None
    asked: dict[str, Any] = {"person": org["person"], "profiles": profiles, "limit": 50}
    everyone = suggest_connections(org["ties"], org["people"], **asked).suggestions
    found = suggest_connections(
        org["ties"], org["people"], **asked, exclude=org["excluded"]
    ).suggestions
    assert not set(found["person_id"]) & set(org["excluded"])
    expected = _without(everyone, "person_id", org["excluded"])
    assert json_ready(found) == json_ready(expected)
    for terms, where in zip(found["matched"], found["matched_in"], strict=True):
        assert list(where) == terms and all(where[w] for w in terms)


@settings(max_examples=30, deadline=None, database=None)
@given(org=organizations(), problem=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
def test_excluded_people_are_not_named_for_a_similar_challenge(
    org: dict[str, Any], problem: list[str]
) -> None:
    text = " ".join(problem)
    asked: dict[str, Any] = {
        "members": [org["person"]],
        "network": org["ties"],
        "people": org["people"],
        "limit": 50,
    }
    everyone = similar_challenges(org["topics"], text, **asked).suggestions
    found = similar_challenges(org["topics"], text, **asked, exclude=org["excluded"]).suggestions
    assert not set(found["id"]) & set(org["excluded"])
    expected = _without(everyone, "id", org["excluded"])
    assert json_ready(found) == json_ready(expected)


@settings(max_examples=20, deadline=None, database=None)
@given(org=organizations(), problem=st.sampled_from(WORDS))
def test_a_workgroup_of_excluded_people_alone_is_never_suggested(
    org: dict[str, Any], problem: str
) -> None:
    others = [p for p in org["ids"] if p != org["person"]]
    groups = pd.DataFrame({"workgroup_id": "g", "person_id": others})
    found = similar_challenges(
        org["topics"],
        problem,
        members=[org["person"]],
        network=org["ties"],
        people=org["people"],
        workgroups=groups,
        exclude=others,
        min_score=0.0,
    ).suggestions
    assert found.empty


@settings(max_examples=30, deadline=None, database=None)
@given(org=organizations(), text=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
def test_every_expert_says_which_fields_hold_each_matched_word(
    org: dict[str, Any], text: list[str]
) -> None:
    profiles = expert_profiles(org["people"], topics=org["topics"])
    if profiles.empty:
        return
    found = find_experts(profiles, " ".join(text), method="tfidf", exclude=org["excluded"])
    rows = found.suggestions
    assert not set(rows["person_id"]) & set(org["excluded"])
    found_rows = zip(rows["person_id"], rows["matched"], rows["matched_in"], strict=True)
    for person, terms, where in found_rows:
        assert list(where) == terms
        own = profiles[profiles["person_id"] == person]
        for word, fields in where.items():
            # Each field named holds the word in that person's own rows, and no other does.
            pairs = zip(own["field"], own["text"], strict=True)
            holding = {f for f, t in pairs if word in words(t)}
            assert set(fields) == holding
