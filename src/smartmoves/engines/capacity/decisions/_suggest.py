"""Suggesting decisions: activities ranked by the hours automating or stopping would free."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult
from smartmoves.engines.capacity.decisions._tables import (
    activity_table,
    allocation_table,
    centi,
    exposure_betas,
    people_table,
)

__all__ = ["DecisionSuggestions", "suggest_decisions"]


@dataclass(frozen=True, eq=False)
class DecisionSuggestions(EngineResult):
    """Activities ranked by the hours a decision would free: a starting point, not a verdict.

    Attributes
    ----------
    suggestions : DataFrame
        One row per (activity, decision) in ``automate``/``stop``, best first: ``rank``,
        ``activity_id``, ``name``, ``decision``, ``hours_freed``, ``hours``,
        ``people_affected``, ``person_ids``, ``automation_share``, ``share_source``,
        ``eliminable``. ``stop`` is left out for activities marked not eliminable.
    missing_estimates : tuple of str
        Activities with hours but neither automation_potential nor beta: their ``automate``
        row is missing until someone estimates them.
    unit_id : str or None
        The unit the suggestions are restricted to.
    """

    suggestions: pd.DataFrame
    missing_estimates: tuple[str, ...]
    unit_id: str | None

    def to_frame(self) -> pd.DataFrame:
        return self.suggestions.copy()


def suggest_decisions(
    people: pd.DataFrame,
    activities: pd.DataFrame,
    allocations: pd.DataFrame,
    *,
    exposure: Any = None,
    unit_id: str | None = None,
) -> DecisionSuggestions:
    """Rank activities by the hours automating or stopping each would free.

    ``automate`` frees automation_potential x hours (the model's beta where the potential
    is empty); ``stop`` frees all the hours. ``unit_id`` restricts it to one unit's people.

    Parameters
    ----------
    people, activities, allocations : DataFrame
        The tables of the same names, as for :func:`apply_decisions`.
    exposure : mapping, Series, DataFrame or exposure result, optional
        Each activity's ``beta``, used where ``automation_potential`` is empty.
    unit_id : str, optional
        Only the hours of this unit's people.

    Returns
    -------
    DecisionSuggestions

    Raises
    ------
    DataError
        Missing columns, unknown ids or bad numbers in the tables.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["p1", "p2"], "unit_id": ["u1", "u1"]})
    >>> activities = pd.DataFrame({"activity_id": ["a", "b"], "name": ["Reports", "Calls"],
    ...                            "automation_potential": [0.5, 0.1],
    ...                            "eliminable": ["yes", "no"]})
    >>> allocations = pd.DataFrame({"person_id": ["p1", "p2", "p2"],
    ...                             "activity_id": ["a", "a", "b"],
    ...                             "hours_per_week": [10, 6, 20]})
    >>> suggest_decisions(people, activities, allocations).to_frame()[
    ...     ["rank", "activity_id", "decision", "hours_freed", "people_affected"]]
       rank activity_id  decision  hours_freed  people_affected
    0     1           a      stop         16.0                2
    1     2           a  automate          8.0                2
    2     3           b  automate          2.0                1
    """
    folks, acts = people_table(people), activity_table(activities)
    alloc = allocation_table(allocations, folks, acts)
    if unit_id is not None:
        alloc = alloc[alloc["unit_id"] == str(unit_id)]
    alloc = alloc[alloc["hours"] > 0]
    betas = exposure_betas(exposure)
    rows: list[dict[str, Any]] = []
    missing: list[str] = []
    for act in acts.to_dict("records"):
        activity, potential = str(act["activity_id"]), float(act["automation_potential"])
        mine = alloc[alloc["activity_id"] == activity]
        if mine.empty:
            continue
        hours = centi(mine["hours"])
        base = {
            "activity_id": activity,
            "name": act["name"],
            "hours": hours.sum() / 100,
            "people_affected": len(mine),
            "person_ids": tuple(str(p) for p in mine["person_id"]),
            "eliminable": act["eliminable"],
        }
        if not math.isnan(potential) or activity in betas:
            own = not math.isnan(potential)
            share = potential if own else betas[activity]
            freed = np.round(share * hours).sum() / 100
            source = "automation_potential" if own else "model"
            rows.append({**base, "decision": "automate", "hours_freed": freed,
                         "automation_share": share, "share_source": source})  # fmt: skip
        else:
            missing.append(activity)
        if act["eliminable"] is not False:
            rows.append({**base, "decision": "stop", "hours_freed": hours.sum() / 100,
                         "automation_share": None, "share_source": None})  # fmt: skip
    columns = ["rank", "activity_id", "name", "decision", "hours_freed", "hours"]
    columns += ["people_affected", "person_ids", "automation_share", "share_source", "eliminable"]
    table = pd.DataFrame(rows, columns=columns[1:])
    table = table.sort_values(
        ["hours_freed", "activity_id", "decision"], ascending=[False, True, False], kind="stable"
    ).reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return DecisionSuggestions(
        suggestions=table[columns],
        missing_estimates=tuple(missing),
        unit_id=None if unit_id is None else str(unit_id),
    )
