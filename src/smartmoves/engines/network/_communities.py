"""Communities: Leiden on modularity, best of several seeded runs; and which cut across units.

One Leiden run (two iterations, the algorithm's customary setting) depends on its
random seed. We run it ``runs`` times with seeds drawn from ``seed`` and keep the
partition with the highest modularity, so the result hardly
moves from one ``seed`` to the next. Communities are numbered by size (largest first,
then by their first person in the people table), so the numbers are stable too. People
without ties belong to no community.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from smartmoves.engines.network._ties import TieGraph

if TYPE_CHECKING:
    import igraph

__all__ = ["LEIDEN_RUNS", "LEIDEN_WORK", "best_partition", "community_table", "leiden_runs_for"]

# Ten runs make the best partition hardly move from seed to seed; a run walks every tie a
# few times, about 1 s a million ties here. Past 5 million ties, fewer runs keep the
# communities within about a minute; past 50 million a single run (on such graphs the
# runs' modularity differs in the third decimal: docs/network.md).
LEIDEN_RUNS = 10
LEIDEN_WORK = 50_000_000


def leiden_runs_for(ties: int) -> int:
    """How many Leiden runs a graph of ``ties`` gets by default.

    >>> leiden_runs_for(350_000), leiden_runs_for(20_000_000), leiden_runs_for(30_000_000)
    (10, 2, 1)
    """
    return int(min(LEIDEN_RUNS, max(1, LEIDEN_WORK // max(ties, 1))))


def _canonical(membership: np.ndarray) -> np.ndarray:
    """Relabel 0.. by size (desc), then first member; singletons become -1."""
    labels, first, sizes = np.unique(membership, return_index=True, return_counts=True)
    order = np.lexsort((first, -sizes))
    new_label = np.full(len(labels), -1, dtype=np.int64)
    kept = order[sizes[order] >= 2]
    new_label[kept] = np.arange(len(kept))
    position = np.searchsorted(labels, membership)
    return new_label[position]


def best_partition(
    graph: igraph.Graph,
    *,
    runs: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, float]:
    """The best-modularity Leiden partition of ``runs`` seeded runs, and its modularity.

    Weights are the ``weight`` edge attribute. Returns labels ``-1`` (no community) or
    ``0..k-1``, and NaN modularity when the graph has no weight at all. ``progress(run)``
    is called before each run (1-based).
    """
    import igraph

    n = graph.vcount()
    weights = graph.es["weight"] if graph.ecount() else []
    if n == 0 or float(np.sum(weights)) <= 0:
        return np.full(n, -1, dtype=np.int64), float("nan")
    run_seeds = np.random.default_rng(seed).integers(0, 2**31 - 1, size=runs)
    best: list[int] | None = None
    best_quality = -np.inf
    try:
        for run, run_seed in enumerate(run_seeds, start=1):
            if progress is not None:
                progress(run)
            # igraph draws from a process-wide generator; give it ours for this run only.
            igraph.set_random_number_generator(random.Random(int(run_seed)))
            found = graph.community_leiden(
                objective_function="modularity", weights="weight", n_iterations=2
            )
            quality = graph.modularity(found.membership, weights="weight")
            if quality > best_quality:
                best, best_quality = list(found.membership), quality
    finally:
        igraph.set_random_number_generator(random)
    assert best is not None
    return _canonical(np.asarray(best, dtype=np.int64)), float(best_quality)


def community_table(
    graph: TieGraph,
    membership: np.ndarray,
    *,
    min_group_size: int,
    practice_max_unit_share: float,
    topics: pd.DataFrame | None,
    top: int = 5,
) -> pd.DataFrame:
    """One row per community with its units, top topics, and whether it is a practice.

    A community of practice draws its members from several units, none holding more
    than ``practice_max_unit_share`` of them. Communities smaller than ``min_group_size``
    are ``suppressed``: only their number and size show.
    """
    columns = [
        "community",
        "size",
        "units",
        "largest_unit_share",
        "top_units",
        "top_topics",
        "practice",
        "suppressed",
    ]
    member = membership >= 0
    if not member.any():
        return pd.DataFrame(columns=columns)
    k = int(membership.max()) + 1
    sizes = np.bincount(membership[member], minlength=k)
    pairs = pd.DataFrame({"community": membership[member], "unit": graph.unit_of[member]})
    per_unit = pairs.value_counts().rename("people").reset_index()
    per_unit["unit_id"] = graph.unit_ids[per_unit["unit"].to_numpy()]
    per_unit = per_unit.sort_values(
        ["community", "people", "unit_id"], ascending=[True, False, True]
    )
    grouped = per_unit.groupby("community", sort=True)
    units = grouped.size().reindex(range(k)).to_numpy()
    largest = grouped["people"].max().reindex(range(k)).to_numpy() / sizes
    top_units = grouped["unit_id"].agg(lambda s: list(s.iloc[:3])).reindex(range(k))
    top_topics = _top_topics(graph, membership, topics, k, top)
    suppressed = sizes < min_group_size
    table = pd.DataFrame(
        {
            "community": np.arange(k),
            "size": sizes,
            "units": pd.array(units, dtype="Int64"),
            "largest_unit_share": largest,
            "top_units": top_units.to_numpy(),
            "top_topics": top_topics,
            "practice": (units >= 2) & (largest <= practice_max_unit_share) & ~suppressed,
            "suppressed": suppressed,
        }
    )
    table.loc[suppressed, "units"] = pd.NA
    table.loc[suppressed, "largest_unit_share"] = np.nan
    for column in ("top_units", "top_topics"):
        table[column] = [None if s else v for s, v in zip(suppressed, table[column], strict=True)]
    return table


def _top_topics(
    graph: TieGraph, membership: np.ndarray, topics: pd.DataFrame | None, k: int, top: int
) -> list[list[str]]:
    if topics is None or topics.empty:
        return [[] for _ in range(k)]
    person = pd.Index(graph.person_ids).get_indexer(topics["person_id"].astype(str))
    known = person >= 0
    community = np.where(known, membership[np.where(known, person, 0)], -1)
    frame = pd.DataFrame(
        {
            "community": community,
            "topic": topics["topic"].astype(str).to_numpy(),
            "events": pd.to_numeric(topics["events"]).to_numpy(),
        }
    )
    frame = frame[frame["community"] >= 0]
    summed = frame.groupby(["community", "topic"])["events"].sum().reset_index()
    summed = summed.sort_values(["community", "events", "topic"], ascending=[True, False, True])
    best = summed.groupby("community")["topic"].agg(lambda s: list(s.iloc[:top]))
    return [list(best.get(c, [])) for c in range(k)]
