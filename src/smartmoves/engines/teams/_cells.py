"""Cells: small circles of pilot members drawn from across the workgroups.

Every member goes in exactly one cell; cell sizes differ by at most one and stay within
``min_size..max_size``. A cell is **uneven** when it has two members of one workgroup
while another workgroup is missing from it; the engine makes as few uneven cells as the
workgroup sizes allow, then puts each workgroup in as many cells as it can.

How it works. For a number of cells ``C``, members are first dealt around the cells
workgroup by workgroup (round robin): every workgroup then sits in as many cells as it has
members, and no cell is uneven unless some workgroup outnumbers the cells. Only then
does CP-SAT choose how many members of each workgroup go to each cell (fewest uneven
cells, then the most workgroup-cell presences; up to 2,000 workgroup-cell pairs). Seeded
shuffles pick which members. Unless ``cells`` is given, the engine picks ``C`` among those
whose sizes fit: fewest uneven cells, then the most workgroups in the least mixed cell,
then the most (so the smallest) cells. It visits each ``C`` in order of the best it could
possibly score and stops when no ``C`` left can win.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult, check_seed, json_ready, require_columns
from smartmoves.engines.teams._figures import GroupLabel, group_label, people_ids
from smartmoves.errors import ConfigError, DataError, InfeasibleError

__all__ = ["Cell", "CellsResult", "form_cells"]

SOLVE_TIME = 2.0  # CP-SAT deterministic seconds per number of cells
MAX_MODEL = 2000  # workgroups x cells above which round robin is kept as it is


@dataclass(frozen=True)
class Cell:
    """One cell: its number, its members (person ids) and how many workgroups they span."""

    cell: int
    members: tuple[Hashable, ...]
    workgroups: int


@dataclass(frozen=True)
class CellsResult(EngineResult):
    """Cells formed from pilot members; ``labels`` is each row's cell number (1, 2, ...)."""

    labels: tuple[int, ...]
    cells: tuple[Cell, ...]
    uneven_cells: int
    parameters: Mapping[str, Any]
    person_ids: tuple[Hashable, ...] = field(repr=False)
    workgroups: tuple[GroupLabel, ...] = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """``cells`` ({cell, members, workgroups}), ``uneven_cells`` and ``parameters``."""
        return {
            "cells": json_ready(list(self.cells)),
            "uneven_cells": self.uneven_cells,
            "parameters": json_ready(dict(self.parameters)),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per member: ``person_id``, ``workgroup``, ``cell``."""
        return pd.DataFrame(
            {
                "person_id": list(self.person_ids),
                "workgroup": list(self.workgroups),
                "cell": list(self.labels),
            }
        )


def _cell_counts(n: int, min_size: int, max_size: int) -> list[int]:
    """Numbers of cells whose even sizes fit the bounds, most cells first."""
    fits = []
    for c in range(n // min_size, 0, -1):
        q, r = divmod(n, c)
        if q >= min_size and q + (r > 0) <= max_size:
            fits.append(c)
    return fits


def _round_robin(sizes: np.ndarray, cells: int) -> np.ndarray:
    """Deal members workgroup by workgroup around the cells (W x C counts).

    Each workgroup lands in as many cells as it has members (up to all of them), cell
    sizes differ by at most one, and no cell is uneven when no workgroup outnumbers the
    cells; CP-SAT is needed only otherwise.
    """
    order = np.repeat(np.arange(len(sizes)), sizes)
    counts = np.zeros((len(sizes), cells), dtype=int)
    np.add.at(counts, (order, np.arange(len(order)) % cells), 1)
    return counts


def _solve_counts(sizes: np.ndarray, cells: int, seed: int) -> np.ndarray:
    """Members of each workgroup per cell (W x C) with fewest uneven cells, then most mixing."""
    start = _round_robin(sizes, cells)
    if not _uneven(start).any() or len(sizes) * cells > MAX_MODEL:
        return start
    from ortools.sat.python import cp_model

    n_groups = len(sizes)
    q, r = divmod(int(sizes.sum()), cells)
    cell_size = [q + 1 if c < r else q for c in range(cells)]
    model = cp_model.CpModel()
    k = [[model.new_int_var(0, int(min(a, cell_size[c])), "") for c in range(cells)] for a in sizes]
    present = [[model.new_bool_var("") for _ in range(cells)] for _ in sizes]
    uneven = []
    for w, a in enumerate(sizes):
        model.add(sum(k[w]) == int(a))
    for c in range(cells):
        model.add(sum(k[w][c] for w in range(n_groups)) == cell_size[c])
        crowded, missing = model.new_bool_var(""), model.new_bool_var("")
        for w in range(n_groups):
            model.add(k[w][c] >= present[w][c])
            model.add(k[w][c] <= cell_size[c] * present[w][c])
            model.add(k[w][c] <= 1 + cell_size[c] * crowded)
            model.add_implication(~present[w][c], missing)
        bad = model.new_bool_var("")
        model.add_bool_or([~crowded, ~missing, bad])
        uneven.append(bad)
    for w in range(n_groups):
        for c in range(cells):
            model.add_hint(k[w][c], int(start[w, c]))
    weight = n_groups * cells + 1
    model.minimize(weight * sum(uneven) - sum(sum(row) for row in present))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = SOLVE_TIME
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start
    return np.array([[solver.value(v) for v in row] for row in k])


def _uneven(counts: np.ndarray) -> np.ndarray:
    """Per cell: two members of one workgroup while another workgroup is missing."""
    return (counts >= 2).any(axis=0) & (counts == 0).any(axis=0)


def form_cells(
    members: pd.DataFrame,
    *,
    min_size: int = 5,
    max_size: int = 15,
    seed: int = 0,
    cells: int | None = None,
) -> CellsResult:
    """Put every pilot member in one cell, each cell mixing as many workgroups as it can.

    Parameters
    ----------
    members : DataFrame
        One row per pilot member: ``person_id`` (unique) and ``workgroup``.
    min_size, max_size : int
        Bounds on the cell sizes (defaults 5 and 15); sizes differ by at most one.
    seed : int
        Seed of the choice of which members go where, a whole number >= 0: same seed,
        same cells.
    cells : int, optional
        The number of cells; by default the engine chooses it (see the module docstring).

    Returns
    -------
    CellsResult
        ``labels`` per row, ``cells`` with members and workgroup counts, ``uneven_cells``.

    Raises
    ------
    DataError
        Missing columns, repeated ``person_id``, a member without a workgroup.
    ConfigError
        Bad size bounds, number of cells or seed.
    InfeasibleError
        No number of cells gives sizes within the bounds.

    Examples
    --------
    >>> members = pd.DataFrame({
    ...     "person_id": range(12),
    ...     "workgroup": ["A"] * 4 + ["B"] * 4 + ["C"] * 4,
    ... })
    >>> result = form_cells(members, min_size=5, max_size=8)
    >>> [(c.cell, len(c.members), c.workgroups) for c in result.cells], result.uneven_cells
    ([(1, 6, 3), (2, 6, 3)], 0)
    """
    require_columns(members, ["person_id", "workgroup"], what="the workgroups table")
    seed = check_seed(seed)
    if (
        not (isinstance(min_size, int) and isinstance(max_size, int))
        or not 1 <= min_size <= max_size
    ):
        raise ConfigError(f"cell sizes need 1 <= min_size <= max_size, not {min_size}..{max_size}")
    ids = people_ids(members)
    if members["workgroup"].isna().any():
        raise DataError("every pilot member needs a workgroup")
    n = len(members)
    labels = [group_label(v) for v in members["workgroup"]]
    names, codes = np.unique([str(v) for v in labels], return_inverse=True)
    sizes = np.bincount(codes, minlength=len(names))
    if cells is not None:
        if not isinstance(cells, int) or cells < 1:
            raise ConfigError(f"cells must be a whole number >= 1, not {cells}")
        q, r = divmod(n, cells)
        if q < min_size or q + (r > 0) > max_size:
            raise InfeasibleError(
                "the cells cannot be formed as asked",
                [
                    f"{n} members in {cells} cells make cells of {q}-{q + (r > 0)}, "
                    f"outside {min_size}..{max_size}"
                ],
            )
        candidates = [cells]
    else:
        candidates = _cell_counts(n, min_size, max_size)
    if not candidates:
        reason = (
            f"{n} pilot members cannot fill one cell of at least {min_size}"
            if n < min_size
            else f"no number of cells splits {n} members into sizes within {min_size}..{max_size}"
        )
        raise InfeasibleError("the cells cannot be formed as asked", [reason])
    # Visit the numbers of cells best-possible first: no uneven cell, and a least mixed
    # cell holding min(W, smallest cell size) workgroups; stop when none left can win.
    ideal = sorted((0, -min(len(names), n // c), -c) for c in candidates)
    best: tuple[tuple[int, int, int], np.ndarray] | None = None
    for bound in ideal:
        if best is not None and best[0] <= bound:
            break
        c = -bound[2]
        counts = _solve_counts(sizes, c, seed)
        key = (int(_uneven(counts).sum()), -int((counts > 0).sum(axis=0).min()), -c)
        if best is None or key < best[0]:
            best = (key, counts)
    assert best is not None
    counts = best[1]
    rng = np.random.default_rng(seed)
    cell_of = np.zeros(n, dtype=int)
    for w in range(len(names)):
        people = rng.permutation(np.flatnonzero(codes == w))
        cell_of[people] = np.repeat(np.arange(counts.shape[1]), counts[w]) + 1
    return CellsResult(
        labels=tuple(int(c) for c in cell_of),
        cells=tuple(
            Cell(
                c + 1,
                tuple(ids[i] for i in np.flatnonzero(cell_of == c + 1)),
                int((counts[:, c] > 0).sum()),
            )
            for c in range(counts.shape[1])
        ),
        uneven_cells=int(_uneven(counts).sum()),
        parameters={
            "min_size": min_size,
            "max_size": max_size,
            "seed": seed,
            "cells": counts.shape[1],
        },
        person_ids=tuple(ids),
        workgroups=tuple(labels),
    )
