"""Checks the teams tests share: constraints of a partition, and a brute-force optimum.

The brute force knows nothing of the engine's plan: it enumerates every assignment of
people to ``k`` groups, keeps those that satisfy the constraints as the user states
them, and scores diversity straight from the distance matrix.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd


def constraint_violations(
    frame: pd.DataFrame,
    labels: Sequence[Any],
    *,
    keep_together: str | None = None,
    apart: str | None = None,
    balance: str | None = None,
    pins: Mapping[int, Any] | None = None,
) -> list[str]:
    """What a labelled partition breaks (empty list when it keeps everything)."""
    out = []
    lab = pd.Series(list(labels), index=frame.index)
    for column, rule in ((keep_together, "together"), (apart, "apart")):
        if column is None:
            continue
        values = frame[column].where(frame[column].astype(str).str.strip() != "")
        for value, people in lab.groupby(values.to_numpy(), dropna=True):
            if rule == "together" and people.nunique() > 1:
                out.append(f"{column}={value} split over {sorted(map(str, people.unique()))}")
            if rule == "apart" and not people.is_unique:
                out.append(f"{column}={value} shares a group")
    if balance is not None:
        table = pd.crosstab(frame[balance].to_numpy(), lab.to_numpy())
        spread = table.max(axis=1) - table.min(axis=1)
        out += [f"{balance}={v} counts spread {s}" for v, s in spread.items() if s > 1]
    for row, label in (pins or {}).items():
        if labels[row] != label:
            out.append(f"row {row} is in {labels[row]}, pinned to {label}")
    return out


@functools.lru_cache(maxsize=64)
def partitions(n: int, k: int) -> np.ndarray:
    """Every assignment of n people to k groups in canonical form (first use order)."""
    rows = []
    for codes in itertools.product(range(k), repeat=n):
        seen: list[int] = []
        for c in codes:
            if c not in seen:
                seen.append(c)
        if seen == sorted(seen) and len(seen) == k:
            rows.append(codes)
    return np.array(rows, dtype=int).reshape(-1, n)


def diversity_of(distances: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Diversity of each row of ``codes`` (many partitions at once)."""
    i, j = np.triu_indices(distances.shape[0], 1)
    return (codes[:, i] == codes[:, j]).astype(float) @ distances[i, j]


def brute_force_optimum(
    frame: pd.DataFrame,
    distances: np.ndarray,
    k: int,
    *,
    keep_together: str | None = None,
    apart: str | None = None,
    balance: str | None = None,
    fixed: Mapping[int, Any] | None = None,
) -> float | None:
    """Best diversity over partitions into k groups of sizes differing by at most one.

    ``fixed`` (row -> label) is read as: same label together, different labels apart,
    which is what it means when all groups have the same allowed sizes.
    """
    n = len(frame)
    codes = partitions(n, k)
    sizes = np.stack([(codes == g).sum(axis=1) for g in range(k)], axis=1)
    keep = sizes.max(axis=1) - sizes.min(axis=1) <= 1

    def groups_of(column: str) -> list[np.ndarray]:
        values = frame[column].astype("string").str.strip()
        return [
            np.flatnonzero((values == v).fillna(False).to_numpy())
            for v in values.dropna().unique()
            if v != ""
        ]

    if keep_together:
        for people in groups_of(keep_together):
            keep &= (codes[:, people] == codes[:, people[:1]]).all(axis=1)
    if apart:
        for people in groups_of(apart):
            for a, b in itertools.combinations(people, 2):
                keep &= codes[:, a] != codes[:, b]
    if balance:
        for people in groups_of(balance):
            counts = np.stack([(codes[:, people] == g).sum(axis=1) for g in range(k)], axis=1)
            keep &= counts.max(axis=1) - counts.min(axis=1) <= 1
    for (a, la), (b, lb) in itertools.combinations((fixed or {}).items(), 2):
        keep &= (codes[:, a] == codes[:, b]) == (la == lb)
    if not keep.any():
        return None
    return float(diversity_of(distances, codes[keep]).max())


def random_people(
    rng: np.random.Generator, n: int, *, constraints: float = 0.5
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """People with mixed features and, at random, keep-together/apart/balance columns."""
    frame = pd.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n)],
            "tenure": rng.normal(5, 2, size=n).round(1),
            "function": rng.choice(["ops", "it", "sales", "hr"], size=n),
            "skills": [
                ";".join(rng.choice(list("abcdef"), size=rng.integers(1, 4), replace=False))
                for _ in range(n)
            ],
        }
    )
    frame.loc[rng.random(n) < 0.1, "tenure"] = np.nan
    options: dict[str, Any] = {}
    if rng.random() < constraints:
        frame["team"] = np.where(rng.random(n) < 0.3, rng.choice(["t1", "t2", "t3"], n), "")
        options["keep_together"] = "team"
    if rng.random() < constraints:
        some = rng.random(n) < 0.4
        managers = rng.choice(["m1", "m2", "m3"], n).astype(object)
        frame["manager"] = np.where(some, managers, np.array(None))
        options["apart"] = "manager"
    if rng.random() < constraints:
        frame["gender"] = rng.choice(["f", "m", "x"], size=n, p=[0.45, 0.45, 0.1])
        options["balance"] = "gender"
    return frame, options
