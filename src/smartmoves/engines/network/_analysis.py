"""``analyze_network``: every person, unit, broker and community figure in one result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult, check_seed, json_ready
from smartmoves.engines.network._centrality import (
    BETWEENNESS_MIN_SAMPLES,
    BETWEENNESS_WORK_LIMIT,
    CONSTRAINT_WORK_LIMIT,
    constraint,
    strong_tie_counts,
)
from smartmoves.engines.network._communities import (
    best_partition,
    community_table,
    leiden_runs_for,
)
from smartmoves.engines.network._second_core import BackgroundBetweenness, default_workers
from smartmoves.engines.network._ties import TieGraph, tie_graph
from smartmoves.engines.network._units import unit_figures
from smartmoves.errors import ConfigError, NotFound

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["NetworkAnalysis", "Progress", "analyze_network"]

# ``progress(stage, done, total)``: what is being computed, and how far along it is.
Progress = Callable[[str, int, int], None]

PERSON_COLUMNS = [
    "person_id",
    "unit_id",
    "degree",
    "strength",
    "strong_ties",
    "weak_ties",
    "external_share",
    "betweenness",
    "constraint",
    "community",
    "units_reached",
    "external_contacts",
]
AGGREGATE_KEYS = ("units", "communities", "unit_matrix", "parameters", "summary")


@dataclass(frozen=True, eq=False)
class NetworkAnalysis(EngineResult):
    """Network figures of an organization.

    Person-level tables (``people``, ``brokers``) are for the person themselves and for
    admins only: interfaces should hand others :meth:`units_view`, and a person
    :meth:`for_person`. Suppression of small units and communities is already applied.

    Attributes
    ----------
    people
        One row per person: ``person_id, unit_id, degree, strength, strong_ties,
        weak_ties, external_share, betweenness, constraint, community, units_reached,
        external_contacts``.
    units
        One row per unit: ``unit_id, size, internal_ties, external_ties, ei_index,
        external_weight_share`` (interdependence)``, top_partners, suppressed``.
    brokers
        People whose ties reach at least two other units, ranked by betweenness.
    communities
        One row per community; ``practice`` marks communities of practice.
    unit_matrix
        Ties and weight between each pair of unsuppressed units (long form).
    parameters, summary
        The options used, and counts (people, ties, external contacts...).
    graph
        The coded ties, for suggestions; not part of :meth:`to_dict`.
    """

    people: pd.DataFrame
    units: pd.DataFrame
    brokers: pd.DataFrame
    communities: pd.DataFrame
    unit_matrix: pd.DataFrame
    parameters: dict[str, Any]
    summary: dict[str, Any]
    graph: TieGraph = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """``people, units, brokers, communities, unit_matrix, parameters, summary``."""
        keys = ("people", "units", "brokers", "communities", "unit_matrix", "parameters")
        out = {key: json_ready(getattr(self, key)) for key in (*keys, "summary")}
        return out

    def to_frame(self) -> pd.DataFrame:
        """The units table: the view anyone may see."""
        return self.units.copy()

    def units_view(self) -> dict[str, Any]:
        """Aggregates only (units, communities, matrix, parameters, summary): no person rows."""
        return {key: json_ready(getattr(self, key)) for key in AGGREGATE_KEYS}

    def for_person(self, person_id: str) -> dict[str, Any]:
        """What one person may see about themselves: their row, unit and community.

        Raises
        ------
        NotFound
            ``person_id`` is not in the people table.
        """
        rows = self.people[self.people["person_id"] == str(person_id)]
        if rows.empty:
            raise NotFound(f"no person {person_id!r} in the network")
        person = json_ready(rows.iloc[0].to_dict())
        unit = self.units[self.units["unit_id"] == person["unit_id"]]
        community = self.communities[self.communities["community"] == person["community"]]
        broker = self.brokers[self.brokers["person_id"] == person["person_id"]]
        return {
            "person": person,
            "unit": json_ready(unit.iloc[0].to_dict()),
            "community": json_ready(community.iloc[0].to_dict()) if len(community) else None,
            "broker_rank": int(broker["rank"].iloc[0]) if len(broker) else None,
        }

    def interdependence(self) -> pd.Series:
        """Per unit, the external share of its collaboration weight (NaN if suppressed)."""
        series = self.units.set_index("unit_id")["external_weight_share"]
        return series.rename("interdependence")

    def matrix(self, value: str = "weight") -> pd.DataFrame:
        """The unit-to-unit matrix as a square, symmetric table of ``ties`` or ``weight``."""
        if value not in ("ties", "weight"):
            raise ConfigError(f"value must be 'ties' or 'weight', not {value!r}")
        shown = self.units.loc[~self.units["suppressed"], "unit_id"].tolist()
        m = self.unit_matrix
        both = pd.concat(
            [
                m,
                m[m["unit_a"] != m["unit_b"]].rename(
                    columns={"unit_a": "unit_b", "unit_b": "unit_a"}
                ),
            ]
        )
        square = both.pivot_table(index="unit_a", columns="unit_b", values=value, aggfunc="sum")
        return square.reindex(index=shown, columns=shown).fillna(0)


def _check(
    min_group_size: int,
    work: int,
    samples: int,
    constraint_work: int,
    runs: int | None,
    percentile: float,
    share: float,
) -> None:
    if min_group_size < 1:
        raise ConfigError(f"min_group_size must be at least 1, not {min_group_size}")
    if work < 0:
        raise ConfigError(f"betweenness_work_limit must be at least 0, not {work}")
    if constraint_work < 0:
        raise ConfigError(f"constraint_work_limit must be at least 0, not {constraint_work}")
    if samples < 1:
        raise ConfigError(f"betweenness_min_samples must be at least 1, not {samples}")
    if runs is not None and runs < 1:
        raise ConfigError(f"leiden_runs must be at least 1, not {runs}")
    if not 0 <= percentile <= 100:
        raise ConfigError(f"strong_tie_percentile must be within 0..100, not {percentile}")
    if not 0 < share <= 1:
        raise ConfigError(f"practice_max_unit_share must be within (0, 1], not {share}")


def _quiet(stage: str, done: int, total: int) -> None:
    """No one is watching."""


def _units_reached(graph: TieGraph) -> np.ndarray:
    owner = np.concatenate([graph.a, graph.b])
    other_unit = graph.unit_of[np.concatenate([graph.b, graph.a])]
    away = other_unit != graph.unit_of[owner]
    k = max(len(graph.unit_ids), 1)
    pairs = np.unique(owner[away] * k + other_unit[away])
    return np.bincount(pairs // k, minlength=graph.n).astype(np.int64)


def analyze_network(
    ties: pd.DataFrame | pa.Table,
    people: pd.DataFrame,
    *,
    topics: pd.DataFrame | None = None,
    min_group_size: int = 5,
    seed: int = 0,
    betweenness_work_limit: int = BETWEENNESS_WORK_LIMIT,
    betweenness_min_samples: int = BETWEENNESS_MIN_SAMPLES,
    constraint_work_limit: int = CONSTRAINT_WORK_LIMIT,
    leiden_runs: int | None = None,
    strong_tie_percentile: float = 75.0,
    practice_max_unit_share: float = 0.5,
    workers: int | None = None,
    progress: Progress | None = None,
) -> NetworkAnalysis:
    """Compute the collaboration network's figures for people, units and communities.

    Parameters
    ----------
    ties
        ``person_a, person_b, weight`` and optionally ``reciprocal`` (as built by
        ``smartmoves.data.analytics.build_ties``), a DataFrame or an Arrow table. Ids
        not in ``people`` are external contacts: counted, never part of a person or
        unit figure.
    people
        ``person_id, unit_id`` (the people contract).
    topics
        Optional ``person_id, topic, events`` to name each community's top topics.
    min_group_size
        Units and communities smaller than this are suppressed.
    seed
        Seeds the Leiden runs and the betweenness sample.
    betweenness_work_limit, betweenness_min_samples
        Betweenness walks the graph once per source person, ``ties + 32 * people``
        steps a walk. Exact when walking from everyone fits in this many steps (default
        6e9, about 45 s on one core); above, an estimate from as many sampled source
        people as fit, but at least ``betweenness_min_samples`` (default 250).
        ``parameters["betweenness"]`` says which ran.
    constraint_work_limit
        Burt's constraint's indirect terms cost about the sum of the people's squared
        degrees (``constraint_work`` counts it). Exact when they fit in this much work
        (default 5e9, about 13 s on one core); above, they go through each person's
        strongest ties only, as many as fit (at least 20), the direct terms staying
        exact. ``parameters["constraint"]`` says which ran.
    leiden_runs
        Leiden runs; the best-modularity partition is kept. Default: 10, fewer past 10
        million ties (1e8 / ties, at least 2); ``parameters["leiden_runs"]`` says how
        many ran.
    strong_tie_percentile
        A reciprocal tie is strong for a person when its weight reaches this percentile
        of their tie weights.
    practice_max_unit_share
        A community is a community of practice when no unit holds more than this share
        of its members.
    workers
        Processes: with 2, betweenness runs in a second process beside the rest (the
        figures are the same). Default: 2 when betweenness would take more than about
        two seconds (2.5e8 steps) on a machine with two cores or more, else 1.
    progress
        Called as ``progress(stage, done, total)`` as the work goes on (stages are
        words for a person watching, e.g. "communities (run 3 of 10)").

    Returns
    -------
    NetworkAnalysis

    Raises
    ------
    DataError
        A frame lacks a column, a person is listed twice, a weight is negative.
    ConfigError
        An option is out of range.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": list("abcdef"), "unit_id": list("xxxyyy")})
    >>> ties = pd.DataFrame({"person_a": list("aabddec"), "person_b": list("bccefff"),
    ...                      "weight": 1.0, "reciprocal": True})
    >>> result = analyze_network(ties, people, min_group_size=3)
    >>> result.people[["person_id", "degree", "external_share", "community"]]
      person_id  degree  external_share  community
    0         a       2        0.000000          0
    1         b       2        0.000000          0
    2         c       3        0.333333          0
    3         d       2        0.000000          1
    4         e       2        0.000000          1
    5         f       3        0.333333          1
    >>> result.units[["unit_id", "internal_ties", "external_ties", "ei_index"]]
      unit_id  internal_ties  external_ties  ei_index
    0       x              3              1      -0.5
    1       y              3              1      -0.5
    """
    _check(
        min_group_size,
        betweenness_work_limit,
        betweenness_min_samples,
        constraint_work_limit,
        leiden_runs,
        strong_tie_percentile,
        practice_max_unit_share,
    )
    seed = check_seed(seed)
    if workers is not None and (isinstance(workers, bool) or workers not in (1, 2)):
        raise ConfigError(f"workers must be 1 or 2, not {workers!r}")
    step = progress or _quiet
    step("coding the ties", 0, 0)
    graph = tie_graph(ties, people)
    if leiden_runs is None:
        leiden_runs = leiden_runs_for(len(graph.a))
    total = leiden_runs + 4
    n = graph.n
    ig_graph = graph.igraph()
    limits = {"work_limit": betweenness_work_limit, "min_samples": betweenness_min_samples}
    if workers is None:
        workers = default_workers(n, len(graph.a), **limits)
    # Started first: on a large graph it runs on the second core during everything below.
    pending = BackgroundBetweenness(
        ig_graph, workers=workers, edges=graph.edges(), seed=seed, **limits
    )
    step("ties per person", 1, total)
    degree = np.bincount(graph.a, minlength=n) + np.bincount(graph.b, minlength=n)
    strength = np.bincount(graph.a, weights=graph.weight, minlength=n) + np.bincount(
        graph.b, weights=graph.weight, minlength=n
    )
    strong = strong_tie_counts(graph, strong_tie_percentile)
    crossing = graph.unit_of[graph.a] != graph.unit_of[graph.b]
    outside = np.bincount(graph.a[crossing], minlength=n) + np.bincount(
        graph.b[crossing], minlength=n
    )
    external_share = np.full(n, np.nan)
    np.divide(outside, degree, out=external_share, where=degree > 0)
    membership, modularity = best_partition(
        ig_graph,
        runs=leiden_runs,
        seed=seed,
        progress=lambda run: step(f"communities (run {run} of {leiden_runs})", 1 + run, total),
    )
    step("brokerage (constraint)", leiden_runs + 2, total)
    burt, constraint_method = constraint(graph, work_limit=constraint_work_limit)
    step("betweenness", leiden_runs + 3, total)
    between, between_method = pending.result()
    reached = _units_reached(graph)
    people_table = pd.DataFrame(
        {
            "person_id": graph.person_ids.astype(str),
            "unit_id": graph.unit_ids[graph.unit_of].astype(str),
            "degree": degree.astype(np.int64),
            "strength": strength,
            "strong_ties": strong,
            "weak_ties": (degree - strong).astype(np.int64),
            "external_share": external_share,
            "betweenness": between,
            "constraint": burt,
            "community": pd.array(np.where(membership >= 0, membership, 0), dtype="Int64"),
            "units_reached": reached,
            "external_contacts": graph.external_contacts,
        }
    )
    people_table.loc[membership < 0, "community"] = pd.NA
    brokers = people_table.loc[
        reached >= 2, ["person_id", "unit_id", "units_reached", "betweenness"]
    ].sort_values(["betweenness", "person_id"], ascending=[False, True])
    brokers.insert(0, "rank", np.arange(1, len(brokers) + 1))
    units, matrix = unit_figures(graph, min_group_size=min_group_size)
    communities = community_table(
        graph,
        membership,
        min_group_size=min_group_size,
        practice_max_unit_share=practice_max_unit_share,
        topics=topics,
    )
    parameters = {
        "min_group_size": min_group_size,
        "seed": seed,
        "strong_tie_percentile": strong_tie_percentile,
        "betweenness": {"work_limit": betweenness_work_limit, **between_method},
        "constraint": {"work_limit": constraint_work_limit, **constraint_method},
        "leiden_runs": leiden_runs,
        "practice_max_unit_share": practice_max_unit_share,
    }
    summary = {
        "people": n,
        "units": len(graph.unit_ids),
        "ties": len(graph.a),
        "reciprocal_ties": int(graph.reciprocal.sum()),
        "isolated_people": int((degree == 0).sum()),
        "communities": len(communities),
        "modularity": modularity,
        **graph.counts,
    }
    step("done", total, total)
    return NetworkAnalysis(
        people=people_table[PERSON_COLUMNS],
        units=units,
        brokers=brokers.reset_index(drop=True),
        communities=communities,
        unit_matrix=matrix,
        parameters=parameters,
        summary=summary,
        graph=graph,
    )
