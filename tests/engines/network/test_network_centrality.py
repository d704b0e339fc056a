"""Betweenness, constraint and communities checked against networkx on random graphs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.engines.network import analyze_network


def _frames(graph: nx.Graph, weights: dict | None = None, units: int = 3):
    nodes = sorted(graph.nodes)
    people = pd.DataFrame(
        {"person_id": [f"p{i:03d}" for i in nodes], "unit_id": [f"u{i % units}" for i in nodes]}
    )
    edges = list(graph.edges)
    ties = pd.DataFrame(
        {
            "person_a": [f"p{a:03d}" for a, _ in edges],
            "person_b": [f"p{b:03d}" for _, b in edges],
            "weight": [weights[(a, b)] if weights else 1.0 for a, b in edges],
            "reciprocal": True,
        }
    )
    return ties, people


@st.composite
def random_graphs(draw):
    n = draw(st.integers(3, 40))
    p = draw(st.floats(0.05, 0.5))
    seed = draw(st.integers(0, 10_000))
    graph = nx.gnp_random_graph(n, p, seed=seed)
    rng = np.random.default_rng(seed)
    weights = {e: float(rng.choice([0.5, 1.0, 2.0, 3.5])) for e in graph.edges}
    return graph, weights


@given(random_graphs())
def test_betweenness_and_constraint_match_networkx(case) -> None:
    graph, weights = case
    ties, people = _frames(graph, weights)
    result = analyze_network(ties, people, leiden_runs=1)
    ours = result.people.set_index("person_id")
    expected = nx.betweenness_centrality(graph, normalized=True)
    for node, value in expected.items():
        assert ours.loc[f"p{node:03d}", "betweenness"] == pytest.approx(value, abs=1e-12)
    nx.set_edge_attributes(graph, weights, "weight")
    expected_constraint = nx.constraint(graph, weight="weight")
    for node, value in expected_constraint.items():
        got = ours.loc[f"p{node:03d}", "constraint"]
        if np.isnan(value):
            assert np.isnan(got)
        else:
            assert got == pytest.approx(value, rel=1e-9)


@given(random_graphs())
def test_reported_modularity_is_networkx_modularity_of_the_partition(case) -> None:
    graph, weights = case
    ties, people = _frames(graph, weights)
    result = analyze_network(ties, people, leiden_runs=3)
    nx.set_edge_attributes(graph, weights, "weight")
    community = result.people["community"]
    if community.isna().all():
        assert graph.number_of_edges() == 0
        return
    # People without a community are singletons in the partition networkx scores.
    labels = [c if not pd.isna(c) else f"alone{i}" for i, c in enumerate(community)]
    blocks: dict = {}
    for node, label in zip(sorted(graph.nodes), labels, strict=True):
        blocks.setdefault(label, set()).add(node)
    expected = nx.community.modularity(graph, blocks.values(), weight="weight")
    assert result.summary["modularity"] == pytest.approx(expected, abs=1e-9)


def test_leiden_is_at_least_as_good_as_networkx_louvain_on_random_graphs() -> None:
    worse = []
    for seed in range(12):
        graph = nx.gnp_random_graph(120, 0.06, seed=seed)
        ties, people = _frames(graph)
        ours = analyze_network(ties, people).summary["modularity"]
        louvain = max(
            nx.community.modularity(graph, nx.community.louvain_communities(graph, seed=s))
            for s in range(3)
        )
        worse.append(louvain - ours)
    # Best of ten Leiden runs is never worse than the best of three Louvain runs.
    assert max(worse) <= 0, worse


def test_planted_communities_are_recovered_like_networkx_does() -> None:
    graph = nx.random_partition_graph([20, 25, 30, 15], 0.6, 0.01, seed=7)
    ties, people = _frames(graph)
    ours = analyze_network(ties, people).people["community"].to_numpy()
    ours_blocks = {frozenset(np.flatnonzero(ours == c)) for c in set(ours)}
    planted = {frozenset(block) for block in graph.graph["partition"]}
    louvain = {frozenset(c) for c in nx.community.louvain_communities(graph, seed=1)}
    assert ours_blocks == planted == louvain


def test_communities_are_stable_from_seed_to_seed_and_numbered_by_size() -> None:
    graph = nx.random_partition_graph([12, 30, 20], 0.5, 0.03, seed=3)
    ties, people = _frames(graph)
    runs = [analyze_network(ties, people, seed=s).people["community"].tolist() for s in range(5)]
    assert all(run == runs[0] for run in runs)
    sizes = pd.Series(runs[0]).value_counts().sort_index()
    assert sizes.is_monotonic_decreasing


def test_results_do_not_depend_on_the_order_of_tie_rows() -> None:
    graph = nx.random_partition_graph([15, 15, 15], 0.4, 0.05, seed=11)
    ties, people = _frames(graph)
    shuffled = ties.sample(frac=1.0, random_state=5).reset_index(drop=True)
    swapped = shuffled.rename(columns={"person_a": "person_b", "person_b": "person_a"})
    first = analyze_network(ties, people, seed=4).people
    second = analyze_network(swapped, people, seed=4).people
    pd.testing.assert_frame_equal(first, second)


def test_sampled_betweenness_with_every_source_is_exact() -> None:
    graph = nx.connected_watts_strogatz_graph(60, 6, 0.2, seed=2)
    ties, people = _frames(graph)
    exact = analyze_network(ties, people).people["betweenness"]
    sampled = analyze_network(ties, people, betweenness_work_limit=0, betweenness_min_samples=60)
    assert sampled.parameters["betweenness"] == {
        "work_limit": 0,
        "method": "sampled",
        "samples": 60,
        "steps": 60 * (180 + 32 * 60),  # sources x (ties + 32 people)
    }
    np.testing.assert_allclose(sampled.people["betweenness"], exact, rtol=1e-12)


def test_sampled_betweenness_is_unbiased_and_seeded() -> None:
    graph = nx.connected_watts_strogatz_graph(50, 4, 0.3, seed=9)
    ties, people = _frames(graph)
    exact = analyze_network(ties, people, leiden_runs=1).people["betweenness"].to_numpy()

    def sampled(seed: int) -> np.ndarray:
        result = analyze_network(
            ties,
            people,
            seed=seed,
            leiden_runs=1,
            betweenness_work_limit=0,
            betweenness_min_samples=10,
        )
        return result.people["betweenness"].to_numpy()

    np.testing.assert_array_equal(sampled(1), sampled(1))
    mean = np.mean([sampled(s) for s in range(150)], axis=0)
    # 150 estimates from 10 of 50 sources each: their mean sits close to exact.
    assert np.abs(mean - exact).max() < 0.1 * exact.max()
    assert np.corrcoef(mean, exact)[0, 1] > 0.99


@pytest.mark.parametrize("work_limit", [10**9, 0])
def test_betweenness_on_a_second_process_gives_the_same_figures(work_limit: int) -> None:
    graph = nx.connected_watts_strogatz_graph(300, 8, 0.2, seed=4)
    ties, people = _frames(graph)
    options = {"betweenness_work_limit": work_limit, "betweenness_min_samples": 40, "seed": 3}
    alone = analyze_network(ties, people, workers=1, **options)
    beside = analyze_network(ties, people, workers=2, **options)
    pd.testing.assert_frame_equal(alone.people, beside.people)
    assert alone.parameters == beside.parameters


@pytest.mark.parametrize("interpreter", ["/bin/false", "/no/such/python"])
def test_a_child_that_fails_leaves_the_figures_to_this_process(
    monkeypatch: pytest.MonkeyPatch, interpreter: str
) -> None:
    from smartmoves.engines.network import _second_core

    graph = nx.connected_watts_strogatz_graph(80, 6, 0.2, seed=5)
    ties, people = _frames(graph)
    expected = analyze_network(ties, people, workers=1).people["betweenness"]
    # A child that exits without an answer, and one that cannot even start.
    monkeypatch.setattr(_second_core.sys, "executable", interpreter)
    found = analyze_network(ties, people, workers=2).people["betweenness"]
    pd.testing.assert_series_equal(found, expected)


def test_the_second_process_does_not_rerun_the_callers_script(tmp_path: Path) -> None:
    # A user's script without a ``__main__`` guard: a multiprocessing spawn would run it
    # again in the child, which then fails to start its own child and the caller hangs.
    script = tmp_path / "analysis.py"
    script.write_text(
        "import networkx as nx, pandas as pd\n"
        "from smartmoves.engines.network import analyze_network\n"
        "g = nx.connected_watts_strogatz_graph(120, 6, 0.2, seed=1)\n"
        "ties = pd.DataFrame([(str(a), str(b)) for a, b in g.edges],"
        " columns=['person_a', 'person_b']).assign(weight=1.0)\n"
        "people = pd.DataFrame({'person_id': [str(i) for i in g], 'unit_id': 'u'})\n"
        "print('runs', flush=True)\n"
        "r = analyze_network(ties, people, workers=2)\n"
        "print(r.parameters['betweenness']['method'])\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["runs", "exact"]


@given(
    st.lists(
        st.tuples(st.integers(0, 70_000), st.sampled_from([0.0, 0.5, 1.0, 2.5, 3.0])),
        max_size=60,
    )
)
def test_ties_sort_by_owner_then_weight_as_lexsort_does(rows) -> None:
    from smartmoves.engines.network._centrality import _by_owner_then_weight

    owner = np.array([r[0] for r in rows], dtype=np.int64)
    weight = np.array([r[1] for r in rows], dtype=np.float64)
    order = _by_owner_then_weight(owner, weight)
    expected = np.lexsort((weight, owner))
    assert owner[order].tolist() == owner[expected].tolist()
    assert weight[order].tolist() == weight[expected].tolist()
