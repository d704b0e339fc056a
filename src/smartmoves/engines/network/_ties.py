"""Ties and people in, one integer-coded undirected graph out.

Every figure of the network engine reads this :class:`TieGraph`: people are numbered in
the order of the people table, ties among them are deduplicated into ``a < b`` pairs
sorted by ``(a, b)`` (so the input's row order never changes a result), and ties to ids
that are not in the people table are set apart as external contacts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult, require_columns
from smartmoves.errors import DataError

if TYPE_CHECKING:
    import igraph
    import pyarrow as pa
    from scipy import sparse

__all__ = ["TieGraph", "tie_graph", "undirected_graph"]


@dataclass(frozen=True, eq=False)
class TieGraph(EngineResult):
    """People ``0..n-1`` and the undirected ties among them.

    Attributes
    ----------
    person_ids, unit_ids
        Ids of the people (table order) and of the units (sorted).
    unit_of
        Each person's unit, as a position in ``unit_ids``.
    a, b, weight, reciprocal
        One entry per tie among people, ``a < b``, sorted.
    external_contacts
        Per person, the number of distinct ids outside the people table they have a tie with.
    counts
        Totals about what was set apart (external ids, ties to them, self-ties).
    """

    person_ids: np.ndarray
    unit_ids: np.ndarray
    unit_of: np.ndarray
    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    reciprocal: np.ndarray
    external_contacts: np.ndarray
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.person_ids)

    def to_frame(self) -> pd.DataFrame:
        """One row per tie among people: ``person_a, person_b, weight, reciprocal``."""
        return pd.DataFrame(
            {
                "person_a": self.person_ids[self.a].astype(str),
                "person_b": self.person_ids[self.b].astype(str),
                "weight": self.weight,
                "reciprocal": self.reciprocal,
            }
        )

    def edges(self) -> np.ndarray:
        """The ties as an ``(m, 2)`` array of person positions."""
        return np.column_stack([self.a, self.b])

    def igraph(self) -> igraph.Graph:
        """The graph for python-igraph, with the tie weights as edge attribute ``weight``."""
        graph = undirected_graph(self.n, self.a, self.b)
        graph.es["weight"] = self.weight.tolist()
        return graph

    def adjacency(self) -> sparse.csr_matrix:
        """Symmetric 0/1 adjacency (CSR) over people."""
        from scipy import sparse

        ones = np.ones(2 * len(self.a), dtype=np.float64)
        rows = np.concatenate([self.a, self.b])
        cols = np.concatenate([self.b, self.a])
        return sparse.csr_matrix((ones, (rows, cols)), shape=(self.n, self.n))

    def neighbors(self) -> tuple[np.ndarray, np.ndarray]:
        """(``offsets``, ``contacts``): i's contacts are ``contacts[offsets[i]:offsets[i + 1]]``."""
        adjacency = self.adjacency()
        return adjacency.indptr, adjacency.indices


def undirected_graph(people: int, a: np.ndarray, b: np.ndarray) -> igraph.Graph:
    """An igraph graph of ties ``a[i] - b[i]``. igraph reads a list of tuples about three
    times faster than a numpy array (half a minute at 28 million ties, measured here)."""
    import igraph

    edges = list(zip(a.tolist(), b.tolist(), strict=True))
    return igraph.Graph(n=people, edges=edges, directed=False)


