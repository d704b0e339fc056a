"""Workgroup formation on files, and the people attributes formation reads.

``smartmoves workgroups form --people FILE`` runs here: any table with the feature
columns (and ``person_id``, which ``--fixed``/``--existing`` files refer to). Cells of
text become numbers when a whole column reads as numbers; blank cells are missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from smartmoves.data.readers import read_text_table
from smartmoves.engines.teams import WorkgroupsResult, form_workgroups
from smartmoves.errors import ConfigError, DataError, Problem

__all__ = [
    "DEFAULT_FEATURES",
    "assignment_from_text",
    "check_columns",
    "default_features",
    "form_from_files",
    "read_assignment",
    "typed",
    "usable_features",
]

# Attributes of the people table that make a workgroup diverse, when present: where
# people work, how senior, how long, where, what they did before, what they know.
DEFAULT_FEATURES = (
    "unit_id",
    "role",
    "level",
    "tenure_years",
    "location",
    "prior_industry",
    "education_field",
    "age_band",
    "skills",
)
# Columns that identify or administer rather than describe a person.
NOT_FEATURES = {"person_id", "manager_id", "hire_date", "team_id", "name", "email"}


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells as the engine wants them: blanks missing, all-number columns numeric,
    and ``tenure_years`` from ``hire_date`` when the table has no tenure of its own."""
    out = frame.copy()
    for column in out.columns:
        values = out[column].map(lambda v: np.nan if isinstance(v, str) and not v.strip() else v)
        text = not (is_numeric_dtype(values) or is_bool_dtype(values))
        if text and column not in NOT_FEATURES:
            numbers = pd.to_numeric(values, errors="coerce")
            if numbers.notna().sum() and numbers.notna().sum() == values.notna().sum():
                values = numbers
        out[column] = values
    if "tenure_years" not in out.columns and "hire_date" in out.columns:
        hired = pd.to_datetime(out["hire_date"], errors="coerce")
        out["tenure_years"] = ((pd.Timestamp.today() - hired).dt.days / 365.25).round(1)
    return out


def usable_features(frame: pd.DataFrame) -> list[str]:
    """Columns that tell these people apart (two or more known values)."""
    return [
        c
        for c in frame.columns
        if c not in NOT_FEATURES and frame[c].dropna().astype(str).nunique() > 1
    ]


def default_features(frame: pd.DataFrame) -> list[str]:
    usable = usable_features(frame)
    chosen = [c for c in DEFAULT_FEATURES if c in usable]
    if not chosen:
        raise ConfigError("no attribute tells the volunteers apart: name the features")
    return chosen


def check_columns(frame: pd.DataFrame, label: str, columns: Sequence[str | None]) -> None:
    missing = [c for c in columns if c and c not in frame.columns]
    if missing:
        raise DataError(
            [
                Problem(label, None, c, "no such column", f"one of {', '.join(frame.columns)}")
                for c in missing
            ]
        )


def read_assignment(path: Path | None) -> pd.DataFrame | None:
    """A ``--fixed``/``--existing`` file: person_id and group (or workgroup) per row."""
    if path is None:
        return None
    table = read_text_table(path)
    if "person_id" not in table.frame.columns or not (
        {"group", "workgroup"} & set(table.frame.columns)
    ):
        raise DataError(
            [Problem(table.label, None, None, "needs columns person_id and group (or workgroup)")]
        )
    return table.frame


def assignment_from_text(text: str | None, label: str) -> dict[str, str] | None:
    r"""People pinned to workgroups, typed one per line as ``person_id, workgroup`` (the
    page's fixed and existing boxes); a comma, a tab or spaces separate the two.

    >>> assignment_from_text("P09, Group A\n\nP12\t2", "fixed")
    {'P09': 'Group A', 'P12': '2'}
    >>> assignment_from_text("  ", "fixed") is None
    True

    Raises
    ------
    DataError
        A line without both parts, or a person on two lines (the line number says which).
    """
    pinned: dict[str, str] = {}
    problems = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(",", 1) if "," in line else line.strip().split(None, 1)
        person, group = (p.strip() for p in parts) if len(parts) == 2 else (line.strip(), "")
        if not person or not group:
            problems.append(Problem(label, number, None, "no workgroup", "person_id, workgroup"))
        elif person in pinned:
            problems.append(Problem(label, number, None, f"{person} is on an earlier line too"))
        else:
            pinned[person] = group
    if problems:
        raise DataError(problems)
    return pinned or None


def form_from_files(
    people: Path,
    *,
    features: Sequence[str],
    fixed: Path | None = None,
    existing: Path | None = None,
    **options: Any,
) -> WorkgroupsResult:
    """Form workgroups from a people file; ``options`` are those of ``form_workgroups``."""
    table = read_text_table(people)
    frame = typed(table.frame)
    constraints = [options.get(k) for k in ("keep_together", "apart", "balance")]
    check_columns(frame, table.label, [*features, *constraints])
    return form_workgroups(
        frame,
        features=features,
        fixed=read_assignment(fixed),
        existing=read_assignment(existing),
        **options,
    )
