"""The activity inventory as the decisions read it: people, activities, allocations, betas.

Every reader reports each bad row the way a spreadsheet counts it (the header is row 1),
so a user fixes a file in one pass. Hours are kept in hundredths of an hour (36 seconds),
so that for every allocation ``hours == automated + stopped + remaining`` holds exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import require_columns
from smartmoves.errors import DataError, Problem

__all__ = [
    "activity_table",
    "allocation_table",
    "cell_text",
    "centi",
    "exposure_betas",
    "flag",
    "people_table",
    "spreadsheet_rows",
]

# Yes-words; a decision's ``source`` column says "model" (or beta, exposure) for the same.
# Engines may not import smartmoves.data, whose parser the imported tables go through.
_TRUE = {"true", "yes", "y", "1", "t", "model", "beta", "exposure"}


def cell_text(value: Any) -> str | None:
    """An id or label as text; empty cells are ``None``.

    >>> cell_text("  a1 "), cell_text(float("nan")), cell_text("")
    ('a1', None, None)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def flag(value: Any) -> bool:
    """Whether a cell says yes (``true``, ``yes``, ``1``... or ``model``); empty is no."""
    text = cell_text(value)
    return text is not None and text.lower() in _TRUE


def spreadsheet_rows(mask: Any) -> list[int]:
    """Spreadsheet row numbers (header = row 1) of the records where ``mask`` is true."""
    return [int(i) + 2 for i in np.flatnonzero(np.asarray(mask, dtype=bool))]


def centi(hours: pd.Series | np.ndarray) -> np.ndarray:
    """Hours as whole hundredths of an hour."""
    return np.round(np.asarray(hours, dtype=float) * 100).astype(np.int64)


def _numbers(frame: pd.DataFrame, column: str, *, what: str, default: float) -> pd.Series:
    """A numeric column where empty cells take ``default``; text that is not a number fails."""
    if column not in frame.columns:
        return pd.Series(default, index=frame.index, dtype=float)
    raw = frame[column].map(cell_text)
    values = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & values.isna()
    if bad.any():
        raise DataError(
            Problem(what, r, column, f"{raw.iloc[r - 2]!r} is not a number")
            for r in spreadsheet_rows(bad)
        )
    return values.fillna(default).astype(float)


def _skill_set(value: Any) -> frozenset[str]:
    """A ``;``-separated list of skills as a set."""
    return frozenset(s.strip() for s in (cell_text(value) or "").split(";") if s.strip())


def _optional_flag(value: Any) -> bool | None:
    """Yes or no, or ``None`` for an empty cell (eliminable: not said)."""
    return None if cell_text(value) is None else flag(value)


def people_table(people: pd.DataFrame) -> pd.DataFrame:
    """person_id, unit_id, contracted_hours (default 40) and each person's set of skills."""
    require_columns(people, ["person_id", "unit_id"], what="people")
    out = pd.DataFrame(
        {
            "person_id": people["person_id"].map(cell_text),
            "unit_id": people["unit_id"].map(cell_text),
            "contracted_hours": _numbers(people, "contracted_hours", what="people", default=40.0),
        }
    )
    skills = people["skills"] if "skills" in people.columns else pd.Series(None, index=people.index)
    out["skills"] = pd.Series([_skill_set(v) for v in skills], index=out.index, dtype=object)
    negative = out["contracted_hours"] < 0
    if negative.any():
        raise DataError(
            Problem("people", r, "contracted_hours", "negative", "a number >= 0")
            for r in spreadsheet_rows(negative)
        )
    if out["person_id"].duplicated().any():
        dup = sorted(set(out.loc[out["person_id"].duplicated(), "person_id"].dropna()))
        raise DataError(f"people lists person_id(s) more than once: {', '.join(dup[:10])}")
    return out.reset_index(drop=True)


