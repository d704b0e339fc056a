"""The metric tree's rule (``parent_problem``): whatever moves are tried, a tree that
only ever takes the moves the rule accepts stays a tree whose levels fit, and the rule
refuses exactly the moves that would break it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smartmoves.pathway.recognize.drivers import PARENT_LEVELS
from smartmoves.pathway.recognize.metric_edits import parent_problem

LEVELS = ("financial", "operating", "frontline")
Tree = dict[str, tuple[str, str | None]]


def _ancestors(tree: Tree, metric: str) -> list[str] | None:
    """The chain above ``metric``, or ``None`` when it loops."""
    seen: list[str] = []
    node = tree[metric][1]
    while node is not None:
        if node in seen or node == metric:
            return None
        seen.append(node)
        node = tree[node][1]
    return seen


def _sound(tree: Tree) -> bool:
    for metric, (level, parent) in tree.items():
        if _ancestors(tree, metric) is None:
            return False
        if parent is not None and tree[parent][0] not in PARENT_LEVELS[level]:
            return False
    return True


levels = st.lists(st.sampled_from(LEVELS), min_size=1, max_size=9)
moves = st.lists(st.tuples(st.integers(0, 8), st.one_of(st.none(), st.integers(0, 8))),
                 max_size=30)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(levels, moves)
def test_accepted_moves_keep_a_sound_tree_and_refused_ones_would_break_it(
    kinds: list[str], tries: list[tuple[int, int | None]]
) -> None:
    tree: Tree = {f"M{i}": (kind, None) for i, kind in enumerate(kinds)}
    for child, parent in tries:
        metric = f"M{child % len(kinds)}"
        target = None if parent is None else f"M{parent % len(kinds)}"
        level = tree[metric][0]
        problem = parent_problem(metric, level, target, tree)
        moved = {**tree, metric: (level, target)}
        assert (problem is None) == _sound(moved), (metric, target, problem)
        if problem is None:
            tree = moved
        else:
            assert problem.startswith(("a ", "an ", metric))  # one sentence, naming it
    assert _sound(tree)


@given(levels)
def test_an_unknown_parent_is_refused_by_name(kinds: list[str]) -> None:
    tree: Tree = {f"M{i}": (kind, None) for i, kind in enumerate(kinds)}
    refusal = parent_problem("M0", kinds[0], "NOPE", tree)
    assert refusal == "there is no metric 'NOPE' to put M0 under"
