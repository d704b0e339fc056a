"""Form workgroups as diverse as possible, under every constraint a pilot asks for."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Literal

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult, check_seed, json_ready
from smartmoves.engines.teams._attributes import (
    Attribute,
    dissimilarity,
    numeric_scores,
    read_attributes,
)
from smartmoves.engines.teams._exact import MAX_EXACT_PEOPLE, solve_exact
from smartmoves.engines.teams._exchange import exchange_search
from smartmoves.engines.teams._figures import (
    DiversityFigures,
    GroupDiversity,
    GroupLabel,
    partition_figures,
    people_ids,
)
from smartmoves.engines.teams._plan import Assignment, Plan, make_plan
from smartmoves.errors import ConfigError

__all__ = ["WorkgroupsResult", "check_formation", "form_workgroups"]

FEASIBLE_TIME = 20.0
# Up to this many people the search also trades two for two between groups and, after
# its restarts, kicks the best partition KICKS times and climbs again: without both,
# balance and apart locked it 0.5-1% below the optimum on some N <= 24 cases.
SMALL = 40
KICKS = 30


def default_restarts(n: int) -> int:
    """How many seeded restarts the exchange search makes for ``n`` people.

    A restart costs about N^1.5 (measured: 2.5 ms at N=60, 0.2 s at N=1000), so small
    pilots get many (5 at N=60) and large inputs two. Up to ``SMALL`` people each restart
    costs more (trades) and the kicks do part of the work: 100 // N (30 up to N=3).
    """
    return int(np.clip((100 if n <= SMALL else 300) // max(n, 1), 2, 30))


@dataclass(frozen=True)
class WorkgroupsResult(EngineResult):
    """Workgroups formed from a people table.

    ``labels`` holds each row's workgroup, in the frame's order. Workgroups named in
    ``fixed`` or ``existing`` keep their names; the others are numbered 1, 2, ... (skipping
    numbers already taken). ``members`` in :attr:`groups` are ``person_id`` values, or row
    positions (0-based) when the frame has no ``person_id`` column. ``optimal`` is True or
    False for the exact method (proved or not) and None for the exchange search.
    """

    labels: tuple[GroupLabel, ...]
    figures: DiversityFigures
    parameters: Mapping[str, Any]
    person_ids: tuple[Hashable, ...] = field(repr=False)
    id_column: str = "person_id"
    optimal: bool | None = None

    @property
    def groups(self) -> tuple[GroupDiversity, ...]:
        return self.figures.groups

    @property
    def diversity(self) -> float:
        return self.figures.diversity

    @property
    def dispersion(self) -> float:
        return self.figures.dispersion

    @property
    def max_mean_deviation_sd(self) -> float:
        return self.figures.max_mean_deviation_sd

    @property
    def vs_random(self) -> float:
        return self.figures.vs_random

    def to_dict(self) -> dict[str, Any]:
        """``groups`` ({group, members, diversity}), ``diversity``, ``dispersion``,
        ``max_mean_deviation_sd``, ``vs_random`` and ``parameters``."""
        return {**self.figures.to_dict(), "parameters": json_ready(dict(self.parameters))}

    def to_frame(self) -> pd.DataFrame:
        """One row per person: ``person_id`` (or ``row``) and ``workgroup``."""
        return pd.DataFrame({self.id_column: list(self.person_ids), "workgroup": list(self.labels)})


def check_formation(
    frame: pd.DataFrame,
    *,
    features: Sequence[str],
    groups: int | None = None,
    size: int | None = None,
    min_size: int = 3,
    max_size: int = 15,
    keep_together: str | None = None,
    apart: str | None = None,
    balance: str | None = None,
    fixed: Assignment | None = None,
    existing: Assignment | None = None,
    weights: Mapping[str, float] | None = None,
) -> None:
    """Check a formation's options as :func:`form_workgroups` does before its search,
    without searching: what cannot hold raises at once, in the same words.

    Parameters and errors are those of :func:`form_workgroups` (``DataError``,
    ``InfeasibleError`` with its ``reasons``); nothing is returned when all can hold.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": [f"p{i}" for i in range(12)], "unit": "a"})
    >>> check_formation(people, features=["unit"], groups=3, max_size=4)
    >>> check_formation(people, features=["unit"], groups=1, max_size=8)
    Traceback (most recent call last):
    ...
    smartmoves.errors.InfeasibleError: the workgroups cannot be formed as asked
    """
    _prepare(
        frame,
        features,
        weights,
        groups=groups,
        size=size,
        min_size=min_size,
        max_size=max_size,
        keep_together=keep_together,
        apart=apart,
        balance=balance,
        fixed=fixed,
        existing=existing,
    )


def _prepare(
    frame: pd.DataFrame,
    features: Sequence[str],
    weights: Mapping[str, float] | None,
    **plan_options: Any,
) -> tuple[list[Hashable], list[Attribute], Plan]:
    """The people's ids, their read attributes and the plan every constraint makes: what
    both the check and the search start from, failing in the same words."""
    ids = people_ids(frame)
    attributes = read_attributes(frame, features, weights)
    return ids, attributes, make_plan(frame, ids, **plan_options)


def form_workgroups(
    frame: pd.DataFrame,
    *,
    features: Sequence[str],
    groups: int | None = None,
    size: int | None = None,
    min_size: int = 3,
    max_size: int = 15,
    keep_together: str | None = None,
    apart: str | None = None,
    balance: str | None = None,
    fixed: Assignment | None = None,
    existing: Assignment | None = None,
    weights: Mapping[str, float] | None = None,
    seed: int = 0,
    method: Literal["exchange", "exact"] = "exchange",
    restarts: int | None = None,
    time_limit: float = 60.0,
) -> WorkgroupsResult:
    """Split people into workgroups of maximal diversity that keep every constraint.

    Diversity is the sum, over workgroups, of the distances between every two members
    (see :func:`diversity_figures` for the distance and the figures reported).

    Parameters
    ----------
    frame : DataFrame
        One row per person: the ``features`` columns, any constraint columns, and
        optionally ``person_id`` (unique), which ``fixed``/``existing`` refer to (else
        they refer to row positions).
    features : list of str
        Columns that make people different: numbers (z-scored), categories, or
        ``;``-separated items such as skills (Jaccard distance). Missing values are allowed.
    groups : int, optional
        Number of workgroups; their sizes differ by at most one.
    size : int, optional
        Size of the workgroups instead: ``round(N / size)`` groups, sizes differing by one.
    min_size, max_size : int
        Bounds every workgroup must keep (defaults 3 and 15).
    keep_together : str, optional
        Column: people with the same value go in the same workgroup (an existing team).
    apart : str, optional
        Column: people with the same value go in different workgroups.
    balance : str, optional
        Column: for each value, the counts per workgroup differ by at most one.
        Empty values in these three columns put no constraint on that person.
    fixed : mapping or DataFrame, optional
        ``person_id -> workgroup`` (or a frame with ``person_id`` and ``group`` or
        ``workgroup``): people who must be in that workgroup.
    existing : mapping or DataFrame, optional
        The current workgroups, same shape as ``fixed``. Their members stay where they
        are; everyone else is a newcomer, added to the smallest groups first, so sizes end
        as even as the existing groups allow. New groups are made only when ``groups``
        (or ``size``) asks for more than exist; they start empty.
    weights : mapping, optional
        Per-feature weight on its contribution to the squared distance (default 1).
    seed : int
        Seed of the restarts, a whole number >= 0: the same seed gives the same workgroups.
    method : {"exchange", "exact"}
        ``"exchange"``: seeded restarts of a swap-and-move local search (any N).
        ``"exact"``: the proved optimum for at most 24 people (a column-generation
        bound and a set-partitioning MILP, started from the exchange result);
        ``optimal`` tells whether it was proved within ``time_limit``.
    restarts : int, optional
        Restarts of the exchange search (default ``300 // N`` within 2..30, and
        ``100 // N`` up to 40 people, where kicks of the best partition follow).
    time_limit : float
        Wall-clock budget in seconds, for the exact method.

    Returns
    -------
    WorkgroupsResult
        ``labels`` per row, per-workgroup and partition figures, ``to_frame()``, ``to_dict()``.

    Raises
    ------
    ConfigError
        Options that make no sense (both ``groups`` and ``size``, negative sizes, a seed
        that is not a whole number >= 0, a time limit that is not positive...).
    DataError
        A missing column, repeated ``person_id``, ``fixed``/``existing`` naming unknown people.
    InfeasibleError
        Constraints that cannot hold together; ``reasons`` says which.

    Examples
    --------
    >>> people = pd.DataFrame({
    ...     "person_id": [f"p{i}" for i in range(6)],
    ...     "function": ["ops", "ops", "it", "it", "hr", "hr"],
    ... })
    >>> result = form_workgroups(people, features=["function"], groups=2)
    >>> [sorted(people.function[people.person_id.isin(g.members)]) for g in result.groups]
    [['hr', 'it', 'ops'], ['hr', 'it', 'ops']]
    >>> result.diversity, round(result.vs_random, 3)
    (6.0, 1.25)
    """
    seed = check_seed(seed)
    if method not in ("exchange", "exact"):
        raise ConfigError(f"method must be 'exchange' or 'exact', not {method!r}")
    if isinstance(time_limit, bool) or not isinstance(time_limit, Real) or not time_limit > 0:
        raise ConfigError(f"time_limit must be a positive number of seconds, not {time_limit!r}")
    if restarts is not None and (not isinstance(restarts, int) or restarts < 1):
        raise ConfigError(f"restarts must be a whole number >= 1, not {restarts}")
    if method == "exact" and len(frame) > MAX_EXACT_PEOPLE:
        raise ConfigError(
            f"the exact method handles at most {MAX_EXACT_PEOPLE} people, not {len(frame)}"
        )
    ids, attributes, plan = _prepare(
        frame,
        features,
        weights,
        groups=groups,
        size=size,
        min_size=min_size,
        max_size=max_size,
        keep_together=keep_together,
        apart=apart,
        balance=balance,
        fixed=fixed,
        existing=existing,
    )
    distances = dissimilarity(frame, attributes)
    rng = np.random.default_rng(seed)
    n_restarts = restarts or default_restarts(len(frame))
    codes = exchange_search(
        distances,
        plan,
        restarts=n_restarts,
        rng=rng,
        fallback=lambda: solve_exact(None, plan, time_limit=FEASIBLE_TIME, seed=seed).codes,
        exchanges=len(frame) <= SMALL,
        kicks=KICKS if len(frame) <= SMALL else 0,
    )
    optimal = None
    if method == "exact":
        exact = solve_exact(distances, plan, hint=codes, time_limit=time_limit, seed=seed)
        codes, optimal = exact.codes, exact.optimal
    figures = partition_figures(
        distances, numeric_scores(frame, attributes), codes, plan.labels, ids
    )
    parameters = {
        "features": list(features),
        "weights": {a.name: a.weight for a in attributes},
        "groups": plan.groups,
        "size": size,
        "min_size": min_size,
        "max_size": max_size,
        "keep_together": keep_together,
        "apart": apart,
        "balance": balance,
        "fixed": len(fixed) if fixed is not None else None,
        "existing": len(existing) if existing is not None else None,
        "seed": seed,
        "method": method,
        "restarts": n_restarts,
    }
    return WorkgroupsResult(
        labels=tuple(plan.labels[c] for c in codes),
        figures=figures,
        parameters=parameters,
        person_ids=tuple(ids),
        id_column="person_id" if "person_id" in frame.columns else "row",
        optimal=optimal,
    )