def _ids(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip()


def _id_array(values: pd.Series) -> pa.Array:
    """Ids as trimmed Arrow strings: hashing and comparing millions of them in Arrow
    takes seconds where pandas' object strings take minutes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        raw = pa.array(values, from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # mixed types: as pandas would print them
        raw = pa.array(values.astype(str))
    if isinstance(raw, pa.ChunkedArray):  # a pandas column backed by Arrow comes in chunks
        raw = raw.combine_chunks()
    if not (pa.types.is_string(raw.type) or pa.types.is_large_string(raw.type)):
        raw = pa.array(values.astype(str))  # numbers: as pandas would print them
    # Large strings: a hundred million ids can pass the 2 GB a plain string array holds.
    raw = raw.cast(pa.large_string())
    return pc.utf8_trim_whitespace(raw)


def _check_people(people: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    require_columns(people, ["person_id", "unit_id"], what="people")
    for column in ("person_id", "unit_id"):
        if people[column].isna().any():
            raise DataError(f"people: column {column} has empty values")
    ids = _ids(people["person_id"])
    if ids.duplicated().any():
        twice = ids[ids.duplicated()].iloc[0]
        raise DataError(f"people: person_id {twice!r} appears more than once")
    units = _ids(people["unit_id"])
    unit_ids, unit_of = np.unique(units.to_numpy(dtype=object), return_inverse=True)
    return ids.to_numpy(dtype=object), unit_ids, unit_of.astype(np.int64)


def _checked_weights(weight: np.ndarray, shown: Any) -> np.ndarray:
    bad = ~np.isfinite(weight) | (weight < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(f"ties: weight must be a number >= 0 (row {row}: {shown(row)!r})")
    return weight


def _check_ties(ties: pd.DataFrame | pa.Table) -> tuple[pa.Array, pa.Array, np.ndarray, np.ndarray]:
    if not isinstance(ties, pd.DataFrame):
        return _check_arrow_ties(ties)
    require_columns(ties, ["person_a", "person_b", "weight"], what="ties")
    if ties["person_a"].isna().any() or ties["person_b"].isna().any():
        raise DataError("ties: person_a and person_b must not be empty")
    weight = pd.to_numeric(ties["weight"], errors="coerce").to_numpy(dtype=np.float64)
    _checked_weights(weight, lambda row: ties["weight"].iloc[row])
    if "reciprocal" in ties.columns:
        reciprocal = ties["reciprocal"].fillna(False).astype(bool).to_numpy()
    else:
        reciprocal = np.zeros(len(ties), dtype=bool)
    return _id_array(ties["person_a"]), _id_array(ties["person_b"]), weight, reciprocal


def _check_arrow_ties(ties: pa.Table) -> tuple[pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """As :func:`_check_ties`, for an Arrow table (the analytics layer's): millions of
    ties never become pandas objects."""
    import pyarrow as pa
    import pyarrow.compute as pc

    missing = [c for c in ("person_a", "person_b", "weight") if c not in ties.column_names]
    if missing:
        raise DataError(f"ties lacks column(s) {', '.join(missing)}")
    ends = [ties.column(c).combine_chunks() for c in ("person_a", "person_b")]
    if any(end.null_count for end in ends):
        raise DataError("ties: person_a and person_b must not be empty")
    try:
        weights = ties.column("weight").cast(pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise DataError("ties: weight must be a number >= 0") from None
    weight = np.asarray(pc.fill_null(weights, np.nan).to_numpy(), dtype=np.float64)
    _checked_weights(weight, lambda row: ties.column("weight")[row].as_py())
    if "reciprocal" in ties.column_names:
        reciprocal = np.asarray(pc.fill_null(ties.column("reciprocal"), False).to_numpy(), bool)
    else:
        reciprocal = np.zeros(ties.num_rows, dtype=bool)
    ids = [pc.utf8_trim_whitespace(end.cast(pa.large_string())) for end in ends]
    return ids[0], ids[1], weight, reciprocal


def _positions(ids: pa.Array, people: pa.Array) -> np.ndarray:
    """Each id's position in the people table, -1 for ids outside it."""
    import pyarrow.compute as pc

    found = pc.index_in(ids, value_set=people)
    return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def tie_graph(ties: pd.DataFrame | pa.Table, people: pd.DataFrame) -> TieGraph:
    """Code ``ties`` (``person_a, person_b, weight[, reciprocal]``; a DataFrame or an
    Arrow table) over ``people``.

    Pairs given twice (in either order) are merged: weights add, ``reciprocal`` if
    either says so. Self-ties are dropped.

    Raises
    ------
    DataError
        A column is missing, an id is empty, a person is listed twice, or a weight is
        negative or not a number.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["ana", "bo"], "unit_id": ["u1", "u1"]})
    >>> ties = pd.DataFrame({"person_a": ["ana", "bo", "ana"], "person_b": ["bo", "ana", "x"],
    ...                      "weight": [1.0, 0.5, 2.0]})
    >>> graph = tie_graph(ties, people)
    >>> graph.weight.tolist(), graph.external_contacts.tolist()
    ([1.5], [1, 0])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    person_ids, unit_ids, unit_of = _check_people(people)
    ids_a, ids_b, weight, reciprocal = _check_ties(ties)
    n = len(person_ids)
    known = pa.array(person_ids.tolist(), type=pa.large_string())
    ia, ib = _positions(ids_a, known), _positions(ids_b, known)
    self_ties = np.asarray(pc.equal(ids_a, ids_b).to_numpy(zero_copy_only=False), dtype=bool)
    inside_a, inside_b = ia >= 0, ib >= 0

    # Ties with exactly one end outside the people table: that end is an external contact.
    one_out = (inside_a ^ inside_b) & ~self_ties
    insider = np.where(inside_a, ia, ib)[one_out]
    outsider = pc.if_else(pa.array(inside_a), ids_b, ids_a).filter(pa.array(one_out))
    outside_all = pa.concat_arrays(
        [ids_a.filter(pa.array(~inside_a)), ids_b.filter(pa.array(~inside_b))]
    )
    outside_ids = outside_all.unique()
    code = _positions(outsider, outside_ids)  # every outsider is among them
    pairs = np.unique(insider * np.int64(max(len(outside_ids), 1)) + code)
    external_contacts = np.bincount(
        pairs // np.int64(max(len(outside_ids), 1)), minlength=n
    ).astype(np.int64)

    both = inside_a & inside_b & ~self_ties
    u = np.minimum(ia[both], ib[both]).astype(np.int64)
    v = np.maximum(ia[both], ib[both]).astype(np.int64)
    key = u * np.int64(max(n, 1)) + v
    # Sort once; pairs given twice (rare: the analytics layer merges them) are summed.
    order = np.argsort(key)
    sorted_key = key[order]
    first = np.flatnonzero(np.concatenate([[len(key) > 0], sorted_key[1:] != sorted_key[:-1]]))
    unique_keys = sorted_key[first]
    merged_weight, merged_reciprocal = weight[both][order], reciprocal[both][order]
    if len(first) < len(key):
        merged_weight = np.add.reduceat(merged_weight, first)
        merged_reciprocal = np.logical_or.reduceat(merged_reciprocal, first)
    counts: dict[str, Any] = {
        "external_ids": len(outside_ids),
        "ties_to_external": int(one_out.sum()),
        "ties_among_external": int((~inside_a & ~inside_b & ~self_ties).sum()),
        "self_ties_dropped": int(self_ties.sum()),
    }
    return TieGraph(
        person_ids=person_ids,
        unit_ids=unit_ids,
        unit_of=unit_of,
        a=unique_keys // max(n, 1),
        b=unique_keys % max(n, 1),
        weight=merged_weight,
        reciprocal=merged_reciprocal > 0,
        external_contacts=external_contacts,
        counts=counts,
    )