def activity_table(activities: pd.DataFrame) -> pd.DataFrame:
    """activity_id, name, automation_potential (NaN = estimate it), eliminable, skill."""
    require_columns(activities, ["activity_id", "name"], what="activities")
    potential = _numbers(activities, "automation_potential", what="activities", default=np.nan)
    outside = potential.notna() & ((potential < 0) | (potential > 1))
    if outside.any():
        raise DataError(
            Problem("activities", r, "automation_potential", "outside 0..1", "0 to 1")
            for r in spreadsheet_rows(outside)
        )
    elim = activities.get("eliminable", pd.Series(None, index=activities.index))
    skill = activities.get("skill", pd.Series(None, index=activities.index))
    return pd.DataFrame(
        {
            "activity_id": activities["activity_id"].map(cell_text),
            "name": activities["name"].map(cell_text),
            "automation_potential": potential,
            "eliminable": elim.map(_optional_flag).astype(object),
            "skill": skill.map(cell_text),
        }
    ).reset_index(drop=True)


def allocation_table(
    allocations: pd.DataFrame, people: pd.DataFrame, activities: pd.DataFrame
) -> pd.DataFrame:
    """One row per (person, activity) with its unit and ``hours``, repeated rows summed.

    ``people`` and ``activities`` are the tables :func:`people_table` and
    :func:`activity_table` read; every id must be in them.
    """
    require_columns(allocations, ["person_id", "activity_id", "hours_per_week"], what="allocations")
    out = pd.DataFrame(
        {
            "person_id": allocations["person_id"].map(cell_text),
            "activity_id": allocations["activity_id"].map(cell_text),
            "hours": _numbers(allocations, "hours_per_week", what="allocations", default=0.0),
        }
    )
    problems = [
        Problem("allocations", r, col, f"{out[col].iloc[r - 2]!r} is not in {table}")
        for col, table, known in (
            ("person_id", "people", people["person_id"]),
            ("activity_id", "activities", activities["activity_id"]),
        )
        for r in spreadsheet_rows(~out[col].isin(known))
    ]
    problems += [
        Problem("allocations", r, "hours_per_week", "negative hours", "a number >= 0")
        for r in spreadsheet_rows(out["hours"] < 0)
    ]
    if problems:
        raise DataError(problems)
    # Repeated (person, activity) rows are one allocation: their hours add up.
    summed = out.groupby(["person_id", "activity_id"], as_index=False, sort=True)["hours"].sum()
    units = people.set_index("person_id")["unit_id"]
    summed.insert(1, "unit_id", summed["person_id"].map(units))
    return summed


def exposure_betas(exposure: Any) -> dict[str, float]:
    """Each activity's ``beta`` from an exposure model result, a frame or a mapping.

    Accepts a mapping ``activity_id -> beta``, a Series indexed by activity_id, or a frame
    (or any result with ``to_frame()``) with columns ``activity_id`` and ``beta``.

    >>> exposure_betas({"A1": 0.5, "A2": None})
    {'A1': 0.5}
    """
    if exposure is None:
        return {}
    if isinstance(exposure, pd.Series):
        exposure = exposure.to_dict()
    if isinstance(exposure, Mapping):
        pairs = list(exposure.items())
    else:
        frame = exposure if isinstance(exposure, pd.DataFrame) else exposure.to_frame()
        require_columns(frame, ["activity_id", "beta"], what="exposure")
        pairs = list(zip(frame["activity_id"], frame["beta"], strict=True))
    betas: dict[str, float] = {}
    for key, beta in pairs:
        activity, text = cell_text(key), cell_text(beta)
        if activity is None or text is None:
            continue
        try:
            value = float(text)
        except ValueError:
            raise DataError(
                f"exposure: beta {text!r} of activity {activity} is not a number"
            ) from None
        if not 0 <= value <= 1:
            raise DataError(f"exposure: beta {value} of activity {activity} is outside 0..1")
        betas[activity] = value
    return betas
