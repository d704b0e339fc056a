"""Which figures over people may be shown: small groups, and what subtraction would reveal.

A figure over people (a headcount, the hours a unit spends on an activity, how many of its
people are supervisors) is a sum over the people who contribute to it. Shown alone, a sum
over fewer people than the minimum group size is suppressed ("primary" suppression). But
figures are also shown side by side, and the difference of two shown figures is a figure
too: a division's headcount minus its only team's is the division head, alone. This engine
decides, for one family of figures, which to hide so that no difference between shown
figures isolates fewer than the minimum either ("complementary" suppression, as
statistical agencies do for published tables).

A family is one measure over a tree of nested groups: every node's group holds the people
attached to it directly (``own``) and the groups of its children. The organization's units
form such a tree (the organization at the root, above its top units); a set of disjoint
groups shown with their total is a tree of depth one. For nested groups the reasoning is
exact: everything an onlooker can compute from the shown figures by adding and
subtracting is a sum of *residuals*, a residual being what a shown node holds beyond its
nearest shown descendants. So the rule is that every residual is empty or holds at least
the minimum, and that is what :func:`suppress` makes true, hiding as little as it can.

How it chooses: nodes are settled bottom-up. When a shown node's residual is too small,
it is hidden itself (its people then count toward its parent's residual), unless it is a
root: a root's small residual is absorbed by hiding the smallest of its nearest shown
descendants that makes it large enough, so that organization-wide totals stay shown.

Example: a bank of 1 CEO, two divisions each with its head and one team.

>>> parent = {"bank": None, "retail": "bank", "finance": "bank",
...           "branches": "retail", "payments": "finance"}
>>> own = {"bank": 1, "retail": 1, "finance": 1, "branches": 40, "payments": 3}
>>> hidden = suppress(own, parent, minimum=5)
>>> {node: reason for node, reason in hidden.items() if reason}
{'payments': 'small', 'finance': 'small', 'retail': 'difference'}
>>> residuals(own, parent, hidden)["bank"]  # the CEO, both heads, payments' three
6

``payments`` (3) and ``finance`` (4: its head and payments' three) are small groups;
``retail`` (41) minus ``branches`` (40) would be retail's head alone, so ``retail`` is hidden
too. What the bank's 46 minus the 40 of ``branches`` leaves covers 6 people: safe.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Set
from typing import Literal, TypeVar

__all__ = [
    "Reason",
    "groups_with_total",
    "overlapping_with_total",
    "residuals",
    "suppress",
    "totals",
]

_TOTAL = object()  # the node above groups shown with their total

K = TypeVar("K", bound=Hashable)
Reason = Literal["small", "difference"] | None


def _children(parent: Mapping[K, K | None]) -> dict[K | None, list[K]]:
    children: dict[K | None, list[K]] = {None: []}
    for node in parent:
        children.setdefault(node, [])
    for node, up in parent.items():
        children[up if up in parent else None].append(node)
    for kids in children.values():
        kids.sort(key=repr)  # a fixed order, so that ties are broken the same way every time
    return children


def _post_order(children: dict[K | None, list[K]]) -> list[K]:
    order: list[K] = []
    stack: list[tuple[K, bool]] = [(r, False) for r in reversed(children[None])]
    while stack:  # iterative: an organization may be deeper than Python's recursion limit
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children[node]))
    return order


def totals(own: Mapping[K, int], parent: Mapping[K, K | None]) -> dict[K, int]:
    """People in each node's group: its own and every descendant's.

    >>> totals({"a": 1, "b": 2}, {"a": None, "b": "a"})
    {'b': 2, 'a': 3}
    """
    children = _children(parent)
    total: dict[K, int] = {}
    for node in _post_order(children):
        total[node] = int(own.get(node, 0)) + sum(total[c] for c in children[node])
    return total


def _frontier(node: K, children: dict[K | None, list[K]], hidden: Mapping[K, Reason]) -> list[K]:
    """The shown nodes nearest below ``node`` (through hidden ones)."""
    found: list[K] = []
    stack = list(children[node])
    while stack:
        c = stack.pop()
        if hidden.get(c):
            stack.extend(children[c])
        else:
            found.append(c)
    return found


def suppress(
    own: Mapping[K, int],
    parent: Mapping[K, K | None],
    minimum: int,
    *,
    show_empty: bool = False,
) -> dict[K, Reason]:
    """For every node, why its figure is hidden (``"small"`` or ``"difference"``) or None.

    ``own[node]`` counts the people contributing to the node's figure who are in no child;
    ``parent[node]`` is its parent (None, or a key that is not a node: a root). A node over
    no one is hidden too unless ``show_empty``: that "nobody here" is safe to show in a
    table of its own, but beside a hidden parent it tells where the parent's few are.
    """
    if minimum < 1:
        raise ValueError(f"minimum must be at least 1, not {minimum}")
    children = _children(parent)
    total = totals(own, parent)
    hidden: dict[K, Reason] = {}
    up: dict[K, int] = {}  # people of the node's group not under a shown node below it
    for node in _post_order(children):
        n = total[node]
        if 0 < n < minimum or (n == 0 and not show_empty):
            hidden[node] = "small"
        up[node] = int(own.get(node, 0)) + sum(up[c] for c in children[node] if hidden.get(c))
        if hidden.get(node) or up[node] == 0 or up[node] >= minimum:
            hidden.setdefault(node, None)
            continue
        if parent.get(node) in parent:  # not a root: hide it, its parent absorbs the rest
            hidden[node] = "difference"
            continue
        hidden[node] = None
        while 0 < up[node] < minimum:
            below = [c for c in _frontier(node, children, hidden) if up[c] > 0]
            if not below:
                hidden[node] = "difference"
                break
            enough = [c for c in below if up[node] + up[c] >= minimum]
            pick = min(enough or below, key=lambda c: (total[c], repr(c)))
            hidden[pick] = "difference"
            up[node] += up[pick]
    return _show_again(own, parent, hidden, minimum)


def _safe(left: Mapping[K, int], hidden: Mapping[K, Reason], minimum: int) -> bool:
    return all(not (0 < left[k] < minimum) for k, r in hidden.items() if r is None)


def _show_again(
    own: Mapping[K, int], parent: Mapping[K, K | None], hidden: dict[K, Reason], minimum: int
) -> dict[K, Reason]:
    """Settling bottom-up can hide a node that a later choice made unnecessary (a parent
    hidden for its small residual, whose people a root then absorbed anyway): show each
    such node again, largest first, when every residual stays safe without it."""
    total = totals(own, parent)
    for node in sorted(
        (k for k, r in hidden.items() if r == "difference"), key=lambda k: (-total[k], repr(k))
    ):
        hidden[node] = None
        if not _safe(residuals(own, parent, hidden), hidden, minimum):
            hidden[node] = "difference"
    return hidden


def residuals(
    own: Mapping[K, int], parent: Mapping[K, K | None], hidden: Mapping[K, Reason]
) -> dict[K, int]:
    """For every node, its people not under a shown node below it: what subtracting the
    shown figures below it from its own figure would cover.

    >>> residuals({"a": 1, "b": 9}, {"a": None, "b": "a"}, {"a": None, "b": None})
    {'b': 9, 'a': 1}
    """
    children = _children(parent)
    out: dict[K, int] = {}
    for node in _post_order(children):
        out[node] = int(own.get(node, 0)) + sum(out[c] for c in children[node] if hidden.get(c))
    return out


def groups_with_total(counts: Mapping[K, int], minimum: int) -> dict[K, Reason]:
    """Disjoint groups shown beside their total (units of a network, bands of a plan):
    the small ones hidden, and more when the hidden together are too few; empty groups
    stay shown ("nobody above 90% load" reveals no one).

    >>> groups_with_total({"a": 3, "b": 6, "c": 40}, 5)
    {'a': 'small', 'b': 'difference', 'c': None}
    """
    parent: dict[object, object | None] = {_TOTAL: None}
    parent.update(dict.fromkeys(counts, _TOTAL))
    own: dict[object, int] = {k: v for k, v in counts.items()}  # noqa: C416 (widens the key)
    own[_TOTAL] = 0
    hidden = suppress(own, parent, minimum, show_empty=True)
    return {k: hidden[k] for k in counts}


def overlapping_with_total(
    people: Mapping[K, Set[Hashable]], minimum: int, *, hidden: Set[K] = frozenset()
) -> dict[K, Reason]:
    """Groups that may share people, each with a figure that adds up to a shown total (the
    hours of each activity beside a scope's hours: a person does several activities).

    Subtracting the shown figures from the total gives the sum over the hidden groups, a
    figure over everyone in any of them; so the small groups are hidden, and then more, the
    smallest first, until the people of the hidden groups together are none or at least the
    minimum. ``hidden`` names groups another family already hides. Empty groups stay shown.

    >>> overlapping_with_total({"filing": {1, 2}, "calls": {2, 3, 4, 5, 6}, "mail": {3, 4,
    ...     5, 6, 7, 8}, "audit": {1, 2, 3, 4, 5, 6, 7, 8}}, 5)
    {'filing': 'small', 'calls': 'difference', 'mail': None, 'audit': None}
    """
    out: dict[K, Reason] = {}
    for group, members in people.items():
        small = 0 < len(members) < minimum
        out[group] = "small" if small else "difference" if group in hidden else None
    covered: set[Hashable] = set().union(*(people[g] for g, r in out.items() if r))
    by_size = sorted(
        (g for g, r in out.items() if r is None and people[g]),
        key=lambda g: (len(people[g]), repr(g)),
    )
    for group in by_size:
        if not 0 < len(covered) < minimum:
            break
        out[group] = "difference"
        covered |= people[group]
    return out
