"""Properties of a pilot's frontline figures: entered weeks always outrank imported ones,
the baseline lies within the weekly means of its window and ignores every week outside
it, and people join the comparison only in numbers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from smartmoves.pathway.act.frontline_figures import (
    BASELINE_WEEKS,
    baseline_of,
    comparison_line,
    monday,
    series_of,
)

WEEK0 = dt.date(2024, 1, 1)
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
weekly = st.lists(values, min_size=1, max_size=20)


def _imported(scope: str, numbers: list[float]) -> pd.DataFrame:
    weeks = [WEEK0 + dt.timedelta(weeks=i) for i in range(len(numbers))]
    return pd.DataFrame({"scope": "workgroup", "scope_id": scope, "week": weeks,
                         "value": numbers})  # fmt: skip


@given(st.dates(), st.integers(0, 6))
def test_every_day_of_a_week_is_kept_as_its_monday(day: dt.date, shift: int) -> None:
    week = monday(day)
    assert week.weekday() == 0 and week <= day < week + dt.timedelta(days=7)
    assert monday(week + dt.timedelta(days=shift)) == week


@given(weekly, st.dictionaries(st.integers(0, 25), values, max_size=8))
def test_an_entered_week_always_outranks_the_imported_one(
    numbers: list[float], typed: dict[int, float]
) -> None:
    entered = {WEEK0 + dt.timedelta(weeks=i): v for i, v in typed.items()}
    series = series_of("T1", ["A"], _imported("T1", numbers), entered)
    shown = {p.week: p for p in series.points}
    assert len(shown) == len(series.points) == len(set(entered) | {
        WEEK0 + dt.timedelta(weeks=i) for i in range(len(numbers))})  # fmt: skip
    for week, value in entered.items():
        assert shown[week].entered and shown[week].value == round(value, 4)
    assert [p.week for p in series.points] == sorted(shown)


@given(st.lists(weekly, min_size=1, max_size=4), st.integers(0, 20))
def test_the_baseline_is_within_its_window_means(series_values: list[list[float]], at: int) -> None:
    start = WEEK0 + dt.timedelta(weeks=at)
    series = [
        series_of(f"T{i}", [], _imported(f"T{i}", v), {}) for i, v in enumerate(series_values)
    ]
    baseline, weeks = baseline_of(series, start)
    first = start - dt.timedelta(weeks=BASELINE_WEEKS)
    window: dict[dt.date, list[float]] = {}
    for s in series:
        for p in s.points:
            if first <= p.week < start:
                window.setdefault(p.week, []).append(p.value)
    assert weeks == len(window) <= BASELINE_WEEKS
    if not window:
        assert baseline is None
        return
    means = [sum(v) / len(v) for v in window.values()]
    assert baseline is not None
    assert min(means) - 1e-3 <= baseline <= max(means) + 1e-3
    assert baseline_of(series, None) == (None, 0)  # a pilot not started has none


@given(st.integers(1, 12), st.integers(5, 8))
def test_people_join_the_comparison_only_in_numbers(people: int, minimum: int) -> None:
    rows = pd.DataFrame(
        {
            "scope": ["workgroup"] + ["person"] * people,
            "scope_id": ["T9"] + [f"P{i}" for i in range(people)],
            "week": [WEEK0] * (people + 1),
            "value": [10.0] + [1000.0] * people,
        }
    )
    line, groups = comparison_line(rows, None, set(), set(), minimum)
    (point,) = line
    if people < minimum:
        assert (point.value, point.scopes, groups) == (10.0, 1, 1)
    else:
        assert (point.value, point.scopes, groups) == (505.0, 2, 2)
