"""How different two people are: the dissimilarity behind workgroup diversity.

Each attribute adds a contribution to the squared distance between two people:

- numeric: the squared difference of the z-scored values (population SD; a constant
  column adds nothing);
- categorical (text, booleans): 1 when the two values differ, 0 when they match;
- multi-valued (text with ``;`` between items, such as skills): the Jaccard distance of
  the two sets of items.

Each contribution is multiplied by the attribute's weight (default 1) and
``d = sqrt(sum of contributions)``. A pair where either value is missing gets the
attribute's mean contribution over the pairs where both are known, so a missing value
neither attracts nor repels anyone and never raises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from smartmoves.engines._common import require_columns
from smartmoves.errors import ConfigError

__all__ = ["Attribute", "dissimilarity", "numeric_scores", "read_attributes"]

Kind = Literal["numeric", "categorical", "multi"]

# Above this many people the distance matrix (8 bytes per pair) outgrows a laptop.
MAX_PEOPLE = 5000


@dataclass(frozen=True)
class Attribute:
    """One feature column as the distance sees it."""

    name: str
    kind: Kind
    weight: float


def attribute_kind(column: pd.Series) -> Kind:
    """Numeric for numbers, multi-valued for text with ``;``, categorical otherwise."""
    if pd.api.types.is_bool_dtype(column):
        return "categorical"
    if pd.api.types.is_numeric_dtype(column):
        return "numeric"
    known = column.dropna().astype(str)
    return "multi" if known.str.contains(";", regex=False).any() else "categorical"


def read_attributes(
    frame: pd.DataFrame, features: Sequence[str], weights: Mapping[str, float] | None
) -> list[Attribute]:
    """Check ``features`` and ``weights`` against ``frame`` and say how each is compared."""
    if isinstance(features, str) or not len(features):
        raise ConfigError("features must be a non-empty list of column names")
    if len(set(features)) != len(features):
        raise ConfigError("features lists a column twice")
    require_columns(frame, features, what="the people table")
    weights = dict(weights or {})
    unknown = sorted(set(weights) - set(features))
    if unknown:
        raise ConfigError(f"weights name column(s) that are not features: {', '.join(unknown)}")
    out = []
    for name in features:
        weight = float(weights.get(name, 1.0))
        if not np.isfinite(weight) or weight < 0:
            raise ConfigError(f"the weight of {name} must be a number >= 0, not {weight}")
        out.append(Attribute(name, attribute_kind(frame[name]), weight))
    return out


def _fill_missing(contribution: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Give pairs with a missing value the mean contribution of fully known pairs."""
    if known.all():
        np.fill_diagonal(contribution, 0.0)
        return contribution
    both = known[:, None] & known[None, :]
    np.fill_diagonal(both, False)
    mean = float(contribution[both].mean()) if both.any() else 0.0
    out = np.where(both, contribution, mean)
    np.fill_diagonal(out, 0.0)
    return out


def _numeric(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    known = np.isfinite(values)
    if known.sum() < 2:
        return np.zeros((len(values), len(values))), known
    z = np.zeros_like(values)
    sd = values[known].std()
    if sd > 0:
        z[known] = (values[known] - values[known].mean()) / sd
    return (z[:, None] - z[None, :]) ** 2, known


def _categorical(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, _ = pd.factorize(column, use_na_sentinel=True)
    known = codes >= 0
    return (codes[:, None] != codes[None, :]).astype(float), known


def item_sets(column: pd.Series) -> list[frozenset[str]]:
    """Split ``;``-separated text into sets of items; missing or empty gives an empty set."""
    out: list[frozenset[str]] = []
    for value in column:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            out.append(frozenset())
            continue
        out.append(frozenset(p.strip() for p in str(value).split(";") if p.strip()))
    return out


def _multi(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    sets = item_sets(column)
    vocabulary = {item: k for k, item in enumerate(sorted(set().union(*sets)))}
    member = np.zeros((len(sets), max(len(vocabulary), 1)))
    for row, items in enumerate(sets):
        member[row, [vocabulary[i] for i in items]] = 1.0
    counts = member.sum(axis=1)
    shared = member @ member.T
    union = counts[:, None] + counts[None, :] - shared
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union > 0, 1.0 - shared / union, 0.0)
    return jaccard, counts > 0


def dissimilarity(frame: pd.DataFrame, attributes: Sequence[Attribute]) -> np.ndarray:
    """The N x N matrix of distances between people (zero diagonal, symmetric).

    Examples
    --------
    >>> people = pd.DataFrame({"tenure": [1.0, 3.0, None], "function": ["ops", "it", "ops"]})
    >>> attrs = read_attributes(people, ["tenure", "function"], None)
    >>> dissimilarity(people, attrs).round(3)
    array([[0.   , 2.236, 2.   ],
           [2.236, 0.   , 2.236],
           [2.   , 2.236, 0.   ]])
    """
    n = len(frame)
    if n > MAX_PEOPLE:
        raise ConfigError(f"workgroups are formed for at most {MAX_PEOPLE} people at once, not {n}")
    squared = np.zeros((n, n))
    readers = {"numeric": _numeric, "categorical": _categorical, "multi": _multi}
    for attr in attributes:
        if attr.weight == 0:
            continue
        contribution, known = readers[attr.kind](frame[attr.name])
        squared += attr.weight * _fill_missing(contribution, known)
    return np.sqrt(squared)


def numeric_scores(frame: pd.DataFrame, attributes: Sequence[Attribute]) -> np.ndarray:
    """Z-scores of the numeric attributes (N x p, NaN where missing), for balance figures."""
    columns = []
    for attr in attributes:
        if attr.kind != "numeric":
            continue
        values = pd.to_numeric(frame[attr.name], errors="coerce").to_numpy(float, na_value=np.nan)
        known = np.isfinite(values)
        sd = values[known].std() if known.any() else 0.0
        if sd > 0:
            columns.append((values - values[known].mean()) / sd)
    return np.column_stack(columns) if columns else np.zeros((len(frame), 0))
