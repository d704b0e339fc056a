"""Figures that say how diverse a partition of people into workgroups is.

- **diversity**: the sum over workgroups of the distances between every two members
  (``d`` from :mod:`._attributes`); per workgroup, the same sum within it.
- **dispersion**: the smallest distance between two members of the same workgroup: the
  two most alike people who share a group.
- **max_mean_deviation_sd**: how far the most unusual workgroup sits from everyone on a
  numeric feature: the largest ``|group mean - overall mean|`` in standard deviations,
  over numeric features and groups (missing values left out; ``None`` without numeric
  features).
- **vs_random**: diversity divided by the mean diversity of a uniformly random partition
  with the same group sizes. That mean is exact, not sampled: two given people share a
  group of size ``n_g`` with probability ``n_g (n_g - 1) / (N (N - 1))``, so the mean is
  ``sum of all pair distances * sum_g n_g (n_g - 1) / (N (N - 1))``. Constraints (must-link,
  balance...) are not applied to the random partitions.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult
from smartmoves.engines.teams._attributes import dissimilarity, numeric_scores, read_attributes
from smartmoves.errors import DataError

__all__ = ["DiversityFigures", "GroupDiversity", "diversity_figures"]

GroupLabel = int | str


def label_key(label: GroupLabel) -> tuple[int, int, str]:
    """Order workgroup labels: numbers first, in numeric order, then names."""
    if isinstance(label, int):
        return (0, label, "")
    return (1, 0, label)


def plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (ids and labels end up in JSON)."""
    return value.item() if isinstance(value, np.generic) else value


def group_label(value: Any) -> GroupLabel:
    """A workgroup label as int when it spells a whole number, else as text."""
    value = plain(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    return int(text) if text.isdecimal() else text


def people_ids(frame: pd.DataFrame) -> list[Hashable]:
    """``person_id`` values when the frame has them (unique, none missing), else row positions."""
    if "person_id" not in frame.columns:
        return list(range(len(frame)))
    ids = frame["person_id"]
    if ids.isna().any():
        raise DataError("the people table has rows without a person_id")
    duplicated = ids[ids.duplicated()].astype(str).unique().tolist()
    if duplicated:
        raise DataError(f"person_id repeats in the people table: {', '.join(duplicated[:5])}")
    return [plain(v) for v in ids.tolist()]


@dataclass(frozen=True)
class GroupDiversity:
    """One workgroup: its label, its members (person ids) and its diversity."""

    group: GroupLabel
    members: tuple[Hashable, ...]
    diversity: float


@dataclass(frozen=True)
class DiversityFigures(EngineResult):
    """How diverse a partition is; see the module docstring for each definition."""

    groups: tuple[GroupDiversity, ...]
    diversity: float
    dispersion: float
    max_mean_deviation_sd: float
    vs_random: float

    def to_frame(self) -> pd.DataFrame:
        """One row per workgroup: ``workgroup``, ``size``, ``diversity``, ``members``."""
        return pd.DataFrame(
            {
                "workgroup": [g.group for g in self.groups],
                "size": [len(g.members) for g in self.groups],
                "diversity": [g.diversity for g in self.groups],
                "members": [list(g.members) for g in self.groups],
            }
        )


def random_diversity(distances: np.ndarray, sizes: Sequence[int]) -> float:
    """Mean diversity of uniformly random partitions with these group sizes (exact)."""
    n = len(distances)
    if n < 2:
        return 0.0
    together = sum(s * (s - 1) for s in sizes) / (n * (n - 1))
    return float(np.triu(distances, 1).sum() * together)


def partition_figures(
    distances: np.ndarray,
    scores: np.ndarray,
    codes: np.ndarray,
    labels: Sequence[GroupLabel],
    ids: Sequence[Hashable],
) -> DiversityFigures:
    """Figures for the partition where person ``i`` is in workgroup ``labels[codes[i]]``."""
    groups, sizes = [], []
    dispersion, deviation = np.inf, np.nan
    for code in sorted(range(len(labels)), key=lambda c: label_key(labels[c])):
        label = labels[code]
        members = np.flatnonzero(codes == code)
        inner = distances[np.ix_(members, members)]
        groups.append(
            GroupDiversity(label, tuple(ids[int(i)] for i in members), float(inner.sum() / 2))
        )
        sizes.append(len(members))
        if len(members) > 1:
            dispersion = min(dispersion, float(inner[np.triu_indices(len(members), 1)].min()))
        if scores.shape[1] and len(members):
            block = scores[members]
            known = np.isfinite(block).any(axis=0)
            if known.any():
                means = np.abs(np.nanmean(block[:, known], axis=0))
                deviation = float(np.nanmax([deviation, means.max()]))
    total = sum(g.diversity for g in groups)
    expected = random_diversity(distances, sizes)
    return DiversityFigures(
        groups=tuple(groups),
        diversity=total,
        dispersion=dispersion if np.isfinite(dispersion) else np.nan,
        max_mean_deviation_sd=deviation,
        vs_random=total / expected if expected > 0 else np.nan,
    )


def diversity_figures(
    frame: pd.DataFrame,
    labels: Sequence[Any],
    *,
    features: Sequence[str],
    weights: Mapping[str, float] | None = None,
) -> DiversityFigures:
    """The diversity figures of any partition, e.g. after a person is moved by hand.

    Parameters
    ----------
    frame : DataFrame
        One row per person; ``person_id`` (optional) names the members, else row positions.
    labels : sequence
        The workgroup of each row, in order (ints or names; ``"2"`` counts as ``2``).
    features, weights
        As in :func:`form_workgroups`.

    Returns
    -------
    DiversityFigures
        Workgroups in label order (numbers first), with the partition's figures.

    Raises
    ------
    DataError
        Labels missing or of the wrong length, person_id repeated, a feature column missing.
    ConfigError
        Bad features or weights.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["a", "b", "c", "d"], "tenure": [1, 2, 3, 4]})
    >>> figures = diversity_figures(people, [1, 2, 2, 1], features=["tenure"])
    >>> [(g.group, g.members) for g in figures.groups]
    [(1, ('a', 'd')), (2, ('b', 'c'))]
    >>> round(figures.diversity, 3), round(figures.dispersion, 3), round(figures.vs_random, 3)
    (3.578, 0.894, 1.2)
    """
    if len(labels) != len(frame):
        raise DataError(f"{len(labels)} workgroup labels for {len(frame)} people")
    if any(pd.isna(v) for v in labels):
        raise DataError("every person needs a workgroup label")
    ids = people_ids(frame)
    attributes = read_attributes(frame, features, weights)
    normal = [group_label(v) for v in labels]
    ordered = sorted(set(normal), key=label_key)
    position = {label: k for k, label in enumerate(ordered)}
    codes = np.array([position[v] for v in normal], dtype=int)
    return partition_figures(
        dissimilarity(frame, attributes), numeric_scores(frame, attributes), codes, ordered, ids
    )
