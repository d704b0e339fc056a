"""Burt's constraint from the tie arrays: exact against igraph, and through strongest ties."""

from __future__ import annotations

import igraph
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.engines.network import _constraint, analyze_network, tie_graph
from smartmoves.engines.network._constraint import (
    constraint,
    constraint_ties_kept,
    constraint_work,
)
from smartmoves.engines.network._ties import TieGraph
from smartmoves.errors import ConfigError


@st.composite
def weighted_graphs(draw) -> TieGraph:
    """Up to 30 people, some of them without ties; each pair tied at most once."""
    n = draw(st.integers(1, 30))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] < p[1])
    edges = draw(st.lists(pairs, unique=True, max_size=n * (n - 1) // 2))
    weights = draw(st.lists(st.floats(0.01, 100.0), min_size=len(edges), max_size=len(edges)))
    people = pd.DataFrame({"person_id": [f"p{i:02d}" for i in range(n)], "unit_id": "u"})
    ties = pd.DataFrame(
        {
            "person_a": [f"p{a:02d}" for a, _ in edges],
            "person_b": [f"p{b:02d}" for _, b in edges],
            "weight": weights,
        }
    )
    return tie_graph(ties, people)


def _degree(graph: TieGraph) -> np.ndarray:
    return np.bincount(graph.a, minlength=graph.n) + np.bincount(graph.b, minlength=graph.n)


def _same(ours: np.ndarray, expected: np.ndarray) -> None:
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(expected))
    np.testing.assert_allclose(ours, expected, rtol=1e-9, atol=1e-12)


@given(weighted_graphs())
def test_exact_constraint_is_igraphs(graph: TieGraph) -> None:
    values, how = constraint(graph)
    expected = np.asarray(graph.igraph().constraint(weights="weight"), dtype=np.float64)
    _same(values, expected)
    assert how == {"method": "exact", "ties_kept": None, "work": constraint_work(graph)}


@given(weighted_graphs(), st.integers(1, 64))
def test_blocks_of_rows_do_not_change_the_values(graph: TieGraph, block_entries: int) -> None:
    exact, _ = constraint(graph)
    saved = _constraint._BLOCK_ENTRIES
    try:  # not monkeypatch: hypothesis runs many examples in one test call
        _constraint._BLOCK_ENTRIES = block_entries  # down to one row a block
        blocked, _ = constraint(graph)
    finally:
        _constraint._BLOCK_ENTRIES = saved
    _same(blocked, exact)


@given(weighted_graphs())
def test_keeping_every_tie_gives_the_exact_values(graph: TieGraph) -> None:
    most = max(int(_degree(graph).max(initial=0)), 1)
    values, how = constraint(graph, work_limit=0, min_ties=most)
    assert how["method"] == ("strongest ties" if len(graph.a) else "exact")
    _same(values, constraint(graph)[0])


@given(weighted_graphs(), st.integers(1, 5))
def test_strongest_ties_keep_the_direct_terms_exact(graph: TieGraph, k: int) -> None:
    values, how = constraint(graph, work_limit=0, min_ties=k)
    exact, _ = constraint(graph)
    if len(graph.a) == 0:
        assert how["method"] == "exact"
        return
    assert how["ties_kept"] == k
    assert how["work"] <= constraint_work(graph, k)  # the estimate is a bound
    np.testing.assert_array_equal(np.isnan(values), np.isnan(exact))
    # The indirect terms are sums of positive products, and only some are kept, so the
    # values never rise above exact and never fall below the direct terms alone.
    shares = np.zeros((graph.n, graph.n))
    strength = np.bincount(graph.a, graph.weight, graph.n) + np.bincount(
        graph.b, graph.weight, graph.n
    )
    shares[graph.a, graph.b] = graph.weight / strength[graph.a]
    shares[graph.b, graph.a] = graph.weight / strength[graph.b]
    direct = (shares**2).sum(axis=1)
    tied = ~np.isnan(exact)
    assert np.all(values[tied] <= exact[tied] * (1 + 1e-12))
    assert np.all(values[tied] >= direct[tied] * (1 - 1e-12))


@given(weighted_graphs(), st.integers(0, 20_000))
def test_the_ties_kept_are_the_most_that_fit_in_the_work(graph: TieGraph, limit: int) -> None:
    k = constraint_ties_kept(graph, work_limit=limit, min_ties=2)
    if k is None:
        assert constraint_work(graph) <= limit
        return
    assert constraint_work(graph) > limit
    if k > 2:  # above the floor: it fits, and one more would not (unless none has more)
        assert constraint_work(graph, k) <= limit
        assert constraint_work(graph, k + 1) > limit or k >= _degree(graph).max()


def test_strongest_ties_break_equal_shares_by_contact_order() -> None:
    # Person 0 shares equally among 1..4; with two ties kept, 1 and 2 are the ones.
    people = pd.DataFrame({"person_id": list("abcde"), "unit_id": "u"})
    ties = pd.DataFrame({"person_a": list("aaaabcd"), "person_b": list("bcdecde"), "weight": 1.0})
    graph = tie_graph(ties, people)
    strong = _constraint._strongest(_constraint._shares(graph)[0], 2)
    assert strong.indices[strong.indptr[0] : strong.indptr[1]].tolist() == [1, 2]


def test_ties_of_weight_zero_count_as_contacts_without_share() -> None:
    # c-d weighs 0: a contact with no share of either's attention, whose indirect term
    # (through b) still counts. e's only tie weighs 0: no constraint of its own.
    people = pd.DataFrame({"person_id": list("abcde"), "unit_id": "u"})
    ties = pd.DataFrame(
        {
            "person_a": list("aabbca"),
            "person_b": list("bccdde"),
            "weight": [2.0, 1.0, 1.0, 1.0, 0.0, 0.0],
        }
    )
    values, _ = constraint(tie_graph(ties, people))
    without, _ = constraint(tie_graph(ties[ties["weight"] > 0], people))
    assert np.isnan(values[4]) and np.isnan(without[4])
    assert values[0] == pytest.approx(without[0])  # a's shares are the same either way
    assert values[1] == pytest.approx(without[1])
    # c gains (p_cd + p_cb p_bd)^2 = (1/2 * 1/4)^2, d gains (p_db p_bc)^2 = (1/4)^2.
    assert values[2] == pytest.approx(without[2] + (1 / 8) ** 2)
    assert values[3] == pytest.approx(without[3] + (1 / 4) ** 2)


def test_analysis_reports_how_constraint_ran_and_checks_its_limit() -> None:
    graph = nx.connected_watts_strogatz_graph(60, 8, 0.2, seed=2)
    people = pd.DataFrame({"person_id": [str(i) for i in graph], "unit_id": "u"})
    ties = pd.DataFrame(
        [(str(a), str(b), 1.0 + (a * b) % 3) for a, b in graph.edges],
        columns=["person_a", "person_b", "weight"],
    )
    exact = analyze_network(ties, people, leiden_runs=1)
    assert exact.parameters["constraint"] == {
        "work_limit": _constraint.CONSTRAINT_WORK_LIMIT,
        "method": "exact",
        "ties_kept": None,
        "work": constraint_work(tie_graph(ties, people)),
    }
    reference = igraph.Graph(n=60, edges=list(graph.edges))
    reference.es["weight"] = ties["weight"].tolist()
    np.testing.assert_allclose(
        exact.people["constraint"], reference.constraint(weights="weight"), rtol=1e-9
    )
    approximate = analyze_network(ties, people, leiden_runs=1, constraint_work_limit=0)
    assert approximate.parameters["constraint"]["method"] == "strongest ties"
    assert approximate.parameters["constraint"]["ties_kept"] == _constraint.CONSTRAINT_MIN_TIES
    # Twenty ties kept is more than anyone has here: the same figures.
    np.testing.assert_allclose(approximate.people["constraint"], exact.people["constraint"])
    with pytest.raises(ConfigError, match="constraint_work_limit"):
        analyze_network(ties, people, constraint_work_limit=-1)


def test_strongest_ties_rank_people_as_exact_constraint_does() -> None:
    # Planted units with uneven tie weights: 12 of about 40 ties kept a person.
    rng = np.random.default_rng(3)
    graph = nx.random_partition_graph([60, 80, 100, 60], 0.45, 0.02, seed=3)
    people = pd.DataFrame({"person_id": [str(i) for i in graph], "unit_id": "u"})
    ties = pd.DataFrame(
        [(str(a), str(b), float(rng.exponential())) for a, b in graph.edges],
        columns=["person_a", "person_b", "weight"],
    )
    coded = tie_graph(ties, people)
    exact, _ = constraint(coded)
    approximate, how = constraint(coded, work_limit=0, min_ties=12)
    assert how["ties_kept"] == 12
    # Values come out low (the weaker ties' indirect terms are left out: 19% here, where
    # every pair in a unit is tied alike), but the order of people holds.
    ranks = pd.Series(exact).rank().corr(pd.Series(approximate).rank())
    assert ranks > 0.95
