"""Decisions per activity: automate, stop, keep or relax a metric, and what each frees.

Hours are kept in hundredths of an hour internally (36 seconds), so that for every
allocation ``hours == automated + stopped + remaining`` holds exactly; the figures a user
reads are those hundredths written as hours.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult, require_columns
from smartmoves.errors import DataError, Problem

__all__ = [
    "DECISIONS",
    "CapacityAfterDecisions",
    "DecisionSuggestions",
    "apply_decisions",
    "suggest_decisions",
]

DECISIONS = ("automate", "stop", "keep", "relax-metric")
_TRUE = {"true", "yes", "y", "1", "t", "model", "beta", "exposure"}


def _text(value: Any) -> str | None:
    """An id or label as text; empty cells are ``None``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _numbers(frame: pd.DataFrame, column: str, *, what: str, default: float) -> pd.Series:
    """A numeric column where empty cells take ``default``; text that is not a number fails."""
    if column not in frame.columns:
        return pd.Series(default, index=frame.index, dtype=float)
    raw = frame[column].map(_text)
    values = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & values.isna()
    if bad.any():
        raise DataError(
            Problem(what, r, column, f"{raw.iloc[r - 2]!r} is not a number") for r in _rows(bad)
        )
    return values.fillna(default).astype(float)


def _rows(mask: Any) -> list[int]:
    """Spreadsheet row numbers (header = row 1) of the records where ``mask`` is true."""
    return [int(i) + 2 for i in np.flatnonzero(np.asarray(mask, dtype=bool))]


def _centi(hours: pd.Series | np.ndarray) -> np.ndarray:
    return np.round(np.asarray(hours, dtype=float) * 100).astype(np.int64)


def _flag(value: Any) -> bool:
    text = _text(value)
    return text is not None and text.lower() in _TRUE


def _people(people: pd.DataFrame) -> pd.DataFrame:
    require_columns(people, ["person_id", "unit_id"], what="people")
    out = pd.DataFrame(
        {
            "person_id": people["person_id"].map(_text),
            "unit_id": people["unit_id"].map(_text),
            "contracted_hours": _numbers(people, "contracted_hours", what="people", default=40.0),
        }
    )
    skills = people["skills"] if "skills" in people.columns else pd.Series(None, index=people.index)
    out["skills"] = pd.Series(
        [frozenset(s.strip() for s in (_text(v) or "").split(";") if s.strip()) for v in skills],
        index=out.index,
        dtype=object,
    )
    negative = out["contracted_hours"] < 0
    if negative.any():
        raise DataError(
            Problem("people", r, "contracted_hours", "negative", "a number >= 0")
            for r in _rows(negative)
        )
    if out["person_id"].duplicated().any():
        dup = sorted(set(out.loc[out["person_id"].duplicated(), "person_id"].dropna()))
        raise DataError(f"people lists person_id(s) more than once: {', '.join(dup[:10])}")
    return out.reset_index(drop=True)


def _activities(activities: pd.DataFrame) -> pd.DataFrame:
    require_columns(activities, ["activity_id", "name"], what="activities")
    potential = _numbers(activities, "automation_potential", what="activities", default=np.nan)
    outside = potential.notna() & ((potential < 0) | (potential > 1))
    if outside.any():
        raise DataError(
            Problem("activities", r, "automation_potential", "outside 0..1", "0 to 1")
            for r in _rows(outside)
        )
    elim = activities.get("eliminable", pd.Series(None, index=activities.index))
    return pd.DataFrame(
        {
            "activity_id": activities["activity_id"].map(_text),
            "name": activities["name"].map(_text),
            "automation_potential": potential,
            "eliminable": elim.map(lambda v: None if _text(v) is None else _flag(v)).astype(object),
            "skill": activities.get("skill", pd.Series(None, index=activities.index)).map(_text),
        }
    ).reset_index(drop=True)


