"""The figures of a pilot's Frontline metrics page: each scope's weekly series, the
comparison line, the baseline and the latest week, from imported and entered values
(``pathway/act/frontline.py`` reads them and asks the policy)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd

from smartmoves.data.workspace import analytics_path
from smartmoves.pathway import privacy
from smartmoves.pathway._views import View
from smartmoves.settings import Settings

__all__ = [
    "BASELINE_WEEKS",
    "ComparisonPoint",
    "Point",
    "Series",
    "baseline_of",
    "comparison_line",
    "history",
    "label",
    "latest_of",
    "monday",
    "series_of",
]

BASELINE_WEEKS = 8
_VALUES = ["metric_id", "scope", "scope_id", "date", "value"]


def monday(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week: the week a value belongs to.

    >>> monday(dt.date(2024, 1, 17)), monday(dt.date(2024, 1, 15))
    (datetime.date(2024, 1, 15), datetime.date(2024, 1, 15))
    """
    return day - dt.timedelta(days=day.weekday())


def label(scope_id: str, workgroups: list[str]) -> str:
    """A scope as the page names it: the scope, and the workgroups drawn from it.

    >>> label("T-01", ["Workgroup 1", "Workgroup 3"])
    'T-01 (Workgroup 1, Workgroup 3)'
    """
    return f"{scope_id} ({', '.join(workgroups)})" if workgroups else scope_id


class Point(View):
    week: dt.date
    value: float
    entered: bool = False  # entered on the page (else imported)


class Series(View):
    scope_id: str
    label: str  # the scope, and the workgroups drawn from it
    workgroups: list[str]
    points: list[Point]


class ComparisonPoint(View):
    week: dt.date
    value: float
    scopes: int  # how many scopes the mean is over


def history(settings: Settings, metric_ids: list[str]) -> pd.DataFrame:
    path = analytics_path(settings, "metric_values")
    if not metric_ids or not path.is_file():
        return pd.DataFrame(columns=[*_VALUES, "week"])
    frame = pd.read_parquet(path, columns=_VALUES, filters=[("metric_id", "in", metric_ids)])
    frame = frame.dropna(subset=["value"])
    days = pd.to_datetime(frame["date"], errors="coerce")
    frame = frame[days.notna()].copy()
    days = days[days.notna()]
    # Imported dates may fall on any weekday: each value counts for its ISO week.
    frame["week"] = (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.date
    frame["scope_id"] = frame["scope_id"].astype(str)
    return frame


def series_of(
    scope_id: str, workgroups: list[str], imported: pd.DataFrame, entered: dict[dt.date, float]
) -> Series:
    weeks: dict[dt.date, tuple[float, bool]] = {}
    for week, value in imported.groupby("week")["value"].mean().items():
        weeks[week] = (float(value), False)
    for week, value in entered.items():
        weeks[week] = (value, True)  # an entered week outranks the imported one
    return Series(
        scope_id=scope_id,
        label=label(scope_id, workgroups),
        workgroups=workgroups,
        points=[Point(week=w, value=round(v, 4), entered=e) for w, (v, e) in sorted(weeks.items())],
    )


def comparison_line(
    rows: pd.DataFrame, exclude_unit: str | None, own: set[str], pilot_people: set[str], k: int
) -> tuple[list[ComparisonPoint], int]:
    groups = rows[
        rows["scope"].isin(("workgroup", "unit"))
        & ~rows["scope_id"].isin(own)
        & ~((rows["scope"] == "unit") & (rows["scope_id"] == (exclude_unit or "")))
    ]
    people = rows[(rows["scope"] == "person") & ~rows["scope_id"].isin(pilot_people)]
    means = groups.groupby(["week", "scope", "scope_id"])["value"].mean().reset_index()
    if not people.empty:
        per_person = people.groupby(["week", "scope_id"])["value"].mean().reset_index()
        weekly = per_person.groupby("week")["value"].agg(["mean", "count"])
        # People's values join the line as one group, their mean, and only in weeks with
        # at least the minimum group size of them: never one person's figure.
        shown = [
            {"week": w, "scope": "person", "scope_id": "people", "value": r["mean"]}
            for w, r in weekly.iterrows()
            if privacy.unless_small(r["mean"], int(r["count"]), k) is not None
        ]
        if shown:
            means = pd.concat([means, pd.DataFrame(shown)], ignore_index=True)
    if means.empty:
        return [], 0
    line = means.groupby("week")["value"].agg(["mean", "count"])
    points = [
        ComparisonPoint(week=w, value=round(float(r["mean"]), 4), scopes=int(r["count"]))
        for w, r in line.iterrows()
    ]
    return points, int(means[["scope", "scope_id"]].drop_duplicates().shape[0])


def baseline_of(series: list[Series], start: dt.date | None) -> tuple[float | None, int]:
    """The mean, over the weeks of the window, of the pilot's scopes' mean that week."""
    if start is None:
        return None, 0
    first = start - dt.timedelta(weeks=BASELINE_WEEKS)
    by_week: dict[dt.date, list[float]] = defaultdict(list)
    for s in series:
        for p in s.points:
            if first <= p.week < start:
                by_week[p.week].append(p.value)
    if not by_week:
        return None, 0
    weekly = [sum(v) / len(v) for v in by_week.values()]
    return round(sum(weekly) / len(weekly), 4), len(weekly)


def latest_of(series: list[Series]) -> tuple[float | None, dt.date | None]:
    by_week: dict[dt.date, list[float]] = defaultdict(list)
    for s in series:
        for p in s.points:
            by_week[p.week].append(p.value)
    if not by_week:
        return None, None
    week = max(by_week)
    return round(sum(by_week[week]) / len(by_week[week]), 4), week
