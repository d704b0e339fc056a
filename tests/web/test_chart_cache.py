"""Chart specs kept by what they show: the same rows give the kept spec, other rows (or
another keyword) a spec of their own, and rows whose content cannot be told are drawn
every time."""

from __future__ import annotations

from types import SimpleNamespace

from smartmoves.pathway.recognize.organization import CategoryHours
from smartmoves.web.charts import hours_by_category_chart


def _rows(hours: float) -> list[CategoryHours]:
    return [
        CategoryHours(
            category="calls", hours_per_week=hours, share=0.5, people=9, suppressed=False
        ),
        CategoryHours(category="admin", hours_per_week=10.0, share=0.5, people=9, suppressed=False),
    ]


def _values(spec: dict) -> list[float]:
    (data,) = spec["datasets"].values()
    return sorted(row["hours"] for row in data)


def test_the_same_rows_give_the_kept_spec_and_other_rows_their_own() -> None:
    first = hours_by_category_chart(_rows(30.0))
    assert first is not None and _values(first) == [10.0, 30.0]
    assert hours_by_category_chart(_rows(30.0)) is first  # equal rows, other objects
    other = hours_by_category_chart(_rows(31.0))
    assert other is not first and other is not None and _values(other) == [10.0, 31.0]
    titled = hours_by_category_chart(_rows(30.0), title="AR")
    assert titled is not first and titled is not None and titled["title"] == "AR"


def test_rows_that_cannot_be_told_apart_are_drawn_every_time() -> None:
    rows = [SimpleNamespace(category="calls", hours_per_week=5.0, share=1.0, suppressed=False)]
    first = hours_by_category_chart(rows)
    again = hours_by_category_chart(rows)
    assert first is not None and again is not None
    assert first is not again and _values(first) == _values(again) == [5.0]
