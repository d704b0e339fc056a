"""A small organization whose network figures are worked out by hand in the tests.

- ``sales`` (s1..s5): every pair tied, weight 2, reciprocal.
- ``ops`` (o1..o5): a chain o1-o2-o3-o4-o5, weight 1, reciprocal.
- between them: s1-o1, s2-o1, s3-o5, weight 0.5, not reciprocal.
- ``solo`` (x1): one person (a suppressed unit), tied to s1 and o1 with weight 1.
- external ids ``ext1`` and ``ext2`` (not in the people table): s2-ext1, o2-ext1, o2-ext2.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest


@pytest.fixture
def org_people() -> pd.DataFrame:
    # solo and quiet (no ties) are hidden together: five people, so sales and ops stay shown.
    ids = [f"s{i}" for i in range(1, 6)] + [f"o{i}" for i in range(1, 6)] + ["x1"]
    ids += [f"q{i}" for i in range(1, 5)]
    units = ["sales"] * 5 + ["ops"] * 5 + ["solo"] + ["quiet"] * 4
    return pd.DataFrame({"person_id": ids, "unit_id": units})


@pytest.fixture
def org_ties() -> pd.DataFrame:
    rows = [(a, b, 2.0, True) for a, b in itertools.combinations([f"s{i}" for i in range(1, 6)], 2)]
    rows += [(f"o{i}", f"o{i + 1}", 1.0, True) for i in range(1, 5)]
    rows += [("s1", "o1", 0.5, False), ("s2", "o1", 0.5, False), ("s3", "o5", 0.5, False)]
    rows += [("x1", "s1", 1.0, True), ("o1", "x1", 1.0, True)]
    rows += [("s2", "ext1", 1.0, False), ("ext1", "o2", 1.0, True), ("o2", "ext2", 3.0, True)]
    return pd.DataFrame(rows, columns=["person_a", "person_b", "weight", "reciprocal"])
