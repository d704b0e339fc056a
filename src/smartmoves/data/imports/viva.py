"""Connectors for Microsoft Viva Insights query exports.

- **Person query** (one row per person and week, collaboration hours plus HR attributes)
  becomes units (from the HR attribute the user names), people, and the weekly
  collaboration hours as activities and allocations.
- **Person-to-person query** (one row per pair of collaborators) becomes ties.

Both check the source file first, so problems point at the rows of the file the user
has, not at the tables we derive from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from smartmoves.data._duckdb import connect
from smartmoves.data.readers import TextTable, read_text_table
from smartmoves.data.values import parse_bool
from smartmoves.errors import DataError, Problem

__all__ = ["PERSON_ACTIVITIES", "VivaPeople", "read_viva_people", "stage_viva_ties"]

# Viva metric column -> the activity it becomes. Hours of the parts are scaled to the
# query's Collaboration_hours (the parts overlap: a call in a meeting counts twice).
PERSON_ACTIVITIES: dict[str, tuple[str, str, str]] = {
    "Email_hours": ("viva-email", "Email", "Writing and reading email"),
    "Meeting_hours": ("viva-meetings", "Meetings", "Scheduled meetings"),
    "Chat_hours": ("viva-chat", "Chat", "Chats and channel messages"),
    "Call_hours": ("viva-calls", "Calls", "Scheduled and unscheduled calls"),
}
OTHER_WORK = ("viva-other", "Focus and other work", "Hours outside collaboration")
TOTAL = "Collaboration_hours"
PERSON = "PersonId"
DATE = "MetricDate"
# Besides the yes-words, Viva exports spell a supervisor as the role itself.
_SUPERVISOR_WORDS = {"manager", "mgr", "supervisor"}


def _is_supervisor(indicator: str) -> bool:
    """Whether a SupervisorIndicator cell says yes.

    >>> [_is_supervisor(v) for v in ("Manager", " yes", "Individual Contributor", "")]
    [True, True, False, False]
    """
    return bool(parse_bool(indicator)) or indicator.strip().lower() in _SUPERVISOR_WORDS


@dataclass(frozen=True)
class VivaPeople:
    """Contract tables derived from a person query, as text tables to validate."""

    units: TextTable
    people: TextTable
    activities: TextTable
    allocations: TextTable
    weeks: int


def _parse_viva_dates(text: pd.Series) -> pd.Series:
    iso = pd.to_datetime(text, errors="coerce", format="ISO8601")
    us = pd.to_datetime(text, errors="coerce", format="%m/%d/%Y")
    return iso.fillna(us)


def read_viva_people(
    path: str | Path, *, unit_column: str, contracted_hours: float = 40.0
) -> VivaPeople:
    """Read a Viva Insights person query.

    Each person's hours are the mean over the weeks in the file; their unit and other
    HR attributes are taken from their latest week (people move between units).

    Raises
    ------
    DataError
        A required column is missing, or a cell cannot be read (file, row, column).
    """
    source = read_text_table(path)
    raw = source.frame
    label = source.label
    hour_columns = [c for c in PERSON_ACTIVITIES if c in raw.columns]
    problems: list[Problem] = []
    for col in (PERSON, DATE, unit_column):
        if col not in raw.columns:
            problems.append(Problem(label, 1, col, "missing required column", f"a column {col}"))
    if not hour_columns and TOTAL not in raw.columns:
        problems.append(
            Problem(label, 1, TOTAL, "no collaboration hours", f"{TOTAL} or Email_hours...")
        )
    if problems:
        raise DataError(problems)

    dates = _parse_viva_dates(raw[DATE].str.strip())
    numeric = [*hour_columns, *([TOTAL] if TOTAL in raw.columns else [])]
    hours = pd.DataFrame({c: pd.to_numeric(raw[c].str.strip(), errors="coerce") for c in numeric})
    for pos in range(len(raw)):
        row = source.row_number(pos)
        if not raw[PERSON].iat[pos].strip():
            problems.append(Problem(label, row, PERSON, "empty", "a person id"))
        if pd.isna(dates.iat[pos]):
            problems.append(
                Problem(label, row, DATE, f"not a date: {raw[DATE].iat[pos]!r}", "YYYY-MM-DD")
            )
        if not raw[unit_column].iat[pos].strip():
            problems.append(Problem(label, row, unit_column, "empty", "the person's unit"))
        for col in numeric:
            value = hours[col].iat[pos]
            if pd.isna(value) or value < 0:
                cell = raw[col].iat[pos]
                what = "negative" if not pd.isna(value) else "not a number"
                problems.append(Problem(label, row, col, f"{what}: {cell!r}", "hours >= 0"))
        if len(problems) > 1000:
            break
    if problems:
        raise DataError(problems)

    frame = raw.assign(_date=dates, _pos=np.arange(len(raw)))
    frame[PERSON] = frame[PERSON].str.strip()
    latest = frame.sort_values(["_date", "_pos"]).groupby(PERSON, sort=True).tail(1)
    latest = latest.set_index(PERSON).sort_index()
    attribute_cols = [
        c for c in raw.columns if c not in (PERSON, DATE, *numeric) and not _is_metric(raw[c])
    ]
    people = pd.DataFrame(
        {
            "person_id": latest.index,
            "unit_id": latest[unit_column].str.strip().to_numpy(),
            "contracted_hours": str(contracted_hours),
        }
    )
    if "LevelDesignation" in latest.columns:
        people["level"] = latest["LevelDesignation"].to_numpy()
    if "SupervisorIndicator" in latest.columns:
        sup = latest["SupervisorIndicator"].map(_is_supervisor).to_numpy(dtype=bool)
        people["is_supervisor"] = np.where(sup, "true", "false")
    for col in attribute_cols:
        if col != unit_column:
            people[col] = latest[col].to_numpy()

    units_ids = sorted(set(people["unit_id"]))
    units = pd.DataFrame({"unit_id": units_ids, "name": units_ids})

    means = hours.assign(**{PERSON: frame[PERSON]}).groupby(PERSON, sort=True).mean()
    parts = means[hour_columns] if hour_columns else pd.DataFrame(index=means.index)
    total = means[TOTAL] if TOTAL in means.columns else parts.sum(axis=1)
    share = parts.div(parts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    collab = share.mul(total, axis=0) if hour_columns else pd.DataFrame({TOTAL: total})
    activity_rows = [PERSON_ACTIVITIES[c] for c in hour_columns] or [
        ("viva-collaboration", "Collaboration", "Meetings, email, chat and calls")
    ]
    alloc = collab.set_axis([a[0] for a in activity_rows], axis=1)
    alloc[OTHER_WORK[0]] = (contracted_hours - total).clip(lower=0.0)
    long = alloc.round(2).stack().rename("hours_per_week").reset_index()
    long.columns = ["person_id", "activity_id", "hours_per_week"]
    long = long[long["hours_per_week"] > 0]
    activities = pd.DataFrame(
        [(*a, "collaboration") for a in activity_rows] + [(*OTHER_WORK, "other")],
        columns=["activity_id", "name", "description", "category"],
    )

    def text(name: str, df: pd.DataFrame) -> TextTable:
        cells = df.astype(str).replace({"nan": "", "None": ""})
        return TextTable(f"{label} ({name})", source.path, source.format, cells, 2)

    return VivaPeople(
        units=text("units", units),
        people=text("people", people),
        activities=text("activities", activities),
        allocations=text("allocations", long),
        weeks=int(dates.nunique()),
    )


def _is_metric(column: pd.Series) -> bool:
    """Numeric columns are weekly metrics; text columns are HR attributes."""
    values = column.str.strip()
    values = values[values != ""]
    return bool(len(values)) and bool(pd.to_numeric(values, errors="coerce").notna().all())


P2P_A = "PrimaryCollaborator_PersonId"
P2P_B = "SecondaryCollaborator_PersonId"


def stage_viva_ties(path: str | Path, staging: Path) -> tuple[int, dict[str, int]]:
    """Turn a person-to-person query into undirected ties written to ``staging``.

    A pair's weight is its mean ``Strong_tie_score`` over the file's weeks (1.0 when the
    query has no score); ``reciprocal`` is true when both people appear as primary
    collaborator of the other. Returns (ties, summary).
    """
    source = read_text_table(path)
    raw, label = source.frame, source.label
    problems = [
        Problem(label, 1, c, "missing required column", f"a column {c}")
        for c in (P2P_A, P2P_B)
        if c not in raw.columns
    ]
    if problems:
        raise DataError(problems)
    score = "Strong_tie_score" if "Strong_tie_score" in raw.columns else None
    weights = (
        pd.to_numeric(raw[score].str.strip(), errors="coerce")
        if score
        else pd.Series(1.0, index=raw.index)
    )
    for pos in range(len(raw)):
        row = source.row_number(pos)
        for col in (P2P_A, P2P_B):
            if not raw[col].iat[pos].strip():
                problems.append(Problem(label, row, col, "empty", "a person id"))
        if score and (pd.isna(weights.iat[pos]) or weights.iat[pos] < 0):
            problems.append(
                Problem(label, row, score, f"not a score: {raw[score].iat[pos]!r}", "a number >= 0")
            )
    if problems:
        raise DataError(problems[:1000])
    pairs = pd.DataFrame(
        {"a": raw[P2P_A].str.strip(), "b": raw[P2P_B].str.strip(), "w": weights.astype(float)}
    )
    pairs = pairs[pairs["a"] != pairs["b"]]
    con = connect()
    try:
        con.register("pairs", pairs)
        con.execute(
            f"""
            COPY (
                SELECT least(a, b) AS person_a, greatest(a, b) AS person_b,
                       avg(w) AS weight, count(DISTINCT a) = 2 AS reciprocal,
                       'viva-p2p' AS source
                FROM pairs GROUP BY 1, 2 ORDER BY 1, 2
            ) TO '{str(staging).replace("'", "''")}' (FORMAT parquet)
            """
        )
        counted = con.execute("SELECT count(*) FROM read_parquet(?)", [str(staging)]).fetchone()
        ties = int(counted[0]) if counted else 0
    finally:
        con.close()
    people = int(pd.concat([pairs["a"], pairs["b"]]).nunique())
    return ties, {"ties": ties, "people": people, "rows": len(raw)}
