"""Per-person figures: strong and weak ties, betweenness, Burt's constraint.

Betweenness is exact (Brandes, via igraph) up to ``exact_limit`` people. Above it, it is
estimated from ``samples`` source people drawn uniformly without replacement: the
dependencies of the sampled sources, scaled by ``n / samples``, are an unbiased estimate
of exact betweenness (Brandes & Pich 2007). ``docs/network.md`` gives the error measured
against exact betweenness.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from smartmoves.engines.network._ties import TieGraph

if TYPE_CHECKING:
    import igraph

__all__ = [
    "betweenness",
    "betweenness_sources",
    "constraint",
    "strong_tie_counts",
    "tie_percentile",
]


def _lerp(low: np.ndarray, high: np.ndarray, t: np.ndarray) -> np.ndarray:
    # numpy's own interpolation for percentiles, so that ours agree to the last bit.
    diff = high - low
    return np.where(t >= 0.5, high - diff * (1 - t), low + diff * t)


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
    order = np.lexsort((weight, owner))
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


def betweenness_sources(people: int, *, exact_limit: int, samples: int) -> int:
    """How many people betweenness walks from: everyone up to ``exact_limit``, else a sample.

    >>> betweenness_sources(300, exact_limit=1_000, samples=50), betweenness_sources(
    ...     3_000, exact_limit=1_000, samples=50)
    (300, 50)
    """
    return people if people <= exact_limit else min(samples, people)


def betweenness(
    graph: igraph.Graph, *, exact_limit: int, samples: int, seed: int
) -> tuple[np.ndarray, dict[str, Any]]:
    """Unweighted betweenness, normalized by ``(n - 1)(n - 2) / 2`` pairs.

    Returns the values and how they were computed (``method``, ``samples``).
    """
    n = graph.vcount()
    if n <= exact_limit:
        raw = np.asarray(graph.betweenness(directed=False), dtype=np.float64)
        method: dict[str, Any] = {"method": "exact", "samples": None}
    else:
        k = betweenness_sources(n, exact_limit=exact_limit, samples=samples)
        rng = np.random.default_rng(seed)
        sources = np.sort(rng.choice(n, size=k, replace=False))
        raw = np.asarray(
            graph.betweenness(directed=False, sources=sources.tolist()), dtype=np.float64
        )
        raw *= n / k
        method = {"method": "sampled", "samples": int(k)}
    pairs = (n - 1) * (n - 2) / 2
    return (raw / pairs if pairs > 0 else np.zeros(n)), method


def constraint(graph: igraph.Graph) -> np.ndarray:
    """Burt's constraint with tie weights; NaN for people without ties."""
    if graph.vcount() == 0:
        return np.zeros(0)
    values = np.asarray(graph.constraint(weights="weight"), dtype=np.float64)
    values[np.asarray(graph.degree()) == 0] = np.nan
    return values
