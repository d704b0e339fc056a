"""The automation potential the capacity plan uses for each activity, and where it came from.

A figure the organization gave (``automation_potential``) wins; otherwise the exposure
model's estimate; an activity with neither is flagged so that the plan never treats it as
silently not automatable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult, json_ready
from smartmoves.engines.capacity.exposure._model import ExposurePrediction, read_activities
from smartmoves.errors import ConfigError, DataError, Problem

__all__ = ["ActivityPotential", "AutomationPotential", "automation_potential_for"]

MEASURES = ("alpha", "beta", "gamma")


@dataclass(frozen=True)
class ActivityPotential:
    """One activity's automation potential (0..1) or ``None`` with ``flagged`` set.

    ``source`` is ``given`` (the activities table), ``model`` (exposure estimate) or
    ``missing``.
    """

    activity_id: Any
    automation_potential: float | None
    source: str
    flagged: bool


@dataclass(frozen=True)
class AutomationPotential(EngineResult):
    """Automation potential per activity, in input order."""

    activities: tuple[ActivityPotential, ...]
    measure: str

    @property
    def missing(self) -> tuple[Any, ...]:
        """Ids of the activities with neither a given figure nor a model estimate."""
        return tuple(a.activity_id for a in self.activities if a.flagged)

    def to_frame(self) -> pd.DataFrame:
        """One row per activity: id, potential (empty when missing), source, flag."""
        columns = ["activity_id", "automation_potential", "source", "flagged"]
        return pd.DataFrame([json_ready(a) for a in self.activities], columns=columns)


def automation_potential_for(
    activities: pd.DataFrame,
    prediction: ExposurePrediction | None = None,
    *,
    measure: str = "beta",
) -> AutomationPotential:
    """Pick each activity's automation potential: given, estimated, or flagged missing.

    Parameters
    ----------
    activities : DataFrame
        ``activity_id``, ``name``; ``automation_potential`` (0..1, empty = estimate it)
        optional.
    prediction : ExposurePrediction, optional
        The exposure model's output for these activities.
    measure : {"beta", "alpha", "gamma"}
        Which estimate stands for the potential: ``beta`` (E1 plus half of E2) by default.

    Returns
    -------
    AutomationPotential
        ``missing`` lists the activities with neither figure: never read as zero.

    Raises
    ------
    DataError
        A given ``automation_potential`` is not a number between 0 and 1 (every bad row
        is reported), or the activities frame is malformed.
    ConfigError
        ``measure`` is not alpha, beta or gamma.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"activity_id": ["a", "b"], "name": ["Invoices", "Welding"],
    ...                       "automation_potential": [0.6, None]})
    >>> result = automation_potential_for(frame)
    >>> result.to_frame()
      activity_id  automation_potential   source  flagged
    0           a                   0.6    given    False
    1           b                   NaN  missing     True
    >>> result.missing
    ('b',)
    """
    if measure not in MEASURES:
        raise ConfigError(f"measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    ids, _ = read_activities(activities)
    given = _given(activities)
    estimated = (
        {}
        if prediction is None
        else {a.activity_id: float(getattr(a, measure)) for a in prediction.activities}
    )
    out = []
    for activity_id, figure in zip(ids, given, strict=True):
        if figure is not None:
            out.append(ActivityPotential(activity_id, figure, "given", False))
        elif activity_id in estimated:
            out.append(ActivityPotential(activity_id, estimated[activity_id], "model", False))
        else:
            out.append(ActivityPotential(activity_id, None, "missing", True))
    return AutomationPotential(activities=tuple(out), measure=measure)


def _given(activities: pd.DataFrame) -> list[float | None]:
    if "automation_potential" not in activities:
        return [None] * len(activities)
    raw = activities["automation_potential"]
    numbers = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    problems = []
    out: list[float | None] = []
    for row, (value, number) in enumerate(zip(raw.tolist(), numbers, strict=True), 2):
        empty = value is None or (isinstance(value, str) and not value.strip()) or pd.isna(value)
        if empty:
            out.append(None)
        elif np.isnan(number) or not 0.0 <= number <= 1.0:
            problems.append(
                Problem(
                    "activities",
                    row,
                    "automation_potential",
                    f"{value!r} is not a share",
                    expected="a number from 0 to 1, or empty to estimate it",
                )
            )
            out.append(None)
        else:
            out.append(float(number))
    if problems:
        raise DataError(problems)
    return out
