"""Burt's constraint from the tie arrays: exact, or through each person's strongest ties.

With ``p_ij = w_ij / sum_k w_ik`` (the share of i's tie weight that goes to j), person i's
constraint is ``sum over contacts j of (p_ij + sum over q of p_iq p_qj)^2``. The direct
terms cost one pass over the ties; the indirect ones are the product ``P @ P``, read at
the ties only. Person i's row of it takes, over each contact q, q's contacts: ``deg(q)``
multiply-adds, so the sum of the squared degrees over everyone (3e8 for the demo's 2,000
people, 1e11 for a synthetic bank of 100,000 people with 28 million ties). It is computed
a block of rows at a time, so memory stays bounded at any size.

Above ``work_limit``, the indirect terms go through each person's ``k`` strongest ties
only, on both legs (i to q, q to j), so a row costs at most ``k * k``; the direct terms
and the shares' denominators stay exact over all ties. Values then come out a little low
(what the weaker ties add is left out); ``docs/network.md`` gives the error measured
against exact constraint on synthetic banks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse

from smartmoves.engines.network._ties import TieGraph

__all__ = [
    "CONSTRAINT_MIN_TIES",
    "CONSTRAINT_WORK_LIMIT",
    "PRODUCT_ENTRY_WORK",
    "constraint",
    "constraint_ties_kept",
    "constraint_work",
]

# What an entry of the product costs in multiply-adds: making it, and reading it where it
# meets a tie. Measured here by benchmarks/constraint_sizes.py --calibrate: 2.5 ns a
# multiply-add, 11 ns an entry (counting one for each multiply-add, at most one a person).
PRODUCT_ENTRY_WORK = 4

# About 13 s of indirect terms on one core here, and about 200 ns a tie on top for the
# rest: some 20 s for 100,000 people with 28 million ties, through their 100 strongest
# ties. Exact for the demo's 2,000 people (3e8).
CONSTRAINT_WORK_LIMIT = 5_000_000_000

# Fewer strongest ties than this leave out too much of a person's indirect constraint
# (docs/network.md), whatever it costs.
CONSTRAINT_MIN_TIES = 20

# A block of rows holds about this many product entries at once (some 50 MB).
_BLOCK_ENTRIES = 4_000_000


def _degree(graph: TieGraph) -> np.ndarray:
    return np.bincount(graph.a, minlength=graph.n) + np.bincount(graph.b, minlength=graph.n)


def _work(adds: np.ndarray, n: int) -> int:
    # A row of the product holds at most one entry per person, however many adds.
    return int(np.sum(adds + PRODUCT_ENTRY_WORK * np.minimum(adds, n)))


def constraint_work(graph: TieGraph, ties_kept: int | None = None) -> int:
    """What the indirect terms cost: per person, the multiply-adds of their row of the
    product (over each contact q, q's contacts: ``sum of deg(q)``) and
    :data:`PRODUCT_ENTRY_WORK` for each entry it makes (at most one per person).

    With ``ties_kept``, an upper bound: ``min(deg, k)`` kept contacts of at most ``k``
    kept contacts each.

    >>> import pandas as pd
    >>> from smartmoves.engines.network._ties import tie_graph
    >>> people = pd.DataFrame({"person_id": list("abcd"), "unit_id": "u"})
    >>> star = pd.DataFrame({"person_a": "a", "person_b": list("bcd"), "weight": 1.0})
    >>> constraint_work(tie_graph(star, people))  # a: 3 adds, 3 entries; b, c, d: 3 and 3
    60
    >>> constraint_work(tie_graph(star, people), ties_kept=1)  # 1 add, 1 entry each
    20
    """
    degree = _degree(graph)
    if ties_kept is None:
        adds = np.bincount(graph.a, weights=degree[graph.b], minlength=graph.n)
        adds += np.bincount(graph.b, weights=degree[graph.a], minlength=graph.n)
    else:
        adds = (np.minimum(degree, ties_kept) * ties_kept).astype(np.float64)
    return _work(adds, graph.n)


def constraint_ties_kept(graph: TieGraph, *, work_limit: int, min_ties: int) -> int | None:
    """``None`` (every tie, exact) when :func:`constraint_work` fits in ``work_limit``,
    else the most strongest ties a person keeps that fit, but at least ``min_ties``.

    >>> import pandas as pd
    >>> from smartmoves.engines.network._ties import tie_graph
    >>> people = pd.DataFrame({"person_id": [f"p{i}" for i in range(50)], "unit_id": "u"})
    >>> pairs = [(f"p{i}", f"p{j}") for i in range(50) for j in range(i + 1, 50)]
    >>> ties = pd.DataFrame(pairs, columns=["person_a", "person_b"]).assign(weight=1.0)
    >>> everyone = tie_graph(ties, people)  # 50 people, each tied to the 49 others
    >>> constraint_ties_kept(everyone, work_limit=10**6, min_ties=5) is None
    True
    >>> constraint_ties_kept(everyone, work_limit=10_000, min_ties=5)  # 50 x 6 x 6 x (1 + 4)
    6
    >>> constraint_ties_kept(everyone, work_limit=0, min_ties=5)
    5
    """
    degree = _degree(graph)
    # The squared degrees are the adds alone: past the limit, exact cannot fit.
    squares = int(np.sum(degree.astype(np.int64) ** 2))
    if squares <= work_limit and constraint_work(graph) <= work_limit:
        return None
    low, high = min_ties, max(int(degree.max(initial=0)), min_ties)
    while low < high:  # the most ties whose work fits (it grows with them)
        middle = (low + high + 1) // 2
        if _work((np.minimum(degree, middle) * middle).astype(np.float64), graph.n) <= work_limit:
            low = middle
        else:
            high = middle - 1
    return low


def _shares(graph: TieGraph) -> tuple[sparse.csr_array, np.ndarray]:
    """The symmetric tie pattern as CSR whose values are the shares ``p_ij``, and each
    person's strength."""
    n, m = graph.n, len(graph.a)
    weight = np.asarray(graph.weight, dtype=np.float64)  # no ties: bincount's int64
    # 32-bit positions while they fit: half the memory to move in every pass.
    index = np.int32 if 2 * m < 2**31 and n < 2**31 else np.int64
    upper_ptr = np.zeros(n + 1, dtype=index)
    np.cumsum(np.bincount(graph.a, minlength=n), out=upper_ptr[1:])
    strength = np.bincount(graph.a, weights=weight, minlength=n) + np.bincount(
        graph.b, weights=weight, minlength=n
    )
    scale = np.divide(1.0, strength, out=np.zeros(n), where=strength > 0)
    # Each tie's two shares: p_ab in row a (number t), p_ba in row b (number m + t).
    both = np.concatenate([weight * scale[graph.a], weight * scale[graph.b]])
    # scipy's sum of the two triangles is the fastest symmetric CSR, but it would drop
    # ties of weight 0; summing the shares' numbers instead (all above 0) keeps them.
    numbers = np.arange(1, m + 1, dtype=index)
    b = graph.b.astype(index)
    upper = sparse.csr_array((numbers, b, upper_ptr), shape=(n, n))
    lower = sparse.csr_array((numbers + m, b, upper_ptr), shape=(n, n)).T
    full = sparse.csr_array(upper + lower)
    shares = sparse.csr_array((both[full.data - 1], full.indices, full.indptr), shape=(n, n))
    return shares, strength


def _strongest(shares: sparse.csr_array, k: int) -> sparse.csr_array:
    """Each row's ``k`` largest shares (all of a row with ``k`` or fewer); among equal
    shares at the cut, the contacts that come first.

    Rows of one degree are taken together as a matrix, so each step (the cut, by
    ``partition``; the shares above it; the first of those equal to it) runs on whole
    matrices rather than row by row in Python."""
    indptr, data, indices = shares.indptr, shares.data, shares.indices
    degree = np.diff(indptr)
    kept_ptr = np.zeros(len(degree) + 1, dtype=indptr.dtype)
    np.cumsum(np.minimum(degree, k), out=kept_ptr[1:])
    kept_data = np.empty(kept_ptr[-1])
    kept_indices = np.empty(kept_ptr[-1], dtype=indices.dtype)
    for d in np.unique(degree):
        rows = np.flatnonzero(degree == d)
        cells = indptr[rows][:, None] + np.arange(d)
        target = kept_ptr[rows][:, None] + np.arange(min(d, k))
        if d > k:
            values = data[cells]
            cut = np.partition(values, d - k, axis=1)[:, d - k, None]
            above = values > cut
            # Room left after the shares above the cut, for the first ones equal to it.
            room = k - above.sum(axis=1, keepdims=True)
            at_cut = values == cut
            keep = above | (at_cut & (np.cumsum(at_cut, axis=1) <= room))
            cells = cells[keep].reshape(len(rows), k)
        kept_data[target] = data[cells]
        kept_indices[target] = indices[cells]
    return sparse.csr_array((kept_data, kept_indices, kept_ptr), shape=shares.shape)


def _rows(matrix: sparse.csr_array, start: int, stop: int) -> sparse.csr_array:
    """Rows ``start:stop`` as views of the matrix's arrays (scipy's slice copies them)."""
    low, high = matrix.indptr[start], matrix.indptr[stop]
    return sparse.csr_array(
        (matrix.data[low:high], matrix.indices[low:high], matrix.indptr[start : stop + 1] - low),
        shape=(stop - start, matrix.shape[1]),
    )


def _blocks(entries: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges whose product holds about ``_BLOCK_ENTRIES`` entries (at least a row)."""
    if len(entries) == 0:
        return []
    before = np.cumsum(entries) - entries
    block = (before // _BLOCK_ENTRIES).astype(np.int64)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(block)) + 1])
    stops = np.concatenate([starts[1:], [len(entries)]])
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def constraint(
    graph: TieGraph,
    *,
    work_limit: int = CONSTRAINT_WORK_LIMIT,
    min_ties: int = CONSTRAINT_MIN_TIES,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Burt's constraint with tie weights; NaN for people without ties (or whose ties
    all weigh 0).

    Returns the values and how they were computed: ``method`` (``"exact"`` or
    ``"strongest ties"``), ``ties_kept`` (each person's strongest ties in the indirect
    terms, None when exact) and ``work`` (what the indirect terms cost, counted as
    :func:`constraint_work` does).

    Examples
    --------
    >>> import pandas as pd
    >>> from smartmoves.engines.network._ties import tie_graph
    >>> people = pd.DataFrame({"person_id": list("abcde"), "unit_id": "u"})
    >>> ties = pd.DataFrame({"person_a": list("aabc"), "person_b": list("bccd"),
    ...                      "weight": [2.0, 1.0, 1.0, 1.0]})
    >>> graph = tie_graph(ties, people)  # a triangle a-b-c, d tied to c, e alone
    >>> values, how = constraint(graph)
    >>> values.round(4).tolist(), how
    ([0.9136, 0.9136, 0.7284, 1.0, nan], {'method': 'exact', 'ties_kept': None, 'work': 90})
    >>> values, how = constraint(graph, work_limit=0, min_ties=1)
    >>> values.round(4).tolist(), how["method"], how["ties_kept"]
    ([0.5556, 0.5556, 0.5309, 1.0, nan], 'strongest ties', 1)
    """
    n = graph.n
    if n == 0:
        return np.zeros(0), {"method": "exact", "ties_kept": None, "work": 0}
    k = constraint_ties_kept(graph, work_limit=work_limit, min_ties=min_ties)
    shares, strength = _shares(graph)
    strong = shares if k is None else _strongest(shares, k)
    # Row i of the product multiplies, over its kept contacts q, the kept contacts of q.
    kept = np.diff(strong.indptr)
    adds = np.bincount(np.repeat(np.arange(n), kept), weights=kept[strong.indices], minlength=n)
    entries = np.minimum(adds, n)
    values = np.zeros(n)
    # One person's row of the product at a time: scattered into a dense row (which stays
    # in the core's cache), read at their ties, then cleared where it was written. This
    # Python loop costs about a microsecond a person; scipy's elementwise product of
    # the block with the ties, the vectorized way, takes twice as long at 100,000 people.
    row = np.zeros(n)
    tie_ptr, tie_to, tie_share = shares.indptr.tolist(), shares.indices, shares.data
    for start, stop in _blocks(entries):
        product = _rows(strong, start, stop) @ strong
        made_ptr, made_to, made = product.indptr.tolist(), product.indices, product.data
        for i in range(start, stop):
            low, high = made_ptr[i - start], made_ptr[i - start + 1]
            row[made_to[low:high]] = made[low:high]
            ties = slice(tie_ptr[i], tie_ptr[i + 1])
            total = tie_share[ties] + row[tie_to[ties]]  # p_ij + sum over q of p_iq p_qj
            row[made_to[low:high]] = 0.0
            values[i] = total @ total
    values[strength <= 0] = np.nan
    how = {
        "method": "exact" if k is None else "strongest ties",
        "ties_kept": k,
        "work": _work(adds, n),
    }
    return values, how