def _allocations(allocations: pd.DataFrame, people: pd.DataFrame, acts: pd.DataFrame):
    require_columns(allocations, ["person_id", "activity_id", "hours_per_week"], what="allocations")
    out = pd.DataFrame(
        {
            "person_id": allocations["person_id"].map(_text),
            "activity_id": allocations["activity_id"].map(_text),
            "hours": _numbers(allocations, "hours_per_week", what="allocations", default=0.0),
        }
    )
    problems = [
        Problem("allocations", r, col, f"{out[col].iloc[r - 2]!r} is not in {table}")
        for col, table, known in (
            ("person_id", "people", people["person_id"]),
            ("activity_id", "activities", acts["activity_id"]),
        )
        for r in _rows(~out[col].isin(known))
    ]
    problems += [
        Problem("allocations", r, "hours_per_week", "negative hours", "a number >= 0")
        for r in _rows(out["hours"] < 0)
    ]
    if problems:
        raise DataError(problems)
    # Repeated (person, activity) rows are one allocation: their hours add up.
    summed = out.groupby(["person_id", "activity_id"], as_index=False, sort=True)["hours"].sum()
    units = people.set_index("person_id")["unit_id"]
    summed.insert(1, "unit_id", summed["person_id"].map(units))
    return summed


def _exposure_betas(exposure: Any) -> dict[str, float]:
    """Each activity's ``beta`` from an exposure model result, a frame or a mapping.

    Accepts a mapping ``activity_id -> beta``, a Series indexed by activity_id, or a frame
    (or any result with ``to_frame()``) with columns ``activity_id`` and ``beta``.

    >>> _exposure_betas({"A1": 0.5, "A2": None})
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
        activity, text = _text(key), _text(beta)
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


def _decisions(decisions: pd.DataFrame | None, acts: pd.DataFrame) -> pd.DataFrame:
    cols = ["activity_id", "unit_id", "decision", "use_model"]
    if decisions is None or len(decisions) == 0:
        return pd.DataFrame(columns=cols)
    require_columns(decisions, ["activity_id", "decision"], what="decisions")
    out = decisions.reset_index(drop=True)
    out["activity_id"] = out["activity_id"].map(_text)
    units = out["unit_id"] if "unit_id" in out else pd.Series(None, index=out.index)
    # object dtype keeps "no unit" as None (a string column would turn it into NaN).
    out["unit_id"] = pd.Series([_text(u) for u in units], index=out.index, dtype=object)
    out["decision"] = out["decision"].map(lambda v: (_text(v) or "").lower())
    model = out.get("use_model", out.get("source", pd.Series(None, index=out.index)))
    out["use_model"] = model.map(_flag)
    choices = ", ".join(DECISIONS)
    problems = [
        Problem("decisions", r, "decision", f"{out['decision'].iloc[r - 2]!r} unknown", choices)
        for r in _rows(~out["decision"].isin(DECISIONS))
    ] + [
        Problem("decisions", r, "activity_id", f"{out['activity_id'].iloc[r - 2]!r} unknown")
        for r in _rows(~out["activity_id"].isin(acts["activity_id"]))
    ]
    # The same (activity, unit) decided two different ways: which one holds is unclear.
    distinct = ~out.duplicated(["activity_id", "unit_id", "decision", "use_model"])
    clash = distinct & out[distinct].duplicated(["activity_id", "unit_id"], keep=False)
    clash = clash.reindex(out.index, fill_value=False)
    problems += [
        Problem("decisions", r, "decision", "conflicts with another decision for this activity")
        for r in _rows(clash)
    ]
    if problems:
        raise DataError(problems)
    return out.drop_duplicates(["activity_id", "unit_id"]).reset_index(drop=True)


def _automation_shares(acts: pd.DataFrame, chosen: pd.DataFrame, betas: dict[str, float]):
    """The share of hours each ``automate`` decision removes, and where it comes from.

    The model's beta when the decision asks for it; else the activity's own
    automation_potential; else the beta ("empty = estimate it"). Never a silent zero.
    """
    potential = acts.set_index("activity_id")["automation_potential"]
    shares: list[float] = []
    sources: list[str | None] = []
    missing: list[str] = []
    for activity, use_model in zip(chosen["activity_id"], chosen["use_model"], strict=True):
        own = potential.get(activity)
        if not use_model and own is not None and pd.notna(own):
            shares.append(float(own))
            sources.append("automation_potential")
        elif activity in betas:
            shares.append(betas[activity])
            sources.append("model")
        else:
            shares.append(np.nan)
            sources.append(None)
            missing.append(f"{activity}" + (" (use_model, no beta)" if use_model else ""))
    if missing:
        raise DataError(
            "decision 'automate' needs an automation_potential or a model beta; none for "
            f"activity {', '.join(sorted(set(missing)))}"
        )
    return shares, sources


def _decided(alloc: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    """Each allocation's decision: its unit's own decision, else the general one, else keep."""
    general = chosen[chosen["unit_id"].isna()]
    per_unit = chosen[chosen["unit_id"].notna()]
    out = alloc.copy()
    keys = list(zip(out["activity_id"], out["unit_id"], strict=True))
    for column, fallback in (("decision", "keep"), ("use_model", False)):
        overall = dict(zip(general["activity_id"], general[column], strict=True))
        own = dict(
            zip(
                zip(per_unit["activity_id"], per_unit["unit_id"], strict=True),
                per_unit[column],
                strict=True,
            )
        )
        out[column] = [own.get(k, overall.get(k[0], fallback)) for k in keys]
    return out


@dataclass(frozen=True, eq=False)
class CapacityAfterDecisions(EngineResult):
    """The activity inventory after the decisions.

    Attributes
    ----------
    allocations : DataFrame
        One row per (person, activity): ``decision``, ``hours`` (before), ``automated``,
        ``stopped``, ``remaining``, ``automation_share`` and its ``share_source``
        (``automation_potential`` or ``model``). ``hours = automated + stopped + remaining``.
    activities : DataFrame
        Per activity: total ``hours``, ``automated``, ``stopped``, ``freed`` (the two
        together), ``remaining`` and the number of ``people`` doing it.
    people : DataFrame
        Per person: ``contracted_hours``, ``hours``, ``automated``, ``stopped``, ``remaining``.
    relaxed_metrics : DataFrame
        The ``relax-metric`` decisions (with any extra columns, e.g. the metric), recorded
        for the workgroup charter; they free no hours.
    """

    allocations: pd.DataFrame
    activities: pd.DataFrame
    people: pd.DataFrame
    relaxed_metrics: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.allocations.copy()


def apply_decisions(
    people: pd.DataFrame,
    activities: pd.DataFrame,
    allocations: pd.DataFrame,
    decisions: pd.DataFrame | None = None,
    *,
    exposure: Any = None,
) -> CapacityAfterDecisions:
    """Apply a decision per activity (optionally per unit) to the activity inventory.

    ``automate`` removes ``automation_potential`` x hours (or the exposure model's
    ``beta`` when the decision's ``use_model`` is true, or when the potential is empty);
    ``stop`` removes all the hours; ``keep`` and ``relax-metric`` remove none. A decision
    with a ``unit_id`` overrides the general one for people of that unit; activities
    without a decision are kept.

    Parameters
    ----------
    people, activities, allocations : DataFrame
        The tables of the same names (``contracted_hours`` defaults to 40).
    decisions : DataFrame, optional
        activity_id, decision, optional unit_id and use_model (or ``source``).
    exposure : mapping, Series, DataFrame or exposure result, optional
        Each activity's ``beta`` (see :func:`_exposure_betas`).

    Returns
    -------
    CapacityAfterDecisions

    Raises
    ------
    DataError
        Missing columns, unknown ids, bad numbers or decisions, conflicting decisions, or
        ``automate`` on activities with neither automation_potential nor beta (named).

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["p1", "p2"], "unit_id": ["u1", "u2"]})
    >>> activities = pd.DataFrame({"activity_id": ["a", "b"], "name": ["Reports", "Calls"],
    ...                            "automation_potential": [0.5, None]})
    >>> allocations = pd.DataFrame({"person_id": ["p1", "p1", "p2"],
    ...                             "activity_id": ["a", "b", "b"],
    ...                             "hours_per_week": [10, 30, 40]})
    >>> decisions = pd.DataFrame({"activity_id": ["a", "b"], "decision": ["automate", "keep"],
    ...                           "unit_id": [None, None]})
    >>> after = apply_decisions(people, activities, allocations, decisions)
    >>> after.people[["person_id", "hours", "automated", "remaining"]]
      person_id  hours  automated  remaining
    0        p1   40.0        5.0       35.0
    1        p2   40.0        0.0       40.0
    """
    folks, acts = _people(people), _activities(activities)
    alloc = _allocations(allocations, folks, acts)
    chosen = _decisions(decisions, acts)
    automate = chosen[chosen["decision"] == "automate"]
    shares, sources = _automation_shares(acts, automate, _exposure_betas(exposure))
    keys = list(zip(automate["activity_id"], automate["unit_id"], strict=True))
    share_of = dict(zip(keys, shares, strict=True))
    source_of = dict(zip(keys, sources, strict=True))

    alloc = _decided(alloc, chosen)
    unit_key = [
        (a, u) if (a, u) in share_of else (a, None)
        for a, u in zip(alloc["activity_id"], alloc["unit_id"], strict=True)
    ]
    is_auto = (alloc["decision"] == "automate").to_numpy()
    alloc["automation_share"] = np.where(is_auto, [share_of.get(k, np.nan) for k in unit_key], 0.0)
    alloc["share_source"] = [
        source_of.get(k) if a else None for k, a in zip(unit_key, is_auto, strict=True)
    ]
    hours = _centi(alloc["hours"])
    automated = np.where(is_auto, np.round(alloc["automation_share"].fillna(0) * hours), 0)
    stopped = np.where(alloc["decision"] == "stop", hours, 0)
    automated = automated.astype(np.int64)
    remaining = hours - automated - stopped
    for name, centi in (("hours", hours), ("automated", automated), ("stopped", stopped)):
        alloc[name] = centi / 100
    alloc["remaining"] = remaining / 100
    alloc = alloc.drop(columns="use_model")

    figures = ["hours", "automated", "stopped", "remaining"]
    per_act = alloc.groupby("activity_id")[figures].sum().round(2)
    per_act["people"] = alloc[alloc["hours"] > 0].groupby("activity_id").size()
    per_act = acts[["activity_id", "name"]].join(per_act, on="activity_id").fillna(0)
    per_act.insert(4, "freed", (per_act["automated"] + per_act["stopped"]).round(2))
    per_act["people"] = per_act["people"].astype(int)
    per_person = alloc.groupby("person_id")[figures].sum().round(2)
    per_person = folks[["person_id", "unit_id", "contracted_hours"]].join(
        per_person, on="person_id"
    )
    per_person[figures] = per_person[figures].fillna(0.0)
    relaxed = chosen[chosen["decision"] == "relax-metric"].drop(columns="use_model")
    return CapacityAfterDecisions(
        allocations=alloc,
        activities=per_act.reset_index(drop=True),
        people=per_person.reset_index(drop=True),
        relaxed_metrics=relaxed.reset_index(drop=True),
    )


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
    folks, acts = _people(people), _activities(activities)
    alloc = _allocations(allocations, folks, acts)
    if unit_id is not None:
        alloc = alloc[alloc["unit_id"] == str(unit_id)]
    alloc = alloc[alloc["hours"] > 0]
    betas = _exposure_betas(exposure)
    rows: list[dict[str, Any]] = []
    missing: list[str] = []
    for act in acts.to_dict("records"):
        activity, potential = str(act["activity_id"]), float(act["automation_potential"])
        mine = alloc[alloc["activity_id"] == activity]
        if mine.empty:
            continue
        hours = _centi(mine["hours"])
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
