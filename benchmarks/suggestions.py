"""Who can help with X, asked in a person's words: precision@10 of both methods side by side.

    python benchmarks/suggestions.py                        # 700 people, 6 weeks, seed 11
    python benchmarks/suggestions.py --people 2000 --weeks 8 --seed 3

The ground truth is the synthetic bank's planted communities of practice
(``smartmoves.data.synth.practices``, recorded in ``truth.json``): asked about a
practice's craft, the ten people found should be its members. Each practice is asked
in words unlike its own topic words (``PHRASED``) and, for comparison, in its topic words
(``TOPIC_WORDS``). The profiles are the product's (``expert_profiles``: interaction
topics, skills, activities, applications), searched by ``find_experts`` with
``method="tfidf"`` and ``method="embeddings"`` (meaning fused with exact words). Needs
the ``embeddings`` extra for the second column.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

# Questions a person would ask, in words the practices' topics do not use.
PHRASED = {
    "customer retention": [
        "customers leaving the bank",
        "winning back customers who closed their accounts",
        "keeping clients from moving to another bank",
    ],
    "data quality": [
        "deduplicating customer files",
        "cleaning up inconsistent records",
        "the same client entered twice in our systems",
    ],
    "process automation": [
        "software robots for back-office tasks",
        "automating repetitive work in Excel",
        "scripts that do the copy and paste for us",
    ],
}
TOPIC_WORDS = {
    "customer retention": ["churn signals"],
    "data quality": ["duplicate records"],
    "process automation": ["rpa bots"],
}


def bank(folder: Path, people: int, weeks: int, seed: int) -> tuple[pd.DataFrame, dict]:
    """The synthetic bank's profiles and truth."""
    from smartmoves.data.analytics import person_topics
    from smartmoves.data.synth import synthesize_bank
    from smartmoves.engines.network import expert_profiles

    synthesize_bank(folder, people=people, weeks=weeks, seed=seed)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    staff = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    tables = {n: pd.read_csv(folder / f"{n}.csv") for n in ("activities", "allocations")}
    profiles = expert_profiles(
        staff,
        topics=person_topics(folder / "interactions.parquet"),
        applications=pd.read_csv(folder / "applications.csv"),
        **tables,
    )
    return profiles, truth


def precision_at_10(profiles: pd.DataFrame, truth: dict, questions: dict, method: str) -> dict:
    """Each question's share of practice members among the ten people found."""
    from smartmoves.engines.network import find_experts, profile_index

    members = {p["name"]: set(p["person_ids"]) for p in truth["communities_of_practice"]}
    index = profile_index(profiles, method=method)  # type: ignore[arg-type]
    found = {}
    for practice, asked in questions.items():
        for text in asked:
            top = find_experts(profiles, text, method=method, index=index, limit=10)  # type: ignore[arg-type]
            found[text] = len(set(top.suggestions["person_id"]) & members[practice]) / 10
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=700)
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        profiles, truth = bank(Path(folder), args.people, args.weeks, args.seed)
    print(
        f"{args.people} people, {args.weeks} weeks, seed {args.seed}: "
        f"{profiles['text'].nunique()} distinct phrases"
    )
    for title, questions in (("phrased unlike the topics", PHRASED), ("topic words", TOPIC_WORDS)):
        started = time.perf_counter()
        words = precision_at_10(profiles, truth, questions, "tfidf")
        meaning = precision_at_10(profiles, truth, questions, "embeddings")
        print(f"\n{title} ({time.perf_counter() - started:.1f} s)")
        print(f"{'question':50s} {'tfidf':>6s} {'embeddings':>11s}")
        for text in words:
            print(f"{text:50s} {words[text]:6.1f} {meaning[text]:11.1f}")
        print(
            f"{'mean precision@10':50s} {statistics.mean(words.values()):6.2f} "
            f"{statistics.mean(meaning.values()):11.2f}"
        )


if __name__ == "__main__":
    main()
