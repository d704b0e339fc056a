"""Create capacity straight on files: the activity inventory, volunteers, decisions and an
optional exposure model, without a workspace.

The three inventory files are checked against their contracts (every problem of every
file reported together) and against each other (allocations name people and activities
of the files). References to units and managers are not checked: an analysis of one
part of the organization needs only that part's people.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from smartmoves.data.contracts import CONTRACTS
from smartmoves.data.readers import read_text_table
from smartmoves.data.validate import ValidTable, validate_table
from smartmoves.engines.capacity import (
    Consolidation,
    ConsolidationPlan,
    DecisionSuggestions,
    suggest_decisions,
)
from smartmoves.errors import DataError, Problem

__all__ = [
    "Inventory",
    "plan_from_files",
    "predict_exposure",
    "read_decisions",
    "read_inventory",
    "read_volunteers",
    "suggest_from_files",
]


@dataclass(frozen=True, eq=False)
class Inventory:
    """People, activities and allocations read from files, ready for the engines."""

    people: pd.DataFrame
    activities: pd.DataFrame
    allocations: pd.DataFrame


def _frame(valid: ValidTable) -> pd.DataFrame:
    """Typed contract columns with each attribute (``skills``...) as a column of its own."""
    frame = valid.frame
    if "attributes" not in frame.columns:
        return frame
    attrs = pd.DataFrame(list(frame["attributes"]), index=frame.index)
    attrs = attrs[[c for c in attrs.columns if c not in frame.columns]]
    return pd.concat([frame.drop(columns="attributes"), attrs], axis=1)


def read_inventory(people: Path, activities: Path, allocations: Path) -> Inventory:
    """Read and check the three inventory files.

    Raises
    ------
    DataError
        Every problem of every file (file, row, column, what is wrong, what was expected).
    """
    problems: list[Problem] = []
    valid: dict[str, ValidTable] = {}
    checked = {"people": people, "activities": activities}
    for table, path in checked.items():
        contract = dataclasses.replace(CONTRACTS[table], references=())
        try:
            valid[table] = validate_table(read_text_table(path), contract)
        except DataError as exc:
            problems.extend(exc.problems or [Problem(Path(path).name, None, None, exc.message)])
    try:
        text = read_text_table(allocations)
        known = {t: v.ids(CONTRACTS[t].key[0]) for t, v in valid.items()}
        if len(known) < len(checked):  # not checkable against a broken file: say so once
            known = {}
            contract = dataclasses.replace(CONTRACTS["allocations"], references=())
        else:
            contract = CONTRACTS["allocations"]
        valid["allocations"] = validate_table(text, contract, known=known)
    except DataError as exc:
        problems.extend(exc.problems or [Problem(Path(allocations).name, None, None, exc.message)])
    if problems:
        raise DataError(problems)
    return Inventory(
        people=_frame(valid["people"]),
        activities=_frame(valid["activities"]),
        allocations=_frame(valid["allocations"]),
    )


def read_volunteers(path: Path) -> list[str]:
    """The ``person_id`` column of a volunteers file (CSV, Parquet or Excel)."""
    table = read_text_table(path)
    if "person_id" not in table.frame.columns:
        raise DataError(
            [Problem(table.label, 1, "person_id", "missing required column", "person_id")]
        )
    ids = [p.strip() for p in table.frame["person_id"] if p.strip()]
    return list(dict.fromkeys(ids))


def read_decisions(path: Path) -> pd.DataFrame:
    """A decisions file: ``activity_id``, ``decision``, optional ``unit_id``, ``use_model``
    and ``note`` (the engine checks the values)."""
    table = read_text_table(path)
    missing = [c for c in ("activity_id", "decision") if c not in table.frame.columns]
    if missing:
        raise DataError([Problem(table.label, 1, c, "missing required column", c) for c in missing])
    return table.frame


def predict_exposure(model: Path | None, activities: pd.DataFrame) -> Any:
    """The exposure model's estimates for every activity (``None`` without a model): the
    engines use them where the potential is empty, or where a decision asks for the
    model (``use_model``)."""
    if model is None:
        return None
    from smartmoves.engines.capacity.exposure import load_exposure_model

    columns = [c for c in ("activity_id", "name", "description") if c in activities.columns]
    return load_exposure_model(model).predict(activities[columns].reset_index(drop=True))


def suggest_from_files(
    inventory: Inventory, *, model: Path | None = None, unit_id: str | None = None
) -> DecisionSuggestions:
    """Activities ranked by the hours automating or stopping each would free."""
    return suggest_decisions(
        inventory.people,
        inventory.activities,
        inventory.allocations,
        exposure=predict_exposure(model, inventory.activities),
        unit_id=unit_id,
    )


def plan_from_files(
    inventory: Inventory,
    volunteers: list[str],
    *,
    decisions: pd.DataFrame | None = None,
    model: Path | None = None,
    options: Consolidation | None = None,
) -> ConsolidationPlan:
    """The consolidation plan that frees ``volunteers`` (see ``plan_consolidation``)."""
    return (options or Consolidation()).plan(
        inventory.people,
        inventory.activities,
        inventory.allocations,
        volunteers,
        decisions=decisions,
        exposure=predict_exposure(model, inventory.activities),
    )
