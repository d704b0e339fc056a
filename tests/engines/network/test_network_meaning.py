"""Who can help, by meaning: questions in a person's words find the synthetic bank's
planted communities of practice, far better than exact words; the fused ranking's
properties hold on random profiles."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.data.analytics import person_topics
from smartmoves.data.synth import synthesize_bank
from smartmoves.engines.network import (
    diversified,
    expert_profiles,
    find_experts,
    profile_index,
    sentence_encoder,
)

# Asked in words unlike the practices' topics ("churn signals", "duplicate records",
# "rpa bots"...): what a person who does not know those words would type.
QUESTIONS = {
    "customer retention": [
        "customers leaving the bank",
        "winning back customers who closed their accounts",
    ],
    "data quality": [
        "the same client entered twice in our systems",
        "deduplicating customer files",
    ],
    "process automation": [
        "software robots for back-office tasks",
        "scripts that do the copy and paste for us",
    ],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, dict[str, Any]]:
    folder: Path = tmp_path_factory.mktemp("bank")
    synthesize_bank(folder, people=700, weeks=6, seed=11)
    truth = json.loads((folder / "truth.json").read_text("utf-8"))
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    profiles = expert_profiles(
        people,
        topics=person_topics(folder / "interactions.parquet"),
        activities=pd.read_csv(folder / "activities.csv"),
        allocations=pd.read_csv(folder / "allocations.csv"),
        applications=pd.read_csv(folder / "applications.csv"),
    )
    return profiles, truth


def _precision(profiles: pd.DataFrame, truth: dict[str, Any], method: str) -> float:
    members = {p["name"]: set(p["person_ids"]) for p in truth["communities_of_practice"]}
    index = profile_index(profiles, method=method)  # type: ignore[arg-type]
    found = []
    for practice, asked in QUESTIONS.items():
        for text in asked:
            top = find_experts(profiles, text, method=method, index=index)  # type: ignore[arg-type]
            assert top.method == method
            found.append(len(set(top.suggestions["person_id"]) & members[practice]) / 10)
    return statistics.mean(found)


def test_questions_in_other_words_find_the_practices_by_meaning(bank) -> None:
    if sentence_encoder() is None:
        pytest.skip("the embeddings extra is not installed")
    profiles, truth = bank
    words = _precision(profiles, truth, "tfidf")
    meaning = _precision(profiles, truth, "embeddings")
    assert words <= 0.3  # exact words miss what is asked in other words
    assert meaning >= 0.7
    assert meaning >= words + 0.4


def test_a_reason_quotes_the_phrase_that_answers(bank) -> None:
    if sentence_encoder() is None:
        pytest.skip("the embeddings extra is not installed")
    profiles, truth = bank
    index = profile_index(profiles, method="embeddings")
    retention = set(
        next(p for p in truth["communities_of_practice"] if "retention" in p["name"])["person_ids"]
    )
    top = find_experts(profiles, "winning back customers who closed their accounts", index=index)
    first = top.suggestions.iloc[0]
    assert first["person_id"] in retention
    phrase, fields = index.closest(
        index.position(first["person_id"]),
        index.phrase_scores("winning back customers who closed their accounts"),
    )
    assert phrase in {"churn signals", "win-back offers", "retention playbook"}
    assert fields == ["topics"]


# A stand-in model: each text points along the themes whose words it holds.
THEMES = (("churn", "leave", "retention"), ("tax", "vat"), ("robot", "macro"), ("duplicate",))


def _encoder(texts: list[str]) -> np.ndarray:
    return np.array(
        [[sum(w in t for w in theme) for theme in THEMES] + [0.05] for t in texts], dtype=float
    )


PHRASES = [
    "churn signals",
    "leave reasons",
    "tax filing",
    "vat returns",
    "macro library",
    "robot scripts",
    "duplicate rows",
    "team meeting",
]
profile_rows = st.lists(
    st.tuples(st.integers(0, 11), st.sampled_from(PHRASES), st.integers(1, 9)),
    min_size=1,
    max_size=40,
)


def _profiles(rows: list[tuple[int, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(f"p{o:02d}", "topics", text, float(w)) for o, text, w in rows],
        columns=["person_id", "field", "text", "weight"],
    )


@settings(max_examples=40, deadline=None)
@given(
    rows=profile_rows, question=st.sampled_from(["customers leave", "vat", "robot", "churn tax"])
)
def test_better_in_meaning_and_in_words_ranks_higher(rows, question) -> None:
    profiles = _profiles(rows)
    index = profile_index(profiles, method="embeddings", encoder=_encoder)
    meaning = index.meaning.scores(index.meaning.likeness(question))
    words = np.asarray((index.documents @ index.query_vector(question).T).todense()).ravel()
    scores = index.scores(question)
    for a in range(len(index.owners)):
        for b in range(len(index.owners)):
            if meaning[a] >= meaning[b] and words[a] >= words[b]:
                assert scores[a] >= scores[b] - 1e-12


@settings(max_examples=40, deadline=None)
@given(rows=profile_rows, skip=st.sets(st.integers(0, 11), max_size=4))
def test_excluding_people_leaves_the_others_order(rows, skip) -> None:
    profiles = _profiles(rows)
    index = profile_index(profiles, method="embeddings", encoder=_encoder)
    everyone = find_experts(profiles, "customers leave", index=index, method="embeddings", limit=50)
    excluded = {f"p{s:02d}" for s in skip}
    fewer = find_experts(
        profiles, "customers leave", index=index, method="embeddings", limit=50, exclude=excluded
    )
    kept = [p for p in everyone.suggestions["person_id"] if p not in excluded]
    assert fewer.suggestions["person_id"].tolist() == kept
    again = profile_index(profiles, method="embeddings", encoder=_encoder)
    assert np.array_equal(again.scores("customers leave"), index.scores("customers leave"))


@settings(max_examples=60, deadline=None)
@given(
    units=st.lists(st.sampled_from("abcd"), max_size=30),
    limit=st.integers(1, 12),
    per_unit=st.integers(1, 4),
)
def test_a_diverse_list_keeps_rank_order_within_a_unit_and_caps_each_unit_first(
    units, limit, per_unit
) -> None:
    shown = diversified(units, limit, per_unit)
    assert len(shown) == min(limit, len(units)) and len(set(shown)) == len(shown)
    for unit in set(units):  # a unit's own people keep their order
        mine = [p for p in shown if units[p] == unit]
        assert mine == sorted(mine)
    # A unit goes past per_unit only when no other unit has anyone left to show.
    counts: dict[str, int] = {}
    for p in shown:
        counts[units[p]] = counts.get(units[p], 0) + 1
        if counts[units[p]] > per_unit:
            left = [q for q in range(len(units)) if q not in shown]
            assert all(sum(units[s] == units[q] for s in shown) >= per_unit for q in left)
