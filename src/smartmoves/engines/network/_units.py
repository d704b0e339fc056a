"""Per-unit figures: internal and external ties, E-I index, interdependence, partners.

``external_weight_share`` (the share of a unit's collaboration weight that crosses its
boundary) is the unit's **interdependence**: the entry-point scorer reads it, and a
self-contained unit scores low on it. Units smaller than the minimum group size are
suppressed: their figures are null and they appear in nobody's partners or matrix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smartmoves.engines.network._ties import TieGraph
from smartmoves.engines.suppression import groups_with_total

__all__ = ["unit_figures"]

UNIT_COLUMNS = [
    "unit_id",
    "size",
    "internal_ties",
    "external_ties",
    "ei_index",
    "external_weight_share",
    "top_partners",
    "suppressed",
]


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    out = np.full(len(top), np.nan)
    np.divide(top, bottom, out=out, where=bottom > 0)
    return out


def unit_figures(
    graph: TieGraph, *, min_group_size: int, partners: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The units table and the unit-to-unit matrix (long form, ``unit_a <= unit_b``).

    Returns
    -------
    units : pandas.DataFrame
        ``unit_id, size, internal_ties, external_ties, ei_index, external_weight_share,
        top_partners, suppressed``. I counts distinct pairs inside the unit, E distinct
        pairs with one end inside; ``ei_index = (E - I) / (E + I)``.
    matrix : pandas.DataFrame
        ``unit_a, unit_b, ties, weight`` for every pair of unsuppressed units with at
        least one tie (``unit_a == unit_b``: ties inside the unit).
    """
    k = len(graph.unit_ids)
    size = np.bincount(graph.unit_of, minlength=k)
    ua, ub = graph.unit_of[graph.a], graph.unit_of[graph.b]
    inside = ua == ub
    crossing = ~inside
    internal = np.bincount(ua[inside], minlength=k)
    external = np.bincount(ua[crossing], minlength=k) + np.bincount(ub[crossing], minlength=k)
    w = graph.weight
    internal_weight = np.bincount(ua[inside], weights=w[inside], minlength=k)
    external_weight = np.bincount(ua[crossing], weights=w[crossing], minlength=k) + np.bincount(
        ub[crossing], weights=w[crossing], minlength=k
    )
    # Units are disjoint groups shown with the organization's totals: hide the small ones,
    # and one more when the hidden together would be too few (the total minus the rest).
    hidden = groups_with_total(dict(enumerate(size.tolist())), min_group_size)
    suppressed = np.array([hidden[i] is not None for i in range(k)], dtype=bool)

    low, high = np.minimum(ua, ub), np.maximum(ua, ub)
    key = low.astype(np.int64) * k + high
    keys, inverse = np.unique(key, return_inverse=True)
    pair_ties = np.bincount(inverse, minlength=len(keys))
    pair_weight = np.bincount(inverse, weights=w, minlength=len(keys))
    pair_low, pair_high = keys // max(k, 1), keys % max(k, 1)
    shown = ~suppressed[pair_low] & ~suppressed[pair_high]
    matrix = pd.DataFrame(
        {
            "unit_a": graph.unit_ids[pair_low[shown]],
            "unit_b": graph.unit_ids[pair_high[shown]],
            "ties": pair_ties[shown].astype(np.int64),
            "weight": pair_weight[shown],
        }
    )
    units = pd.DataFrame(
        {
            "unit_id": graph.unit_ids,
            "size": size.astype(np.int64),
            "internal_ties": pd.array(internal, dtype="Int64"),
            "external_ties": pd.array(external, dtype="Int64"),
            "ei_index": _ratio(external - internal, external + internal),
            "external_weight_share": _ratio(external_weight, internal_weight + external_weight),
            "top_partners": _top_partners(matrix, graph.unit_ids, partners),
            "suppressed": suppressed,
        }
    )
    units.loc[suppressed, ["internal_ties", "external_ties"]] = pd.NA
    units.loc[suppressed, ["ei_index", "external_weight_share"]] = np.nan
    units["top_partners"] = [
        None if s else p for s, p in zip(suppressed, units["top_partners"], strict=True)
    ]
    return units[UNIT_COLUMNS], matrix


def _top_partners(matrix: pd.DataFrame, unit_ids: np.ndarray, limit: int) -> list[list[str]]:
    between = matrix[matrix["unit_a"] != matrix["unit_b"]]
    both_ways = pd.concat(
        [
            between.rename(columns={"unit_a": "unit", "unit_b": "partner"}),
            between.rename(columns={"unit_b": "unit", "unit_a": "partner"}),
        ]
    ).sort_values(["unit", "weight", "partner"], ascending=[True, False, True])
    best = both_ways.groupby("unit")["partner"].agg(lambda s: list(s.iloc[:limit]))
    return [list(best.get(u, [])) for u in unit_ids]
