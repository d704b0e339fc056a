"""Per-person figures: strong and weak ties, betweenness, Burt's constraint.

Burt's constraint is computed in ``_constraint`` (from the tie arrays, bounded by work
as betweenness is) and re-exported here with the other per-person figures.

Betweenness walks the whole graph once per source person, so its cost is sources times
the size of the graph, whatever the number of people alone. It is exact (Brandes, via
igraph) when walking from everyone fits in ``work_limit`` steps; above, it is estimated
from as many source people as fit (at least ``min_samples``), drawn uniformly without
replacement: the dependencies of the sampled sources, scaled by ``n / samples``, are an
unbiased estimate of exact betweenness (Brandes & Pich 2007). ``docs/network.md`` gives
the error measured against exact betweenness and what the steps cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from smartmoves.engines.network._constraint import (
    CONSTRAINT_MIN_TIES,
    CONSTRAINT_WORK_LIMIT,
    constraint,
    constraint_ties_kept,
    constraint_work,
)
from smartmoves.engines.network._ties import TieGraph

if TYPE_CHECKING:
    import igraph

# One walk from a source visits every person and every tie once. Measured here with
# igraph (benchmarks/network_sizes.py --calibrate), a person costs about as much as 30
# ties (its queue, stack and path counts), so a walk is `ties + PERSON_STEPS * people`
# steps, and a step takes about 8 ns on one core.
PERSON_STEPS = 32

# About 45 s of betweenness on one core here: exact for the demo's 2,000 people (7e8
# steps), sampled for 20,000 people with 4 million ties (exact would be 1e11 steps).
BETWEENNESS_WORK_LIMIT = 6_000_000_000

# Fewer sources than this make the ranking of brokers too noisy to show (docs/network.md).
BETWEENNESS_MIN_SAMPLES = 250

__all__ = [
    "BETWEENNESS_MIN_SAMPLES",
    "BETWEENNESS_WORK_LIMIT",
    "CONSTRAINT_MIN_TIES",
    "CONSTRAINT_WORK_LIMIT",
    "PERSON_STEPS",
    "betweenness",
    "betweenness_sources",
    "betweenness_steps",
    "constraint",
    "constraint_ties_kept",
    "constraint_work",
    "strong_tie_counts",
    "tie_percentile",
]


def _lerp(low: np.ndarray, high: np.ndarray, t: np.ndarray) -> np.ndarray:
    # numpy's own interpolation for percentiles, so that ours agree to the last bit.
    diff = high - low
    return np.where(t >= 0.5, high - diff * (1 - t), low + diff * t)


def _by_owner_then_weight(owner: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The order of ``np.lexsort((weight, owner))``, up to equal weights of one owner,
    in a third of the time on millions of ties: sort by weight, then stably by owner
    16 bits at a time (numpy's stable sort of 16-bit keys is a radix sort)."""
    order = np.argsort(weight)
    for shift in range(0, max(int(owner.max(initial=0)).bit_length(), 1), 16):
        digit = ((owner[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
    return order


def tie_percentile(graph: TieGraph, percentile: float) -> tuple[np.ndarray, np.ndarray]:
    """Each person's ``percentile`` of their tie weights (numpy's linear method).

    Returns ``(threshold, owner)``: the per-person thresholds (NaN for people without
    ties), and the person owning each tie end (ends ``a`` first, then ends ``b``).

    Examples
    --------
    >>> import pandas as pd
    >>> from smartmoves.engines.network._ties import tie_graph
    >>> people = pd.DataFrame({"person_id": list("abcd"), "unit_id": "u"})
    >>> ties = pd.DataFrame({"person_a": list("aaa"), "person_b": list("bcd"),
    ...                      "weight": [1.0, 2.0, 4.0]})
    >>> threshold, _ = tie_percentile(tie_graph(ties, people), 75)
    >>> threshold.tolist()
    [3.0, 1.0, 2.0, 4.0]
    """
    owner = np.concatenate([graph.a, graph.b])
    weight = np.concatenate([graph.weight, graph.weight])
    order = _by_owner_then_weight(owner, weight)
    sorted_weight = weight[order]
    count = np.bincount(owner, minlength=graph.n)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    has = count > 0
    position = (count[has] - 1) * (percentile / 100.0)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, count[has] - 1)
    threshold = np.full(graph.n, np.nan)
    threshold[has] = _lerp(
        sorted_weight[start[has] + below], sorted_weight[start[has] + above], position - below
    )
    return threshold, owner


def strong_tie_counts(graph: TieGraph, percentile: float = 75.0) -> np.ndarray:
    """Per person: ties that are reciprocal and at least their ``percentile`` weight."""
    threshold, owner = tie_percentile(graph, percentile)
    weight = np.concatenate([graph.weight, graph.weight])
    reciprocal = np.concatenate([graph.reciprocal, graph.reciprocal])
    strong = reciprocal & (weight >= threshold[owner])
    return np.bincount(owner[strong], minlength=graph.n).astype(np.int64)


def betweenness_steps(people: int, ties: int) -> int:
    """Steps of one walk from a source person: every tie, and every person at
    :data:`PERSON_STEPS` ties.

    >>> betweenness_steps(2_000, 350_000)
    414000
    """
    return ties + PERSON_STEPS * people


def betweenness_sources(people: int, ties: int, *, work_limit: int, min_samples: int) -> int:
    """How many people betweenness walks from: everyone when that fits in ``work_limit``
    steps, else as many as fit, but at least ``min_samples`` (and at most everyone).

    >>> limit = dict(work_limit=6_000_000_000, min_samples=250)
    >>> betweenness_sources(2_000, 350_000, **limit)  # the demo: exact
    2000
    >>> betweenness_sources(20_000, 4_250_000, **limit)  # 20,000 people, 13 M events
    1226
    >>> betweenness_sources(100_000, 400_000_000, **limit)  # never fewer than the floor
    250
    """
    steps = betweenness_steps(people, ties)
    if people * steps <= work_limit:
        return people
    return min(people, max(min_samples, work_limit // steps))


def betweenness(
    graph: igraph.Graph, *, work_limit: int, min_samples: int, seed: int
) -> tuple[np.ndarray, dict[str, Any]]:
    """Unweighted betweenness, normalized by ``(n - 1)(n - 2) / 2`` pairs.

    Returns the values and how they were computed: ``method`` (exact or sampled),
    ``samples`` (sources walked from when sampled) and ``steps`` (the work it took).

    >>> import igraph
    >>> values, how = betweenness(igraph.Graph.Star(5), work_limit=10**6, min_samples=1,
    ...                           seed=0)
    >>> values.round(3).tolist(), how["method"]
    ([1.0, 0.0, 0.0, 0.0, 0.0], 'exact')
    """
    n = graph.vcount()
    walk = betweenness_steps(n, graph.ecount())
    k = betweenness_sources(n, graph.ecount(), work_limit=work_limit, min_samples=min_samples)
    steps = k * walk
    # Sampling every source (a floor above the head count) gives the exact values too.
    if n * walk <= work_limit:
        raw = np.asarray(graph.betweenness(directed=False), dtype=np.float64)
        method: dict[str, Any] = {"method": "exact", "samples": None, "steps": steps}
    else:
        rng = np.random.default_rng(seed)
        sources = np.sort(rng.choice(n, size=k, replace=False))
        raw = np.asarray(
            graph.betweenness(directed=False, sources=sources.tolist()), dtype=np.float64
        )
        raw *= n / k
        method = {"method": "sampled", "samples": int(k), "steps": steps}
    pairs = (n - 1) * (n - 2) / 2
    return (raw / pairs if pairs > 0 else np.zeros(n)), method
