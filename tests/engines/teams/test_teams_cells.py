"""form_cells: everyone in one cell, sizes in bounds, workgroups mixed as far as they allow."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from smartmoves.engines.teams import form_cells
from smartmoves.errors import ConfigError, DataError, InfeasibleError


def pilot(sizes: dict[str, int]) -> pd.DataFrame:
    groups = [w for w, n in sizes.items() for _ in range(n)]
    return pd.DataFrame({"person_id": [f"m{i}" for i in range(len(groups))], "workgroup": groups})


def counts_of(members: pd.DataFrame, labels: tuple[int, ...]) -> pd.DataFrame:
    return pd.crosstab(members.workgroup.to_numpy(), np.array(labels))


def uneven(counts: np.ndarray) -> int:
    return int(((counts >= 2).any(axis=0) & (counts == 0).any(axis=0)).sum())


def fewest_uneven(sizes: list[int], cells: int) -> int:
    """Brute force over every workgroup x cell count table with even cell sizes."""
    q, r = divmod(sum(sizes), cells)
    cell_sizes = np.array([q + 1 if c < r else q for c in range(cells)])
    splits = [
        [p for p in itertools.product(range(a + 1), repeat=cells) if sum(p) == a] for a in sizes
    ]
    best = cells
    for table in itertools.product(*splits):
        counts = np.array(table)
        if (counts.sum(axis=0) == cell_sizes).all():
            best = min(best, uneven(counts))
    return best


def test_equal_workgroups_make_small_cells_holding_every_workgroup() -> None:
    members = pilot({"A": 10, "B": 10, "C": 10, "D": 10})
    result = form_cells(members)
    assert [len(c.members) for c in result.cells] == [5] * 8
    assert all(c.workgroups == 4 for c in result.cells)
    assert result.uneven_cells == 0


def test_one_large_workgroup_gets_few_large_cells_rather_than_uneven_ones() -> None:
    # Six cells of 6 would leave cells with several A's and no B or C; three cells of 12
    # can each hold one B and one C.
    members = pilot({"A": 30, "B": 3, "C": 3})
    result = form_cells(members)
    assert [len(c.members) for c in result.cells] == [12, 12, 12]
    assert result.uneven_cells == 0
    table = counts_of(members, result.labels)
    assert (table.loc[["B", "C"]] == 1).all().all()


@given(
    sizes=st.lists(st.integers(1, 12), min_size=1, max_size=6),
    bounds=st.sampled_from([(5, 15), (3, 6), (4, 9)]),
    seed=st.integers(0, 1000),
)
def test_everyone_is_in_one_cell_of_allowed_size(
    sizes: list[int], bounds: tuple[int, int], seed: int
) -> None:
    members = pilot({f"w{i}": n for i, n in enumerate(sizes)}).sample(frac=1, random_state=seed)
    try:
        result = form_cells(members, min_size=bounds[0], max_size=bounds[1], seed=seed)
    except InfeasibleError as error:
        assert error.reasons
        return
    assert len(result.labels) == len(members)
    everyone = [m for c in result.cells for m in c.members]
    assert sorted(map(str, everyone)) == sorted(members.person_id)
    cell_sizes = [len(c.members) for c in result.cells]
    assert min(cell_sizes) >= bounds[0] and max(cell_sizes) <= bounds[1]
    assert max(cell_sizes) - min(cell_sizes) <= 1
    table = counts_of(members, result.labels).to_numpy()
    assert uneven(table) == result.uneven_cells
    # every workgroup is in as many cells as it can be
    assert ((table > 0).sum(axis=1) == np.minimum(table.sum(axis=1), table.shape[1])).all()


@given(sizes=st.lists(st.integers(1, 8), min_size=2, max_size=3), cells=st.integers(2, 3))
def test_uneven_cells_are_as_few_as_brute_force_finds(sizes: list[int], cells: int) -> None:
    n = sum(sizes)
    assume(n >= cells)
    members = pilot({f"w{i}": s for i, s in enumerate(sizes)})
    result = form_cells(members, min_size=1, max_size=n, cells=cells)
    assert result.uneven_cells == fewest_uneven(sizes, cells)


def test_the_same_seed_gives_the_same_cells_and_another_seed_other_members() -> None:
    members = pilot({"A": 8, "B": 7, "C": 6})
    first = form_cells(members, seed=1)
    assert form_cells(members, seed=1) == first
    other = form_cells(members, seed=2)
    assert [len(c.members) for c in other.cells] == [len(c.members) for c in first.cells]
    assert other.labels != first.labels


def test_results_as_dict_and_frame() -> None:
    members = pilot({"A": 6, "B": 6})
    result = form_cells(members, min_size=4, max_size=6)
    out = result.to_dict()
    assert list(out) == ["cells", "uneven_cells", "parameters"]
    assert list(out["cells"][0]) == ["cell", "members", "workgroups"]
    assert out["parameters"]["cells"] == 3
    json.dumps(out)
    table = result.to_frame()
    assert table.columns.tolist() == ["person_id", "workgroup", "cell"]
    assert table.cell.tolist() == list(result.labels)


def test_a_number_of_cells_can_be_asked_for() -> None:
    result = form_cells(pilot({"A": 9, "B": 9}), cells=2)
    assert [len(c.members) for c in result.cells] == [9, 9]
    with pytest.raises(InfeasibleError, match="cannot be formed"):
        form_cells(pilot({"A": 9, "B": 9}), cells=5)


def test_impossible_sizes_are_refused() -> None:
    with pytest.raises(InfeasibleError) as error:
        form_cells(pilot({"A": 2, "B": 2}))
    assert "4 pilot members cannot fill one cell of at least 5" in error.value.reasons[0]
    with pytest.raises(InfeasibleError) as error:
        form_cells(pilot({"A": 7, "B": 6}), min_size=5, max_size=6)
    assert "no number of cells" in error.value.reasons[0]


def test_bad_input_is_refused() -> None:
    members = pilot({"A": 5, "B": 5})
    with pytest.raises(DataError, match="workgroup"):
        form_cells(members.drop(columns="workgroup"))
    with pytest.raises(DataError, match="needs a workgroup"):
        form_cells(members.assign(workgroup=[None] + ["A"] * 9))
    with pytest.raises(DataError, match="repeats"):
        form_cells(members.assign(person_id=["x"] * 10))
    with pytest.raises(ConfigError):
        form_cells(members, min_size=6, max_size=5)
    with pytest.raises(ConfigError):
        form_cells(members, cells=0)
