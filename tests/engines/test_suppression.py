"""The suppression rule against an onlooker who adds and subtracts every shown figure.

The oracle does not use the engine's residual reasoning: it writes each shown figure as a
row over the tree's atoms (the people attached directly to one node), and asks linear
algebra which sets of atoms an onlooker can sum (a set can be computed exactly when its
indicator lies in the span of the shown rows). Every such set must hold no one or at least
the minimum.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.engines.suppression import (
    overlapping_with_total,
    residuals,
    suppress,
    totals,
)


@st.composite
def trees(draw: st.DrawFn, max_nodes: int = 9) -> tuple[dict[int, int], dict[int, int | None]]:
    n = draw(st.integers(1, max_nodes))
    roots = draw(st.integers(1, min(2, n)))
    parent: dict[int, int | None] = {}
    for node in range(n):
        parent[node] = None if node < roots else draw(st.integers(0, node - 1))
    own = {node: draw(st.sampled_from([0, 0, 1, 1, 2, 3, 4, 5, 6, 9, 20])) for node in range(n)}
    return own, parent


def _members(parent: dict[int, int | None]) -> dict[int, set[int]]:
    """The atoms (nodes' own people) under each node."""
    below = {node: {node} for node in parent}
    for node in parent:
        up = parent[node]
        while up is not None:
            below[up].add(node)
            up = parent[up]
    return below


def _computable_sums(own: dict[int, int], parent: dict[int, int | None], hidden) -> list[int]:
    """People in every non-empty set of atoms whose sum the shown figures determine."""
    atoms = [a for a in parent if own[a] > 0]
    below = _members(parent)
    shown = [node for node in parent if not hidden[node]]
    if not shown or not atoms:
        return []
    rows = np.array([[1.0 if a in below[s] else 0.0 for a in atoms] for s in shown])
    rank = np.linalg.matrix_rank(rows)
    found = []
    for size in range(1, len(atoms) + 1):
        for chosen in itertools.combinations(range(len(atoms)), size):
            target = np.zeros(len(atoms))
            target[list(chosen)] = 1.0
            if np.linalg.matrix_rank(np.vstack([rows, target])) == rank:
                found.append(sum(own[atoms[i]] for i in chosen))
    return found


@settings(max_examples=300, deadline=None)
@given(trees(), st.integers(2, 7))
def test_no_sum_an_onlooker_can_compute_isolates_a_few(tree, minimum) -> None:
    own, parent = tree
    hidden = suppress(own, parent, minimum)
    assert set(hidden) == set(parent)
    for people in _computable_sums(own, parent, hidden):
        assert people >= minimum, (own, parent, hidden, people)


@settings(max_examples=300, deadline=None)
@given(trees(max_nodes=30), st.integers(2, 7))
def test_small_groups_hidden_and_large_shown_when_safe(tree, minimum) -> None:
    own, parent = tree
    hidden = suppress(own, parent, minimum)
    total = totals(own, parent)
    for node, reason in hidden.items():
        if total[node] < minimum:
            assert reason == "small"
        else:
            assert reason in (None, "difference")
    left = residuals(own, parent, hidden)
    for node, reason in hidden.items():
        if reason is None:
            assert left[node] == 0 or left[node] >= minimum
    # A family with nothing small and no small difference hides nothing.
    shown = dict.fromkeys(parent)
    if all(t >= minimum for t in total.values()) and all(
        v == 0 or v >= minimum for v in residuals(own, parent, shown).values()
    ):
        assert not any(hidden.values())


@settings(max_examples=100, deadline=None)
@given(trees(max_nodes=12), st.integers(2, 7))
def test_only_what_subtraction_needs_is_hidden_for_differences(tree, minimum) -> None:
    """Each complementary suppression is needed: showing it again (all else equal) lets an
    onlooker compute a sum over 1 to minimum - 1 people (or the engine hid a parent
    that a root's shown total would otherwise expose)."""
    own, parent = tree
    hidden = suppress(own, parent, minimum)
    for node, reason in hidden.items():
        if reason != "difference":
            continue
        again = dict(hidden)
        again[node] = None
        leaks = [n for n in _computable_sums(own, parent, again) if 0 < n < minimum]
        assert leaks, (own, parent, node)


def _bank(divisions: dict[str, list[int]]) -> tuple[dict[str, int], dict[str, str | None]]:
    """The organization above a bank: its CEO, divisions with their heads, teams below."""
    parent: dict[str, str | None] = {"org": None, "bank": "org"}
    own = {"org": 0, "bank": 1}
    for d, teams in divisions.items():
        parent[d], own[d] = "bank", 1
        for i, size in enumerate(teams):
            parent[f"{d}{i}"], own[f"{d}{i}"] = d, size
    return own, parent


def test_the_demo_banks_shape_hides_the_divisions() -> None:
    """Six divisions, each with its head attached directly (the demo bank): a division's
    figures minus its teams' would be its head; together the CEO and the six heads are 7."""
    sizes = {"ret": [19, 19, 42], "fin": [12, 48], "risk": [25], "tech": [29], "ppl": [12]}
    own, parent = _bank({**sizes, "grow": [8]})
    hidden = suppress(own, parent, 5)
    assert {k for k, r in hidden.items() if r} == {*sizes, "grow"}
    assert all(r == "difference" for r in hidden.values() if r)
    assert residuals(own, parent, hidden)["bank"] == 7


def test_too_few_executives_cost_the_smallest_team() -> None:
    """Three divisions: the CEO and three heads are 4, so one more group must go; the
    smallest team does, and the bank's own figures stay."""
    own, parent = _bank({"ret": [19, 19, 42], "fin": [12, 48], "grow": [8]})
    hidden = suppress(own, parent, 5)
    assert {k for k, r in hidden.items() if r} == {"ret", "fin", "grow", "grow0"}
    assert hidden["bank"] is None and hidden["org"] is None
    assert residuals(own, parent, hidden)["bank"] == 12


def test_disjoint_groups_with_their_total() -> None:
    """A table of groups and its total: the two smallest are hidden, not only the smallest."""
    parent = {"total": None, "a": "total", "b": "total", "c": "total"}
    own = {"total": 0, "a": 3, "b": 6, "c": 40}
    hidden = suppress(own, parent, 5)
    assert hidden == {"a": "small", "b": "difference", "c": None, "total": None}
    assert suppress(own, parent, 5, show_empty=True) == hidden


def test_an_empty_group_is_hidden_unless_asked() -> None:
    parent = {"total": None, "a": "total", "b": "total"}
    own = {"total": 0, "a": 0, "b": 7}
    assert suppress(own, parent, 5)["a"] == "small"
    assert suppress(own, parent, 5, show_empty=True)["a"] is None


def test_a_minimum_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        suppress({"a": 1}, {"a": None}, 0)


@st.composite
def overlapping(draw: st.DrawFn) -> dict[int, frozenset[int]]:
    """Activities of a scope: each done by some of its 12 people, a person doing several."""
    groups = draw(st.integers(1, 7))
    return {
        g: frozenset(draw(st.sets(st.integers(0, 11), max_size=draw(st.sampled_from([2, 6, 12])))))
        for g in range(groups)
    }


@given(overlapping(), st.integers(1, 6), st.sets(st.integers(0, 6), max_size=2))
@settings(max_examples=400, deadline=None)
def test_overlapping_groups_leave_no_small_sum_to_subtract(people, minimum, already) -> None:
    """An onlooker sees each shown group's figure and the total: what they can compute
    exactly is a shown group, or the total less some shown groups, which covers everyone
    of the hidden groups. Each of those holds no one or at least the minimum."""
    already = {g for g in already if g in people}
    hidden = overlapping_with_total(people, minimum, hidden=already)
    assert set(hidden) == set(people)
    for group, members in people.items():
        if 0 < len(members) < minimum:
            assert hidden[group] == "small"
        if group in already:
            assert hidden[group] is not None
        if hidden[group] is None:
            assert len(members) == 0 or len(members) >= minimum
    covered = set().union(*(people[g] for g, r in hidden.items() if r))
    # Unless everything is hidden: then the residual is the total, which its own size decides.
    everything = all(r for g, r in hidden.items() if people[g])
    assert len(covered) == 0 or len(covered) >= minimum or everything
    # Hiding for the difference stops as soon as it is safe: the last one was needed.
    extra = [g for g, r in hidden.items() if r == "difference" and g not in already]
    if extra:
        last = max(extra, key=lambda g: (len(people[g]), repr(g)))
        without = set().union(*(people[g] for g, r in hidden.items() if r and g != last))
        assert 0 < len(without) < minimum


def test_a_small_activity_costs_the_smallest_other_one() -> None:
    """Two people file, five others take calls, all eight audit: filing alone would be the
    scope's hours less the others', so calls (the smallest safe one) is hidden with it."""
    people = {
        "filing": {1, 2},
        "calls": {3, 4, 5, 6, 7},
        "audit": set(range(1, 9)),
        "nothing": set(),
    }
    assert overlapping_with_total(people, 5) == {
        "filing": "small",
        "calls": "difference",
        "audit": None,
        "nothing": None,
    }
