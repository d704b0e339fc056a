"""Applying a decision per activity (automate, stop, keep, relax a metric) to the inventory.

Hours are counted in hundredths of an hour (see ``_tables``), so that for every
allocation ``hours == automated + stopped + remaining`` holds exactly; the figures a
user reads are those hundredths written as hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smartmoves.engines._common import EngineResult, require_columns
from smartmoves.engines.capacity.decisions._tables import (
    activity_table,
    allocation_table,
    cell_text,
    centi,
    exposure_betas,
    flag,
    people_table,
    spreadsheet_rows,
)
from smartmoves.errors import DataError, Problem

__all__ = ["DECISIONS", "CapacityAfterDecisions", "apply_decisions"]

DECISIONS = ("automate", "stop", "keep", "relax-metric")


def _decision_table(decisions: pd.DataFrame | None, acts: pd.DataFrame) -> pd.DataFrame:
    """One decision per (activity, unit); unit None is the general one."""
    cols = ["activity_id", "unit_id", "decision", "use_model"]
    if decisions is None or len(decisions) == 0:
        return pd.DataFrame(columns=cols)
    require_columns(decisions, ["activity_id", "decision"], what="decisions")
    out = decisions.reset_index(drop=True)
    out["activity_id"] = out["activity_id"].map(cell_text)
    units = out["unit_id"] if "unit_id" in out else pd.Series(None, index=out.index)
    # object dtype keeps "no unit" as None (a string column would turn it into NaN).
    out["unit_id"] = pd.Series([cell_text(u) for u in units], index=out.index, dtype=object)
    out["decision"] = out["decision"].map(lambda v: (cell_text(v) or "").lower())
    model = out.get("use_model", out.get("source", pd.Series(None, index=out.index)))
    out["use_model"] = model.map(flag)
    choices = ", ".join(DECISIONS)
    problems = [
        Problem("decisions", r, "decision", f"{out['decision'].iloc[r - 2]!r} unknown", choices)
        for r in spreadsheet_rows(~out["decision"].isin(DECISIONS))
    ] + [
        Problem("decisions", r, "activity_id", f"{out['activity_id'].iloc[r - 2]!r} unknown")
        for r in spreadsheet_rows(~out["activity_id"].isin(acts["activity_id"]))
    ]
    # The same (activity, unit) decided two different ways: which one holds is unclear.
    distinct = ~out.duplicated(["activity_id", "unit_id", "decision", "use_model"])
    clash = distinct & out[distinct].duplicated(["activity_id", "unit_id"], keep=False)
    clash = clash.reindex(out.index, fill_value=False)
    problems += [
        Problem("decisions", r, "decision", "conflicts with another decision for this activity")
        for r in spreadsheet_rows(clash)
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
        Each activity's ``beta`` (see ``exposure_betas`` in ``_tables``).

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
    folks, acts = people_table(people), activity_table(activities)
    alloc = allocation_table(allocations, folks, acts)
    chosen = _decision_table(decisions, acts)
    automate = chosen[chosen["decision"] == "automate"]
    shares, sources = _automation_shares(acts, automate, exposure_betas(exposure))
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
    hours = centi(alloc["hours"])
    automated = np.where(is_auto, np.round(alloc["automation_share"].fillna(0) * hours), 0)
    stopped = np.where(alloc["decision"] == "stop", hours, 0)
    automated = automated.astype(np.int64)
    remaining = hours - automated - stopped
    for name, hundredths in (("hours", hours), ("automated", automated), ("stopped", stopped)):
        alloc[name] = hundredths / 100
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
